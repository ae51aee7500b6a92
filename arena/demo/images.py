"""Generated cover pictures for demo actions, processed like any upload (arena/images.py)."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from arena.images import process_upload

PALETTE = [
    ((0, 80, 122), (255, 191, 71)), ((30, 107, 52), (214, 236, 200)), ((179, 38, 30), (255, 224, 178)),
    ((74, 79, 87), (201, 206, 214)), ((94, 53, 177), (225, 210, 250)), ((0, 121, 107), (255, 241, 118)),
]


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


def demo_image_files(seed: int, name: str) -> dict:
    """The re-encoded image and its thumbnails as files for ActionImage's fields."""
    buffer = io.BytesIO()
    draw_picture(seed).save(buffer, format="JPEG", quality=90)
    processed = process_upload(SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg"))
    return {"image": processed.full, **processed.thumbs}
