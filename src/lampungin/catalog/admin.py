from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lampungin.catalog.models import ReportCategory, Service, ServiceGroup


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "agency",
        "group",
        "kind",
        "service_time_days",
        "service_time_unit",
        "is_sample",
        "is_published",
    ]
    list_filter = ["kind", "group", "is_sample", "is_published", "agency"]
    search_fields = ["code", "name", "keywords"]
    prepopulated_fields = {"code": ["name"]}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "group",
                    "agency",
                    "kind",
                    "url",
                    "summary",
                    "keywords",
                    "is_sample",
                    "is_published",
                )
            },
        ),
        (
            _("Standar pelayanan — untuk warga"),
            {
                "fields": (
                    "requirements",
                    "procedure",
                    "service_time_days",
                    "service_time_unit",
                    "service_time_text",
                    "fee",
                    "product",
                    "complaint_channel",
                )
            },
        ),
        (
            _("Standar pelayanan — pengelolaan"),
            {
                "fields": (
                    "legal_basis",
                    "facilities",
                    "staff_competence",
                    "internal_supervision",
                    "staffing",
                    "service_guarantee",
                    "safety_guarantee",
                    "performance_evaluation",
                )
            },
        ),
    )


@admin.register(ReportCategory)
class ReportCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "default_agency", "authority", "is_active"]
    list_filter = ["authority", "is_active"]
    search_fields = ["code", "name", "keywords"]
    prepopulated_fields = {"code": ["name"]}
