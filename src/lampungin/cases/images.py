"""Validate and re-encode uploaded photos.

Every photo is decoded and written again as a new JPEG: this drops EXIF (camera GPS
position, device serials) and anything hidden after the image data, bounds its size for
weak networks, and refuses files that only pretend to be images.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_SIDE = 1600  # px: enough to see a pothole, small enough for a 3G upload
MAX_PIXELS = 50_000_000  # decompression-bomb guard, before decoding
JPEG_QUALITY = 82


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    width: int
    height: int
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def process_photo(data: bytes, *, name: str = "foto") -> ProcessedPhoto:
    """Check that ``data`` is an acceptable image and return it re-encoded without metadata."""
    if len(data) > settings.MAX_PHOTO_BYTES:
        # filesizeformat, not whole MB: a limit under 1 MB would read "maksimal 0 MB".
        limit = filesizeformat(settings.MAX_PHOTO_BYTES)
        raise ValidationError(
            _("Foto %(name)s terlalu besar (maksimal %(limit)s).") % {"name": name, "limit": limit},
            code="photo_too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Berkas %(name)s bukan foto yang didukung (JPEG, PNG, WebP).") % {"name": name},
                    code="photo_format",
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("Resolusi foto %(name)s terlalu besar.") % {"name": name}, code="photo_pixels"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Apply the camera's rotation before the EXIF that carries it is dropped.
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Berkas %(name)s bukan foto yang valid atau rusak.") % {"name": name}, code="photo_invalid"
        ) from exc
    content = out.getvalue()
    return ProcessedPhoto(
        content=content, width=image.width, height=image.height, sha256=hashlib.sha256(content).hexdigest()
    )
