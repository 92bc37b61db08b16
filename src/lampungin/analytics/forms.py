"""The filter form of the service-time pages (public ``/kepatuhan/`` and staff ``/kantor/kepatuhan/``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lampungin.agencies.models import Agency
from lampungin.analytics.choices import GroupBy
from lampungin.analytics.selectors import ServiceTimeReport
from lampungin.regions.selectors import regencies


class ServiceTimeFilterForm(forms.Form):
    """Period (WIB dates), grouping, agency and kabupaten/kota; every field optional.

    Field names match the API's query parameters (``from``, ``to``, ``group_by``…), so a
    page's address and the API call for the same numbers read alike.
    """

    group_by = forms.ChoiceField(
        label=_("Kelompokkan menurut"),
        required=False,
        choices=[(g.value, g.label) for g in GroupBy],
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        # "from" is a Python keyword, so these two are added by name rather than declared.
        self.fields = {
            "from": forms.DateField(label=_("Dari tanggal"), required=False, widget=date_input),
            "to": forms.DateField(label=_("Sampai tanggal"), required=False, widget=date_input),
            **self.fields,
            "agency": forms.ChoiceField(
                label=_("Instansi"),
                required=False,
                choices=[("", _("Semua instansi"))]
                + list(
                    Agency.objects.filter(is_active=True)
                    .order_by("short_name")
                    .values_list("code", "short_name")
                ),
            ),
            "regency": forms.ChoiceField(
                label=_("Kabupaten/kota"),
                required=False,
                choices=[("", _("Semua kabupaten/kota"))] + [(r.code, r.display_name) for r in regencies()],
            ),
        }

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for the report selectors (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "date_from": data.get("from"),
            "date_to": data.get("to"),
            "group_by": data.get("group_by") or GroupBy.CATEGORY,
            "agency": data.get("agency", ""),
            "regency": data.get("regency", ""),
        }

    def report(self, build: Callable[..., ServiceTimeReport]) -> ServiceTimeReport:
        """``build(**filters)``; when the selector refuses the filters, errors go on the form
        and the default report (last 90 days, per category) is shown instead."""
        try:
            return build(**self.filters())
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages in errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return build()
