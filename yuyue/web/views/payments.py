"""Paying a booking on the web: WeChat Pay's Native code as a QR code to scan with WeChat,
the page asking every few seconds whether it was paid (docs/payments.md#wechat-pay)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, Status
from yuyue.lib.errors import DomainError
from yuyue.lib.localtime import local_day_time_label
from yuyue.payments.models import Method
from yuyue.payments.selectors import open_order
from yuyue.payments.services import payment_start
from yuyue.web.lookups import appointment_or_404
from yuyue.webkit.pages import page
from yuyue.webkit.qr import qr_svg


def _own(request: HttpRequest, public_id: str) -> tuple[Appointment, User]:
    appointment = appointment_or_404(request, public_id)
    user = request.user
    if not isinstance(user, User) or appointment.customer_id != user.pk:
        raise Http404  # only its customer pays
    return appointment, user


def _qr(code_url: str) -> str:
    return qr_svg(code_url, title=_("WeChat Pay code"), svgclass="pay-code")


@login_required
@require_http_methods(["GET", "POST"])
def appointment_pay(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment, user = _own(request, public_id)
    detail = reverse("web:appointment", args=[public_id])
    if appointment.status != Status.AWAITING_PAYMENT:
        return HttpResponseRedirect(detail)
    refusal = ""
    if request.method == "POST":
        try:
            payment_start(appointment=appointment, actor=user, method=Method.WECHAT_NATIVE)
        except DomainError as error:
            refusal = str(error.message)
        else:
            return HttpResponseRedirect(request.path)
    order = open_order(appointment=appointment, method=Method.WECHAT_NATIVE, now=timezone.now())
    context = {
        "appointment": appointment,
        "business": appointment.business,
        "when": local_day_time_label(appointment.start, appointment.zone_name),
        "pay_by": local_day_time_label(appointment.pay_by, appointment.zone_name)
        if appointment.pay_by
        else "",
        "order": order,
        "qr": _qr(order.code_url) if order is not None and order.code_url else "",
        "refusal": refusal,
        "status_url": reverse("web:pay-status", args=[public_id]),
        "next_url": detail,
    }
    return page(request, "web/pay.html", context)


@login_required
@require_GET
def appointment_pay_status(request: HttpRequest, public_id: str) -> JsonResponse:
    """What the pay page polls: still awaiting payment, or not (paid, or released)."""
    appointment, _user = _own(request, public_id)
    return JsonResponse(
        {"status": appointment.status, "awaiting": appointment.status == Status.AWAITING_PAYMENT}
    )
