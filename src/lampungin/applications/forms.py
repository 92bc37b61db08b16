"""A Django form generated from a process's form definition, for rendering pages.

The form only renders and carries the posted values back; the rules are checked once, by
``formdef.clean_answers`` through the services, and their messages put on these fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from lampungin.applications.choices import FieldKind, FileType
from lampungin.applications.formdef import Upload
from lampungin.applications.models import FormField

ACCEPT = {FileType.PDF: "application/pdf,.pdf", FileType.IMAGE: "image/jpeg,image/png,image/webp"}


def _django_field(f: FormField) -> forms.Field:
    common = {"label": f.label, "help_text": f.help_text, "required": f.required}
    if f.kind == FieldKind.FILE:
        accept = ",".join(ACCEPT[t] for t in f.file_type_list if t in ACCEPT)
        return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": accept}), **common)
    if f.kind == FieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in f.choice_list]], **common)
    if f.kind == FieldKind.NUMBER:
        attrs = {"inputmode": "decimal"}
        if f.min_value is not None:
            attrs["min"] = str(f.min_value)
        if f.max_value is not None:
            attrs["max"] = str(f.max_value)
        return forms.CharField(widget=forms.NumberInput(attrs={**attrs, "step": "any"}), **common)
    if f.kind == FieldKind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    attrs = {"maxlength": str(f.max_length)} if f.max_length else {}
    if (f.max_length and f.max_length > 200) or not f.max_length:
        return forms.CharField(widget=forms.Textarea(attrs={**attrs, "rows": 3}), **common)
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


class ApplicationForm(forms.Form):
    def __init__(self, fields: Iterable[FormField], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for f in fields:
            self.fields[f.key] = _django_field(f)

    def answers(self) -> dict[str, str]:
        return {
            key: self.data.get(key, "")
            for key, field in self.fields.items()
            if not isinstance(field, forms.FileField)
        }

    def uploads(self) -> dict[str, Upload | None]:
        result: dict[str, Upload | None] = {}
        for key, field in self.fields.items():
            if isinstance(field, forms.FileField):
                f = self.files.get(key)
                result[key] = Upload(name=f.name or key, data=f.read()) if f else None
        return result

    def show_errors(self, exc: ValidationError) -> None:
        """Replace Django's own checks by the service's messages (one source of rules)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        items: Mapping = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for key, messages in items.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
