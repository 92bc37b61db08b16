import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_agency_is_verification_desk"),
        ("catalog", "0003_reportcategory_requires_verification"),
        ("cases", "0003_joint_tasks_supports_merges"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoutingRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="nama aturan")),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        help_text="Dipisah koma; cocok bila salah satu muncul di judul atau isi laporan.",
                        max_length=300,
                        verbose_name="kata kunci",
                    ),
                ),
                (
                    "authority",
                    models.CharField(
                        choices=[
                            ("province", "Provinsi"),
                            ("regency", "Kabupaten/Kota"),
                            ("national", "Nasional"),
                        ],
                        default="province",
                        max_length=10,
                        verbose_name="kewenangan",
                    ),
                ),
                (
                    "priority",
                    models.SmallIntegerField(
                        default=0, help_text="Lebih besar didahulukan.", verbose_name="prioritas"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="aktif")),
                (
                    "agency",
                    models.ForeignKey(
                        blank=True,
                        help_text="Kosongkan untuk kewenangan kabupaten/kota: pemerintah wilayah laporan yang dituju.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="agencies.agency",
                        verbose_name="instansi tujuan",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.reportcategory",
                        verbose_name="kategori",
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"level": "district"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="kecamatan",
                    ),
                ),
                (
                    "regency",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"level": "regency"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="kabupaten/kota",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="agencies.unit",
                        verbose_name="unit kerja tujuan",
                    ),
                ),
            ],
            options={
                "verbose_name": "aturan penyaluran",
                "verbose_name_plural": "aturan penyaluran",
                "ordering": ["-priority", "id"],
            },
        ),
        migrations.CreateModel(
            name="ResponseTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=120, verbose_name="judul")),
                ("body", models.TextField(max_length=4000, verbose_name="isi")),
                (
                    "visibility",
                    models.CharField(
                        choices=[("public", "Tanggapan publik"), ("internal", "Catatan internal")],
                        default="public",
                        max_length=10,
                        verbose_name="jenis",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="aktif")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="response_templates",
                        to="agencies.agency",
                        verbose_name="instansi",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.reportcategory",
                        verbose_name="kategori",
                    ),
                ),
            ],
            options={
                "verbose_name": "templat tanggapan",
                "verbose_name_plural": "templat tanggapan",
                "ordering": ["agency", "title"],
            },
        ),
    ]
