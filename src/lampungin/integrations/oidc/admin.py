"""Admin: the registry of regional apps, consents (read-only) and signing keys (read-only).

``ApplicationAdmin`` is installed by django-oauth-toolkit itself (``APPLICATION_ADMIN_CLASS``),
which registers the application model; the client secret is generated here and shown once,
on a page of its own, because only its hash is stored.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from lampungin.integrations.oidc import services
from lampungin.integrations.oidc.choices import DEFAULT_ALLOWED_SCOPES, ClientType, Scope
from lampungin.integrations.oidc.models import Application, Consent, SigningKey


class ApplicationForm(forms.ModelForm):
    """What a platform admin decides about an app; the protocol details are fixed by the registry."""

    allowed_scopes = forms.MultipleChoiceField(
        label=_("Cakupan yang diizinkan"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Warga tetap diminta persetujuannya. Beri 'NIK' hanya jika layanan memerlukannya."),
    )
    client_type = forms.ChoiceField(
        label=_("Jenis klien"), choices=ClientType.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Application
        fields = [
            "name",
            "agency",
            "catalog_service",
            "client_type",
            "redirect_uris",
            "post_logout_redirect_uris",
            "allowed_origins",
            "allowed_scopes",
        ]
        help_texts = {
            "redirect_uris": _("Alamat callback aplikasi, dipisah spasi atau baris baru."),
            "post_logout_redirect_uris": _("Alamat tujuan setelah keluar, dipisah spasi atau baris baru."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        # Fixed for every app of the registry; set before validation, which checks them.
        self.instance.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        self.instance.algorithm = Application.RS256_ALGORITHM
        if self.instance.pk:
            self.initial["allowed_scopes"] = self.instance.allowed_scopes.split()
        else:
            self.initial.setdefault("allowed_scopes", [str(s) for s in DEFAULT_ALLOWED_SCOPES])
            self.initial.setdefault("client_type", ClientType.CONFIDENTIAL)

    def clean_allowed_scopes(self) -> str:
        chosen = set(self.cleaned_data["allowed_scopes"])
        return " ".join(str(s) for s in Scope if s in chosen)

    def clean_redirect_uris(self) -> str:
        return " ".join(self.cleaned_data["redirect_uris"].split())

    def clean_post_logout_redirect_uris(self) -> str:
        return " ".join(self.cleaned_data["post_logout_redirect_uris"].split())


class ApplicationAdmin(admin.ModelAdmin):
    form = ApplicationForm
    list_display = ["name", "agency", "client_id", "client_type", "allowed_scopes", "created"]
    list_filter = ["client_type", "agency"]
    search_fields = ["name", "client_id", "agency__name"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["catalog_service"]
    readonly_fields = ["client_id", "sector_identifier", "created", "updated"]
    actions = ["new_client_secret"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = list(ApplicationForm.Meta.fields)
        if obj is None:
            return fields
        return ["client_id", "sector_identifier", *fields, "created", "updated"]

    def save_model(self, request: HttpRequest, obj: Application, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.user = request.user
        # Saves the new app; the secret in clear exists only for the page that shows it.
        obj._secret_shown_once = services.reset_client_secret(application=obj)

    def response_add(self, request: HttpRequest, obj: Application, post_url_continue=None) -> HttpResponse:
        return self._show_secret(request, obj, getattr(obj, "_secret_shown_once", ""))

    @admin.action(description=_("Buat client secret baru (yang lama tidak berlaku lagi)"))
    def new_client_secret(self, request: HttpRequest, queryset) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Pilih tepat satu aplikasi."), level="error")
            return None
        application = queryset.get()
        return self._show_secret(request, application, services.reset_client_secret(application=application))

    def _show_secret(self, request: HttpRequest, application: Application, secret: str) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "application": application,
            "client_secret": secret if application.client_type == Application.CLIENT_CONFIDENTIAL else "",
            "title": _("Kredensial klien"),
        }
        response = TemplateResponse(request, "oidc/admin/client_secret.html", context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consents are the citizen's to give and withdraw: the admin only reads them."""

    list_display = ["application", "user", "scopes", "granted_at", "revoked_at", "ended_because"]
    list_filter = ["application", "ended_because"]
    search_fields = ["application__name", "user__email"]
    list_select_related = ["application", "user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Keys are made and rotated by ``lampungin oidc-rotate-key``; the admin only lists them."""

    list_display = ["kid", "is_current", "created_at", "retired_at"]
    fields = ["kid", "is_current", "created_at", "retired_at", "public_jwk"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
