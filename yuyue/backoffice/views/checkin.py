"""Checking a customer in at the counter (核销): staff type the code the customer shows, or
scan its QR code with the camera where the browser can, and the appointment starts
(appointment_check_in). The page shows the appointment and what happened."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.bookings.errors import CheckInRefused
from yuyue.bookings.models import CHECKIN_CODE_LENGTH, Appointment
from yuyue.bookings.services import appointment_check_in
from yuyue.lib.errors import DomainError, RateLimited, http_status
from yuyue.lib.localtime import local_clock_label, local_day_time_label
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import page

# The site's policy (yuyue/web/middleware.py) with the camera allowed to this page itself, for
# scanning the customer's QR code; nothing else here may ask for it.
CAMERA_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
# What the form echoes back of a typed code: enough to see a typo, never a page of it.
ECHO_LENGTH = 20


def _shown(appointment: Appointment) -> dict:
    return {
        "appointment": appointment,
        "when": local_day_time_label(appointment.start, appointment.zone_name),
        "until": local_clock_label(appointment.end, appointment.zone_name),
    }


@require_http_methods(["GET", "POST"])
@desk_view()
def check_in(request: HttpRequest, desk: Desk) -> HttpResponse:
    context: dict = {"code": "", "length": CHECKIN_CODE_LENGTH, "result": None, "refusal": ""}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        context["code"] = code[:ECHO_LENGTH]
        try:
            appointment = appointment_check_in(business=desk.business, code=code, actor=desk.user)
        except CheckInRefused as refused:
            context["refusal"] = refusal_text(refused)
            context["result"] = _shown(refused.appointment)
            status = http_status(refused)
        except RateLimited as limited:
            context["refusal"] = _(
                "Too many wrong codes; try again in %(minutes)d minutes or find the "
                "appointment in the calendar."
            ) % {"minutes": max(1, (limited.wait + 59) // 60)}
            status = http_status(limited)
        except DomainError as error:
            context["refusal"] = refusal_text(error)
            status = http_status(error)
        else:
            context["result"] = _shown(appointment)
            context["code"] = ""
    response = page(request, "backoffice/check_in.html", context, status=status, desk=desk)
    response.headers["Permissions-Policy"] = CAMERA_POLICY
    return response
