"""Hostile files: each is refused with a clear message, or re-encoded into a fresh image with a
random name and an image extension, carrying nothing of the original bytes.

Checked on `arena.images` directly, through the real action form (nothing is written to
MEDIA_ROOT when a file is refused) and through the organisation logo form.
"""

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image

from arena import images
from arena.models import ActionImage
from tests.arena.images_util import image_bytes, upload
from tests.factories import SectorFactory, ThemeFactory


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(width: int, height: int, *, extra_chunks=(), pixels: bytes | None = None) -> bytes:
    """A PNG written chunk by chunk, so its header can claim anything."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    raw = pixels if pixels is not None else b"".join(b"\x00" + b"\x80" * 3 * width for _ in range(min(height, 4)))
    return (b"\x89PNG\r\n\x1a\n" + header + b"".join(extra_chunks) + _chunk(b"IDAT", zlib.compress(raw))
            + _chunk(b"IEND", b""))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shell.php", "<?php system($_GET['c']); ?>")
    return buffer.getvalue()


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims other dimensions."""
    data = bytearray(image_bytes("JPEG", size=(16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _animated(fmt: str, frames: int) -> bytes:
    """An animation of `frames` tiny frames: Pillow writes two, the bytes of the last are repeated."""
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (2, 2), (255, 0, 0)), Image.new("RGB", (2, 2), (0, 0, 255))
    if fmt == "GIF":
        first.save(buffer, "GIF", save_all=True, append_images=[second], duration=10, loop=0, disposal=2)
        data = buffer.getvalue()
        frame = data[data.rindex(b"\x21\xf9\x04"):-1]  # the last frame: from its control block to the trailer
        return data[:-1] + frame * (frames - 2) + b"\x3b"
    first.save(buffer, "WEBP", save_all=True, append_images=[second], duration=10, lossless=True)
    data = buffer.getvalue()
    chunks, offset = [], 12
    while offset < len(data):
        size = struct.unpack("<I", data[offset + 4:offset + 8])[0]
        chunks.append(data[offset:offset + 8 + size + size % 2])
        offset += 8 + size + size % 2
    frame_chunks = [chunk for chunk in chunks if chunk[:4] == b"ANMF"]
    body = b"".join(chunk for chunk in chunks if chunk[:4] != b"ANMF") + frame_chunks[-1] * frames
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def _jpeg_with_php_comment() -> bytes:
    data = image_bytes("JPEG", size=(32, 32))
    comment = b"<?php system($_GET['c']); ?>"
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


TEXT_BOMB = zlib.compress(b"A" * 60_000_000, 9)  # 60 MB of text in about 60 kB

REFUSED = {
    "png-ztxt-bomb": (lambda: _png(8, 8, extra_chunks=[_chunk(b"zTXt", b"Comment\x00\x00" + TEXT_BOMB)]),
                      "x.png", "damaged"),
    "png-itxt-bomb": (lambda: _png(8, 8, extra_chunks=[_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00"
                                                               + TEXT_BOMB)]), "x.png", "damaged"),
    "png-0x0": (lambda: _png(0, 0, pixels=b""), "x.png", "damaged"),
    "png-1x0": (lambda: _png(1, 0, pixels=b""), "x.png", "damaged"),
    "png-0x1": (lambda: _png(0, 1, pixels=b"\x00"), "x.png", "damaged"),
    "png-100000x100000": (lambda: _png(100_000, 100_000), "x.png", "too_many_pixels"),
    "jpeg-65000x65000": (lambda: _jpeg_claiming(65_000, 65_000), "x.jpg", "too_many_pixels"),
    "jpeg-truncated": (lambda: image_bytes("JPEG", size=(400, 300))[:700], "x.jpg", "damaged"),
    "gif-10000-frames": (lambda: _animated("GIF", 10_000), "x.gif", "not_an_image"),
    "svg-with-script": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                        "x.svg", "not_an_image"),
    "gif-js-polyglot": (lambda: b"GIF89a=1;alert(document.domain)//" + b"\x00" * 40, "x.gif", "not_an_image"),
    "php": (lambda: b"<?php system($_GET['c']); ?>", "x.jpg.php", "not_an_image"),
    "zip": (_zip, "x.jpg", "not_an_image"),
}

ACCEPTED = {
    "jpeg-with-appended-zip": (lambda: image_bytes("JPEG", size=(64, 48)) + _zip(), "x.jpg"),
    "jpeg-named-jpg-php": (lambda: image_bytes("JPEG", size=(64, 48)), "x.jpg.php"),
    "jpeg-with-php-comment": (_jpeg_with_php_comment, "kuva.jpg"),
    "webp-10000-frames": (lambda: _animated("WEBP", 10_000), "x.webp"),
    "png-with-small-text-chunk": (lambda: _png(8, 8, extra_chunks=[_chunk(b"tEXt", b"Comment\x00<?php ?>")]),
                                  "x.png"),
}

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "svg": "image/svg+xml",
                 "php": "application/x-php", "webp": "image/webp"}


@pytest.fixture(scope="module")
def files():
    """Every hostile file, made once (the 10 000-frame animations take a moment)."""
    return {name: (make(), *rest) for name, (make, *rest) in {**REFUSED, **ACCEPTED}.items()}


def _upload(files, name):
    content, filename = files[name][:2]
    return upload(content, name=filename, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[1]])


def _assert_fresh_image(content: bytes, name: str):
    """A freshly encoded image: random name, image extension, nothing of the original file."""
    assert re.fullmatch(r"[0-9a-f]{32}(-\d+)?\.(jpg|png|webp)", name), name
    for marker in (b"PK\x03\x04", b"<?php", b"shell.php", b"Comment"):
        assert marker not in content
    img = Image.open(io.BytesIO(content))
    assert img.format == {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[name.rsplit(".", 1)[1]]
    assert getattr(img, "n_frames", 1) == 1
    img.load()
    if img.format == "JPEG":
        assert content.endswith(b"\xff\xd9")  # nothing after the end-of-image marker
    if img.format == "PNG":
        assert content.endswith(_chunk(b"IEND", b""))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_with_a_reason(files, name):
    from django.core.exceptions import ValidationError

    code = files[name][2]
    with pytest.raises(ValidationError) as refused:
        images.process_upload(_upload(files, name))
    assert refused.value.code == code
    assert str(refused.value.messages[0])  # a sentence for the user, not an exception's text


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_acceptable_file_is_re_encoded_fresh(files, name):
    processed = images.process_upload(_upload(files, name))
    for result in [processed.full, *processed.thumbs.values()]:
        _assert_fresh_image(result.read(), result.name)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _post_image(client, member, upload_file):
    organisation = member.memberships.get().organisation
    return client.post(reverse("arena:action-create"), {
        "title": "Teko kuvalla", "organisation": str(organisation.pk), "stage": "established", "language": "fi",
        "sectors": str(SectorFactory().pk), "themes": str(ThemeFactory().pk),
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0", "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0", "intent": "image-add",
        "new_image-image": upload_file, "new_image-alt_text": "Kuva",
    })


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_action_form_refuses_hostile_file_and_writes_nothing(client, member, media_root, files, name):
    client.force_login(member)
    response = _post_image(client, member, _upload(files, name))
    assert response.status_code == 200
    form = response.context["image_form"]
    assert form.errors["image"]
    assert form.errors["image"][0] in response.content.decode()
    assert _stored_files(media_root) == []
    assert not ActionImage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_action_form_stores_only_a_fresh_encoding(client, member, media_root, files, name):
    client.force_login(member)
    response = _post_image(client, member, _upload(files, name))
    assert response.status_code == 302
    stored = _stored_files(media_root)
    image = ActionImage.objects.get()
    assert len(stored) == 5  # the full image and four thumbnails
    for path in stored:
        assert not path.name.endswith(".php")
        _assert_fresh_image(path.read_bytes(), path.name)
    assert image.image.name.rsplit("/", 1)[1] in {p.name for p in stored}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_organisation_logo_refuses_hostile_file(client, organisation, org_admin, media_root, files, name):
    client.force_login(org_admin)
    response = client.post(reverse("orgs:organisation-edit", kwargs={"slug": organisation.slug}),
                           {"description_fi": "Kuvaus", "logo": _upload(files, name)})
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert _stored_files(media_root) == []
    organisation.refresh_from_db()
    assert not organisation.logo


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_organisation_logo_is_re_encoded(client, organisation, org_admin, media_root, files, name):
    client.force_login(org_admin)
    response = client.post(reverse("orgs:organisation-edit", kwargs={"slug": organisation.slug}),
                           {"description_fi": "Kuvaus", "logo": _upload(files, name)})
    if name == "jpeg-named-jpg-php":  # the logo field also checks the name's extension: refused, nothing stored
        assert response.status_code == 200 and response.context["form"].errors["logo"]
        assert _stored_files(media_root) == []
        return
    assert response.status_code == 302
    organisation.refresh_from_db()
    [path] = _stored_files(media_root)
    assert path.name.endswith(".png") and organisation.logo.name.endswith(path.name)
    content = path.read_bytes()
    for marker in (b"PK\x03\x04", b"<?php", b"Comment"):
        assert marker not in content
    assert Image.open(io.BytesIO(content)).format == "PNG"


def _png_40_megapixels() -> bytes:
    """The report's file: about 170 kB, 40 million RGB pixels (decoding it whole would take 160 MB)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 5000), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [
    ("fi", "PNG-, WebP- tai progressiivinen JPEG-kuva voi olla enintään 16 megapikseliä"),
    ("sv", "en PNG-, WebP- eller progressiv JPEG-bild får vara högst 16 megapixlar"),
])
def test_small_40_megapixel_png_is_refused_in_the_users_language_and_the_draft_is_kept(
        client, member, media_root, language, expected):
    content = _png_40_megapixels()
    assert len(content) < 250_000
    client.force_login(member)
    with translation.override(language):
        response = _post_image(client, member, upload(content, name="kartta.png", content_type="image/png"))
    page = response.content.decode()
    assert response.status_code == 200
    assert expected in page
    assert "8000 × 5000" in page
    assert 'value="Teko kuvalla"' in page  # the title written before the upload is still in the form
    assert 'value="Kuva"' in page  # and the alternative text
    assert _stored_files(media_root) == []
    assert not ActionImage.objects.exists()
