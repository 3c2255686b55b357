"""Buying a member card on the web (docs/cards.md#bought-online-through-wechat-pay): the cards a
business sells, a buy button each, and WeChat Pay's Native code as a QR code, the page asking
every few seconds whether it was paid, then "my cards"."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuyue.accounts.models import User
from yuyue.cards.selectors import (
    card_product_on_sale,
    card_products_on_sale,
    card_purchase_for,
    card_purchase_state,
)
from yuyue.cards.services import card_purchase_start
from yuyue.catalog.selectors import business_or_404, require_open
from yuyue.lib.errors import DomainError, http_status
from yuyue.lib.localtime import local_day_time_label
from yuyue.payments.models import Method
from yuyue.webkit.pages import page
from yuyue.webkit.qr import qr_svg


@require_GET
def card_shop(request: HttpRequest, slug: str) -> HttpResponse:
    """The member cards a business sells, with their terms, each with a buy button."""
    business = business_or_404(slug, user=request.user)
    require_open(business, user=request.user)
    products = list(card_products_on_sale(business=business))
    return page(
        request, "web/card_shop.html", {"business": business, "products": products, "refusal": ""}
    )


@login_required
@require_POST
def card_buy(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    business = business_or_404(slug, user=request.user)
    require_open(business, user=request.user)
    product = card_product_on_sale(business=business, product_id=product_id)
    user = request.user
    if product is None or not isinstance(user, User):
        raise Http404
    try:
        purchase, _started = card_purchase_start(
            product=product, actor=user, method=Method.WECHAT_NATIVE
        )
    except DomainError as error:
        products = list(card_products_on_sale(business=business))
        context = {"business": business, "products": products, "refusal": str(error.message)}
        return page(request, "web/card_shop.html", context, status=http_status(error))
    return HttpResponseRedirect(reverse("web:card-purchase", args=[purchase.public_id]))


@login_required
@require_GET
def card_purchase(request: HttpRequest, purchase_id: str) -> HttpResponse:
    """The QR code to pay a card bought; its buyer only."""
    purchase = card_purchase_for(user=request.user, public_id=purchase_id)
    if purchase is None:
        raise Http404
    state = card_purchase_state(purchase)
    if state == "paid":
        return HttpResponseRedirect(reverse("web:cards"))
    order = purchase.order
    context = {
        "purchase": purchase,
        "business": purchase.business,
        "state": state,
        "pay_by": local_day_time_label(order.expires_at, str(purchase.product.zone)),
        "qr": qr_svg(order.code_url, title=_("WeChat Pay code"), svgclass="pay-code")
        if order.code_url and state == "open"
        else "",
        "status_url": reverse("web:card-purchase-status", args=[purchase.public_id]),
        "next_url": reverse("web:cards"),
    }
    return page(request, "web/card_purchase.html", context)


@login_required
@require_GET
def card_purchase_status(request: HttpRequest, purchase_id: str) -> JsonResponse:
    """What the purchase page polls: still waiting for the payment, or not."""
    purchase = card_purchase_for(user=request.user, public_id=purchase_id)
    if purchase is None:
        raise Http404
    state = card_purchase_state(purchase)
    return JsonResponse({"state": state, "awaiting": state == "open"})
