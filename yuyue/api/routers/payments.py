"""Paying online: a customer starts paying a booking awaiting payment; WeChat Pay tells us it
was paid (docs/payments.md)."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from pydantic import Field

from yuyue.api.auth import bearer
from yuyue.api.lookups import appointment_or_404
from yuyue.api.schemas.appointments import PayIn, PayOut
from yuyue.api.schemas.common import AppointmentId, errors, money
from yuyue.payments.errors import NotifyRefused
from yuyue.payments.services import payment_notification_handle, payment_start

router = Router(tags=["payments"])


@router.post(
    "/appointments/{id}/pay",
    auth=bearer,
    response={200: PayOut, **errors(400, 401, 403, 404, 409, 422, 503)},
    summary="Pay a booking awaiting payment",
)
def pay(request: HttpRequest, id: AppointmentId, payload: PayIn) -> dict:
    """The customer's own booking in status `awaiting_payment`, before `payment.pay_by`.
    `wechat_native` answers a `code_url` to show as a QR code (scan it with WeChat);
    `wechat_jsapi` answers the parameters of `wx.requestPayment` (the account must have logged
    in with WeChat). Asking again while an order is open offers the same order. 404
    `payments_not_configured` when online payment is not set up here; 409 `nothing_to_pay`; 503
    `payment_unavailable` when WeChat Pay cannot be reached: try again."""
    appointment = appointment_or_404(request.auth, id)
    if appointment.customer_id != request.auth.pk:
        # Only its customer pays; to anyone else there is nothing here to pay.
        raise Http404
    started = payment_start(appointment=appointment, actor=request.auth, method=payload.method)
    order = started.order
    return {
        "method": order.method,
        "out_trade_no": order.out_trade_no,
        "amount": money(order.amount),
        "code_url": started.code_url or None,
        "jsapi": started.jsapi or None,
        "pay_by": order.expires_at.astimezone(appointment.zone),
    }


class NotifyFail(Schema):
    code: str = Field(examples=["FAIL"])
    message: str


@router.post(
    "/payments/wechat/notify",
    auth=None,
    response={204: None, 400: NotifyFail, 401: NotifyFail, 404: NotifyFail, 413: NotifyFail},
    summary="WeChat Pay's notifications (for WeChat Pay only)",
    # WeChat Pay's callback, answered in WeChat Pay's shape ({"code": "FAIL", …}), not in the
    # API's one error shape: not an operation for clients, so not in their document. Its bad
    # input is swept in tests/payments/test_notify_bad_input.py.
    include_in_schema=False,
)
def wechat_notify(request: HttpRequest) -> HttpResponse:
    """Called by WeChat Pay, signed: a payment or a refund went through. 204 when taken (also
    for a duplicate, which changes nothing); otherwise `{"code": "FAIL", "message": …}` and
    nothing changes."""
    try:
        payment_notification_handle(headers=request.headers, body=request.body)
    except NotifyRefused as refused:
        return JsonResponse({"code": "FAIL", "message": refused.message}, status=refused.status)
    return HttpResponse(status=204)
