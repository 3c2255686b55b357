"""The database's own guard: even a write that skips the service cannot double-book."""

import pytest
from django.db import IntegrityError

from tests.helpers import WEDNESDAY, at, make_appointment, owner_of
from yuyue.catalog.services import service_create, service_update

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def test_overlapping_exclusive_appointments_are_refused(service, stylist, customer, stranger):
    make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    with pytest.raises(IntegrityError):
        make_appointment(
            service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:30")
        )


def test_buffers_are_part_of_the_guarded_span(service, stylist, customer, stranger):
    service_update(service=service, actor=owner_of(service), buffer_after_minutes=15)
    make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    with pytest.raises(IntegrityError):
        make_appointment(
            service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "11:00")
        )


def test_different_services_never_share_time(business, service, stylist, customer, stranger):
    from decimal import Decimal

    group = service_create(
        business=business,
        actor=owner_of(business),
        name="造型小课堂",
        duration_minutes=60,
        price=Decimal(0),
        capacity=6,
    )
    make_appointment(service=group, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00"))
    with pytest.raises(IntegrityError):
        make_appointment(
            service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:00")
        )


def test_a_cancelled_appointment_does_not_hold(service, stylist, customer, stranger):
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY, "10:00"),
        status="cancelled",
    )
    again = make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:00")
    )
    assert again.pk
