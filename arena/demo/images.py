"""Generated cover pictures for demo actions.

Temporary: until arena/images.py (uploads and thumbnails) is available this makes the
WebP and JPEG thumbnails itself; switch `demo_image_files` to arena.images then.
"""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

PALETTE = [
    ((0, 80, 122), (255, 191, 71)), ((30, 107, 52), (214, 236, 200)), ((179, 38, 30), (255, 224, 178)),
    ((74, 79, 87), (201, 206, 214)), ((94, 53, 177), (225, 210, 250)), ((0, 121, 107), (255, 241, 118)),
]
SIZES = {"large": 1200, "small": 400}


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": 82}
    if fmt == "JPEG":
        options["optimize"] = True
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def draw_picture(seed: int, width: int = 1200, height: int = 800) -> Image.Image:
    rng = random.Random(seed)
    background, accent = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(-200, width), rng.randrange(-200, height)
        size = rng.randrange(120, 420)
        shape = rng.choice(("ellipse", "rectangle"))
        colour = accent if rng.random() < 0.6 else (255, 255, 255)
        getattr(draw, shape)([x, y, x + size, y + size], fill=colour)
    return image


def demo_image_files(seed: int, name: str) -> dict[str, ContentFile]:
    """The original and its thumbnails as files for ActionImage's fields."""
    picture = draw_picture(seed)
    files = {"image": ContentFile(_encode(picture, "JPEG"), name=f"{name}.jpg")}
    for size_name, width in SIZES.items():
        thumb = picture.copy()
        thumb.thumbnail((width, width))
        files[f"thumb_{size_name}"] = ContentFile(_encode(thumb, "WEBP"), name=f"{name}-{size_name}.webp")
        files[f"thumb_{size_name}_jpeg"] = ContentFile(_encode(thumb, "JPEG"), name=f"{name}-{size_name}.jpg")
    return files
