"""Customers of the business: search by name or phone, one customer's history and notes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.forms import CustomerNoteForm
from yuyue.bookings.selectors import (
    appointments_of_business,
    customer_of_business,
    customer_record,
    customers_of_business,
)
from yuyue.catalog.models import MAX_CUSTOMER_NOTE_LENGTH
from yuyue.catalog.selectors import customer_note_of
from yuyue.catalog.services import customer_note_set
from yuyue.lib.errors import DomainError
from yuyue.webkit.forms import error_text, refusal_text
from yuyue.webkit.pages import MAX_ID, page

PER_PAGE = 30
MAX_QUERY_LENGTH = 100
HISTORY_SHOWN = 100


@require_http_methods(["GET"])
@desk_view()
def customer_list(request: HttpRequest, desk: Desk) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "")
    paginator = Paginator(customers_of_business(business=desk.business, query=query), PER_PAGE)
    customers = paginator.get_page(request.GET.get("page"))
    return page(
        request, "backoffice/customers.html", {"customers": customers, "query": query}, desk=desk
    )


@require_http_methods(["GET", "POST"])
@desk_view()
def customer_detail(request: HttpRequest, desk: Desk, customer_id: int) -> HttpResponse:
    customer = None
    if 0 < customer_id <= MAX_ID:
        customer = customer_of_business(business=desk.business, customer_id=customer_id)
    if customer is None:
        raise Http404
    here = reverse("backoffice:customer", args=[desk.business.slug, customer.id])
    if request.method == "POST":
        form = CustomerNoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, error_text(form))
            return HttpResponseRedirect(here, status=303)
        try:
            customer_note_set(
                business=desk.business,
                customer=customer,
                text=form.cleaned_data["text"],
                actor=desk.user,
            )
        except DomainError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("Note saved."))
        return HttpResponseRedirect(here, status=303)
    history = appointments_of_business(business=desk.business, newest_first=True).filter(
        customer=customer
    )[:HISTORY_SHOWN]
    context = {
        "customer": customer,
        "record": customer_record(business=desk.business, customer=customer),
        "note": customer_note_of(business=desk.business, customer=customer),
        "history": history,
        "max_note": MAX_CUSTOMER_NOTE_LENGTH,
    }
    return page(request, "backoffice/customer.html", context, desk=desk)
