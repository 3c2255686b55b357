"""One appointment: when (in the shop's time, with its zone), with whom, where, and what the
customer may still do about it."""

import pytest

from tests.helpers import TUESDAY, at, browser_for, html_of, make_appointment
from yuyue.bookings.models import Appointment, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def detail(customer, appointment, english: bool = True) -> str:
    response = browser_for(customer, english=english).get(f"/appointments/{appointment.public_id}/")
    assert response.status_code == 200
    return html_of(response)


def test_it_shows_the_local_time_with_its_zone(customer, booked):
    html = detail(customer, booked)

    assert '<strong class="when">Wed 2 Dec 2026, 10:00</strong>' in html
    assert "All times are China Standard Time (UTC+08:00)." in html
    assert "<dd>Tony 老师</dd>" in html
    assert "<dd>静安店<br>上海市静安区南京西路 1 号 " in html
    assert "<dd>¥88</dd>" in html
    assert f"<code>{booked.public_id}</code>" in html
    assert '<span class="status status-confirmed">Confirmed</span>' in html


def test_in_chinese_the_time_reads_the_chinese_way(customer, booked):
    html = detail(customer, booked, english=False)

    assert "2026年12月2日 10:00</strong>" in html
    assert "时间均为北京时间（UTC+08:00）。" in html
    assert '<span class="status status-confirmed">已确认</span>' in html


def test_the_price_is_the_one_booked_not_today_s(customer, booked, service):
    service.price = "99.00"
    service.save()

    assert "<dd>¥88</dd>" in detail(customer, booked)


def test_the_notes_are_shown_as_text(customer, booked):
    Appointment.objects.filter(id=booked.id).update(notes="<b>请剪短</b>")

    html = detail(customer, booked)

    assert "&lt;b&gt;请剪短&lt;/b&gt;" in html
    assert "<b>请剪短</b>" not in html


def test_before_the_cut_off_it_offers_to_cancel_and_reschedule(customer, booked):
    html = detail(customer, booked)

    assert f'href="/appointments/{booked.public_id}/reschedule/">Reschedule</a>' in html
    assert f'href="/appointments/{booked.public_id}/cancel/">Cancel appointment</a>' in html
    assert f'href="/appointments/{booked.public_id}/calendar.ics"' in html
    assert "too late" not in html


def test_after_the_cut_off_it_says_it_is_too_late_and_offers_no_changes(customer, too_late):
    html = detail(customer, too_late)

    assert "/cancel/" not in html
    assert "/reschedule/" not in html
    assert "It is too late to change this appointment online; please call the shop." in html
    assert f'href="/appointments/{too_late.public_id}/calendar.ics"' in html


def test_the_too_late_message_gives_the_shop_s_phone(customer, too_late, location):
    location.phone = "021-5555 0101"
    location.save()

    html = detail(customer, too_late)

    # National format for the business's country, the international form to dial.
    assert '<a href="tel:+862155550101">021 5555 0101</a>' in html


def test_exactly_at_the_cut_off_changes_are_still_offered(customer, booked, time_machine):
    time_machine.move_to("2026-12-02T08:00:00+08:00", tick=False)  # 120 minutes before

    html = detail(customer, booked)

    assert "/cancel/" in html
    assert "/reschedule/" in html


@pytest.mark.parametrize(
    "status", [Status.CANCELLED, Status.COMPLETED, Status.NO_SHOW, Status.IN_PROGRESS]
)
def test_an_appointment_past_changing_offers_no_actions(customer, booked, status):
    Appointment.objects.filter(id=booked.id).update(status=status)

    html = detail(customer, booked)

    assert "/cancel/" not in html
    assert "/reschedule/" not in html
    assert "too late" not in html


def test_a_cancelled_appointment_has_no_calendar_link(customer, booked):
    Appointment.objects.filter(id=booked.id).update(status=Status.CANCELLED)

    html = detail(customer, booked)

    assert "calendar.ics" not in html
    assert '<span class="status status-cancelled">Cancelled</span>' in html


def test_a_past_appointment_offers_no_actions(service, stylist, customer):
    past = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(TUESDAY, "06:00"),
    )

    html = detail(customer, past)

    assert "/cancel/" not in html
    assert "/reschedule/" not in html
