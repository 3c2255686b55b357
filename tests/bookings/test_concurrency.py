"""Real concurrent clients racing for one staff member's time (docs/booking.md#locking-order).

Each thread has its own database connection and calls the same service the API calls; the
database (row locks and exclusion constraints on PostgreSQL, BEGIN IMMEDIATE on SQLite) must
let exactly `capacity` of them win. Afterwards one SQL query over the table confirms that no
instant of the staff member's time is held more than `capacity` times.
"""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from tests.helpers import (
    NOW,
    RACE_CONNECTIONS,
    WEDNESDAY,
    at,
    make_appointment,
    make_staff,
    make_user,
    owner_of,
)
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.models import HOLDING_STATUSES
from yuyue.bookings.services import appointment_create, appointment_reschedule
from yuyue.catalog.services import service_update
from yuyue.scheduling.models import StaffMember

pytestmark = pytest.mark.django_db(transaction=True)

# A 90-minute service on a 30-minute grid: 09:00, 09:30 and 10:00 all contain 10:00–10:30,
# so whichever of them win, at most `capacity` appointments can ever hold that half hour.
RACED_STARTS = [at(WEDNESDAY, "09:00"), at(WEDNESDAY, "09:30"), at(WEDNESDAY, "10:00")]
MAX_CONNECTIONS = RACE_CONNECTIONS

PEAK_SQL = """
SELECT COALESCE(MAX(n), 0) FROM (
    SELECT a.id, COUNT(b.id) AS n
    FROM bookings_appointment a
    JOIN bookings_appointment b
      ON b.staff_id = a.staff_id
     AND b.status IN %(holding)s
     AND b.occupied_start <= a.occupied_start
     AND a.occupied_start < b.occupied_end
    WHERE a.staff_id = %(staff)s AND a.status IN %(holding)s
    GROUP BY a.id
) AS per_start
"""


def threads() -> int:
    return 100 if connection.vendor == "postgresql" else 30


def peak_holding(staff_id: int) -> int:
    """The most holding appointments covering any one instant of this staff member's time.

    The peak of overlapping half-open spans is always reached at some span's start, so it is
    enough to count, for each appointment, the spans that cover its start.
    """
    holding = tuple(str(status) for status in HOLDING_STATUSES)
    placeholders = "(" + ", ".join(["%s"] * len(holding)) + ")"
    sql = PEAK_SQL.replace("%(holding)s", placeholders).replace("%(staff)s", "%s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*holding, staff_id, *holding])
        return cursor.fetchone()[0]


def race(attempts):
    """Run every attempt in its own thread, all released at once; return their outcomes."""
    barrier = threading.Barrier(len(attempts))
    gate = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def run(attempt):
        barrier.wait()
        with gate:
            try:
                attempt()
                return "won"
            except SlotUnavailable:
                return "conflict"
            except Exception as error:  # a crash is a finding, reported by the assertion
                return f"crash: {error!r}"
            finally:
                connections.close_all()

    connections.close_all()
    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


@pytest.mark.parametrize("capacity", [1, 3])
def test_only_capacity_bookings_win_a_race(service, stylist, capacity):
    service_update(
        service=service,
        actor=owner_of(service),
        duration_minutes=90,
        slot_interval_minutes=30,
        capacity=capacity,
    )
    customers = [make_user(f"racer{i}", phone="+8613800138000") for i in range(threads())]

    def attempt_for(i):
        return lambda: appointment_create(
            service=service,
            customer=customers[i],
            staff=stylist if i % 2 else None,
            start=RACED_STARTS[i % len(RACED_STARTS)],
            now=NOW,
        )

    outcomes = race([attempt_for(i) for i in range(len(customers))])

    assert [o for o in outcomes if o.startswith("crash")] == []
    assert outcomes.count("won") == capacity
    assert outcomes.count("conflict") == len(customers) - capacity
    assert peak_holding(stylist.id) == capacity


@pytest.mark.parametrize("capacity", [1, 3])
def test_only_capacity_reschedules_win_a_race(service, stylist, capacity):
    service_update(
        service=service,
        actor=owner_of(service),
        duration_minutes=90,
        slot_interval_minutes=30,
        capacity=capacity,
    )
    customers = [make_user(f"mover{i}", phone="+8613800138000") for i in range(threads())]
    # Each customer holds their own slot on a later day (three 90-minute slots a morning and
    # two an afternoon, five a working day), all on the same staff member.
    own_slots = []
    day = WEDNESDAY + dt.timedelta(days=1)
    while len(own_slots) < len(customers):
        if day.weekday() < 5:
            own_slots += [at(day, t) for t in ("09:00", "10:30", "13:00", "14:30", "16:00")]
        day += dt.timedelta(days=1)
    appointments = [
        make_appointment(service=service, staff=stylist, customer=c, start=s)
        for c, s in zip(customers, own_slots, strict=False)
    ]

    def attempt_for(i):
        return lambda: appointment_reschedule(
            appointment=appointments[i],
            actor=customers[i],
            start=RACED_STARTS[i % len(RACED_STARTS)],
            now=NOW,
        )

    outcomes = race([attempt_for(i) for i in range(len(customers))])

    assert [o for o in outcomes if o.startswith("crash")] == []
    assert outcomes.count("won") == capacity
    assert peak_holding(stylist.id) == capacity


def test_a_rush_on_one_time_for_any_staff_gives_each_staff_member_one_booking(
    business, service, location, stylist
):
    # Everyone ranks the same best fit before the lock; all but one find them held or taken
    # and try the next best, then wait for those still held: each staff member is booked once.
    team = [stylist]
    for i in range(3):
        member = make_staff(service=service, location=location, name=f"Rush {i}")
        team.append(member)
    customers = [make_user(f"rusher{i}", phone="+8613800138000") for i in range(threads())]

    def attempt_for(i):
        return lambda: appointment_create(
            service=service, customer=customers[i], start=RACED_STARTS[0], now=NOW
        )

    outcomes = race([attempt_for(i) for i in range(len(customers))])

    assert [o for o in outcomes if o.startswith("crash")] == []
    assert outcomes.count("won") == len(team)
    assert outcomes.count("conflict") == len(customers) - len(team)
    assert all(peak_holding(member.id) == 1 for member in team)


def test_an_any_staff_reschedule_does_not_wait_for_a_candidate_someone_else_is_booking(
    business, service, location, stylist
):
    # Another transaction holds the best fit's staff row (it is booking them right now). An
    # "any staff" reschedule takes the path a booking takes: it tries that row without waiting,
    # finds it held and moves to the next best. Locking every candidate first, as it once did,
    # would wait for the held row: its connection gives up on a lock wait after a few seconds.
    if connection.vendor != "postgresql":
        pytest.skip("row locks: SQLite lets one writer in at a time, whatever it locks")
    second = make_staff(service=service, location=location, name="Second")
    customer = make_user("mover", phone="+8613800138000")
    appointment = make_appointment(
        service=service, staff=second, customer=customer, start=at(WEDNESDAY, "15:00")
    )
    target = at(WEDNESDAY, "10:00")  # both free; the tie goes to the lower id, the held stylist
    outcome = []

    def reschedule():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")
            moved = appointment_reschedule(
                appointment=appointment, actor=customer, start=target, any_staff=True, now=NOW
            )
            outcome.append((moved.staff_id, moved.start))
        except Exception as error:  # a lock wait that timed out, or any crash, is the finding
            outcome.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        held = StaffMember.objects.select_for_update().get(id=stylist.id)
        assert held.id < second.id
        racer = threading.Thread(target=reschedule)
        racer.start()
        racer.join()

    assert outcome == [(second.id, target)]
    appointment.refresh_from_db()
    assert (appointment.staff_id, appointment.start) == (second.id, target)
