"""An oversized upload is refused while it arrives, and the typed message survives it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path

from apps.conversations.attachments import clean_attachments, read_uploaded_files
from apps.conversations.uploads import MessageUploadLimitHandler, limit_message_uploads
from tests.conversations import sample_files as samples

MB = 1024 * 1024


@limit_message_uploads
def compose(request):
    """Stands in for a composer view: reports what it received."""
    handler = request.upload_handlers[0]
    assert isinstance(handler, MessageUploadLimitHandler)
    accepted = []
    if not request.upload_refused:
        accepted, _refused = clean_attachments(read_uploaded_files(request.FILES.getlist("attachments")))
    return JsonResponse(
        {
            "body": request.POST.get("body"),
            "signature": request.POST.get("signature"),
            "refused": request.upload_refused,
            "files": len(request.FILES.getlist("attachments")),
            "accepted": [clean.display_name for clean in accepted],
            "received_bytes": handler.received_bytes,
        }
    )


def token(request):
    return HttpResponse(get_token(request))


urlpatterns = [path("compose/", compose), path("token/", token)]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def client():
    browser = Client(enforce_csrf_checks=True)
    browser.csrf_token = browser.get("/token/").content.decode()
    return browser


def post(client, **fields):
    return client.post("/compose/", {"csrfmiddlewaretoken": client.csrf_token, **fields})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_small_upload_goes_through(client):
    pdf, jpeg = samples.minimal_pdf(), samples.jpeg_with_exif()
    response = post(
        client,
        body="Here is the invoice",
        attachments=[upload("invoice.pdf", pdf), upload("photo.jpg", jpeg)],
    )
    assert response.status_code == 200
    assert response.json() == {
        "body": "Here is the invoice",
        "signature": None,
        "refused": None,
        "files": 2,
        "accepted": ["invoice.pdf", "photo.jpg"],
        "received_bytes": len(pdf) + len(jpeg),
    }


def test_oversized_upload_is_refused_unread_and_the_text_is_kept(client):
    size = 11 * MB
    response = post(
        client,
        body="Photos of the damaged parcel",
        attachments=upload("parcel.jpg", b"\xff\xd8\xff" + b"\0" * size),
        signature="Alex",  # after the file in the body: must survive too
    )
    data = response.json()
    assert data["body"] == "Photos of the damaged parcel"
    assert data["signature"] == "Alex"
    assert data["refused"] == "Your attachments come to more than 10 MB; attachments can be 10 MB in total."
    assert data["files"] == 0
    assert data["received_bytes"] < size  # refused from Content-Length: no file byte was passed on
    assert data["received_bytes"] == 0


def test_upload_is_stopped_once_the_running_total_passes_the_limit(client, settings):
    # Small enough for the Content-Length check (limit + 1 MB for the form), too big in total.
    settings.MESSAGING = {"ATTACHMENTS": {"MAX_TOTAL_BYTES": 200_000}}
    first, second = b"%PDF" + b"a" * 150_000, b"%PDF" + b"b" * 150_000
    response = post(
        client,
        body="Two scans",
        attachments=[upload("one.pdf", first), upload("two.pdf", second)],
        signature="Alex",
    )
    data = response.json()
    assert data["refused"] == (
        "Your attachments come to more than 195.3 KB; attachments can be 195.3 KB in total."
    )
    assert (data["body"], data["signature"]) == ("Two scans", "Alex")
    assert data["files"] == 0  # the first file had arrived whole, but a refused post keeps none
    assert 200_000 < data["received_bytes"] < len(first) + len(second)


def test_too_many_files_are_refused(client):
    response = post(
        client,
        body="All the pages",
        attachments=[upload(f"{n}.pdf", samples.minimal_pdf()) for n in range(6)],
    )
    data = response.json()
    assert data["refused"] == "You can attach at most 5 files."
    assert (data["body"], data["files"]) == ("All the pages", 0)


def test_csrf_is_still_checked(client):
    response = client.post(
        "/compose/", {"body": "no token", "attachments": upload("a.pdf", samples.minimal_pdf())}
    )
    assert response.status_code == 403


def test_async_views_are_refused():
    async def view(request):
        return HttpResponse()

    with pytest.raises(TypeError):
        limit_message_uploads(view)
