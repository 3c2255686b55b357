"""An appointment names the zone it happens in: its shop's, which may not be its business's."""

import datetime as dt
import zoneinfo

import pytest

from tests.helpers import make_appointment, make_staff, owner_of
from yuyue.catalog.services import location_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def test_an_appointment_at_a_shop_in_another_zone_names_the_shops_zone(
    as_customer, business, service, customer
):
    shop = location_create(
        business=business, actor=owner_of(business), name="东京店", timezone="Asia/Tokyo"
    )
    member = make_staff(service=service, location=shop, name="Ken")
    appointment = make_appointment(
        service=service,
        staff=member,
        customer=customer,
        start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TOKYO),
    )

    answer = as_customer.get(f"/api/v1/appointments/{appointment.public_id}").json()

    assert answer["zone"] == "Asia/Tokyo"
    assert answer["business"]["timezone"] == "Asia/Shanghai"
    assert answer["start"].startswith("2026-12-02T10:00:00+09:00")
