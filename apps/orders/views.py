from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Order


@login_required
def order_list(request):
    page = selectors.buyer_orders_page(buyer=request.user, cursor=request.GET.get("after"))
    return render(request, "orders/order_list.html", {"page": page})


@login_required
def order_detail(request, number: str):
    try:
        order = selectors.buyer_order(buyer=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None
    return render(request, "orders/order_detail.html", {"order": order})
