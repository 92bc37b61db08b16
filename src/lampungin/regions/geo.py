"""Geography helpers: is a point in Lampung, which kabupaten/kota is it nearest to."""

from __future__ import annotations

import math

# Lampung's extent with a small margin (mainland 3°45'–6°10' S, 103°40'–105°50' E, plus
# the islands of the Sunda Strait). A point outside is certainly not in Lampung.
LAT_MIN, LAT_MAX = -6.30, -3.60
LNG_MIN, LNG_MAX = 103.50, 106.00


def in_lampung(lat: float, lng: float) -> bool:
    return LAT_MIN <= lat <= LAT_MAX and LNG_MIN <= lng <= LNG_MAX


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
