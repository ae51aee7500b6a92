"""Checking and re-encoding uploaded images, with Pillow only.

Every upload is checked before anything is written to storage:
- size in bytes (``settings.IMAGE_MAX_BYTES``) before it is read;
- type by content, never by name: only the JPEG, PNG and WebP decoders are ever tried;
- pixel count from the header before it is decoded, so a small file that would expand to
  gigabytes (a decompression bomb) is refused: ``settings.IMAGE_MAX_PIXELS`` for a baseline JPEG,
  which is decoded at a reduced scale, and the lower ``settings.IMAGE_MAX_PIXELS_UNSCALED`` for
  what must be decoded at its full size (PNG, WebP, progressive JPEG), lower again for WebP
  (``settings.IMAGE_MAX_PIXELS_WEBP``), whose decoder keeps several full-size copies.

Memory per upload is bounded: at most ``settings.IMAGE_MAX_PARALLEL`` uploads are decoded and
re-encoded at the same time in one process (the others wait their turn), each decoded image
is at most the unscaled limit × 4 bytes, and it is scaled down before any full-size copy is
made. Pillow's own decompression-bomb guard (``Image.MAX_IMAGE_PIXELS``) is set to our limit,
so a header beyond twice it is refused by Pillow while opening.

What is kept: the EXIF orientation is applied to the pixels, then the image is rebuilt from
its pixels alone, so no metadata (EXIF, GPS, comments, colour profiles) survives.
Formats: the full image is JPEG (quality 85), or PNG when it has transparency, at most
``FULL_MAX_SIDE`` px on its longer side. Thumbnails are made once, here: 400 and 1200 px
wide (never enlarged), each as WebP plus a JPEG fallback for browsers without WebP.

Speed (a 12-megapixel photo in well under a second of CPU): a JPEG more than twice the full
size is decoded at a reduced scale (``Image.draft``, never below the full size), the full size
is made with a bicubic filter, every thumbnail from the next larger image (full → 1200 → 400)
rather than from the original again, and the encoder settings suit the size: the full image is
an optimised baseline JPEG (progressive encoding of a 4-megapixel image costs several times
more for a few per cent), the thumbnails progressive JPEG and WebP with a fast method.
"""

import io
import math
import threading
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ["JPEG", "PNG", "WEBP"]
FULL_MAX_SIDE = 2400
THUMB_WIDTHS = {"small": 400, "large": 1200}
JPEG_QUALITY = 85
WEBP_QUALITY = 80
WEBP_METHOD = 2  # 0 (fast) … 6 (slow): 2 gives files within a few per cent of 4 in well under half the time

# Pillow warns above this and refuses above twice it while opening; nothing above it is decoded here.
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
# Decoding and re-encoding take the memory; one slot per upload being processed in this process.
_processing_slots = threading.BoundedSemaphore(settings.IMAGE_MAX_PARALLEL)


@dataclass
class ProcessedImage:
    """The re-encoded image and its thumbnails, in memory until a service saves them."""

    full: ContentFile
    width: int
    height: int
    thumbs: dict[str, ContentFile] = field(default_factory=dict)  # ActionImage field name → file


def _has_transparency(img: Image.Image) -> bool:
    if img.mode in ("RGBA", "LA", "PA"):
        return img.getextrema()[-1][0] < 255  # the alpha band's minimum, without copying the band
    return img.mode == "P" and "transparency" in img.info


def _encode(img: Image.Image, fmt: str, name: str, *, progressive: bool = True) -> ContentFile:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        img.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=progressive)
    elif fmt == "WEBP":
        img.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        img.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=name)


def _flatten(img: Image.Image) -> Image.Image:
    """An RGB copy; transparent parts become white (for JPEG)."""
    if img.mode == "RGB":
        return img
    background = Image.new("RGB", img.size, (255, 255, 255))
    background.paste(img, mask=img.getchannel("A") if "A" in img.getbands() else None)
    return background


def _resized(img: Image.Image, width: int) -> Image.Image:
    if img.width <= width:
        return img
    height = max(1, round(img.height * width / img.width))
    return img.resize((width, height), Image.Resampling.LANCZOS)


def _draft_size(width: int, height: int, longest: int) -> tuple[int, int]:
    """The smallest size that still has `longest` px on the longer side (for `Image.draft`)."""
    scale = longest / max(width, height)
    return math.ceil(width * scale), math.ceil(height * scale)


def check_and_open(upload, *, longest: int | None = None) -> Image.Image:
    """Open an upload as an image or raise a ValidationError that says why not.

    Only the header is read here (`Image.open` is lazy): the pixels are decoded by `decode`,
    after every check. With `longest`, a JPEG is set to decode at the smallest of its built-in
    reduced scales (1/2, 1/4, 1/8) that still has at least `longest` px on its longer side
    (never below it), which is much quicker and smaller than decoding every pixel.
    """
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(settings.IMAGE_MAX_BYTES)},
            code="too_big",
        )
    upload.seek(0)
    try:
        img = Image.open(upload, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise ValidationError(_too_many_pixels(None), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, ZeroDivisionError):
        # A file that starts like one of ours but cannot be opened (a 0 × 0 header, a text chunk that
        # would expand to megabytes) is damaged; anything else is of the wrong type.
        upload.seek(0)
        if upload.read(16).startswith(SIGNATURES) and not _is_other_webp(upload):
            raise ValidationError(_damaged_message(), code="damaged") from None
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP image. Save the picture in one of those formats and try again."),
            code="not_an_image",
        ) from None
    if img.width < 1 or img.height < 1:
        raise ValidationError(_damaged_message(), code="damaged")
    check_pixel_count(img)
    if longest is not None and max(img.size) > 2 * longest:
        img.draft(None, _draft_size(img.width, img.height, longest))  # only JPEG does anything here
    return img


def decodes_scaled(img: Image.Image) -> bool:
    """Whether the decoder can skip pixels: a baseline JPEG can (1/2 … 1/8 scale, little memory);
    PNG and WebP have no reduced decoding, and a progressive JPEG holds every coefficient."""
    return img.format == "JPEG" and not img.info.get("progressive")


def pixel_limit(img: Image.Image) -> int:
    if decodes_scaled(img):
        return settings.IMAGE_MAX_PIXELS
    if img.format == "WEBP":
        return min(settings.IMAGE_MAX_PIXELS, settings.IMAGE_MAX_PIXELS_UNSCALED, settings.IMAGE_MAX_PIXELS_WEBP)
    return min(settings.IMAGE_MAX_PIXELS, settings.IMAGE_MAX_PIXELS_UNSCALED)


def check_pixel_count(img: Image.Image) -> None:
    """Refuse, from the header alone, an image whose decoding would take too much memory."""
    if img.width * img.height > pixel_limit(img):
        raise ValidationError(_too_many_pixels(img), code="too_many_pixels")


def decode(img: Image.Image) -> None:
    """Decode the pixels of an image opened by `check_and_open` (call it holding a processing slot)."""
    try:
        img.load()
    except (OSError, SyntaxError, ValueError, ZeroDivisionError, Image.DecompressionBombError):
        raise ValidationError(_damaged_message(), code="damaged") from None


SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


def _is_other_webp(upload) -> bool:
    """RIFF is also the container of WAV and AVI: only RIFF….WEBP counts as ours."""
    upload.seek(0)
    head = upload.read(12)
    return head.startswith(b"RIFF") and head[8:12] != b"WEBP"


def _damaged_message() -> str:
    return _("The image file is damaged or incomplete.")


def _too_many_pixels(img) -> str:
    if img is None:
        limit = settings.IMAGE_MAX_PIXELS / 1_000_000
        return _("The image has too many pixels; the largest allowed is %(max)g megapixels.") % {"max": limit}
    limit = pixel_limit(img) / 1_000_000
    if img.format == "WEBP" and limit < settings.IMAGE_MAX_PIXELS_UNSCALED / 1_000_000:
        return _("The image is %(width)d × %(height)d pixels (%(mp).0f megapixels); a WebP image can have at most "
                 "%(max)g megapixels. Make it smaller or save it as a JPEG or PNG and try again.") % {
            "width": img.width, "height": img.height, "mp": img.width * img.height / 1_000_000, "max": limit,
        }
    if not decodes_scaled(img) and limit < settings.IMAGE_MAX_PIXELS / 1_000_000:
        return _("The image is %(width)d × %(height)d pixels (%(mp).0f megapixels); a PNG, WebP or progressive "
                 "JPEG image can have at most %(max)g megapixels (a camera JPEG up to %(photo)g). Make it "
                 "smaller or save it as a JPEG and try again.") % {
            "width": img.width, "height": img.height, "mp": img.width * img.height / 1_000_000, "max": limit,
            "photo": settings.IMAGE_MAX_PIXELS / 1_000_000,
        }
    return _("The image is %(width)d × %(height)d pixels (%(mp).0f megapixels); the largest allowed is "
             "%(max)g megapixels. Make it smaller and try again.") % {
        "width": img.width, "height": img.height, "mp": img.width * img.height / 1_000_000, "max": limit,
    }


def process_upload(upload) -> ProcessedImage:
    """Check an upload and re-encode it with its thumbnails (see the module's docstring)."""
    img = check_and_open(upload, longest=FULL_MAX_SIDE)  # the header only: cheap, no slot needed
    if not _processing_slots.acquire(timeout=settings.IMAGE_MAX_WAIT_SECONDS):
        raise ValidationError(
            _("The server is busy processing other images. Wait a moment and try again."), code="busy")
    try:
        decode(img)
        return _reencode(img)
    finally:
        _processing_slots.release()


def _reencode(img: Image.Image) -> ProcessedImage:
    transparent = _has_transparency(img)
    mode = "RGBA" if transparent else "RGB"
    # Palette and 1-bit images are scaled by nearest neighbour only: convert them first. Any other
    # mode is scaled down first (in place, with `reduce` for the large steps) and converted after,
    # so no full-size copy is made of a large image.
    if img.mode in ("1", "P", "PA") and img.mode != mode:
        img = img.convert(mode)
    if max(img.size) > FULL_MAX_SIDE:
        # Bicubic: at these mild ratios (a 12 MP photo: 1.7×) as sharp as Lanczos to the eye, at
        # two thirds of its cost; the thumbnails (2× and more) keep Lanczos.
        img.thumbnail((FULL_MAX_SIDE, FULL_MAX_SIDE), Image.Resampling.BICUBIC, reducing_gap=3.0)
    # The orientation is applied to the scaled pixels (the bounding box is square, so the order
    # does not change the size), in place on our own decoded image.
    ImageOps.exif_transpose(img, in_place=True)
    if img.mode != mode:
        img = img.convert(mode)
    # Rebuilt from the pixels alone: nothing of the original file's metadata is carried over.
    pixels = Image.frombytes(mode, img.size, img.tobytes())
    del img

    stem = uuid.uuid4().hex
    full = (_encode(pixels, "PNG", f"{stem}.png") if transparent
            else _encode(pixels, "JPEG", f"{stem}.jpg", progressive=False))
    processed = ProcessedImage(full=full, width=pixels.width, height=pixels.height)
    # Largest first, each thumbnail from the one before (never from the full image again).
    source = pixels
    for size, width in sorted(THUMB_WIDTHS.items(), key=lambda item: -item[1]):
        thumb = _resized(source, width)
        processed.thumbs[f"thumb_{size}"] = _encode(thumb, "WEBP", f"{stem}-{width}.webp")
        processed.thumbs[f"thumb_{size}_jpeg"] = _encode(_flatten(thumb), "JPEG", f"{stem}-{width}.jpg")
        source = thumb
    return processed
