"""The back office finds a business's own customer records only: another business's owner
searching for a phone finds nothing, and cannot book that customer by naming the record."""

import pytest
from django.core import signing

from tests.customers.conftest import ALLERGY, WALK_IN_PHONE
from tests.helpers import TUESDAY, html_of, make_staff, office_browser_for
from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business
from yuyue.catalog.services import service_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def elsewhere(other_owner):
    business = Business.objects.get(slug="elsewhere")
    service = service_create(
        business=business, actor=other_owner, name="Check-up", duration_minutes=30, price=100
    )
    make_staff(service=service, name="Dr. Li")
    return business


def test_another_business_finds_nobody_by_her_phone(
    walk_in_booking, walk_in, elsewhere, other_owner
):
    desk = office_browser_for(other_owner)

    for query in ("13917778117", "+86 139 1777 8117", "赵女士", "8117"):
        html = html_of(desk.get("/manage/elsewhere/book/", {"q": query}))
        assert 'href="?customer=' not in html, query
        assert WALK_IN_PHONE not in html, query
        listing = html_of(desk.get("/manage/elsewhere/customers/", {"q": query}))
        assert "/manage/elsewhere/customers/" + str(walk_in.id) not in listing, query
        assert WALK_IN_PHONE not in listing, query


def test_her_own_business_finds_her(walk_in_booking, owner):
    html = html_of(office_browser_for(owner).get("/manage/salon/book/", {"q": "13917778117"}))

    assert 'href="?customer=' in html and "139 1777 8117" in html


def test_another_business_cannot_book_her_by_naming_her_record(
    walk_in_booking, walk_in, elsewhere, other_owner
):
    forged = signing.dumps({"b": elsewhere.id, "c": walk_in.id}, salt="yuyue.backoffice.customer")
    service = elsewhere.services.get()
    desk = office_browser_for(other_owner)

    response = desk.post(
        "/manage/elsewhere/book/",
        {
            "customer": forged,
            "service": service.id,
            "date": TUESDAY.isoformat(),
            "time": "15:00",
        },
    )

    assert response.status_code == 400
    assert not Appointment.objects.filter(business=elsewhere).exists()
    assert ALLERGY not in html_of(desk.get(f"/manage/elsewhere/customers/{walk_in.id}/"))


def test_her_record_page_is_404_at_another_business(walk_in, elsewhere, other_owner):
    response = office_browser_for(other_owner).get(f"/manage/elsewhere/customers/{walk_in.id}/")

    assert response.status_code == 404
