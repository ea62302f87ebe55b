"""Photos and screenshots are re-encoded, so that what we store and forward carries pixels only.

A phone photo's EXIF says where it was taken (GPS) and with what; PNG text chunks and XMP
can hold names and addresses; comments and ICC descriptions are free text. Instead of
deleting known fields we decode the pixels and write a fresh file: whatever we did not
think of is gone too. The EXIF orientation is applied first, so the picture stays upright
without the tag that used to rotate it.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from . import errors

logger = logging.getLogger(__name__)

# Our own ceiling, well under Pillow's guard (89 Mpx warning, 179 Mpx error), which stays on:
# a 40 Mpx RGBA image already takes 160 MB to decode, and phone cameras produce 12-48 Mpx.
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 90
# zlib level 9 on a huge PNG costs seconds of CPU for a few percent; bigger images get level 6.
PNG_OPTIMIZE_MAX_PIXELS = 4_000_000


@dataclass(frozen=True, slots=True)
class ImageKind:
    label: str  # "a JPEG image", for reasons
    save_format: str  # Pillow's writer
    open_formats: tuple[str, ...]  # Pillow's readers allowed to parse it: no exotic plugin


JPEG = ImageKind("a JPEG image", "JPEG", ("JPEG", "MPO"))  # MPO: phone JPEGs with a depth map
PNG = ImageKind("a PNG image", "PNG", ("PNG",))

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def reencode(name: str, data: bytes, kind: ImageKind) -> bytes:
    """The image in `data` written afresh in the same format, or AttachmentRejected.

    Decompression bombs are refused before any pixel is decoded; Pillow's
    DecompressionBombWarning counts as a refusal too. (warnings.catch_warnings is
    process-wide and not thread-safe, so the explicit pixel check is the guard we rely on.)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=kind.open_formats) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise errors.AttachmentRejected(name, _too_many_pixels(name, image.width * image.height))
                image.load()
                return _write(_upright_without_metadata(image, kind), kind)
        except errors.AttachmentRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            pixels = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow's wording, if it keeps it
            raise errors.AttachmentRejected(name, _too_many_pixels(name, pixels and int(pixels[1]))) from exc
        except Exception as exc:  # untrusted input: any decoder failure is a refusal, not a 500
            logger.info("Refused image %r: %s: %s", name, type(exc).__name__, exc)
            raise errors.AttachmentRejected(name, errors.damaged(name, kind.label)) from exc


def _too_many_pixels(name: str, pixels: int | None) -> str:
    count = f" ({_millions(pixels, round_up=True)} million pixels)" if pixels else ""
    return (
        f"{errors.quoted(name)} is too large a picture{count} for us to process; "
        f"pictures can have at most {_millions(MAX_IMAGE_PIXELS)} million pixels."
    )


def _millions(pixels: int, *, round_up: bool = False) -> str:
    tenths = -(-pixels // 100_000) if round_up else pixels // 100_000  # 40.01 Mpx must not read "40"
    return f"{tenths / 10:.1f}".removesuffix(".0")


def _upright_without_metadata(image: Image.Image, kind: ImageKind) -> Image.Image:
    upright = ImageOps.exif_transpose(image)  # always a new image, orientation applied
    if upright.mode in ("L", "RGB") and "transparency" in upright.info:
        # A PNG colour key lives in info, which goes: turn it into a real alpha channel first.
        upright = upright.convert("LA" if upright.mode == "L" else "RGBA")
    if icc_profile := image.info.get("icc_profile"):
        upright = _to_srgb(upright, icc_profile)
    upright = _jpeg_mode(upright) if kind is JPEG else _png_mode(upright)
    upright.info = {}  # EXIF, XMP, ICC, comments, text chunks: the PNG/JPEG writers read info
    return upright


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """Convert wide-gamut (Display P3) and CMYK pixels to sRGB, so dropping the profile keeps colours."""
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=output) or image
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile is metadata like any other: drop it, keep the pixels


def _jpeg_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("L", "RGB"):
        return image
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")  # CMYK (no profile), YCbCr, anything odd: JPEG has no alpha


def _png_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("1", "L", "LA", "RGB", "RGBA", "I", "I;16"):
        return image
    # Palette (keys and RGBA palettes), CMYK, odd modes: alpha kept only when there is some.
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _write(image: Image.Image, kind: ImageKind) -> bytes:
    out = io.BytesIO()
    if kind is JPEG:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, "PNG", optimize=image.width * image.height <= PNG_OPTIMIZE_MAX_PIXELS)
    return out.getvalue()
