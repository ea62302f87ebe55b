"""Refuse oversized message uploads while they arrive, instead of after storing them.

Django's default upload handlers keep every file of a post in memory (up to 2.5 MB) or in
a temporary file, whatever its size; `read_uploaded_files` can only refuse afterwards.
`MessageUploadLimitHandler` sits in front of them and stops passing file data on once the
post is over the attachment limits, so an 11 MB or 2 GB "attachment" never reaches memory
or disk. The other fields of the form (the typed message) are still parsed, so the page
can be shown again with the text kept and the reason in `request.upload_refused`.

Usage, in a view module::

    @limit_message_uploads
    def compose(request, ...):
        form = MessageForm(request.POST or None, request.FILES or None,
                           upload_refused=request.upload_refused)

Why a decorator: upload handlers can only be changed before anything reads request.POST or
request.FILES, and CsrfViewMiddleware reads request.POST (for the token) before the view
runs. Django's documented way out ("Modifying upload handlers on the fly") is to exempt the
outer view from the middleware's check, install the handler, then run the CSRF check
ourselves with `csrf_protect` on an inner view. `limit_message_uploads` does exactly that,
so the CSRF check still happens, just after the handler is in place.

The bytes past the limit are still read from the connection and thrown away (nothing is
kept): only that way does the browser receive our answer instead of a reset connection.
A hard cap on the request body belongs in the front proxy (e.g. nginx client_max_body_size).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from inspect import iscoroutinefunction
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .attachments import errors
from .attachments.limits import attachment_limits

# Allowance for the form's other fields and the multipart framing on top of the files.
FORM_OVERHEAD_BYTES = 1024 * 1024


class MessageUploadLimitHandler(FileUploadHandler):
    """Counts files and file bytes as they arrive; past a limit, drops every file of the post.

    Refusal skips files (`SkipFile`) rather than stopping the whole upload (`StopUpload`):
    with StopUpload Django would also drop every form field that comes after the file in
    the body, and browsers send fields in page order. A refused post keeps no file at all,
    so that a message is never sent with some of its attachments silently missing.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        limits = attachment_limits()
        self.max_files = limits.max_files
        self.max_total_bytes = limits.max_total_bytes
        self.file_count = 0
        self.received_bytes = 0  # file bytes this handler saw (and passed on, unless refused)
        self.refused: str | None = None

    def refuse(self, reason: str) -> None:
        if self.refused is None:
            self.refused = reason
            if self.request is not None:
                self.request.upload_refused = reason

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        # Returning None lets Django parse as usual; the refusal takes effect at the first file.
        if content_length and content_length > self.max_total_bytes + FORM_OVERHEAD_BYTES:
            self.refuse(errors.upload_too_large(self.max_total_bytes))

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file_count += 1
        if self.file_count > self.max_files:
            self.refuse(errors.too_many_files(self.max_files))
        if self.refused:
            raise SkipFile  # Django discards this file's data and the handlers after us never see it

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received_bytes += len(raw_data)
        if self.received_bytes > self.max_total_bytes:
            self.refuse(errors.upload_too_large(self.max_total_bytes))
            raise SkipFile
        return raw_data  # on to the memory / temporary-file handler

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the UploadedFile


def limit_message_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Install MessageUploadLimitHandler before the body is parsed, keeping the CSRF check.

    The view gets `request.upload_refused`: None, or the reason to show. When it is set,
    request.FILES is empty, even of files that arrived before the limit was passed.
    """
    if iscoroutinefunction(view):
        raise TypeError("limit_message_uploads supports synchronous views only")

    @functools.wraps(view)
    def after_parsing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            request.POST  # noqa: B018 - csrf_protect may not have parsed the body (header token)
            if request.upload_refused:
                for _field, uploads in request.FILES.lists():
                    for upload in uploads:
                        upload.close()
                request.FILES.clear()
        return view(request, *args, **kwargs)

    protected = csrf_protect(after_parsing)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_refused = None
        # Raises AttributeError if something already read the body: the handler would be ignored.
        request.upload_handlers.insert(0, MessageUploadLimitHandler(request))
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)
