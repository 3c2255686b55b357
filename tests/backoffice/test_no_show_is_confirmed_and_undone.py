"""A no-show in the back office (issue 24, item 4): one tap asks first (a page, no script
needed), and the appointment page offers to undo it for ten minutes."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import TUESDAY, at, html_of, make_appointment, notices
from yuyue.bookings.models import Status

START = at(TUESDAY, "10:00")


@pytest.fixture
def due(service, stylist, customer):
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    return make_appointment(service=service, staff=stylist, customer=customer, start=START)


@pytest.mark.django_db
def test_a_no_show_is_asked_first_then_can_be_undone(as_owner, due):
    url = f"/manage/salon/appointments/{due.public_id}/"
    with time_machine.travel(START + dt.timedelta(minutes=20), tick=False):
        asked = as_owner.post(url + "no-show/")
        assert asked.status_code == 200
        assert "Record a no-show?" in html_of(asked) and 'name="confirmed" value="1"' in html_of(
            asked
        )
        due.refresh_from_db()
        assert due.status == Status.CONFIRMED

        done = as_owner.post(url + "no-show/", {"confirmed": "1"}, follow=True)
        due.refresh_from_db()
        assert due.status == Status.NO_SHOW
        assert "张小美" in notices(html_of(done))
        assert "Undo “Marked no-show” (until 10:30)" in html_of(done)

        undone = as_owner.post(url + "undo/", follow=True)
        due.refresh_from_db()
        assert due.status == Status.CONFIRMED
        assert "Undone" in html_of(undone) and "Undo “" not in html_of(undone)


@pytest.mark.django_db
def test_the_undo_button_goes_after_ten_minutes(as_owner, due):
    url = f"/manage/salon/appointments/{due.public_id}/"
    with time_machine.travel(START + dt.timedelta(minutes=20), tick=False):
        as_owner.post(url + "no-show/", {"confirmed": "1"})
    with time_machine.travel(START + dt.timedelta(minutes=31), tick=False):
        assert "Undo “" not in html_of(as_owner.get(url))
        refused = as_owner.post(url + "undo/", follow=True)
        assert "10 minutes" in notices(html_of(refused))
    due.refresh_from_db()
    assert due.status == Status.NO_SHOW
