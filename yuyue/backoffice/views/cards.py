"""Member cards in the back office (docs/cards.md): the owner's products and liability report,
selling a card at the counter from a customer's page, and one card's history with the owner's
adjustment and refund."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.card_forms import (
    AdjustForm,
    CardProductForm,
    RefundForm,
    SellForm,
    TopUpForm,
)
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.pages import a_day
from yuyue.backoffice.views.customers import record_of
from yuyue.cards.models import ZERO, Card, CardProduct
from yuyue.cards.selectors import (
    balances_total,
    card_for,
    card_history,
    card_products_on_sale,
    cards_liability,
)
from yuyue.cards.services import (
    card_adjust,
    card_product_create,
    card_product_update,
    card_refund,
    card_refund_amount,
    card_sell,
    card_top_up,
)
from yuyue.catalog.selectors import business_services
from yuyue.lib.errors import DomainError
from yuyue.lib.localtime import local_time_label
from yuyue.webkit.forms import error_text, refusal_text
from yuyue.webkit.pages import MAX_ID, PUBLIC_ID, page

MAX_PERIOD_DAYS = 366


def _products_url(desk: Desk) -> str:
    return reverse("backoffice:cards", args=[desk.business.slug])


def _period(request: HttpRequest, desk: Desk) -> tuple[dt.date, dt.date]:
    """This month so far unless asked; at most a year."""
    today = timezone.now().astimezone(desk.zone).date()
    date_to = a_day(request.GET.get("to")) or today
    date_from = a_day(request.GET.get("from")) or date_to.replace(day=1)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        date_from = date_to - dt.timedelta(days=MAX_PERIOD_DAYS - 1)
    return date_from, date_to


@require_http_methods(["GET"])
@desk_view(owner_only=True)
def cards_home(request: HttpRequest, desk: Desk) -> HttpResponse:
    """The products, and the liability report: what the business owes its card holders now
    (预收款) and what moved in the period, from the ledger."""
    date_from, date_to = _period(request, desk)
    zone = desk.zone
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    context = {
        "products": CardProduct.objects.filter(business=desk.business)
        .prefetch_related("services")
        .order_by("-active", "name", "id"),
        "report": cards_liability(business=desk.business, start=start, end=end),
        "balances": balances_total(business=desk.business),
        "date_from": date_from,
        "date_to": date_to,
        "cards": Card.objects.filter(business=desk.business)
        .select_related("customer", "balance")
        .order_by("-bought_at", "-id")[:50],
    }
    return page(request, "backoffice/cards.html", context, desk=desk)


def _product_of(desk: Desk, product_id: int | None) -> CardProduct | None:
    if product_id is None:
        return None
    product = (
        CardProduct.objects.filter(business=desk.business, pk=product_id).first()
        if 0 < product_id <= MAX_ID
        else None
    )
    if product is None:
        raise Http404
    return product


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def product_edit(request: HttpRequest, desk: Desk, product_id: int | None = None) -> HttpResponse:
    product = _product_of(desk, product_id)
    service_choices = [
        (service.pk, service.name) for service in business_services(business=desk.business)
    ]
    if request.method == "POST":
        form = CardProductForm(request.POST, service_choices=service_choices)
        if form.is_valid():
            data = form.cleaned_data
            services = [
                s
                for s in business_services(business=desk.business)
                if s.pk in set(data["services"])
            ]
            fields = {
                "name": data["name"],
                "price": data["price"],
                "uses": data["uses"] or 0,
                "services": services,
                "valid_days": data["valid_days"] or None,
                "bonus": data["bonus"] or ZERO,
                "discount_percent": data["discount_percent"] or 0,
                "no_show_uses": data["no_show_uses"],
                "terms": data["terms"],
                "active": data["active"],
            }
            try:
                if product is None:
                    card_product_create(
                        business=desk.business, actor=desk.user, kind=data["kind"], **fields
                    )
                else:
                    card_product_update(product=product, actor=desk.user, **fields)
            except DomainError as error:
                messages.error(request, refusal_text(error))
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(_products_url(desk), status=303)
        else:
            messages.error(request, error_text(form))
    context = {
        "product": product,
        "service_choices": service_choices,
        "chosen": set() if product is None else {s.pk for s in product.services.all()},
    }
    return page(request, "backoffice/card_product.html", context, desk=desk)


@require_http_methods(["POST"])
@desk_view()
def sell(request: HttpRequest, desk: Desk, customer_id: int) -> HttpResponse:
    """Sell a card on sale to this customer, paid at the counter."""
    customer = record_of(desk, customer_id)
    here = reverse("backoffice:customer", args=[desk.business.slug, customer.pk])
    products = {p.pk: p for p in card_products_on_sale(business=desk.business)}
    form = SellForm(request.POST, product_choices=[(pk, p.name) for pk, p in products.items()])
    if not form.is_valid():
        messages.error(request, error_text(form))
        return HttpResponseRedirect(here, status=303)
    try:
        card = card_sell(
            product=products[form.cleaned_data["product"]],
            customer=customer,
            actor=desk.user,
            channel=form.cleaned_data["channel"],
        )
    except DomainError as error:
        messages.error(request, refusal_text(error))
        return HttpResponseRedirect(here, status=303)
    messages.success(request, _("Sold: %(name)s.") % {"name": card.name})
    return HttpResponseRedirect(
        reverse("backoffice:card", args=[desk.business.slug, card.public_id]), status=303
    )


@require_http_methods(["GET", "POST"])
@desk_view()
def card_detail(request: HttpRequest, desk: Desk, card_id: str) -> HttpResponse:
    """One card: what is left, every movement; the owner adjusts or refunds it here."""
    card = card_for(user=desk.user, public_id=card_id) if PUBLIC_ID.match(card_id) else None
    if card is None or card.business_id != desk.business.pk:
        raise Http404
    here = reverse("backoffice:card", args=[desk.business.slug, card.public_id])
    if request.method == "POST":
        try:
            if request.POST.get("action") == "top_up":
                top_up = TopUpForm(request.POST)
                if not top_up.is_valid():
                    raise _FormError(top_up)
                card_top_up(
                    card=card,
                    actor=desk.user,
                    channel=top_up.cleaned_data["channel"],
                    amount=top_up.cleaned_data["amount"],
                    bonus=top_up.cleaned_data["bonus"] or ZERO,
                )
                messages.success(request, _("Saved."))
            elif request.POST.get("action") == "refund":
                refund = RefundForm(request.POST)
                if not refund.is_valid():
                    raise _FormError(refund)
                entry = card_refund(
                    card=card,
                    actor=desk.user,
                    channel=refund.cleaned_data["channel"],
                    reason=refund.cleaned_data["reason"],
                )
                amount = entry.payment.amount if entry.payment else ZERO
                messages.success(request, _("Refunded %(amount)s.") % {"amount": amount})
            else:
                adjust = AdjustForm(request.POST)
                if not adjust.is_valid():
                    raise _FormError(adjust)
                data = adjust.cleaned_data
                card_adjust(
                    card=card,
                    actor=desk.user,
                    reason=data["reason"],
                    uses=data["uses"] or 0,
                    principal=data["amount"] or Decimal("0.00"),
                    bonus=data["bonus"] or Decimal("0.00"),
                )
                messages.success(request, _("Saved."))
        except _FormError as invalid:
            messages.error(request, error_text(invalid.form))
        except DomainError as error:
            messages.error(request, refusal_text(error))
        return HttpResponseRedirect(here, status=303)
    zone_name = str(card.zone)
    history = [
        {"entry": entry, "when": local_time_label(entry.created_at, zone_name)}
        for entry in card_history(card=card)
    ]
    context = {
        "card": card,
        "balance": card.balance,
        "history": history,
        "expires": None
        if card.expires_at is None
        else local_time_label(card.expires_at, zone_name),
        "refund_amount": card_refund_amount(card=card, balance=card.balance),
        "channels": RefundForm.base_fields["channel"].choices,  # type: ignore[attr-defined]
    }
    return page(request, "backoffice/card.html", context, desk=desk)


class _FormError(Exception):
    def __init__(self, form) -> None:
        self.form = form
