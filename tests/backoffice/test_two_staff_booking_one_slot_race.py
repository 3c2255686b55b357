"""Two staff members at two tablets book the same free slot at the same moment, for two
customers on the phone: one wins, the other is told the time is taken; never both."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from tests.backoffice.test_booking_for_phone_and_walk_in_customers import choose
from tests.helpers import TUESDAY, office_browser_for
from yuyue.bookings.models import Appointment
from yuyue.customers.services import customer_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("frozen_now")
def test_one_of_two_staff_booking_the_same_slot_wins(owner, business, staff_user, service, stylist):
    customer_create(actor=owner, business=business, name="caller-a", phone="+8613311110001")
    customer_create(actor=owner, business=business, name="caller-b", phone="+8613311110002")
    desks = [office_browser_for(owner), office_browser_for(staff_user)]
    tokens = [choose(desks[0], "13311110001"), choose(desks[1], "13311110002")]
    barrier = threading.Barrier(2)

    def book(i: int) -> int:
        barrier.wait()
        try:
            return (
                desks[i]
                .post(
                    "/manage/salon/book/",
                    {
                        "customer": tokens[i],
                        "service": service.id,
                        "staff": stylist.id,
                        "date": TUESDAY.isoformat(),
                        "time": "09:10",
                    },
                )
                .status_code
            )
        finally:
            connections.close_all()

    connections.close_all()
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(book, [0, 1]))

    assert statuses == [303, 409]
    assert Appointment.objects.filter(staff=stylist).count() == 1
