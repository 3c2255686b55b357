"""Photos of services and staff: an upload checked, resized and stored as a JPEG file.

Everything about an upload is refused before anything is written: too large a file, a type
other than JPEG, PNG or WebP, an image that does not decode, or one with more pixels than a
camera makes (a "pixel bomb" that a few kilobytes of PNG can declare). The stored file has a
random name, which is all a row keeps; `photo_path` is the only way back from a name to a file.
"""

import re
import secrets
from pathlib import Path
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from yuyue.lib.errors import InvalidInput

# The longest side of a stored photo, in pixels: sharp on a phone, small on the wire.
MAX_SIDE = 1600
# The most pixels an upload may declare before it is decoded (a 50-megapixel camera).
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
JPEG_QUALITY = 85
NAME = re.compile(r"^[0-9a-f]{32}\.jpg$")
# Pillow's own guard against decompression bombs, for any image opened anywhere in the app.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def photo_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "photos"


def photo_path(name: str) -> Path | None:
    """The file of a stored photo's name, or None for anything that is not one."""
    if not NAME.match(name):
        return None
    return photo_dir() / name


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput({field: [message]}, message=message)


def photo_store(upload: IO[bytes], *, size: int, field: str = "photo") -> str:
    """Check, resize and store an upload; returns the stored file's name.

    Raises InvalidInput naming `field`, with nothing written, when the upload is refused.
    """
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if size > limit:
        raise _refuse(
            field,
            _("The photo is too large: at most %(size)s.") % {"size": filesizeformat(limit)},
        )
    if size == 0:
        raise _refuse(field, _("The photo is empty."))
    try:
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise _refuse(field, _("Upload a JPEG, PNG or WebP photo."))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    field,
                    _("The photo has too many pixels: at most %(n)d million.")
                    % {"n": MAX_PIXELS // 1_000_000},
                )
            image.load()
            picture = ImageOps.exif_transpose(image)
            if picture.mode in ("RGBA", "LA", "P"):
                # Transparent parts become white, as on the pages that show it.
                picture = picture.convert("RGBA")
                background = Image.new("RGB", picture.size, "white")
                background.paste(picture, mask=picture.getchannel("A"))
                picture = background
            else:
                picture = picture.convert("RGB")
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise _refuse(field, _("This file is not a photo we can read.")) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # A truncated or corrupt image fails while decoding.
        raise _refuse(field, _("This file is not a photo we can read.")) from None
    folder = photo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.jpg"
    partial = folder / f".{name}.part"
    try:
        picture.save(partial, "JPEG", quality=JPEG_QUALITY, optimize=True)
        partial.replace(folder / name)
    finally:
        partial.unlink(missing_ok=True)
    return name


def photo_delete(name: str) -> None:
    """Remove a stored photo's file; a name that is not one, or a file gone, is nothing."""
    path = photo_path(name) if name else None
    if path is not None:
        path.unlink(missing_ok=True)
