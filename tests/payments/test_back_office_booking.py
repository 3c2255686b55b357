"""The shop books a deposit service for a caller: paid in the shop (waived) unless it ticks
that the customer pays online, which holds the time awaiting payment."""

import pytest

from tests.backoffice.test_booking_for_phone_and_walk_in_customers import choose
from tests.helpers import TUESDAY, office_browser_for, owner_of
from yuyue.bookings.models import Appointment
from yuyue.customers.services import customer_create, customer_for_booking

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.mark.parametrize(("ask", "status"), [("", "confirmed"), ("1", "awaiting_payment")])
def test_the_shop_waives_the_deposit_unless_it_asks_for_it(
    business, customer, deposit_service, perm_stylist, ask, status
):
    # A customer of the salon's (a record linked to their account, as after a booking of their own).
    customer_for_booking(business=business, user=customer)
    browser = office_browser_for(owner_of(business))
    form = {
        "customer": choose(browser, "13700137000"),
        "service": deposit_service.id,
        "staff": perm_stylist.id,
        "date": TUESDAY.isoformat(),
        "time": "15:00",
    }
    if ask:
        form["ask_payment"] = ask
    assert browser.post("/manage/salon/book/", form).status_code == 303
    assert Appointment.objects.get(customer=customer).status == status


def test_a_customer_without_an_account_is_never_held_for_payment(
    business, deposit_service, perm_stylist
):
    owner = owner_of(business)
    walk_in = customer_create(actor=owner, business=business, name="赵女士", phone="13917778117")
    browser = office_browser_for(owner)
    form = {
        "customer": choose(browser, "13917778117"),
        "service": deposit_service.id,
        "staff": perm_stylist.id,
        "date": TUESDAY.isoformat(),
        "time": "15:00",
        # Asked for, but she has no account to pay with: paid in the shop.
        "ask_payment": "1",
    }
    assert browser.post("/manage/salon/book/", form).status_code == 303
    booked = Appointment.objects.get(client=walk_in)
    assert (booked.status, booked.customer, booked.pay_by) == ("confirmed", None, None)
