import datetime as dt
from tests.helpers import NOW, at, make_appointment
from django.test import Client
import pytest
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
WED = dt.date(2026,12,2)

def show(r, a=1300, b=3500):
    print("=====", r.status_code, r.get("Location"))
    print(r.content.decode()[a:b])

def test_probe(as_customer, browser, service, stylist, location, customer, stranger):
    mine = make_appointment(service=service, staff=stylist, customer=customer, start=at(WED, "10:00"))
    service.active = False
    service.save()
    c = Client(raise_request_exception=False); c.force_login(customer)
    r = c.get(f"/appointments/{mine.public_id}/reschedule/")
    print(r.status_code)
    r = c.post(f"/appointments/{mine.public_id}/reschedule/confirm/", {"start": "2026-12-02T14:00+08:00", "staff": str(stylist.id)})
    print(r.status_code)
    mine.refresh_from_db(); print(mine.start)
    r = c.get("/", HTTP_ACCEPT_LANGUAGE="en")
    show(r, 1000, 2500)
    assert 0
