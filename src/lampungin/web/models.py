"""What the citizen pages remember for a person beyond their reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FavouriteService(models.Model):
    """A service a citizen pinned to their account page, to reach it again in one tap."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_services"
    )
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="favourited_by")
    created_at = models.DateTimeField(_("disimpan"), auto_now_add=True)

    class Meta:
        verbose_name = _("layanan favorit")
        verbose_name_plural = _("layanan favorit")
        constraints = [models.UniqueConstraint(fields=["user", "service"], name="favourite_service_once")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.service_id}"


class Announcement(models.Model):
    """A notice on the home page (road works, office hours at Lebaran…), edited in /admin/."""

    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    starts_at = models.DateTimeField(_("mulai tampil"))
    ends_at = models.DateTimeField(
        _("berhenti tampil"), null=True, blank=True, help_text=_("Kosongkan bila tidak ada batas waktu.")
    )
    is_published = models.BooleanField(_("terbit"), default=True)

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["is_published", "-starts_at"], name="announcement_current")]

    def __str__(self) -> str:
        return self.title
