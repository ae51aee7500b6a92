import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from arena import images
from tests.arena.images_util import GPS_IFD, gps_exif, image_bytes, jpeg_upload, upload


def reopen(content_file):
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


def test_jpeg_with_gps_exif_comes_out_without_any_metadata():
    original = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test file really has GPS

    processed = images.process_upload(upload(original))

    for content in [processed.full, *processed.thumbs.values()]:
        out = reopen(content)
        assert not out.getexif()
        assert "exif" not in out.info
        content.seek(0)
        assert b"Exif" not in content.read()


def test_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned; the picture is shown rotated 90° clockwise.
    processed = images.process_upload(upload(image_bytes("JPEG", size=(800, 400), exif=gps_exif(orientation=6))))

    assert (processed.width, processed.height) == (400, 800)
    assert reopen(processed.full).size == (400, 800)


def test_png_named_jpg_is_handled_by_its_content():
    processed = images.process_upload(upload(image_bytes("PNG"), name="kuva.jpg"))

    assert reopen(processed.full).format == "JPEG"  # opaque PNG → JPEG
    assert processed.full.name.endswith(".jpg")


def test_transparent_png_stays_png_and_file_names_are_random():
    first = images.process_upload(upload(image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)), name="logo.png"))
    second = images.process_upload(upload(image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)), name="logo.png"))

    assert reopen(first.full).format == "PNG"
    assert "logo" not in first.full.name
    assert first.full.name != second.full.name


def test_thumbnails_are_400_and_1200_wide_in_webp_and_jpeg():
    processed = images.process_upload(jpeg_upload(size=(2000, 1000)))

    sizes = {name: (reopen(f).format, reopen(f).size) for name, f in processed.thumbs.items()}
    assert sizes == {
        "thumb_small": ("WEBP", (400, 200)),
        "thumb_small_jpeg": ("JPEG", (400, 200)),
        "thumb_large": ("WEBP", (1200, 600)),
        "thumb_large_jpeg": ("JPEG", (1200, 600)),
    }


def test_small_image_is_not_enlarged():
    processed = images.process_upload(jpeg_upload(size=(300, 200)))

    assert reopen(processed.thumbs["thumb_large"]).size == (300, 200)


def gif_1x1():
    buffer = io.BytesIO()
    Image.new("P", (1, 1)).save(buffer, "GIF")
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(("content", "name"), [
    (gif_1x1(), "pixel.gif"),
    (SVG, "drawing.svg"),
    (b"This is not a picture at all.\n", "notes.png"),
])
def test_other_types_are_refused_saying_which_types_are_accepted(content, name):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        images.process_upload(upload(content, name=name))
    assert error.value.code == "not_an_image"
    assert "not a JPEG, PNG or WebP image" in error.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        images.process_upload(upload(b"", name="empty.jpg"))
    assert error.value.code == "empty"


def test_file_over_the_byte_limit_is_refused_before_it_is_read(settings):
    settings.IMAGE_MAX_BYTES = 1000
    buffer = io.BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(buffer, "PNG")
    big = upload(buffer.getvalue(), name="noise.png")
    assert big.size > 1000

    with pytest.raises(ValidationError) as error:
        images.process_upload(big)
    assert error.value.code == "too_big"
    assert "1000" in error.value.messages[0]


def test_60_megapixel_png_is_refused_from_its_header():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, "PNG")  # small file, 60 million pixels

    with pytest.raises(ValidationError) as error:
        images.process_upload(upload(buffer.getvalue(), name="huge.png"))
    assert error.value.code == "too_many_pixels"
    assert "10000 × 6000" in error.value.messages[0]


def test_truncated_jpeg_is_refused_as_damaged():
    content = image_bytes("JPEG", size=(400, 300))

    with pytest.raises(ValidationError) as error:
        images.process_upload(upload(content[: len(content) // 2]))
    assert error.value.code == "damaged"


def test_a_large_jpeg_decoded_at_a_reduced_scale_keeps_the_full_size_orientation_and_no_metadata(monkeypatch):
    # A full size of 200 px makes a 1000 × 600 photo "much larger": it is decoded at half scale
    # (500 × 300, never below the full size), then scaled, turned by its EXIF orientation and
    # stripped like any other upload.
    monkeypatch.setattr(images, "FULL_MAX_SIDE", 200)
    processed = images.process_upload(upload(image_bytes("JPEG", size=(1000, 600), exif=gps_exif(orientation=6))))

    assert (processed.width, processed.height) == (120, 200)
    full = reopen(processed.full)
    assert full.size == (120, 200)
    assert not full.getexif()
    assert reopen(processed.thumbs["thumb_small_jpeg"]).size == (120, 200)  # never enlarged


def test_12_megapixel_camera_jpeg_is_still_accepted():
    processed = images.process_upload(jpeg_upload(size=(4000, 3000)))

    assert (processed.width, processed.height) == (2400, 1800)


def test_png_over_the_unscaled_limit_is_refused_naming_the_limit():
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 5000)).save(buffer, "PNG")  # 40 MP in about 170 kB

    with pytest.raises(ValidationError) as error, translation.override("en"):
        images.process_upload(upload(buffer.getvalue(), name="map.png"))
    assert error.value.code == "too_many_pixels"
    assert "at most 16 megapixels" in error.value.messages[0]


def test_an_upload_that_waits_too_long_for_its_turn_is_asked_to_try_again(settings):
    settings.IMAGE_MAX_WAIT_SECONDS = 0.1
    taken = 0
    while images._processing_slots.acquire(blocking=False):  # every slot busy with other uploads
        taken += 1
    try:
        with pytest.raises(ValidationError) as error, translation.override("fi"):
            images.process_upload(jpeg_upload())
    finally:
        for _index in range(taken):
            images._processing_slots.release()
    assert error.value.code == "busy"
    assert "yritä uudelleen" in error.value.messages[0]
    assert images.process_upload(jpeg_upload()).width  # once a slot is free again, it goes through


def test_webp_over_its_own_limit_is_refused_from_its_header():
    buffer = io.BytesIO()
    Image.new("RGBA", (3000, 2000)).save(buffer, "WEBP", lossless=True)  # 6 MP: fine as a PNG, not as a WebP

    with pytest.raises(ValidationError) as error, translation.override("sv"):
        images.process_upload(upload(buffer.getvalue(), name="bild.webp"))
    assert error.value.code == "too_many_pixels"
    assert "en WebP-bild får vara högst 5 megapixlar" in error.value.messages[0]
