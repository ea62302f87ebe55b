from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from .services import unsubscribe


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session; the signed token is the key
def unsubscribe_view(request, token: str):
    try:
        signing.loads(token, salt="notifications.unsubscribe")
    except signing.BadSignature:
        raise Http404("This link is not valid.") from None
    if request.method == "POST":
        what = unsubscribe(token)
        return render(request, "notifications/unsubscribed.html", {"what": what})
    return render(request, "notifications/unsubscribe.html", {"token": token})
