"""The owner's payments page and its CSV (docs/payments.md#the-payments-page), on a small
ledger checked by hand; owners only, like the dashboard.

The week of Tuesday 1 December (Monday 30 November to Sunday 6 December):
  Tue 08:00  perm A's deposit paid through WeChat Pay (Native)      50.00
  Tue 08:00  perm B's deposit paid through WeChat Pay (Native)      50.00
  Tue 08:00  an owner refunds 12.34 of A's deposit (WeChat answers at once)  −12.34
  Tue 08:00  an owner refunds 20.00 of B's (WeChat has not answered: under way, not counted)
  Wed 19:30  A pays the rest at the counter in cash                250.00
  Wed 19:31  and a fen by the shop's Alipay QR code                  0.01
  Tue 08:20  perm C's order closes unpaid (a failure)
  Mon 7 Dec  A pays 1.00 by card: next week, not in this one.
Received 350.01, refunded 12.34, net 337.67.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine

from tests.helpers import (
    NOW,
    TUESDAY,
    WEDNESDAY,
    at,
    html_of,
    make_user,
    office_browser_for,
    owner_of,
)
from tests.payments.conftest import START
from tests.payments.test_wechat_pay import send
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import business_create
from yuyue.payments.models import Order
from yuyue.payments.services import (
    payment_orders_check,
    payment_record_counter,
    payment_refund_partial,
    payment_start,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
PAGE = "/manage/salon/payments/"
CSV = "/manage/salon/payments/ledger.csv"


def paid_online(standin, appointment):
    order = payment_start(
        appointment=appointment, actor=appointment.customer, method="wechat_native"
    ).order
    standin.pay(order.out_trade_no)
    assert send(standin.paid_notification(order.out_trade_no)).status_code == 204
    return order


@pytest.fixture
def ledger(standin, held, deposit_service, perm_stylist, staff_user):
    owner = owner_of(held)
    b = appointment_create(
        service=deposit_service,
        customer=make_user("payer-b", phone="+8613800138001"),
        start=START + dt.timedelta(hours=3),
        staff=perm_stylist,
        now=NOW,
    )
    c = appointment_create(
        service=deposit_service,
        customer=make_user("payer-c", phone="+8613800138002"),
        start=START + dt.timedelta(hours=5),
        staff=perm_stylist,
        now=NOW,
    )
    paid_online(standin, held)
    paid_online(standin, b)
    standin.refund_status = "SUCCESS"
    payment_refund_partial(appointment=held, actor=owner, amount=Decimal("12.34"), reason="少剪")
    standin.refund_status = "PROCESSING"
    payment_refund_partial(appointment=b, actor=owner, amount=Decimal("20.00"), reason="=晚到")
    payment_start(appointment=c, actor=c.customer, method="wechat_native")
    payment_orders_check(appointment=c, now=c.pay_by + dt.timedelta(minutes=5))
    with time_machine.travel(at(WEDNESDAY, "19:30"), tick=False):
        payment_record_counter(
            appointment=held, actor=staff_user, channel="cash", amount=Decimal("250.00")
        )
    with time_machine.travel(at(WEDNESDAY, "19:31"), tick=False):
        payment_record_counter(
            appointment=held,
            actor=staff_user,
            channel="alipay_qr",
            amount=Decimal("0.01"),
            note="-扫码",
        )
    with time_machine.travel(at(TUESDAY + dt.timedelta(days=6), "10:00"), tick=False):
        payment_record_counter(
            appointment=held, actor=staff_user, channel="card", amount=Decimal("1.00")
        )
    return {"a": held, "b": b, "c": c}


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def cells(html: str, attrs: str) -> list[str]:
    row = re.search(rf"<tr {attrs}>(.*?)</tr>", html, re.S).group(1)
    return re.findall(r'<td class="num">(?:<strong>)?([^<]*)<', row)


def test_the_week_by_day_and_channel_is_exact(ledger):
    response = office_browser_for(owner_of(ledger["a"])).get(PAGE)
    assert response.status_code == 200
    html = html_of(response)
    # This week by default, in the business's zone.
    assert 'value="2026-11-30"' in html and 'value="2026-12-06"' in html
    assert (figure(html, "received"), figure(html, "refunded"), figure(html, "net")) == (
        "¥350.01",
        "¥12.34",
        "¥337.67",
    )
    assert cells(html, 'data-channel="wechat_native"') == ["¥100", "¥12.34", "¥87.66"]
    assert cells(html, 'data-channel="cash"') == ["¥250", "¥0", "¥250"]
    assert cells(html, 'data-channel="alipay_qr"') == ["¥0.01", "¥0", "¥0.01"]
    assert 'data-channel="card"' not in html  # next week
    tuesday = 'data-day="2026-12-01" data-channel="all"'
    wednesday = 'data-day="2026-12-02" data-channel="all"'
    assert cells(html, tuesday) == ["¥100", "¥12.34", "¥87.66"]
    assert cells(html, wednesday) == ["¥250.01", "¥0", "¥250.01"]
    # B's refund is under way; C's order closed unpaid.
    pending = re.findall(r'data-refund="([^"]+)"', html)
    assert len(pending) == 1 and ledger["b"].customer.shown_name in html
    (closed,) = Order.objects.filter(account__appointment=ledger["c"])
    assert f'data-failure="{closed.out_trade_no}"' in html


def test_a_chosen_period_and_the_next_week(ledger):
    browser = office_browser_for(owner_of(ledger["a"]))
    html = html_of(browser.get(PAGE, {"from": "2026-12-07", "to": "2026-12-07"}))
    assert (figure(html, "received"), figure(html, "net")) == ("¥1", "¥1")
    assert "data-failure" not in html
    # Nonsense dates fall back to the default; wrong way round is swapped.
    assert browser.get(PAGE, {"from": "2026-13-01", "to": "x"}).status_code == 200
    html = html_of(browser.get(PAGE, {"from": "2026-12-07", "to": "2026-11-30"}))
    assert figure(html, "received") == "¥351.01"


def test_the_page_in_chinese(ledger):
    response = office_browser_for(owner_of(ledger["a"]), english=False).get(PAGE)
    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>收款与退款</h1>" in html
    assert "退款中" in html and "现金" in html


def test_the_ledger_as_csv_to_the_fen(ledger):
    response = office_browser_for(owner_of(ledger["a"])).get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "salon-payments-2026-11-30-2026-12-06.csv" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Time", "Kind", "Channel", "Amount", "Currency"]
    body = [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows[1:]]
    a = ledger["a"].public_id
    b = ledger["b"].public_id
    assert body == [
        ("2026-12-01 08:00:00", "Payment", "WeChat Pay (scan a code)", "50.00", "CNY", a),
        ("2026-12-01 08:00:00", "Payment", "WeChat Pay (scan a code)", "50.00", "CNY", b),
        ("2026-12-01 08:00:00", "Refund", "WeChat Pay (scan a code)", "-12.34", "CNY", a),
        ("2026-12-02 19:30:00", "Paid at the counter", "Cash", "250.00", "CNY", a),
        (
            "2026-12-02 19:31:00",
            "Paid at the counter",
            "The shop's Alipay QR code",
            "0.01",
            "CNY",
            a,
        ),
    ]
    assert sum(Decimal(r[3]) for r in rows[1:]) == Decimal("337.67")
    header = rows[0]
    refund = dict(zip(header, rows[3], strict=True))
    assert refund["Note"] == "少剪" and refund["WeChat refund id"].startswith("5030")
    assert refund["Order number"] and refund["WeChat transaction id"].startswith("4200")
    alipay = dict(zip(header, rows[5], strict=True))
    # Free text never starts a formula in a spreadsheet.
    assert alipay["Note"] == "'-扫码"
    assert alipay["Recorded by"] == ledger["a"].staff.user.shown_name
    assert alipay["Customer"] == ledger["a"].client.name


def test_the_csv_in_chinese(ledger):
    response = office_browser_for(owner_of(ledger["a"]), english=False).get(CSV)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["时间", "类型", "渠道", "金额"]
    assert rows[4][2] == "现金"


def test_only_the_owners_see_money(ledger, staff_user, stranger):
    rival = make_user("rival", phone="+8613500135000")
    business_create(owner=rival, slug="rival", name="别家")
    for url in (PAGE, CSV):
        assert office_browser_for(staff_user).get(url).status_code == 403
        assert office_browser_for(stranger).get(url).status_code == 404
        assert office_browser_for(rival).get(url).status_code == 404
        anonymous = office_browser_for().get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_the_navigation_links_owners_to_it(ledger, staff_user):
    html = html_of(office_browser_for(owner_of(ledger["a"])).get("/manage/salon/"))
    assert f'href="{PAGE}"' in html
    html = html_of(office_browser_for(staff_user).get("/manage/salon/"))
    assert f'href="{PAGE}"' not in html


def test_the_dashboard_revenue_is_the_ledgers_net(ledger):
    html = html_of(
        office_browser_for(owner_of(ledger["a"])).get(
            "/manage/salon/dashboard/", {"from": "2026-11-30", "to": "2026-12-06"}
        )
    )
    assert figure(html, "revenue") == "¥337.67"
    assert "¥350.01" in html and "¥12.34" in html


def test_the_systems_own_refunds_read_as_words(standin, held, customer):
    """A refund by the policy shows why in words, on the page and in the CSV."""
    from yuyue.bookings.services import appointment_cancel
    from yuyue.payments.sweep import sweep

    paid_online(standin, held)
    appointment_cancel(appointment=held, actor=customer, now=NOW)
    sweep()  # the refund asked; WeChat Pay has not answered (PROCESSING)
    browser = office_browser_for(owner_of(held))
    html = html_of(browser.get(PAGE))
    assert "By the refund policy" in html
    html = html_of(browser.get(f"/manage/salon/appointments/{held.public_id}/"))
    assert money_of(html, "refunded").startswith("¥0")
    assert "¥50 under way" in html


def money_of(html: str, name: str) -> str:
    return re.search(rf'data-money="{name}">([^<]*)<', html).group(1).strip()


def test_the_page_costs_the_same_queries_for_more_money(ledger, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = office_browser_for(owner_of(ledger["a"]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(PAGE).status_code == 200
            assert browser.get(CSV).status_code == 200
        return len(captured)

    before = queries()
    for channel in ("card", "wechat_qr", "cash", "alipay_qr"):
        payment_record_counter(
            appointment=ledger["b"], actor=staff_user, channel=channel, amount=Decimal("1.00")
        )
    assert queries() == before


def test_money_for_a_thing_sold_on_its_own_is_in_the_week_and_the_csv(ledger):
    """A member card sold at the counter names the business, not an appointment: the page
    counts it and the CSV lists it, its note saying what was sold."""
    from yuyue.payments.services import payment_record_sale

    owner = owner_of(ledger["a"])
    with time_machine.travel(at(WEDNESDAY, "20:00"), tick=False):
        payment_record_sale(
            business=ledger["a"].business,
            actor=owner,
            channel="cash",
            amount=Decimal("1000.00"),
            note="储值卡 1000",
        )
    html = html_of(office_browser_for(owner).get(PAGE))
    assert figure(html, "received") == "¥1350.01"
    assert cells(html, 'data-channel="cash"') == ["¥1250", "¥0", "¥1250"]
    rows = list(
        csv.reader(io.StringIO(office_browser_for(owner).get(CSV).content.decode("utf-8-sig")))
    )
    sale = dict(zip(rows[0], rows[-1], strict=True))
    assert (sale["Amount"], sale["Appointment"], sale["Note"]) == ("1000.00", "", "储值卡 1000")
