"""An owner erases one customer's record at the person's request, from the record's page:
afterwards no table holds the record's name, phone or email; the appointments stay. Staff who
are not owners may not; another business's owner finds nothing."""

import pytest

from tests.helpers import TUESDAY, at, html_of, office_browser_for
from tests.privacy.scan import national_spellings, traces
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_create
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db

NAME = "赵女士"
PHONE = "+8613911112222"
EMAIL = "zhao.nvshi@example.com"
NEEDLES = [NAME, *national_spellings(PHONE), EMAIL]


@pytest.fixture
def record(business, owner, service, stylist):
    walk_in = customer_create(
        actor=owner,
        business=business,
        name=NAME,
        phone="139 1111 2222",
        email=EMAIL,
        notes=f"{NAME}：对染发剂过敏",
        tags=["常客"],
    )
    appointment_create(
        service=service,
        client=walk_in,
        start=at(TUESDAY, "15:00"),
        staff=stylist,
        notes=f"{NAME} 的朋友介绍",
        actor=owner,
        staff_override=True,
    )
    drain()
    assert Notification.objects.filter(recipient=None, status="sent", address=EMAIL).exists()
    return walk_in


def _erase_url(record: Customer) -> str:
    return f"/manage/salon/customers/{record.id}/erase/"


def test_the_owner_erases_it_after_a_confirmation(record, owner):
    desk = office_browser_for(owner)
    assert f'href="{_erase_url(record)}"' in html_of(
        desk.get(f"/manage/salon/customers/{record.id}/")
    )
    confirm = desk.get(_erase_url(record))
    assert confirm.status_code == 200 and "cannot be undone" in html_of(confirm)
    assert traces(NEEDLES)
    appointments = Appointment.objects.filter(client=record).count()

    response = desk.post(_erase_url(record))

    assert response.status_code == 303
    assert traces(NEEDLES) == []
    erased = Customer.objects.get(pk=record.pk)
    assert erased.name == "已匿名顾客"  # in the business's language
    assert erased.erased_at is not None and erased.user_id is None
    assert Appointment.objects.filter(client=record).count() == appointments
    assert "Erase personal data" not in html_of(desk.get(f"/manage/salon/customers/{record.id}/"))


def test_staff_who_are_not_owners_may_not(record, staff_user):
    desk = office_browser_for(staff_user)
    assert "Erase personal data" not in html_of(desk.get(f"/manage/salon/customers/{record.id}/"))
    assert desk.get(_erase_url(record)).status_code == 403
    assert desk.post(_erase_url(record)).status_code == 403
    assert Customer.objects.get(pk=record.pk).name == NAME


def test_another_business_owner_finds_nothing(record, other_owner):
    desk = office_browser_for(other_owner)
    assert desk.post(_erase_url(record)).status_code == 404
    assert desk.post(f"/manage/elsewhere/customers/{record.id}/erase/").status_code == 404
    assert Customer.objects.get(pk=record.pk).name == NAME


def test_the_account_linked_to_the_record_is_untouched(customer, service, stylist, owner):
    appointment = appointment_create(
        service=service, customer=customer, staff=stylist, start=at(TUESDAY, "16:00")
    )
    office_browser_for(owner).post(_erase_url(appointment.client))

    customer.refresh_from_db()
    assert customer.is_active and customer.phone == "+8613700137000"
    assert not Customer.objects.filter(user=customer).exists()
    # The appointment is still hers: she sees and may cancel it.
    assert Appointment.objects.get(pk=appointment.pk).customer_id == customer.pk
