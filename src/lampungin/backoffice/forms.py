"""Forms of the staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lampungin.cases.choices import CaseState, RejectReason


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua yang terbuka"))] + list(CaseState.choices)
    )
    mine = forms.BooleanField(label=_("Hanya yang ditugaskan kepada saya"), required=False)
    q = forms.CharField(label=_("Cari (nomor atau kata)"), required=False, max_length=100)


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Keterangan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    assignee = forms.IntegerField(required=False)
    unit = forms.IntegerField(required=False)
    referred_to = forms.CharField(required=False, max_length=40)
    agency = forms.CharField(required=False, max_length=40)  # TRANSFER, or VERIFY forwarding
    reject_reason = forms.ChoiceField(required=False, choices=[("", "—")] + list(RejectReason.choices))


class CommentForm(forms.Form):
    message = forms.CharField(label=_("Pesan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(label=_("Catatan internal (tidak terlihat pelapor)"), required=False)
