"""What a sender and a recipient notice about attachments: what gets through, what is
stripped from it, and the reason they read when a file is refused."""

import hashlib
import io
import pickle
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.conversations import attachments
from apps.conversations.attachments import (
    DOCX_CONTENT_TYPE,
    AttachmentLimits,
    AttachmentRejected,
    AttachmentsRejected,
    attachment_limits,
    clean_attachment,
    clean_attachments,
    display_name,
    read_uploaded_files,
)
from apps.conversations.attachments import images as image_cleaning
from tests.conversations import sample_files as samples

MB = 1024 * 1024


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(AttachmentRejected) as caught:
        clean_attachment(name=name, data=data)
    assert caught.value.filename == display_name(name)
    assert str(caught.value) == caught.value.reason
    return caught.value.reason


def reopen(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


# --- Photos lose their metadata and stand upright --------------------------------------------


@pytest.mark.parametrize("icc", [True, False], ids=["with-icc", "without-icc"])
def test_photo_loses_exif_gps_xmp_comment_and_icc(icc):
    original = samples.jpeg_with_exif(icc=icc)
    assert reopen(original).getexif().get_ifd(0x8825)  # the sample really has a GPS position

    clean = clean_attachment(name="IMG_0042.JPG", data=original)

    image = reopen(clean.content)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
    for leak in (b"Exif", b"PhoneCo", b"Pocket 12", b"Home Street", b"Alex Morgan", b"ICC_PROFILE"):
        assert leak not in clean.content


def test_photo_is_rotated_as_the_camera_meant():
    clean = clean_attachment(name="sideways.jpg", data=samples.jpeg_with_exif(40, 20, orientation=6))

    image = reopen(clean.content).convert("RGB")
    assert image.size == (20, 40)
    # Orientation 6 means "turn 90 degrees clockwise": the red left half ends up on top.
    red, _, blue = image.getpixel((10, 5))
    assert red > 150 > blue
    red, _, blue = image.getpixel((10, 35))
    assert blue > 150 > red


def test_upright_photo_keeps_its_size():
    clean = clean_attachment(name="upright.jpg", data=samples.jpeg_with_exif(40, 20, orientation=1))
    assert reopen(clean.content).size == (40, 20)


def test_png_loses_text_chunks_and_keeps_transparency():
    clean = clean_attachment(name="screenshot.png", data=samples.png_with_text())

    image = reopen(clean.content)
    assert image.format == "PNG"
    assert image.text == {}
    assert "exif" not in image.info
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"Alex Morgan"):
        assert chunk not in clean.content
    assert image.mode == "RGBA"
    assert image.getpixel((2, 5))[3] == 0
    assert image.getpixel((25, 5)) == (0, 128, 0, 255)


def test_paletted_png_keeps_its_transparent_colour():
    image = reopen(clean_attachment(name="icon.png", data=samples.png_paletted_transparent()).content)
    assert image.convert("RGBA").getpixel((0, 0))[3] == 0
    assert image.convert("RGBA").getpixel((6, 0)) == (200, 0, 0, 255)


def test_cmyk_jpeg_becomes_an_rgb_jpeg_of_the_same_colour():
    image = reopen(clean_attachment(name="flyer.jpg", data=samples.cmyk_jpeg()).content)
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((8, 8))
    assert red > 200
    assert max(green, blue) < 60


# --- Type from the content, agreeing with the name -------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "content_type", "extension"),
    [
        ("invoice.pdf", samples.minimal_pdf, "application/pdf", ".pdf"),
        ("Return form.docx", samples.minimal_docx, DOCX_CONTENT_TYPE, ".docx"),
        ("photo.JPEG", samples.jpeg_with_exif, "image/jpeg", ".jpg"),
        ("photo.jpg", samples.jpeg_with_exif, "image/jpeg", ".jpg"),
        ("chart.PNG", samples.plain_png, "image/png", ".png"),
    ],
)
def test_accepted_types(name, build, content_type, extension):
    clean = clean_attachment(name=name, data=build())
    assert (clean.display_name, clean.content_type, clean.extension) == (name, content_type, extension)


def test_documents_are_stored_byte_for_byte_with_their_digest():
    for name, data in (("invoice.pdf", samples.minimal_pdf()), ("form.docx", samples.minimal_docx())):
        clean = clean_attachment(name=name, data=data)
        assert clean.content == data
        assert clean.size == len(data)
        assert clean.sha256 == hashlib.sha256(data).hexdigest()


def test_digest_and_size_describe_the_reencoded_image():
    original = samples.jpeg_with_exif()
    clean = clean_attachment(name="photo.jpg", data=original)
    assert clean.content != original
    assert clean.size == len(clean.content)
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()


def test_unaccepted_type_is_refused_by_name():
    assert refusal("holiday.heic", samples.heic_like()) == (
        "\u201choliday.heic\u201d is not a type we accept: send PDF, JPEG, PNG or Word (DOCX) files."
    )
    assert "not a type we accept" in refusal("setup.exe", samples.windows_program())
    assert "not a type we accept" in refusal("no extension", samples.minimal_pdf())


@pytest.mark.parametrize(
    ("name", "build", "expected"),
    [
        ("photo.jpg", samples.plain_png, "is named like a JPEG image but is really a PNG image"),
        (
            "report.pdf",
            samples.minimal_docx,
            "named like a PDF document but is really a Word (DOCX) document",
        ),
        ("invoice.pdf", samples.windows_program, "is really a Windows program, which we don't accept"),
        ("holiday.jpg", samples.heic_like, "is really an HEIC photo, which we don't accept"),
        ("notes.docx", samples.plain_text, "is really a text file, which we don't accept"),
        ("scan.png", samples.minimal_pdf, "named like a PNG image but is really a PDF document"),
    ],
)
def test_content_that_disagrees_with_the_name_is_refused(name, build, expected):
    reason = refusal(name, build())
    assert reason.startswith(f"\u201c{name}\u201d ")
    assert expected in reason


def test_empty_file_is_refused():
    assert refusal("empty.pdf", b"") == "\u201cempty.pdf\u201d is empty."


# --- Word documents -------------------------------------------------------------------------


def test_macros_are_refused():
    assert refusal("manual.docx", samples.docx_with_macros()) == (
        "\u201cmanual.docx\u201d contains macros, which we don't accept."
    )
    assert "contains macros" in refusal("manual.docx", samples.docx_with_hidden_vba_project())


def test_activex_controls_are_refused():
    assert "ActiveX controls" in refusal("form.docx", samples.docx_with_activex())


def test_remote_template_is_refused_but_an_ordinary_link_is_fine():
    assert "load content from the internet" in refusal("letter.docx", samples.docx_with_remote_template())
    assert clean_attachment(name="letter.docx", data=samples.docx_with_web_link()).size > 0


def test_plain_zip_renamed_docx_is_refused():
    assert refusal("photos.docx", samples.plain_zip()) == (
        "\u201cphotos.docx\u201d is named like a Word (DOCX) document, but it is not one, "
        "so we can't accept it."
    )


def test_docx_zip_bomb_is_refused():
    data = samples.docx_zip_bomb()
    assert len(data) < 200_000
    assert "would unpack to far more data" in refusal("big.docx", data)


def test_docx_whose_part_lies_about_its_size_is_refused_as_damaged():
    # Inflating stops at the claimed 1,000 bytes, whose checksum then does not match.
    data = samples.docx_with_lying_sizes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/media/padding.xml").file_size == 1000
    assert "looks damaged or incomplete" in refusal("liar.docx", data)


def test_corrupt_and_password_protected_docx_are_refused():
    assert "looks damaged or incomplete" in refusal("broken.docx", samples.corrupt_docx())
    assert "is password-protected" in refusal("secret.docx", samples.encrypted_zip_docx())
    assert refusal("secret.docx", samples.password_protected_word()) == (
        "\u201csecret.docx\u201d is password-protected, so we can't check it. "
        "Remove the password and send it again."
    )


# --- PDFs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (samples.pdf_with_javascript, "contains scripts (JavaScript), which we don't accept."),
        (samples.pdf_with_escaped_javascript_name, "contains scripts (JavaScript)"),
        (samples.pdf_with_javascript_in_object_stream, "contains scripts (JavaScript)"),
        (samples.pdf_with_launch_action, "can start other programs"),
        (samples.pdf_with_embedded_file, "has other files hidden inside it"),
    ],
)
def test_pdf_with_active_content_is_refused(build, expected):
    reason = refusal("scan.pdf", build())
    assert reason.startswith("\u201cscan.pdf\u201d ")
    assert expected in reason


def test_pdf_that_only_talks_about_javascript_is_accepted():
    assert clean_attachment(name="course.pdf", data=samples.pdf_mentioning_javascript_in_text()).size > 0


def test_truncated_pdf_is_refused():
    data = samples.minimal_pdf()
    assert "looks damaged or incomplete" in refusal("scan.pdf", data[: len(data) // 2])


# --- Broken and oversized images ------------------------------------------------------------


def test_decompression_bomb_is_refused_with_a_clear_reason():
    data = samples.png_bomb()
    assert len(data) < 200_000  # 400 million pixels in a small file
    reason = refusal("wallpaper.png", data)
    assert reason.startswith("\u201cwallpaper.png\u201d is too large a picture")
    assert "pictures can have at most 40 million pixels" in reason


def test_picture_over_our_pixel_limit_is_refused_before_pillow_would_warn():
    assert Image.MAX_IMAGE_PIXELS is not None
    assert Image.MAX_IMAGE_PIXELS >= attachments.MAX_IMAGE_PIXELS
    reason = refusal("panorama.png", samples.png_bomb(7_000, 6_000))
    assert "(42 million pixels)" in reason


def test_pillow_bomb_warning_counts_as_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 144 px: over the warning, under the error
    monkeypatch.setattr(image_cleaning, "MAX_IMAGE_PIXELS", 10_000)
    assert "too large a picture" in refusal("tiny.png", samples.plain_png(12, 12))


def test_corrupt_image_is_refused_not_crashed_on():
    assert refusal("photo.jpg", samples.truncated_jpeg()) == (
        "\u201cphoto.jpg\u201d looks damaged or incomplete: we could not open it as a JPEG image."
    )
    png = samples.plain_png()
    assert "looks damaged" in refusal("chart.png", png[:40])


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("C:\\Users\\alex\\Desktop\\scan.pdf", "scan.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("inv\x00oice\r\n.pdf", "invoice.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # no right-to-left trick to fake ".jpg"
        ("  my   holiday\tphoto .jpg ", "my holiday photo.jpg"),
        (".pdf", "attachment.pdf"),
        ("", "attachment"),
        ("Invoice no. 1042 from Acme Ltd", "Invoice no. 1042 from Acme Ltd"),
    ],
)
def test_display_names_are_sanitised(raw, shown):
    assert display_name(raw) == shown


def test_long_names_are_cut_keeping_the_extension():
    shown = display_name("a" * 300 + ".docx")
    assert len(shown) == 120
    assert shown == "a" * 115 + ".docx"


def test_clean_attachment_reports_the_sanitised_name():
    clean = clean_attachment(name="/home/alex/Documents/Invoice\x07 1042.pdf", data=samples.minimal_pdf())
    assert clean.display_name == "Invoice 1042.pdf"


# --- Sets of files: count, total size, and partial acceptance -------------------------------


def test_six_files_the_sixth_is_left_out():
    files = [(f"page{n}.pdf", samples.minimal_pdf()) for n in range(1, 7)]

    accepted, refused = clean_attachments(files)

    assert [clean.display_name for clean in accepted] == [f"page{n}.pdf" for n in range(1, 6)]
    assert [(r.filename, r.reason) for r in refused] == [
        ("page6.pdf", "\u201cpage6.pdf\u201d was left out: you can attach at most 5 files.")
    ]


def test_a_file_over_the_total_is_refused_with_its_size():
    accepted, refused = clean_attachments([("scan.pdf", b"%PDF" + b"\0" * int(12.3 * MB))])
    assert accepted == []
    assert [str(r) for r in refused] == [
        "\u201cscan.pdf\u201d is 12.3 MB; attachments can be 10 MB in total."
    ]


def test_a_file_just_over_the_total_does_not_read_as_the_limit():
    _accepted, refused = clean_attachments([("scan.pdf", b"%PDF" + b"\0" * (10 * MB - 3))])
    assert refused[0].reason == "\u201cscan.pdf\u201d is 10.1 MB; attachments can be 10 MB in total."


def test_files_that_do_not_fit_together_are_refused_in_order(settings):
    settings.MESSAGING = {"ATTACHMENTS": {"MAX_TOTAL_BYTES": 2000}}
    small = samples.minimal_pdf()  # 593 bytes
    accepted, refused = clean_attachments(
        [("a.pdf", small), ("b.pdf", small), ("c.pdf", small), ("d.pdf", small)]
    )
    assert [clean.display_name for clean in accepted] == ["a.pdf", "b.pdf", "c.pdf"]
    assert [r.filename for r in refused] == ["d.pdf"]
    assert refused[0].reason == (
        "\u201cd.pdf\u201d (593 bytes) does not fit: attachments can be 2 KB in total "
        "and the files before it already take 1.7 KB."
    )


def test_email_style_mixed_set_keeps_the_good_files():
    accepted, refused = clean_attachments(
        [
            ("invoice.pdf", samples.minimal_pdf()),
            ("invoice.pdf.exe", samples.windows_program()),
            ("photo.jpg", samples.jpeg_with_exif()),
            ("manual.docx", samples.docx_with_macros()),
        ]
    )
    assert [clean.display_name for clean in accepted] == ["invoice.pdf", "photo.jpg"]
    assert [r.filename for r in refused] == ["invoice.pdf.exe", "manual.docx"]


def test_rejections_for_a_whole_post_list_each_reason_once():
    rejected = AttachmentsRejected(
        ["You can attach at most 5 files.", "x", "You can attach at most 5 files."]
    )
    assert rejected.reasons == ["You can attach at most 5 files.", "x"]
    copy = pickle.loads(pickle.dumps(rejected))  # noqa: S301 - our own object
    assert copy.reasons == rejected.reasons
    single = pickle.loads(pickle.dumps(AttachmentRejected("a.pdf", "why")))  # noqa: S301
    assert (single.filename, single.reason) == ("a.pdf", "why")


# --- Reading Django uploads -----------------------------------------------------------------


class UnreadableUpload:
    """An upload whose size is known but whose content must not be touched."""

    def __init__(self, name: str, size: int):
        self.name, self.size = name, size

    def seek(self, *_args):
        raise AssertionError("the file was touched")

    def read(self, *_args):
        raise AssertionError("the file was read")


def test_upload_over_the_total_is_refused_without_reading():
    with pytest.raises(AttachmentsRejected) as caught:
        read_uploaded_files([UnreadableUpload("scan.pdf", 11 * MB)])
    assert caught.value.reasons == ["\u201cscan.pdf\u201d is 11 MB; attachments can be 10 MB in total."]


def test_uploads_over_the_total_together_are_refused_without_reading():
    with pytest.raises(AttachmentsRejected) as caught:
        read_uploaded_files([UnreadableUpload("a.pdf", 6 * MB), UnreadableUpload("b.pdf", 5 * MB)])
    assert caught.value.reasons == ["Your attachments come to 11 MB; attachments can be 10 MB in total."]


def test_six_uploads_are_refused_without_reading():
    with pytest.raises(AttachmentsRejected) as caught:
        read_uploaded_files([UnreadableUpload(f"{n}.pdf", 10) for n in range(6)])
    assert caught.value.reasons == ["You can attach at most 5 files."]


def test_uploads_are_read_into_names_and_bytes():
    pdf, png = samples.minimal_pdf(), samples.plain_png()
    uploads = [SimpleUploadedFile("invoice.pdf", pdf), SimpleUploadedFile("chart.png", png)]
    uploads[0].read(10)  # a form field may have peeked already

    files = read_uploaded_files(uploads)

    assert files == [("invoice.pdf", pdf), ("chart.png", png)]
    accepted, refused = clean_attachments(files)
    assert (len(accepted), refused) == (2, [])


def test_upload_whose_size_lies_is_not_read_past_the_limit(settings):
    settings.MESSAGING = {"ATTACHMENTS": {"MAX_TOTAL_BYTES": 100}}
    upload = SimpleUploadedFile("a.pdf", b"x" * 5000)
    upload.size = 10
    with pytest.raises(
        AttachmentsRejected, match="more than 100 bytes; attachments can be 100 bytes in total"
    ):
        read_uploaded_files([upload])
    assert upload.tell() == 101


# --- Limits from settings -------------------------------------------------------------------


def test_default_limits():
    assert attachment_limits() == AttachmentLimits(max_files=5, max_total_bytes=10 * MB)


def test_limits_follow_a_settings_override(settings):
    settings.MESSAGING = {"ATTACHMENTS": {"MAX_FILES": 2, "MAX_TOTAL_BYTES": 3 * MB}}
    assert attachment_limits() == AttachmentLimits(max_files=2, max_total_bytes=3 * MB)

    accepted, refused = clean_attachments([(f"{n}.pdf", samples.minimal_pdf()) for n in range(3)])
    assert len(accepted) == 2
    assert refused[0].reason == "\u201c2.pdf\u201d was left out: you can attach at most 2 files."
    assert "attachments can be 3 MB in total" in refusal("big.pdf", b"%PDF" + b"\0" * (3 * MB + 1))


def test_misspelt_limit_setting_is_an_error(settings):
    settings.MESSAGING = {"ATTACHMENTS": {"MAX_FILE": 2}}
    with pytest.raises(ImproperlyConfigured, match="MAX_FILE"):
        attachment_limits()


def _sample_docx() -> bytes:
    from tests.conversations import sample_files

    return sample_files.minimal_docx()


def test_a_word_document_loses_its_author_and_company_but_keeps_its_text():
    import io
    import zipfile

    from apps.conversations.attachments import clean_attachment

    source = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_sample_docx())) as original,
        zipfile.ZipFile(source, "w") as out,
    ):
        for entry in original.infolist():
            out.writestr(entry, original.read(entry))
        out.writestr(
            "docProps/core.xml",
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y">'
            "<dc:creator>Alex Morgan</dc:creator><cp:lastModifiedBy>Alex Morgan</cp:lastModifiedBy>"
            "<dc:title>Damage report</dc:title></cp:coreProperties>",
        )
        out.writestr("docProps/app.xml", "<Properties><Company>Morgan Family Ltd</Company></Properties>")
    cleaned = clean_attachment(name="report.docx", data=source.getvalue())
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as result:
        properties = result.read("docProps/core.xml") + result.read("docProps/app.xml")
        assert b"Morgan" not in properties
        assert b"Damage report" in properties
        assert result.read("word/document.xml") == zipfile.ZipFile(io.BytesIO(_sample_docx())).read(
            "word/document.xml"
        )
