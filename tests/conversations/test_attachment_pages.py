"""Attachments through the pages: uploaded, cleaned, stored under random names, served only
to the thread's participants as downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.conversations.models import Attachment, Thread
from tests.conversations import sample_files
from tests.factories import make_buyer, make_seller, seller_owner

pytestmark = pytest.mark.django_db


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def send_with_files(client, order, files, text="Photo of the damage attached."):
    return client.post(
        reverse("buyer_inbox:contact_seller", args=[order.number]),
        {"topic": "return", "body": text, "attachments": files},
    )


def test_a_photo_is_stored_without_its_gps_and_served_to_both_sides(client, buyer, order, seller_user):
    client.force_login(buyer)
    response = send_with_files(
        client, order, [upload("IMG_0001.JPG", sample_files.jpeg_with_exif(), "image/jpeg")]
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.display_name == "IMG_0001.JPG"
    assert "IMG_0001" not in attachment.file.name  # stored under a random name
    thread = Thread.objects.get()

    url = reverse("buyer_inbox:attachment", args=[thread.public_id, attachment.public_id])
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(b"".join(download.streaming_content)))
    assert not image.getexif()
    assert image.size == (20, 40)  # the EXIF orientation was applied

    client.force_login(seller_user)
    seller_url = reverse("seller_inbox:attachment", args=[thread.public_id, attachment.public_id])
    assert client.get(seller_url).status_code == 200


def test_an_attachment_is_404_for_anyone_else(client, buyer, order):
    client.force_login(buyer)
    send_with_files(client, order, [upload("invoice.pdf", sample_files.minimal_pdf(), "application/pdf")])
    thread, attachment = Thread.objects.get(), Attachment.objects.get()
    for intruder, name in (
        (make_buyer(), "buyer_inbox:attachment"),
        (seller_owner(make_seller()), "seller_inbox:attachment"),
    ):
        client.force_login(intruder)
        assert client.get(reverse(name, args=[thread.public_id, attachment.public_id])).status_code == 404


def test_a_refused_file_is_a_form_error_and_the_text_survives(client, buyer, order):
    client.force_login(buyer)
    response = send_with_files(
        client,
        order,
        [upload("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200)],
        text="Here is the file you asked for",
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "setup.pdf" in page
    assert "Here is the file you asked for</textarea>" in page
    assert not Thread.objects.exists()


def test_more_than_five_files_are_refused(client, buyer, order):
    client.force_login(buyer)
    files = [upload(f"p{index}.png", sample_files.plain_png(), "image/png") for index in range(6)]
    response = send_with_files(client, order, files)
    assert response.status_code == 422
    assert "at most 5 files" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversized_upload_is_refused_with_the_text_kept(client, buyer, order):
    client.force_login(buyer)
    big = upload("scan.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    response = send_with_files(client, order, [big], text="Big scan attached")
    page = response.content.decode()
    assert response.status_code == 422
    assert "Big scan attached</textarea>" in page
    assert "10 MB" in page
    assert not Attachment.objects.exists()


def test_a_message_may_be_only_an_attachment(client, buyer, order):
    client.force_login(buyer)
    response = send_with_files(
        client, order, [upload("a.png", sample_files.plain_png(), "image/png")], text=""
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.last_message_excerpt == "1 attachment(s)"
