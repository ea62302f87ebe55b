from django.shortcuts import render

from .access import seller_staff_required


@seller_staff_required
def inbox(request):
    return render(request, "seller_inbox/inbox.html", {"seller": request.seller})
