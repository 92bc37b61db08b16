"""The rating form shown to a reporter once their report is resolved: stars, comment, optional SKM."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lampungin.analytics.skm import ELEMENTS, SCORE_LABELS

STAR_CHOICES = [
    (1, _("1 bintang — sangat tidak puas")),
    (2, _("2 bintang — tidak puas")),
    (3, _("3 bintang — cukup")),
    (4, _("4 bintang — puas")),
    (5, _("5 bintang — sangat puas")),
]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Seberapa puas Anda dengan penanganan laporan ini?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih 1 sampai 5 bintang.")},
    )
    comment = forms.CharField(
        label=_("Komentar (opsional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(value, f"{value} — {label}") for value, label in SCORE_LABELS]
        for index, (code, label) in enumerate(ELEMENTS, start=1):
            self.fields[code] = forms.TypedChoiceField(
                label=f"U{index}. {label}",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )

    def skm_fields(self):
        return [self[code] for code, _label in ELEMENTS]

    def skm_scores(self) -> dict[str, object]:
        return {code: self.cleaned_data.get(code) for code, _label in ELEMENTS}
