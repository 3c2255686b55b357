"""Schemathesis against /api/v1/openapi.json: every operation, every built-in check, in-process.

Each operation is its own test, against a seeded demo-like business, with an owner's token
where the operation declares security. Positive cases are sometimes aimed at rows that exist
(the salon, its services, staff and appointments, times on the grid), so success paths get
fuzzed too and not only "not found"; negative cases are left exactly as generated.

Two checks of our own run next to the built-in ones: every error has the one error shape,
and every 422 names at least one field.

Built-in checks run with their defaults, except one: positive_data_acceptance also accepts
422. A schema cannot say everything the services check — a password that is too common, a
phone number that does not exist, a range of more than 62 days, hours that overlap, an id
that names nothing at this business — so valid-looking data can be refused, always with
`details.fields` naming why (our second check makes sure of that).

Examples per operation in the fuzzing phase: YUYUE_SCHEMATHESIS_EXAMPLES (default 50), whatever
the Hypothesis profile; the examples and coverage phases add their own cases on top.
"""

import datetime as dt
import os
import zoneinfo
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES
from schemathesis.core.parameters import ParameterLocation

from config.wsgi import application
from tests.helpers import make_user, owner_of
from yuyue.accounts.services import token_issue
from yuyue.bookings.availability import availability
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import business_create, location_create, service_create
from yuyue.scheduling.services import staff_hours_set, staff_member_create

EXAMPLES = int(os.environ.get("YUYUE_SCHEMATHESIS_EXAMPLES", "50"))
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
EVERY_DAY = {
    day: [["09:00", "12:00"], ["13:00", "20:00"]]
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
            }
        },
        # The test sends the Authorization header itself (a real token); Schemathesis still
        # checks that each secured operation refuses a request without one or with a bad one.
        "generation": {"max-examples": EXAMPLES, "with-security-parameters": False},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@schemathesis.check
def errors_have_the_one_shape(ctx, response, case):
    if response.status_code < 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, body
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    assert error["details"] is None or isinstance(error["details"], dict), body
    return None


@schemathesis.check
def validation_errors_name_a_field(ctx, response, case):
    if response.status_code == 422:
        fields = response.json()["error"]["details"]["fields"]
        assert isinstance(fields, dict) and fields, response.text
    return None


class World:
    """The seeded business and the ids an aimed case may use."""

    def __init__(self) -> None:
        self.owner = make_user("fuzz-owner", phone="+8613800138001")
        self.customer = make_user("fuzz-customer", phone="+8613800138002")
        self.business = business_create(owner=self.owner, slug="demo", name="悦己美发沙龙")
        shop = location_create(business=self.business, actor=owner_of(self.business), name="静安店")
        harbour = location_create(
            business=self.business,
            actor=owner_of(self.business),
            name="Harbour",
            timezone="Asia/Hong_Kong",
        )
        cut = service_create(
            business=self.business,
            actor=owner_of(self.business),
            name="洗剪吹",
            duration_minutes=60,
            price=Decimal("88.00"),
            min_notice_minutes=0,
            cancel_cutoff_minutes=0,
            reschedule_cutoff_minutes=0,
        )
        group = service_create(
            business=self.business,
            actor=owner_of(self.business),
            name="瑜伽课",
            duration_minutes=30,
            price=Decimal("50.00"),
            capacity=5,
            requires_confirmation=True,
            min_notice_minutes=0,
        )
        staff = [
            staff_member_create(
                business=self.business,
                actor=owner_of(self.business),
                name="Tony",
                services=[cut, group],
                location=shop,
            ),
            staff_member_create(
                business=self.business,
                actor=owner_of(self.business),
                name="Amy",
                services=[cut],
                location=harbour,
            ),
        ]
        for member in staff:
            staff_hours_set(staff=member, actor=owner_of(member), hours=EVERY_DAY)
        self.services = [cut, group]
        self.staff = staff
        self.locations = [shop, harbour]
        today = dt.datetime.now(SHANGHAI).date()
        self.days = [today + dt.timedelta(days=n) for n in range(1, 8)]
        free = availability(service=cut, date_from=self.days[0], date_to=self.days[-1]).slots
        self.starts = [slot.start.astimezone(SHANGHAI) for slot in free]
        self.appointments = [
            appointment_create(service=cut, customer=self.customer, start=self.starts[i]).public_id
            for i in (0, 3, 6)
        ] + [appointment_create(service=cut, customer=self.owner, start=self.starts[9]).public_id]
        self.owner_token = token_issue(user=self.owner).key

    def throwaway_token(self) -> str:
        """For operations that end their token (logout, password change)."""
        return token_issue(user=make_user(f"fuzz-{os.urandom(4).hex()}")).key


# The hook below runs while Hypothesis generates, inside the test, after the fixture seeded
# the database; it finds the seeded world here.
_CURRENT: dict[str, World] = {}


@pytest.fixture
def world(db, settings):
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/m")
    # Requests go straight to the WSGI application, which closes the database connection
    # after each one; the test's transaction lives on that connection, so keep it open, as
    # Django's own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    _CURRENT["world"] = World()
    yield _CURRENT["world"]
    _CURRENT.clear()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _aimed(case, choices: list[int]):
    """In positive cases, sometimes point ids, dates and times at what exists."""
    world = _CURRENT.get("world")
    meta = case.meta
    if world is None or meta is None or meta.generation.mode.is_negative:
        return case
    draws = iter(choices)

    def pick(values):
        return values[next(draws) % len(values)]

    values = {
        "slug": lambda: world.business.slug,
        "id": lambda: pick(world.appointments),
        "service_id": lambda: pick(world.services).id,
        "staff_id": lambda: pick(world.staff).id,
        "location_id": lambda: pick(world.locations).id,
        "date_from": lambda: pick(world.days[:3]).isoformat(),
        "date_to": lambda: pick(world.days[3:]).isoformat(),
        "date": lambda: pick(world.days).isoformat(),
        "start": lambda: pick(world.starts).isoformat(),
    }
    for location in (ParameterLocation.PATH, ParameterLocation.QUERY, ParameterLocation.BODY):
        container = case.get_container(location)
        if not isinstance(container, dict) or meta.is_negative_at(location):
            continue
        for name, make in values.items():
            # Three times in four a real row, otherwise what Hypothesis made up. (Hypothesis
            # favours 0, so 0 must mean "aim".)
            if container.get(name) is not None and next(draws) % 4 != 3:
                container[name] = make()
    return case


@schema.hook
def flatmap_case(context, case):
    choices = st.lists(st.integers(0, 10**6), min_size=60, max_size=60)
    return choices.map(lambda drawn: _aimed(case, drawn))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_the_api_keeps_its_documented_contract(case, world):
    headers = {}
    if case.operation.definition.raw.get("security"):
        ends_its_token = case.path in {"/api/v1/auth/logout", "/api/v1/auth/password"}
        token = world.throwaway_token() if ends_its_token else world.owner_token
        headers["Authorization"] = f"Bearer {token}"
    case.call_and_validate(
        headers=headers,
        additional_checks=[errors_have_the_one_shape, validation_errors_name_a_field],
    )
