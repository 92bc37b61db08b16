from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Petugas")
    AGENCY_ADMIN = "agency_admin", _("Admin OPD")
    REGIONAL_LIAISON = "regional_liaison", _("Penghubung kabupaten/kota")
    PLATFORM_ADMIN = "platform_admin", _("Admin platform")
    ANALYST = "analyst", _("Analis")
    AUDITOR = "auditor", _("Auditor")


# Roles that act for one agency; the others act across the platform or a region.
AGENCY_ROLES = {Role.OFFICER, Role.AGENCY_ADMIN}
READ_ONLY_ROLES = {Role.ANALYST, Role.AUDITOR}
