"""The check-in code (核销): every booking gets one, staff of the business type it and the
appointment starts; every other case is refused with its reason (docs/booking.md#check-in)."""

import datetime as dt
import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.helpers import NOW, TUESDAY, WEDNESDAY, at, make_appointment
from yuyue.bookings.errors import CheckInCodeUnknown, CheckInRefused
from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_check_in,
    appointment_create,
    appointment_start,
    appointment_undo,
)
from yuyue.lib.errors import InvalidInput, NotAllowed, RateLimited

pytestmark = pytest.mark.django_db

SOON = at(TUESDAY, "08:30")


@pytest.fixture(autouse=True)
def _english():
    # The refusals are matched in English here; the pages and the API test the Chinese.
    with translation.override("en"):
        yield


@pytest.fixture
def arriving(service, stylist, customer):
    """Confirmed, starting half an hour from now: the customer is at the counter."""
    return make_appointment(service=service, staff=stylist, customer=customer, start=SOON)


def check_in(business, code, actor, now=NOW):
    return appointment_check_in(business=business, code=code, actor=actor, now=now)


def test_a_booking_gets_a_six_digit_code(service, stylist, customer):
    first = appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), staff=stylist, now=NOW
    )
    second = appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "11:00"), staff=stylist, now=NOW
    )
    for appointment in (first, second):
        assert len(appointment.checkin_code) == 6 and appointment.checkin_code.isdigit()
    assert first.checkin_code != second.checkin_code


def test_a_booking_that_draws_a_code_in_use_draws_again(
    service, stylist, customer, arriving, monkeypatch
):
    # The codes are random; here the dice are loaded so the first draw clashes.
    field = Appointment._meta.get_field("checkin_code")
    draws = itertools.chain([arriving.checkin_code], itertools.repeat("424242"))
    # Django keeps the field's default as a callable in _get_default.
    monkeypatch.setattr(field, "_get_default", lambda: next(draws))
    appointment = appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), staff=stylist, now=NOW
    )
    assert appointment.checkin_code == "424242"
    assert Appointment.objects.count() == 2
    assert appointment.events.count() == 1


def test_two_open_appointments_of_a_business_never_share_a_code(service, stylist, customer):
    first = make_appointment(service=service, staff=stylist, customer=customer, start=SOON)
    second = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=second.pk).update(checkin_code=first.checkin_code)
    # Once the first is over, its code is free again.
    Appointment.objects.filter(pk=first.pk).update(status=Status.COMPLETED)
    Appointment.objects.filter(pk=second.pk).update(checkin_code=first.checkin_code)


@pytest.mark.parametrize("who", ["owner", "staff_user"])
def test_staff_check_in_with_the_code_and_the_appointment_starts(arriving, business, who, request):
    actor = request.getfixturevalue(who)
    started = check_in(business, arriving.checkin_code, actor)
    assert started.pk == arriving.pk
    assert started.status == Status.IN_PROGRESS
    event = started.events.last()
    assert (event.action, event.actor) == (AppointmentEvent.Action.STARTED, actor)


def test_spaces_and_dashes_in_a_typed_code_are_ignored(arriving, business, owner):
    code = arriving.checkin_code
    assert check_in(business, f" {code[:3]}-{code[3:]} ", owner).status == Status.IN_PROGRESS


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", None, 123456])
def test_a_code_that_is_not_six_digits_is_refused_naming_the_field(business, owner, code):
    with pytest.raises(InvalidInput) as refused:
        check_in(business, code, owner)
    assert list(refused.value.fields) == ["code"]


def test_an_unknown_code_is_refused(arriving, business, owner):
    wrong = f"{(int(arriving.checkin_code) + 1) % 1000000:06d}"
    with pytest.raises(CheckInCodeUnknown):
        check_in(business, wrong, owner)
    arriving.refresh_from_db()
    assert arriving.status == Status.CONFIRMED


def test_another_business_cannot_use_the_code(arriving, other_owner):
    elsewhere = other_owner.memberships.get().business
    with pytest.raises(CheckInCodeUnknown):
        check_in(elsewhere, arriving.checkin_code, other_owner)


@pytest.mark.parametrize("who", ["customer", "stranger", "other_owner"])
def test_nobody_but_the_business_checks_in(arriving, business, who, request):
    with pytest.raises(NotAllowed):
        check_in(business, arriving.checkin_code, request.getfixturevalue(who))
    arriving.refresh_from_db()
    assert arriving.status == Status.CONFIRMED


def test_check_in_opens_an_hour_before_the_start(service, stylist, customer, business, owner):
    later = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "10:00")
    )
    with pytest.raises(CheckInRefused) as refused:
        check_in(business, later.checkin_code, owner, now=at(TUESDAY, "08:59"))
    assert "09:00" in refused.value.message
    assert refused.value.appointment.pk == later.pk
    started = check_in(business, later.checkin_code, owner, now=at(TUESDAY, "09:00"))
    assert started.status == Status.IN_PROGRESS


def test_another_days_appointment_is_refused(service, stylist, customer, business, owner):
    tomorrow = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    with pytest.raises(CheckInRefused, match="Too early"):
        check_in(business, tomorrow.checkin_code, owner)


def test_an_appointment_whose_time_is_over_is_refused(service, stylist, customer, business, owner):
    earlier = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "06:00")
    )
    with pytest.raises(CheckInRefused, match="time is over"):
        check_in(business, earlier.checkin_code, owner, now=at(TUESDAY, "07:00"))
    started = check_in(
        business, earlier.checkin_code, owner, now=at(TUESDAY, "07:00") - dt.timedelta(seconds=1)
    )
    assert started.status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("awaiting_payment", "awaiting payment"),
        ("pending", "not confirmed"),
        ("in_progress", "already checked in"),
        ("completed", "already completed"),
        ("cancelled", "cancelled"),
        ("no_show", "no-show"),
    ],
)
def test_an_appointment_in_another_status_is_refused_saying_why(
    service, stylist, customer, business, owner, status, says
):
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=SOON, status=status
    )
    with pytest.raises(CheckInRefused, match=says) as refused:
        check_in(business, appointment.checkin_code, owner)
    assert refused.value.appointment.pk == appointment.pk
    appointment.refresh_from_db()
    assert appointment.status == status


def test_checking_in_twice_says_it_is_already_in_progress(arriving, business, owner, staff_user):
    check_in(business, arriving.checkin_code, owner)
    with pytest.raises(CheckInRefused, match="already checked in"):
        check_in(business, arriving.checkin_code, staff_user)


def test_a_cancelled_appointments_code_says_cancelled(arriving, business, owner):
    appointment_cancel(appointment=arriving, actor=owner, now=NOW)
    with pytest.raises(CheckInRefused, match="cancelled"):
        check_in(business, arriving.checkin_code, owner)


def test_wrong_codes_are_limited_per_staff_member(arriving, business, owner, staff_user, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "checkin_failures": "3/10m"}
    wrong = f"{(int(arriving.checkin_code) + 1) % 1000000:06d}"
    for _ in range(3):
        with pytest.raises(CheckInCodeUnknown):
            check_in(business, wrong, owner)
    # Even the right code waits now: otherwise the limit would tell which guess was right.
    with pytest.raises(RateLimited) as limited:
        check_in(business, arriving.checkin_code, owner)
    assert 0 < limited.value.wait <= 600
    # A colleague at the same counter is not held up.
    assert check_in(business, arriving.checkin_code, staff_user).status == Status.IN_PROGRESS


def test_right_codes_do_not_count_against_the_limit(
    service, stylist, customer, business, owner, settings
):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "checkin_failures": "2/10m"}
    for hour in ("08:00", "09:00", "10:00", "11:00"):
        appointment = make_appointment(
            service=service, staff=stylist, customer=customer, start=at(TUESDAY, hour)
        )
        with pytest.raises(CheckInRefused):
            check_in(business, appointment.checkin_code, owner, now=at(TUESDAY, "06:00"))


def test_an_undone_check_in_gets_a_new_code_when_its_own_was_drawn_meanwhile(
    arriving, business, owner, service, stylist, customer
):
    check_in(business, arriving.checkin_code, owner)
    later = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "11:00")
    )
    Appointment.objects.filter(pk=later.pk).update(checkin_code=arriving.checkin_code)
    undone = appointment_undo(appointment=arriving, actor=owner, now=NOW)
    assert undone.status == Status.CONFIRMED
    assert undone.checkin_code != arriving.checkin_code
    assert check_in(business, undone.checkin_code, owner).pk == arriving.pk


def test_the_start_transition_still_works_without_a_code(arriving, owner):
    assert appointment_start(appointment=arriving, actor=owner, now=NOW).status == "in_progress"
