"""The last step of booking: confirm the time, log in or register on the way if needed, book
once however often the form is sent, and refuse what cannot be stored."""

from urllib.parse import parse_qs

import pytest
from django.test import Client

from tests.helpers import (
    EN,
    PASSWORD,
    WEDNESDAY,
    at,
    browser_for,
    confirm_url,
    field_block,
    field_errors,
    html_of,
    make_appointment,
    page_alerts,
    page_of,
    same_url,
)
from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, AppointmentEvent, Channel, Status
from yuyue.bookings.services import MAX_NOTES_LENGTH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TEN = "2026-12-02T10:00+08:00"


def booking(start: str = TEN, staff: str = "any", key: str = "first-tap", notes: str = ""):
    return {"start": start, "staff": staff, "key": key, "notes": notes}


# Anonymous visitors -----------------------------------------------------------------------


def test_an_anonymous_visitor_sees_login_and_register_forms_that_come_back_here(service, stylist):
    url = confirm_url(service, staff="any", start=TEN)

    response = Client(headers=EN).get(url)

    page = page_of(response)
    assert response.status_code == 200
    login, register = page.form_to("/login"), page.form_to("/register")
    assert same_url(page.hidden(login, "next"), url)
    assert same_url(page.hidden(register, "next"), url)
    assert {f.get("id") for f in login["inputs"]} >= {"login_username", "login_password"}
    assert {f.get("id") for f in register["inputs"]} >= {"register_username", "register_phone"}
    assert "Book now" not in html_of(response)


def test_the_confirm_page_shows_service_staff_time_and_price(service, stylist):
    html = html_of(Client(headers=EN).get(confirm_url(service, staff="any", start=TEN)))

    assert "<dd>洗剪吹 · 1 hour</dd>" in html
    assert "<dd>Anyone available</dd>" in html
    assert '<strong class="when">Wed 2 Dec 2026, 10:00</strong>' in html
    assert "All times are China Standard Time (UTC+08:00)." in html
    assert "<dd>¥88</dd>" in html


def test_the_confirm_page_reads_in_chinese_by_default(service, stylist):
    html = html_of(Client().get(confirm_url(service, staff=stylist.id, start=TEN)))

    assert "<dd>Tony 老师</dd>" in html
    assert "2026年12月2日 10:00</strong>" in html
    assert "时间均为北京时间（UTC+08:00）。" in html


def test_a_time_given_in_another_offset_is_the_same_instant_shown_locally(service, stylist):
    html = html_of(
        Client(headers=EN).get(confirm_url(service, staff="any", start="2026-12-02T02:00Z"))
    )

    assert "Wed 2 Dec 2026, 10:00</strong>" in html
    assert "All times are China Standard Time (UTC+08:00)." in html


def test_logging_in_from_the_confirm_page_returns_to_it(customer, service, stylist):
    url = confirm_url(service, staff="any", start=TEN)
    client = Client(headers=EN)
    page = page_of(client.get(url))
    next_url = page.hidden(page.form_to("/login"), "next")

    response = client.post(
        "/login", {"username": "customer", "password": PASSWORD, "next": next_url}
    )

    assert response.status_code == 302
    assert same_url(response["Location"], url)
    back = client.get(response["Location"])
    assert back.status_code == 200
    form = page_of(back).form_to(f"/b/salon/book/{service.id}/confirm/")
    assert page_of(back).hidden(form, "start") == TEN
    assert "Book now" in html_of(back)


def test_registering_from_the_confirm_page_returns_to_it(service, stylist):
    url = confirm_url(service, staff="any", start=TEN)
    client = Client(headers=EN)
    page = page_of(client.get(url))
    next_url = page.hidden(page.form_to("/register"), "next")

    response = client.post(
        "/register",
        {
            "username": "xiaomei",
            "password": "a-long-Secret-42",
            "phone": "13800138000",
            "next": next_url,
        },
    )

    assert response.status_code == 302
    assert same_url(response["Location"], url)
    assert "Book now" in html_of(client.get(response["Location"]))
    assert User.objects.filter(username="xiaomei").exists()


def test_an_anonymous_post_is_sent_to_login_and_books_nothing(service, stylist):
    response = Client().post(f"/b/salon/book/{service.id}/confirm/", booking())

    assert response.status_code == 302
    path, _, query = response["Location"].partition("?")
    assert path == "/login"
    assert same_url(parse_qs(query)["next"][0], confirm_url(service, staff="any", start=TEN))
    assert not Appointment.objects.exists()


# Booking ----------------------------------------------------------------------------------


def test_booking_writes_a_web_appointment_and_shows_the_done_page(customer, service, stylist):
    client = browser_for(customer, english=True)

    response = client.post(
        f"/b/salon/book/{service.id}/confirm/",
        booking(staff=str(stylist.id), key="tap-1", notes="  请剪短一点  "),
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{appointment.public_id}/done/"
    assert appointment.customer == customer
    assert appointment.staff == stylist
    assert appointment.start == at(WEDNESDAY, "10:00")
    assert appointment.channel == Channel.WEB
    assert appointment.status == Status.CONFIRMED
    assert appointment.notes == "请剪短一点"
    assert appointment.idempotency_key == "web:tap-1"
    event = AppointmentEvent.objects.get(appointment=appointment)
    assert (event.action, event.actor) == (AppointmentEvent.Action.CREATED, customer)


def test_anyone_books_the_stylist_whose_day_it_fits_best(
    customer, stranger, service, stylist, kevin
):
    # Tony is busy at 11:00, so 10:00 fills his 09:00–11:00 gap exactly; Kevin's morning
    # stays whole for a longer booking later.
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "11:00")
    )

    browser_for(customer).post(f"/b/salon/book/{service.id}/confirm/", booking(staff="any"))

    assert Appointment.objects.get(customer=customer).staff == stylist


def test_anyone_books_whoever_is_free(customer, stranger, service, stylist, kevin):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:00")
    )

    browser_for(customer).post(f"/b/salon/book/{service.id}/confirm/", booking(staff="any"))

    assert Appointment.objects.get(customer=customer).staff == kevin


def test_the_same_key_posted_twice_books_once(customer, service, stylist):
    client = browser_for(customer)
    url = f"/b/salon/book/{service.id}/confirm/"

    first = client.post(url, booking(key="double-tap"))
    second = client.post(url, booking(key="double-tap"))

    assert Appointment.objects.filter(customer=customer).count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_the_confirm_page_gives_each_visit_a_fresh_key(customer, service, stylist):
    client = browser_for(customer)
    action = f"/b/salon/book/{service.id}/confirm/"

    def key_of_a_visit() -> str:
        page = page_of(client.get(confirm_url(service, staff="any", start=TEN)))
        return page.hidden(page.form_to(action), "key")

    first, second = key_of_a_visit(), key_of_a_visit()

    assert first != second
    assert len(first) >= 16


def test_a_service_the_shop_confirms_is_booked_as_pending(customer, service, stylist):
    service.requires_confirmation = True
    service.save()

    response = browser_for(customer, english=True).post(
        f"/b/salon/book/{service.id}/confirm/", booking()
    )

    appointment = Appointment.objects.get()
    assert appointment.status == Status.PENDING
    done = browser_for(customer, english=True).get(response["Location"])
    assert "<h1>Request sent</h1>" in html_of(done)


def test_a_key_reused_for_another_time_books_nothing_more(customer, service, stylist):
    client = browser_for(customer, english=True)
    url = f"/b/salon/book/{service.id}/confirm/"
    client.post(url, booking(key="same"))

    response = client.post(url, booking(start="2026-12-02T14:00+08:00", key="same"))

    assert response.status_code in (400, 409)
    assert page_alerts(html_of(response))
    assert list(Appointment.objects.values_list("start", flat=True)) == [at(WEDNESDAY, "10:00")]


def test_too_many_bookings_at_once_are_slowed_down(customer, service, stylist, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "booking_user": "1/h"}
    client = browser_for(customer, english=True)
    url = f"/b/salon/book/{service.id}/confirm/"
    client.post(url, booking(key="one"))

    response = client.post(url, booking(start="2026-12-02T14:00+08:00", key="two"))

    assert response.status_code == 429
    assert "Too many bookings at once; please wait" in page_alerts(html_of(response))[0]
    assert Appointment.objects.count() == 1


# Refusals ---------------------------------------------------------------------------------


def test_notes_too_long_are_refused_next_to_the_field_and_nothing_is_written(
    customer, service, stylist
):
    too_long = "长" * (MAX_NOTES_LENGTH + 1)

    response = browser_for(customer, english=True).post(
        f"/b/salon/book/{service.id}/confirm/", booking(notes=too_long)
    )

    html = html_of(response)
    assert response.status_code == 400
    assert field_errors(html, "id_notes") == [
        f"Ensure this value has at most {MAX_NOTES_LENGTH} characters "
        f"(it has {MAX_NOTES_LENGTH + 1})."
    ]
    assert 'class="field has-error"' in field_block(html, "id_notes")
    assert page_of(response).textareas["notes"].strip() == too_long
    assert not Appointment.objects.exists()


def test_notes_of_exactly_the_limit_are_booked(customer, service, stylist):
    notes = "长" * MAX_NOTES_LENGTH

    browser_for(customer).post(f"/b/salon/book/{service.id}/confirm/", booking(notes=notes))

    assert Appointment.objects.get().notes == notes


def test_a_nul_character_in_the_notes_is_refused_and_nothing_is_written(customer, service, stylist):
    response = browser_for(customer, english=True).post(
        f"/b/salon/book/{service.id}/confirm/", booking(notes="短一点\x00谢谢")
    )

    assert response.status_code == 400
    assert field_errors(html_of(response), "id_notes") == [
        "This value has characters or a form that is not allowed here."
    ]
    assert not Appointment.objects.exists()


def test_an_unsent_start_is_a_400_page_naming_the_problem(customer, service, stylist):
    data = booking()
    del data["start"]

    response = browser_for(customer, english=True).post(
        f"/b/salon/book/{service.id}/confirm/", data
    )

    html = html_of(response)
    assert response.status_code == 400
    assert "<h1>Choose a time</h1>" in html
    assert "That link does not name a time to book." in html
    assert f'href="/b/salon/book/{service.id}/"' in html
    assert not Appointment.objects.exists()


def test_the_booking_form_needs_the_csrf_token(customer, service, stylist):
    client = browser_for(customer, enforce_csrf_checks=True)
    url = f"/b/salon/book/{service.id}/confirm/"

    refused = client.post(url, booking(key="no-token"))
    client.get(confirm_url(service, staff="any", start=TEN))
    accepted = client.post(
        url, {**booking(key="with-token"), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert list(Appointment.objects.values_list("idempotency_key", flat=True)) == ["web:with-token"]


def test_the_confirm_page_takes_no_other_method(customer, service, stylist):
    response = browser_for(customer).put(f"/b/salon/book/{service.id}/confirm/")

    assert response.status_code == 405


def test_a_page_already_used_for_a_booking_books_nothing_else(customer, service, stylist):
    # The back button after booking, then another time in the same form: one booking only,
    # and a message the customer can act on.
    client = browser_for(customer, english=True)
    url = f"/b/salon/book/{service.id}/confirm/"
    client.post(url, booking(key="back-button"))

    again = client.post(url, booking(start="2026-12-02T11:00+08:00", key="back-button"))

    assert again.status_code == 409
    assert Appointment.objects.filter(customer=customer).count() == 1
    assert (
        "This page was already used for a booking. See My appointments, or start again."
        in page_alerts(html_of(again))
    )


def test_a_time_that_has_passed_is_called_passed_not_taken(customer, service, stylist):
    client = browser_for(customer, english=True)

    html = html_of(client.get(confirm_url(service, staff="any", start="2026-11-30T10:00+08:00")))

    assert "That time has already passed." in html
    assert "Sorry, that time was just taken." not in html


def test_coming_back_to_the_confirm_page_after_booking_shows_the_booking(
    customer, service, stylist
):
    # The back button after booking: not "taken, here are other times", which would invite a
    # second booking of the same visit.
    client = browser_for(customer, english=True)
    client.post(f"/b/salon/book/{service.id}/confirm/", booking(key="once"))
    appointment = Appointment.objects.get(customer=customer)

    response = client.get(confirm_url(service, staff="any", start=TEN))

    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{appointment.public_id}/"
    assert "You have booked this time already." in html_of(client.get(response["Location"]))
