from django.shortcuts import render

from .access import moderator_required


@moderator_required
def queue(request):
    return render(request, "moderation/queue.html")
