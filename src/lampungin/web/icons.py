"""Draw the app icons of the web app manifest (``python -m lampungin.web.icons`` rewrites them).

Plain shapes, no font: the PNGs come out the same on every machine, so the committed files
can be checked against this script. Green is the brand colour of the header, yellow the
"Lapor" button. ``maskable`` keeps the mark inside the central safe zone (80 %) that
Android crops to a circle or a squircle.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 94, 60)
YELLOW = (255, 210, 63)
WHITE = (255, 255, 255)
ICON_DIR = Path(__file__).resolve().parent / "static" / "lampungin" / "icons"
ICONS = {"icon-192.png": (192, False), "icon-512.png": (512, False), "icon-maskable-512.png": (512, True)}


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # draw large, then shrink: smooth edges without anti-aliasing support in ImageDraw
    big = size * scale
    image = Image.new("RGB", (big, big), BRAND if maskable else WHITE)
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BRAND)
    inset = big * (0.26 if maskable else 0.2)
    unit = (big - 2 * inset) / 10
    x0, y0 = inset, inset
    # "L": a stem and a foot.
    draw.rectangle((x0 + unit, y0, x0 + 3 * unit, y0 + 10 * unit), fill=WHITE)
    draw.rectangle((x0 + unit, y0 + 8 * unit, x0 + 6.5 * unit, y0 + 10 * unit), fill=WHITE)
    # "In": a yellow dot over a yellow bar, the door that the platform is.
    draw.ellipse((x0 + 7 * unit, y0, x0 + 9.5 * unit, y0 + 2.5 * unit), fill=YELLOW)
    draw.rectangle((x0 + 7.25 * unit, y0 + 3.5 * unit, x0 + 9.25 * unit, y0 + 10 * unit), fill=YELLOW)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(directory: Path = ICON_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, maskable) in ICONS.items():
        path = directory / name
        draw_icon(size, maskable=maskable).save(path, format="PNG", optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_icons():
        print(path)
