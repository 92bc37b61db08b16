"""Forms of the citizen pages: they only parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lampungin.cases.choices import PRIVACY_HELP, Privacy, ReportType
from lampungin.catalog.selectors import active_categories
from lampungin.regions.choices import Level
from lampungin.regions.models import Region
from lampungin.regions.selectors import children_of, districts, regencies


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=20,
        required=False,
        help_text=_("Isi e-mail atau nomor HP (atau keduanya)."),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        widget=forms.PasswordInput,
        min_length=8,
        help_text=_("Minimal 8 karakter, jangan hanya angka."),
    )


class LoginForm(forms.Form):
    username = forms.CharField(label=_("E-mail atau nomor HP"), max_length=150)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A FileField that accepts several files (a plain FileField rejects the list the widget gives)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        return clean_one(data, initial)


class ReportForm(forms.Form):
    report_type = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=ReportType.choices,
        widget=forms.RadioSelect,
        initial=ReportType.COMPLAINT,
    )
    category = forms.ChoiceField(label=_("Kategori"))
    title = forms.CharField(label=_("Judul singkat"), max_length=150, required=False)
    description = forms.CharField(
        label=_("Uraian laporan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("Apa yang terjadi, di mana, sejak kapan. Maksimal 4000 karakter."),
    )
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    district = forms.ChoiceField(label=_("Kecamatan (opsional)"), required=False)
    # A plain CharField shown as a list: its choices depend on the kecamatan picked, and a desa of
    # another kecamatan deserves a clearer message than "not one of the choices".
    village = forms.CharField(label=_("Desa/kelurahan (opsional)"), required=False, widget=forms.Select)
    lat = forms.FloatField(
        label=_("Lintang (titik peta)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lng = forms.FloatField(
        label=_("Bujur (titik peta)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    address = forms.CharField(label=_("Alamat atau patokan"), max_length=300, required=False)
    photos = MultipleFileField(
        label=_("Foto (maksimal 5)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    privacy = forms.ChoiceField(
        label=_("Privasi"),
        widget=forms.RadioSelect,
        initial=Privacy.CONFIDENTIAL,
        choices=[(value, f"{label} — {PRIVACY_HELP[value]}") for value, label in Privacy.choices],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("— pilih kategori —"))] + [
            (c.code, c.name) for c in active_categories()
        ]
        regency_list = list(regencies())
        self.fields["regency"].choices = [("", _("— pilih kabupaten/kota —"))] + [
            (r.code, r.display_name) for r in regency_list
        ]
        by_regency: dict[str, list[tuple[str, str]]] = {}
        for d in districts():
            by_regency.setdefault(d.parent_id, []).append((d.code, d.name))
        names = {r.code: r.display_name for r in regency_list}
        self.fields["district"].choices = [("", _("— pilih kecamatan —"))] + [
            (names[code], items) for code, items in by_regency.items() if code in names
        ]

        district_code = (self.data.get("district") if self.is_bound else self.initial.get("district")) or ""
        self.fields["village"].widget.choices = [("", _("— pilih desa/kelurahan —"))] + [
            (v.code, v.name) for v in (children_of(district_code) if district_code else [])
        ]

    def clean(self):
        data = super().clean()
        village, district = data.get("village") or "", data.get("district") or ""
        if village:
            region = Region.objects.filter(code=village, level=Level.VILLAGE).first()
            if region is None:
                self.add_error("village", _("Desa/kelurahan tidak dikenal."))
            elif not district:
                self.add_error("village", _("Pilih kecamatan lebih dulu."))
            elif region.parent_id != district:
                self.add_error("village", _("Desa/kelurahan tidak berada di kecamatan yang dipilih."))
        return data

    def location_code(self) -> str:
        """The most precise region picked: the desa/kelurahan, else the kecamatan, else the kabupaten/kota."""
        return (
            self.cleaned_data.get("village")
            or self.cleaned_data.get("district")
            or self.cleaned_data.get("regency")
            or ""
        )


class TrackingLookupForm(forms.Form):
    tracking = forms.CharField(label=_("Nomor pelacakan"), max_length=20)


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
