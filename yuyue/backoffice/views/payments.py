"""The owner's payments page (docs/payments.md#the-payments-page): a period's money by day and
channel, refunds under way, failures, and the period's ledger as CSV."""

import csv

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.views.reports import csv_cell, period, window
from yuyue.cards.models import CardPurchase
from yuyue.lib.localtime import day_label, local_day_time_label
from yuyue.payments.models import PaymentEntry, Refund
from yuyue.payments.policy import refund_reason_text
from yuyue.payments.selectors import ledger_rows, payments_report
from yuyue.webkit.pages import page, with_query


@require_GET
@desk_view(owner_only=True)
def payments(request: HttpRequest, desk: Desk) -> HttpResponse:
    date_from, date_to, note = period(request, desk, this_week=True)
    start, end = window(desk, date_from, date_to)
    zone = desk.zone
    report = payments_report(business=desk.business, start=start, end=end, zone=zone)
    slug = desk.business.slug

    def link(appointment_public_id: str) -> str:
        return reverse("backoffice:appointment", args=[slug, appointment_public_id])

    def whose(refund: Refund) -> tuple[str, str]:
        """The customer and the page a refund is about: an appointment's, or (a sale's) the
        card bought online it gives back."""
        if refund.account is not None:
            appointment = refund.account.appointment
            return appointment.client.name, link(appointment.public_id)
        purchase = (
            CardPurchase.objects.select_related("customer", "card")
            .filter(order_id=refund.order_id)
            .first()
        )
        if purchase is None or purchase.card is None:
            return refund.order.out_trade_no, ""
        return purchase.customer.name, reverse(
            "backoffice:card", args=[slug, purchase.card.public_id]
        )

    context = {
        "date_from": date_from,
        "date_to": date_to,
        "note": note,
        "report": report,
        "currency": desk.business.currency,
        "days": [{**row, "label": day_label(row["day"])} for row in report.days],
        "pending": [
            {
                "refund": refund,
                "reason": refund_reason_text(refund.reason),
                "when": local_day_time_label(refund.created_at, zone.key, with_zone=False),
                "customer": whose(refund)[0],
                "url": whose(refund)[1],
            }
            for refund in report.refunds_pending
        ],
        "failures": [
            {
                "what": _("Order closed unpaid"),
                "number": order.out_trade_no,
                "amount": order.amount,
                "when": local_day_time_label(order.updated_at, zone.key, with_zone=False),
                "customer": order.account.appointment.client.name,
                "url": link(order.account.appointment.public_id),
            }
            for order in report.orders_closed
            if order.account is not None  # an appointment's (the report's selector takes those)
        ]
        + [
            {
                "what": _("Refund failed"),
                "number": refund.out_refund_no,
                "amount": refund.amount,
                "when": local_day_time_label(refund.updated_at, zone.key, with_zone=False),
                "customer": whose(refund)[0],
                "url": whose(refund)[1],
            }
            for refund in report.refunds_failed
        ],
        "csv_url": with_query(
            reverse("backoffice:payments-csv", args=[slug]),
            **{"from": date_from.isoformat(), "to": date_to.isoformat()},
        ),
    }
    return page(request, "backoffice/payments.html", context, desk=desk)


@require_GET
@desk_view(owner_only=True)
def ledger_csv(request: HttpRequest, desk: Desk) -> HttpResponse:
    """The period's ledger rows, one per movement, UTF-8 with a byte-order mark (Excel reads
    the Chinese right), local times, amounts as plain decimals: a refund negative, so that a
    column sum is the net."""
    date_from, date_to, _note = period(request, desk, this_week=True)
    start, end = window(desk, date_from, date_to)
    zone = desk.zone
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{desk.business.slug}-payments-{date_from.isoformat()}-{date_to.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Time"),
            _("Kind"),
            _("Channel"),
            _("Amount"),
            _("Currency"),
            _("Appointment"),
            _("Customer"),
            _("Service"),
            _("Order number"),
            _("WeChat transaction id"),
            _("Refund number"),
            _("WeChat refund id"),
            _("Note"),
            _("Recorded by"),
        ]
    )
    for entry in ledger_rows(business=desk.business, start=start, end=end):
        sign = "-" if entry.kind == PaymentEntry.Kind.REFUND else ""
        note = entry.note or (
            refund_reason_text(entry.refund.reason) if entry.refund is not None else ""
        )
        writer.writerow(
            [
                entry.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                entry.get_kind_display(),
                entry.get_channel_display(),
                f"{sign}{entry.amount:.2f}",
                entry.currency,
                *(
                    (
                        entry.appointment.public_id,
                        csv_cell(entry.appointment.client.name),
                        csv_cell(entry.appointment.service.name),
                    )
                    if entry.appointment is not None
                    else ("", "", "")  # a sale: the note says what was sold
                ),
                entry.order.out_trade_no if entry.order is not None else "",
                entry.transaction_id,
                entry.refund.out_refund_no if entry.refund is not None else "",
                entry.wechat_refund_id,
                csv_cell(note),
                csv_cell(entry.recorded_by.shown_name) if entry.recorded_by is not None else "",
            ]
        )
    return response
