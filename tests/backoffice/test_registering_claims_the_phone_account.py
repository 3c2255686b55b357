"""A customer whom staff booked by phone registers later with that phone: the account (and
its appointments) becomes theirs instead of a second one."""

import pytest

from tests.helpers import TUESDAY, at
from yuyue.accounts.models import User
from yuyue.accounts.services import user_create_unclaimed, user_register
from yuyue.bookings.services import appointment_create
from yuyue.lib.errors import Duplicate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_registering_with_the_phone_claims_the_account_and_its_bookings(owner, service, stylist):
    guest = user_create_unclaimed(display_name="王先生", phone="13912345678")
    appointment_create(
        service=service, customer=guest, start=at(TUESDAY, "15:00"), staff=stylist, actor=owner
    )

    claimed = user_register(
        username="wang", password="a long pass phrase", phone="+86 139 1234 5678"
    )

    assert claimed.pk == guest.pk
    assert User.objects.filter(phone="+8613912345678").count() == 1
    assert claimed.username == "wang" and claimed.check_password("a long pass phrase")
    assert claimed.display_name == "王先生"
    assert claimed.appointments.count() == 1


def test_an_account_with_a_password_is_never_claimed(customer):
    other = user_register(username="copycat", password="a long pass phrase", phone=customer.phone)

    assert other.pk != customer.pk
    customer.refresh_from_db()
    assert customer.username == "customer"


def test_the_chosen_username_must_still_be_free(customer):
    user_create_unclaimed(display_name="王先生", phone="13912345678")

    with pytest.raises(Duplicate):
        user_register(username="customer", password="a long pass phrase", phone="13912345678")


def test_creating_a_customer_twice_with_one_phone_gives_the_same_account():
    first = user_create_unclaimed(display_name="王先生", phone="13912345678")
    second = user_create_unclaimed(display_name="Mr Wang", phone="+8613912345678")

    assert first.pk == second.pk
