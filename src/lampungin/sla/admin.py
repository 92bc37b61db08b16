"""Admin for working time and SLA policies. Saves go through ``sla.services`` so that every
change of the calendar bumps its version and triggers the recompute of open clocks."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lampungin.sla import services
from lampungin.sla.calendar import weekly_schedule
from lampungin.sla.models import Holiday, SlaPolicy, SlaTarget, WorkingInterval, WorkingSchedule
from lampungin.sla.states import case_states


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind", "region", "is_estimate", "is_active", "source"]
    list_filter = ["kind", "is_estimate", "is_active", "region"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["source", "updated_at"]

    def save_model(self, request, obj: Holiday, form, change: bool) -> None:
        if not change:
            created = services.add_holiday(
                day=obj.date,
                name=obj.name,
                kind=obj.kind,
                region_code=obj.region_id,
                is_estimate=obj.is_estimate,
                source="admin",
            )
            obj.pk, obj.updated_at, obj.source = created.pk, created.updated_at, created.source
        elif form.changed_data == ["date"]:
            services.move_holiday(holiday=obj, to=obj.date)
        else:
            services.save_holiday(obj)

    def delete_model(self, request, obj: Holiday) -> None:
        services.remove_holiday(holiday=obj)

    def delete_queryset(self, request, queryset) -> None:
        for holiday in queryset:
            services.remove_holiday(holiday=holiday)


class IntervalFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        days: dict[int, list] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("start") or not data.get("end"):
                continue
            days.setdefault(data["weekday"], []).append((data["start"], data["end"]))
        try:
            weekly_schedule({day: sorted(intervals) for day, intervals in days.items()})
        except ValueError as exc:
            raise ValidationError(
                _("Jam kerja tidak valid (tumpang tindih atau terbalik): %(e)s") % {"e": exc}
            ) from exc


class WorkingIntervalInline(admin.TabularInline):
    model = WorkingInterval
    formset = IntervalFormSet
    extra = 0


@admin.register(WorkingSchedule)
class WorkingScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default", "date_from", "date_to", "is_estimate"]
    list_filter = ["is_default", "is_estimate"]
    inlines = [WorkingIntervalInline]

    def save_model(self, request, obj: WorkingSchedule, form, change: bool) -> None:
        services.save_schedule(obj)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.schedule_intervals_changed(form.instance)

    def has_delete_permission(self, request, obj: WorkingSchedule | None = None) -> bool:
        # The default week can be edited but never removed: the calendar needs it.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_default)

    def delete_model(self, request, obj: WorkingSchedule) -> None:
        services.delete_schedule(schedule=obj)

    def delete_queryset(self, request, queryset) -> None:
        for schedule in queryset.filter(is_default=False):
            services.delete_schedule(schedule=schedule)


class SlaTargetForm(forms.ModelForm):
    class Meta:
        model = SlaTarget
        fields = [
            "kind",
            "amount",
            "unit",
            "at_risk_percent",
            "escalate_after_days",
            "start_states",
            "stop_states",
            "pause_states",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        states = ", ".join(case_states())
        for name in ("start_states", "stop_states", "pause_states"):
            self.fields[name].help_text = _('Daftar JSON, mis. ["submitted"]. Status yang dikenal: %(s)s') % {
                "s": states
            }


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    form = SlaTargetForm
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "category", "service", "agency", "priority", "is_active"]
    list_filter = ["is_active", "agency"]
    search_fields = ["code", "name"]
    raw_id_fields = ["category", "service", "agency"]
    inlines = [SlaTargetInline]
