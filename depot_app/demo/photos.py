"""A plain head-and-shoulders silhouette for demonstration records: no face, no text."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 160, 200
SKIN = ((241, 194, 160), (224, 172, 135), (198, 146, 108), (172, 118, 84), (141, 93, 62),
        (112, 72, 48))
BACKGROUND = ((226, 232, 240), (236, 236, 228), (222, 236, 246), (240, 236, 226),
              (230, 230, 236))
CLOTHES = ((52, 64, 84), (90, 98, 110), (120, 60, 50), (40, 90, 80), (70, 70, 120),
           (140, 140, 140))
HAIR = ((25, 20, 18), (40, 30, 24), (60, 44, 30), (15, 15, 15))


def _vary(rng: random.Random, colour: tuple[int, int, int], by: int) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, c + rng.randint(-by, by))) for c in colour)
    return r, g, b


def silhouette_jpeg(rng: random.Random, long_hair: bool = False) -> bytes:
    """A small JPEG (160 x 200, quality 80); the same random state gives the same bytes."""
    background = _vary(rng, rng.choice(BACKGROUND), 6)
    skin = _vary(rng, rng.choice(SKIN), 8)
    clothes = _vary(rng, rng.choice(CLOTHES), 10)
    hair = rng.choice(HAIR)
    head_w = rng.randint(58, 66)
    head_h = rng.randint(72, 80)
    cx = WIDTH // 2 + rng.randint(-3, 3)
    top = rng.randint(34, 42)

    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    if long_hair:
        draw.rounded_rectangle((cx - head_w // 2 - 8, top - 4, cx + head_w // 2 + 8,
                                top + head_h + 30), radius=26, fill=hair)
    # Shoulders, neck, hair, then the face over the hair's lower part.
    draw.ellipse((cx - 78, top + head_h + 14, cx + 78, HEIGHT + 90), fill=clothes)
    draw.rectangle((cx - 13, top + head_h - 10, cx + 13, top + head_h + 24), fill=skin)
    draw.ellipse((cx - head_w // 2 - 3, top - 5, cx + head_w // 2 + 3, top + head_h * 2 // 3),
                 fill=hair)
    draw.ellipse((cx - head_w // 2, top + 9, cx + head_w // 2, top + head_h), fill=skin)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()
