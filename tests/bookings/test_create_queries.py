"""A booking costs the same few queries for one staff member or many, and a refusal whose
alternatives lie on the asked day reads nothing more after its check."""

import pytest

from tests.helpers import NOW, WEDNESDAY, at, make_staff
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Service

pytestmark = pytest.mark.django_db
# Validating the staff member, hours and overrides (before the lock), the lock, the busy
# spans, the customer's record at the business (read, and on this first booking written in a
# savepoint of its own: three more), the appointment, its event, who of the business hears of
# it (the staff member's account and the owners, one query) and its messages in one insert, the
# customer's consent to the privacy policy (one INSERT … SELECT), and the savepoint the test's
# transaction makes of the booking's.
NAMED_BOOKING = 16
# The candidates instead of the validation, their busy spans read before the lock too, and the
# lock on the best fit in a savepoint of its own (let go if someone took them meanwhile) with
# that one's busy spans read again under it; the record, the listeners and the consent as above.
ANY_STAFF_BOOKING = 19
# Up to the check under the lock, then the rollback (to the test's savepoint, and its release).
REFUSAL = 8


@pytest.fixture
def loaded_service(service):
    return Service.objects.select_related("business").get(pk=service.pk)


@pytest.fixture
def team(business, service, location, stylist):
    members = [stylist]
    for i in range(4):
        member = make_staff(service=service, location=location, name=f"Staff {i}")
        members.append(member)
    return members


def test_a_named_booking_costs_a_fixed_number_of_queries(
    loaded_service, stylist, customer, django_assert_num_queries
):
    with django_assert_num_queries(NAMED_BOOKING):
        appointment_create(
            service=loaded_service,
            customer=customer,
            start=at(WEDNESDAY, "10:00"),
            staff=stylist,
            now=NOW,
        )


@pytest.mark.parametrize("size", [1, 5])
def test_an_any_staff_booking_costs_the_same_for_one_candidate_or_five(
    loaded_service, team, customer, size, django_assert_num_queries
):
    for member in team[size:]:
        member.services.clear()
    # With one candidate there is nothing to rank: reading the candidates takes the place of
    # validating a named one.
    expected = ANY_STAFF_BOOKING if size > 1 else NAMED_BOOKING
    with django_assert_num_queries(expected):
        appointment_create(
            service=loaded_service, customer=customer, start=at(WEDNESDAY, "10:00"), now=NOW
        )


def test_a_refusal_with_free_times_that_day_reads_nothing_after_its_check(
    loaded_service, stylist, customer, stranger, django_assert_num_queries
):
    appointment_create(
        service=loaded_service,
        customer=stranger,
        start=at(WEDNESDAY, "14:00"),
        staff=stylist,
        now=NOW,
    )
    with django_assert_num_queries(REFUSAL), pytest.raises(SlotUnavailable) as refused:
        appointment_create(
            service=loaded_service,
            customer=customer,
            start=at(WEDNESDAY, "14:00"),
            staff=stylist,
            now=NOW,
        )
    assert [slot.start for slot in refused.value.alternatives] == [
        at(WEDNESDAY, "13:00"),
        at(WEDNESDAY, "15:00"),
        at(WEDNESDAY, "16:00"),
    ]
