"""Real concurrency (docs/payments.md#the-race): each thread has its own database connection.

The hold lapsing while its payment arrives has exactly one outcome — paid and kept, or
released and refunded in full at once; the time released and booked by someone else while
the late payment arrives stays theirs, and the late payer is refunded in full and told; and
many notifications at once, each order's sent twice, record every order exactly once.
"""

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from tests.helpers import NOW, RACE_CONNECTIONS, make_user, owner_of
from tests.payments.conftest import START
from yuyue.bookings.models import HOLDING_STATUSES, Appointment, AppointmentEvent, Status
from yuyue.bookings.services import appointment_create, appointment_release_unpaid
from yuyue.catalog.services import service_update
from yuyue.notifications.models import Notification
from yuyue.payments.models import Order, PaymentAccount, PaymentEntry
from yuyue.payments.services import payment_notification_handle, payment_start

pytestmark = pytest.mark.django_db(transaction=True)
FIFTY = Decimal("50.00")


def together(calls):
    """Run every call in its own thread, all released at once (at most RACE_CONNECTIONS of them
    holding a database connection at a time); their results or errors."""
    barrier = threading.Barrier(len(calls))
    gate = threading.BoundedSemaphore(RACE_CONNECTIONS)

    def run(call):
        barrier.wait()
        with gate:
            try:
                return call()
            except Exception as error:  # reported by the caller's assertion
                return error
            finally:
                # Before the gate lets the next one in: its connection counts until closed.
                connections.close_all()

    connections.close_all()
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def held_bookings(deposit_service, n):
    service_update(service=deposit_service, actor=owner_of(deposit_service), capacity=n)
    customers = [make_user(f"payer{i}", phone="+8613800138000") for i in range(n)]
    return [
        appointment_create(service=deposit_service, customer=c, start=START, now=NOW)
        for c in customers
    ]


def notify(notification):
    return lambda: payment_notification_handle(headers=notification.headers, body=notification.body)


def test_the_hold_lapsing_while_its_payment_arrives_has_one_outcome(
    standin, deposit_service, perm_stylist
):
    standin.refund_status = "SUCCESS"
    bookings = held_bookings(deposit_service, 6)
    notifications = []
    for booking in bookings:
        order = payment_start(appointment=booking, actor=booking.customer, method="wechat_native")
        standin.pay(order.order.out_trade_no)
        notifications.append(standin.paid_notification(order.order.out_trade_no))

    outcomes = set()
    for booking, notification in zip(bookings, notifications, strict=True):
        lapse = booking.pay_by + dt.timedelta(seconds=1)
        results = together(
            [
                lambda b=booking, at=lapse: appointment_release_unpaid(appointment=b, now=at),
                notify(notification),
            ]
        )
        assert not any(isinstance(r, Exception) for r in results), results
        booking.refresh_from_db()
        entries = list(
            PaymentEntry.objects.filter(appointment=booking).values_list("kind", "amount")
        )
        account = PaymentAccount.objects.get(appointment=booking)
        if booking.status == Status.CONFIRMED:
            assert entries == [("payment", FIFTY)]
            assert account.refunded == 0
        else:
            assert booking.status == Status.CANCELLED
            assert entries == [("payment", FIFTY), ("refund", FIFTY)]
            assert (account.paid, account.refunded, account.refunding) == (FIFTY, FIFTY, 0)
        outcomes.add(booking.status)
    # Which one wins each race is the scheduler's; each race has one outcome or the other.
    assert outcomes <= {Status.CONFIRMED, Status.CANCELLED}


def test_the_freed_time_taken_by_someone_else_while_the_late_payment_arrives_stays_theirs(
    standin, deposit_service, perm_stylist
):
    """The hold lapses and is released; then, at the same instant, another customer books the
    freed time and the first one's payment notification arrives. The newcomer's booking
    stands, whichever goes first (the payment never takes time back); the late payment is
    recorded and refunded in full at once, and its payer told why."""
    standin.refund_status = "SUCCESS"
    rounds = 3
    for i in range(rounds):
        start = START + dt.timedelta(hours=(0, 3, 5)[i])  # 10:00, 13:00, 15:00
        late_payer = make_user(f"late{i}", phone="+8613800138001", email=f"late{i}@example.com")
        newcomer = make_user(f"new{i}", phone="+8613800138002")
        hold = appointment_create(
            service=deposit_service, customer=late_payer, start=start, staff=perm_stylist, now=NOW
        )
        order = payment_start(appointment=hold, actor=late_payer, method="wechat_native").order
        standin.pay(order.out_trade_no)
        notification = standin.paid_notification(order.out_trade_no)
        lapse = hold.pay_by + dt.timedelta(seconds=1)
        assert appointment_release_unpaid(appointment=hold, now=lapse) is not None

        results = together(
            [
                lambda c=newcomer, s=start: appointment_create(
                    service=deposit_service, customer=c, start=s, staff=perm_stylist, now=NOW
                ),
                notify(notification),
            ]
        )
        booked, notified = results
        assert isinstance(booked, Appointment), results
        assert notified is None, results

        hold.refresh_from_db()
        assert hold.status == Status.CANCELLED
        holding = Appointment.objects.filter(
            staff=perm_stylist, start=start, status__in=HOLDING_STATUSES
        )
        assert list(holding.values_list("id", flat=True)) == [booked.id]
        entries = list(PaymentEntry.objects.filter(appointment=hold).values_list("kind", "amount"))
        assert entries == [("payment", FIFTY), ("refund", FIFTY)]
        account = PaymentAccount.objects.get(appointment=hold)
        assert (account.paid, account.refunded, account.refunding) == (FIFTY, FIFTY, 0)
        assert (
            sum(
                r["refund"]
                for r in standin.refunds.values()
                if r["out_trade_no"] == order.out_trade_no
            )
            == 5000
        )
        late = AppointmentEvent.objects.get(
            appointment=hold, action=AppointmentEvent.Action.PAID_LATE
        )
        told = Notification.objects.filter(appointment=hold, event=late)
        assert list(told.values_list("kind", "recipient")) == [
            (Notification.Kind.CANCELLED, late_payer.id)
        ]


def test_many_notifications_at_once_record_each_order_exactly_once(
    standin, deposit_service, perm_stylist, capsys
):
    orders = 50 if connection.vendor == "postgresql" else 15
    bookings = held_bookings(deposit_service, orders)
    calls = []
    for booking in bookings:
        order = payment_start(appointment=booking, actor=booking.customer, method="wechat_native")
        standin.pay(order.order.out_trade_no)
        # WeChat Pay sends each twice (two nonces): the second must change nothing.
        calls += [notify(standin.paid_notification(order.order.out_trade_no)) for _ in range(2)]

    began = time.perf_counter()
    results = together(calls)
    took = time.perf_counter() - began

    assert [r for r in results if r is not None] == []
    assert PaymentEntry.objects.filter(kind="payment").count() == orders
    assert Order.objects.filter(state=Order.State.PAID).count() == orders
    assert set(PaymentAccount.objects.values_list("paid", flat=True).distinct()) == {FIFTY}
    with capsys.disabled():
        print(
            f"\n{connection.vendor}: {len(calls)} notifications for {orders} orders in "
            f"{took:.2f}s ({len(calls) / took:.0f}/s), {orders} payments"
        )


def test_the_stand_in_delivers_notifications_over_http(standin, held, customer, live_server):
    """WeChat Pay's side end to end: the stand-in posts the notification to our running
    server, which answers 204 once paid and 4xx to a forged copy."""
    from tests.payments import standin as wx

    order = payment_start(appointment=held, actor=customer, method="wechat_native").order
    standin.pay(order.out_trade_no)
    url = live_server.url + "/api/v1/payments/wechat/notify"

    forged = standin.notification(standin.transaction(order.out_trade_no), key=wx.new_key())
    status, body = standin.deliver(url, forged)
    assert status == 401 and b'"FAIL"' in body
    status, _body = standin.deliver(url, standin.paid_notification(order.out_trade_no))
    assert status == 204

    held.refresh_from_db()
    assert held.status == Status.CONFIRMED
    assert PaymentEntry.objects.filter(appointment=held).count() == 1
