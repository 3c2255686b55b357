"""A visit that already happened, written down afterwards (issue 24, item 2): completed at
once, by staff and owners only, ended before now and at most RECORD_PAST_DAYS back, never over
another visit of that staff member; nobody is notified."""

import datetime as dt

import pytest
from django.utils import translation

from tests.helpers import NOW, at, make_appointment, make_user
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import RECORD_PAST_DAYS, appointment_record_past
from yuyue.customers.services import customer_for_booking
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

YESTERDAY = NOW.date() - dt.timedelta(days=1)


def record(*, actor, service, stylist, customer, start):
    client = customer_for_booking(business=service.business, user=customer)
    return appointment_record_past(
        service=service, client=client, staff=stylist, start=start, actor=actor
    )


def test_yesterdays_walk_in_is_recorded_as_completed_without_messages(
    staff_user, service, stylist, customer
):
    visit = record(
        actor=staff_user,
        service=service,
        stylist=stylist,
        customer=customer,
        start=at(YESTERDAY, "15:00"),
    )

    assert visit.status == Status.COMPLETED and visit.channel == "backoffice"
    assert visit.price == service.price
    (event,) = visit.events.all()
    assert event.action == AppointmentEvent.Action.CREATED and event.data["recorded_after"]
    assert not Notification.objects.filter(appointment=visit).exists()


@pytest.mark.parametrize(
    ("start", "why"),
    [
        (NOW - dt.timedelta(minutes=30), "ended by now"),
        (NOW - dt.timedelta(days=RECORD_PAST_DAYS, minutes=1), "days afterwards"),
    ],
)
def test_only_visits_that_ended_recently(owner, service, stylist, customer, start, why):
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        record(actor=owner, service=service, stylist=stylist, customer=customer, start=start)
    assert why in " ".join(refused.value.fields["start"])


def test_never_over_another_visit_of_that_staff_member(owner, service, stylist, customer):
    make_appointment(
        service=service,
        staff=stylist,
        customer=make_user("earlier"),
        start=at(YESTERDAY, "15:00"),
        status="completed",
    )
    with pytest.raises(InvalidInput):
        record(
            actor=owner,
            service=service,
            stylist=stylist,
            customer=customer,
            start=at(YESTERDAY, "15:30"),
        )
    # A missed appointment left the time free.
    make_appointment(
        service=service,
        staff=stylist,
        customer=make_user("missed"),
        start=at(YESTERDAY, "10:00"),
        status="no_show",
    )
    ten = at(YESTERDAY, "10:00")
    record(actor=owner, service=service, stylist=stylist, customer=customer, start=ten)


def test_customers_cannot_record_visits(service, stylist, customer):
    with pytest.raises(NotAllowed):
        record(
            actor=customer,
            service=service,
            stylist=stylist,
            customer=customer,
            start=at(YESTERDAY, "15:00"),
        )
