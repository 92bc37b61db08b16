"""The location part of /lapor/ without JavaScript: a "Pilih desa" step that keeps what was typed.

The list of desa/kelurahan depends on the kecamatan; without JavaScript the citizen presses
"Pilih desa", and the same form comes back, unsaved and without error messages, with the
kecamatan's desa list. Browsers never re-send chosen files, so the page says photos must be
chosen again. With JavaScript, ``static/lampungin/location.js`` fills the lists from
``GET /api/v1/regions?parent=<code>`` instead and hides the button.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lampungin.web.forms import ReportForm

PICK_VILLAGE = "pilih_desa"


def village_step(request: HttpRequest) -> HttpResponse:
    """The report form again, filled with what was posted, listing the chosen kecamatan's desa."""
    initial = {key: request.POST.get(key) for key in request.POST if key not in {PICK_VILLAGE, "photos"}}
    form = ReportForm(initial=initial)
    return render(
        request,
        "web/report_new.html",
        {
            "form": form,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            "village_step": True,
            "had_photos": bool(request.FILES.getlist("photos")),
        },
    )
