"""The picture WeChat and other apps show beside a shared link (og:image): the site's own logo when
mkdocs.yml's theme.logo is a PNG or JPEG, else a card drawn here.

The card is a fixed 300 × 300 PNG (WeChat takes a square of at least 300 px), same-origin at
assets/plansite/share.png: a calendar on a colour chosen from the site's name. It holds no text: a
Chinese name needs a Chinese font, which no build machine can be assumed to have; the title under
the card names the site. Drawn with Pillow from fixed shapes, so the same name gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import posixpath

from PIL import Image, ImageDraw

SIZE = 300
FILE = "share.png"
# Material's palette colours, dark enough for white on them
COLOURS = ("#3f51b5", "#00796b", "#1976d2", "#5e35b1", "#c2185b", "#2e7d32", "#ad1457", "#00838f")
RASTER = (".png", ".jpg", ".jpeg")


def share_card(site_name: str) -> bytes:
    colour = COLOURS[hashlib.sha256(site_name.encode("utf-8")).digest()[0] % len(COLOURS)]
    img = Image.new("RGB", (SIZE, SIZE), colour)
    d = ImageDraw.Draw(img)
    left, top, right, bottom = 60, 70, 240, 240
    d.rounded_rectangle((left, top, right, bottom), radius=16, fill="white")
    d.rounded_rectangle((left, top, right, top + 40), radius=16, fill="#eeeeee")
    d.rectangle((left, top + 24, right, top + 40), fill="#eeeeee")
    for x in (105, 195):  # the rings
        d.rounded_rectangle((x - 7, top - 18, x + 7, top + 16), radius=7, fill="#424242")
    cell, gap = 30, 10
    for row in range(3):
        for col in range(4):
            x, y = left + 15 + col * (cell + gap), top + 55 + row * (cell + gap)
            d.rounded_rectangle((x, y, x + cell, y + cell), radius=5, fill=colour if (row, col) == (1, 2) else "#cfd8dc")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False, compress_level=9)  # no date, no metadata: the same bytes every build
    return out.getvalue()


def share_image_path(assets: str, logo: str | None) -> str:
    """The docs-relative path of the picture: the theme's logo when it is a raster image, else the card."""
    if logo and not logo.startswith(("http://", "https://", "//")) and logo.lower().endswith(RASTER):
        return logo.lstrip("/")
    return posixpath.join(assets, FILE)
