from django.db import migrations, models


def flag_diskominfotik(apps, schema_editor):
    # The platform's operator is its verification desk (decision 0009); an admin may move it.
    Agency = apps.get_model("agencies", "Agency")
    Agency.objects.filter(code="diskominfotik").update(is_verification_desk=True)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="is_verification_desk",
            field=models.BooleanField(
                default=False,
                help_text="Anggota instansi ini memverifikasi laporan baru dari semua instansi, dan laporan yang tidak cocok dengan aturan penyaluran menunggu di antreannya.",
                verbose_name="meja verifikasi",
            ),
        ),
        migrations.RunPython(flag_diskominfotik, migrations.RunPython.noop),
    ]
