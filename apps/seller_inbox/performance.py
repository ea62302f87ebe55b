"""The seller's performance page: response rate, late threads and recurring questions."""

from django.shortcuts import render

from apps.sla import selectors as sla_selectors

from .access import seller_staff_required


@seller_staff_required
def performance(request):
    report = sla_selectors.performance_report(seller=request.seller)
    return render(request, "seller_inbox/performance.html", {"seller": request.seller, "report": report})
