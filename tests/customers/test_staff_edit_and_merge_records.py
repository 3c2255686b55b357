"""Owners and staff edit a record and merge two records of one person, through the back
office and the services; nobody else can, and two accounts are never merged."""

import pytest

from tests.customers.conftest import ALLERGY, WALK_IN_PHONE
from tests.helpers import TUESDAY, at, html_of, make_appointment, office_browser_for
from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business
from yuyue.customers.models import Customer
from yuyue.customers.services import (
    MergeRefused,
    customer_create,
    customer_for_booking,
    customer_merge,
    customer_update,
)
from yuyue.lib.errors import Duplicate, InvalidInput, NotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_staff_edit_a_record_from_its_page(walk_in, staff_user, stylist):
    desk = office_browser_for(staff_user)

    response = desk.post(
        f"/manage/salon/customers/{walk_in.id}/",
        {
            "name": "赵丽",
            "phone": "13917778117",
            "email": "zhao@example.com",
            "tags": "VIP，敏感肌, vip",
            "notes": ALLERGY + "\n喜欢安静",
        },
    )

    assert response.status_code == 303
    walk_in.refresh_from_db()
    assert (walk_in.name, walk_in.phone, walk_in.email) == (
        "赵丽",
        WALK_IN_PHONE,
        "zhao@example.com",
    )
    assert walk_in.tags == ["VIP", "敏感肌"]
    html = html_of(desk.get(f"/manage/salon/customers/{walk_in.id}/"))
    assert "喜欢安静" in html and "敏感肌" in html


def test_a_bad_edit_names_the_field_and_changes_nothing(walk_in, owner):
    with pytest.raises(InvalidInput) as refused:
        customer_update(actor=owner, customer=walk_in, name="", phone="12", tags=["x" * 21])

    assert set(refused.value.fields) == {"name", "phone", "tags"}
    walk_in.refresh_from_db()
    assert walk_in.name == "赵女士"


def test_a_phone_another_record_has_is_refused(walk_in, owner, business):
    other = customer_create(actor=owner, business=business, name="钱先生", phone="13800001111")

    with pytest.raises(Duplicate):
        customer_update(actor=owner, customer=other, phone=WALK_IN_PHONE)


def test_adding_a_phone_the_business_has_gives_that_record(walk_in, owner, business):
    again = customer_create(actor=owner, business=business, name="Ms Zhao", phone=WALK_IN_PHONE)

    assert again.pk == walk_in.pk
    assert Customer.objects.filter(business=business).count() == 1


def test_merging_moves_appointments_notes_and_tags_then_deletes_the_other(
    walk_in_booking, walk_in, owner, business, customer, service, stylist
):
    booked_herself = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "17:00")
    )
    own = booked_herself.client
    customer_update(actor=owner, customer=own, tags=["常客"], notes="周末来")
    customer_update(actor=owner, customer=walk_in, tags=["VIP"])
    desk = office_browser_for(owner)

    found = html_of(desk.get(f"/manage/salon/customers/{walk_in.id}/merge/", {"q": "customer"}))
    assert "customer" in found and f'value="{own.id}"' in found
    response = desk.post(f"/manage/salon/customers/{walk_in.id}/merge/", {"into": own.id})

    assert response.status_code == 303
    assert response["Location"] == f"/manage/salon/customers/{own.id}/"
    assert not Customer.objects.filter(pk=walk_in.pk).exists()
    own.refresh_from_db()
    assert set(Appointment.objects.filter(client=own)) == {walk_in_booking, booked_herself}
    assert own.notes == "周末来\n\n" + ALLERGY
    assert own.tags == ["常客", "VIP"]
    assert own.user == customer
    # The phone record's appointment stays without an account: merging proves nothing.
    walk_in_booking.refresh_from_db()
    assert walk_in_booking.customer is None


def test_two_accounts_are_never_merged(owner, business, customer, stranger):
    first = customer_for_booking(business=business, user=customer)
    second = customer_for_booking(business=business, user=stranger)

    with pytest.raises(MergeRefused):
        customer_merge(actor=owner, keep=first, other=second)

    assert Customer.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_only_the_business_may_edit_or_merge(walk_in, business, owner, stranger, other_owner):
    elsewhere = Business.objects.get(slug="elsewhere")
    theirs = customer_create(actor=other_owner, business=elsewhere, name="孙先生", phone="")
    mine = customer_create(actor=owner, business=business, name="钱先生", phone="")

    for actor in (stranger, other_owner):
        with pytest.raises(NotAllowed):
            customer_update(actor=actor, customer=walk_in, name="X")
        with pytest.raises(NotAllowed):
            customer_merge(actor=actor, keep=walk_in, other=mine)
        with pytest.raises(NotAllowed):
            customer_create(actor=actor, business=business, name="Y", phone="")
    with pytest.raises(NotAllowed):
        customer_merge(actor=owner, keep=walk_in, other=theirs)
    walk_in.refresh_from_db()
    assert walk_in.name == "赵女士"


def test_strangers_get_404_on_the_record_pages(walk_in, stranger, other_owner):
    for person in (stranger, other_owner):
        desk = office_browser_for(person)
        assert desk.get(f"/manage/salon/customers/{walk_in.id}/").status_code == 404
        assert desk.post(f"/manage/salon/customers/{walk_in.id}/", {"name": "X"}).status_code == 404
        merge = desk.post(f"/manage/salon/customers/{walk_in.id}/merge/", {"into": walk_in.id})
        assert merge.status_code == 404
    walk_in.refresh_from_db()
    assert walk_in.name == "赵女士"
