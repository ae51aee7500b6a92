"""Real image files made in the test, for upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(fmt="JPEG", size=(800, 600), color=(200, 40, 40), mode="RGB", exif=None) -> bytes:
    buffer = io.BytesIO()
    img = Image.new(mode, size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return upload(image_bytes("JPEG", **kwargs), name=name)


def gps_exif(orientation=None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (60.0, 10.0, 30.0)
    gps[3] = "E"
    gps[4] = (24.0, 56.0, 10.0)
    return exif
