from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lampungin.accounts import throttle
from lampungin.accounts.models import ApiToken, CitizenProfile, StaffMembership, User


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    raw_id_fields = ["agency", "unit", "region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "phone", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "phone", "full_name"]
    list_filter = ["is_staff", "is_active", "memberships__role"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("Data diri"), {"fields": ("full_name",)}),
        (_("Hak akses"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "phone", "full_name", "password1", "password2")}),
    )


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "region", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__full_name", "agency__name"]
    raw_id_fields = ["user", "agency", "unit", "region"]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "home_region"]
    # The encrypted NIK and its index are never shown or edited here.
    exclude = ["nik_encrypted", "nik_index"]
    readonly_fields = ["nik_masked"]
    raw_id_fields = ["user", "home_region"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash"]
    raw_id_fields = ["user"]


class LimitedAdminAuthenticationForm(AdminAuthenticationForm):
    """/admin/ sign-in that says why it refuses while too many attempts failed (the backend
    applies the limit; Django's form would only say the password is wrong)."""

    def get_invalid_login_error(self) -> ValidationError:
        message = throttle.blocked_message(self.request) if self.request else None
        if message:
            return ValidationError(message, code="rate_limited")
        return super().get_invalid_login_error()
