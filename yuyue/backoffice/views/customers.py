"""The business's customer records: search, one record (details, tags, notes, history,
no-shows), its edit form, merging two records of one person, and an owner's erasure of one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.card_forms import CHANNEL_CHOICES
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.forms import CustomerForm
from yuyue.bookings.rules import counted_no_shows, no_show_rule_applies
from yuyue.bookings.selectors import (
    appointments_of_business,
    customer_record,
    customers_of_business,
)
from yuyue.cards.selectors import card_products_on_sale, cards_of_customer
from yuyue.customers.models import MAX_NOTES_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, Customer
from yuyue.customers.selectors import customer_of_business
from yuyue.customers.services import (
    customer_merge,
    customer_no_shows_lift,
    customer_update,
)
from yuyue.lib.errors import DomainError
from yuyue.notifications.erasure import customer_erase
from yuyue.webkit.forms import error_text, refusal_text
from yuyue.webkit.pages import MAX_ID, an_id, page

PER_PAGE = 30
MAX_QUERY_LENGTH = 100
HISTORY_SHOWN = 100
FOUND_SHOWN = 20


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "").strip()


def record_of(desk: Desk, customer_id: int | None) -> Customer:
    """The business's record, or 404: another business's ids name nothing here."""
    customer = None
    if customer_id is not None and 0 < customer_id <= MAX_ID:
        customer = customer_of_business(business=desk.business, customer_id=customer_id)
    if customer is None:
        raise Http404
    return customer


def _detail_url(desk: Desk, customer: Customer) -> str:
    return reverse("backoffice:customer", args=[desk.business.slug, customer.id])


@require_http_methods(["GET"])
@desk_view()
def customer_list(request: HttpRequest, desk: Desk) -> HttpResponse:
    query = _query(request)
    paginator = Paginator(customers_of_business(business=desk.business, query=query), PER_PAGE)
    customers = paginator.get_page(request.GET.get("page"))
    return page(
        request, "backoffice/customers.html", {"customers": customers, "query": query}, desk=desk
    )


@require_http_methods(["GET", "POST"])
@desk_view()
def customer_detail(request: HttpRequest, desk: Desk, customer_id: int) -> HttpResponse:
    customer = record_of(desk, customer_id)
    here = _detail_url(desk, customer)
    if request.method == "POST":
        form = CustomerForm(request.POST)
        if not form.is_valid():
            messages.error(request, error_text(form))
            return HttpResponseRedirect(here, status=303)
        try:
            customer_update(actor=desk.user, customer=customer, **form.values())
        except DomainError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("Saved."))
        return HttpResponseRedirect(here, status=303)
    history = appointments_of_business(business=desk.business, newest_first=True).filter(
        client=customer
    )[:HISTORY_SHOWN]
    context = {
        "customer": customer,
        "record": customer_record(customer=customer),
        "history": history,
        "max_notes": MAX_NOTES_LENGTH,
        "tags_help": _("Separated by commas; at most %(n)d, each up to %(m)d characters.")
        % {"n": MAX_TAGS, "m": MAX_TAG_LENGTH},
        # Member cards (docs/cards.md): the ones held, and selling one at the counter.
        "cards": cards_of_customer(customer=customer),
        "card_products": card_products_on_sale(business=desk.business),
        "channels": CHANNEL_CHOICES,
        # The business's no-show rule (docs/booking.md#booking-rules), as the booking sees it.
        "no_show_rule": no_show_rule_applies(
            business=desk.business, record=customer, now=timezone.now()
        ),
        "no_shows_counted": counted_no_shows(
            business=desk.business, record=customer, now=timezone.now()
        )
        if desk.business.no_show_limit is not None
        else None,
    }
    return page(request, "backoffice/customer.html", context, desk=desk)


@require_http_methods(["GET", "POST"])
@desk_view()
def customer_merge_into(request: HttpRequest, desk: Desk, customer_id: int) -> HttpResponse:
    """Find the record this one is the same person as; merging moves this one into it."""
    customer = record_of(desk, customer_id)
    if request.method == "POST":
        into_id = an_id(request.POST.get("into"))
        keep = (
            customer_of_business(business=desk.business, customer_id=into_id) if into_id else None
        )
        if keep is None:
            messages.error(request, _("Choose the record to merge into."))
            return HttpResponseRedirect(
                reverse("backoffice:customer-merge", args=[desk.business.slug, customer.id]),
                status=303,
            )
        try:
            merged = customer_merge(actor=desk.user, keep=keep, other=customer)
        except DomainError as error:
            messages.error(request, refusal_text(error))
            return HttpResponseRedirect(_detail_url(desk, customer), status=303)
        messages.success(request, _("Merged."))
        return HttpResponseRedirect(_detail_url(desk, merged), status=303)
    query = _query(request)
    found = (
        list(
            customers_of_business(business=desk.business, query=query).exclude(pk=customer.pk)[
                :FOUND_SHOWN
            ]
        )
        if query
        else []
    )
    context = {"customer": customer, "query": query, "found": found}
    return page(request, "backoffice/customer_merge.html", context, desk=desk)


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def customer_erase_page(request: HttpRequest, desk: Desk, customer_id: int) -> HttpResponse:
    """An owner erases a record at the person's request, after a confirmation."""
    customer = record_of(desk, customer_id)
    if request.method == "POST":
        try:
            customer_erase(actor=desk.user, customer=customer)
        except DomainError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("The customer's personal data is erased."))
        return HttpResponseRedirect(_detail_url(desk, customer), status=303)
    return page(request, "backoffice/customer_erase.html", {"customer": customer}, desk=desk)


@require_http_methods(["POST"])
@desk_view(owner_only=True)
def customer_no_shows_lift_page(request: HttpRequest, desk: Desk, customer_id: int) -> HttpResponse:
    """An owner lifts the no-show rule for this customer, with a reason (audit-logged)."""
    customer = record_of(desk, customer_id)
    try:
        customer_no_shows_lift(
            actor=desk.user,
            customer=customer,
            reason=request.POST.get("reason", "")[:1000],
            now=timezone.now(),
        )
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The no-show rule is lifted for this customer."))
    return HttpResponseRedirect(_detail_url(desk, customer), status=303)
