from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_category_validation_and_duplicate_radius"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportcategory",
            name="requires_verification",
            field=models.BooleanField(
                default=True,
                help_text="Jika tidak, laporan yang tersalurkan otomatis langsung berstatus terverifikasi di instansinya.",
                verbose_name="perlu verifikasi",
            ),
        ),
    ]
