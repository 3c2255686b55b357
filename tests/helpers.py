"""Plain helpers shared by tests: the clock and its days, the cast's users and staff, clients
for the API and the pages, and a small HTML reader. Fixtures live in conftest.py files; test
modules import from here, never from a conftest.py."""

import datetime as dt
import glob
import os
import re
import socket
import zoneinfo
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from yuyue.accounts.models import User

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Tuesday morning, before opening time, in the business's zone.
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)
# The days of NOW's week, as the tests name them.
TUESDAY = NOW.date()
WEDNESDAY = TUESDAY + dt.timedelta(days=1)
THURSDAY = TUESDAY + dt.timedelta(days=2)
FRIDAY = TUESDAY + dt.timedelta(days=3)
SATURDAY = TUESDAY + dt.timedelta(days=4)
# The cast's password, and the header of a browser that asks for English.
PASSWORD = "correct horse battery"
# What the webhook text provider signs with in tests (the `webhook` fixture).
WEBHOOK_SECRET = "test-webhook-secret"
EN = {"Accept-Language": "en"}
# Debian's libfaketime (package faketime): what puts a process a test starts on the test's clock.
LIBFAKETIME = "/usr/lib/*/faketime/libfaketime.so.1"
WORKWEEK = {
    day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


# PostgreSQL here allows 100 connections, shared by every pytest-xdist worker of the run (two
# races may run at once, and tests/api/test_booking_race.py holds 50) and the workers' own: the
# racers of one race hold at most their worker's share at a time. They still all start
# together and contend for the same rows.
RACE_CONNECTIONS = 80 // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) - 10


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        phone=extra.pop("phone", "+8613800138000"),
        **extra,
    )


def at(day: dt.date, hhmm: str, zone=SHANGHAI) -> dt.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zone)


def make_appointment(*, service, staff, customer, start: dt.datetime, status: str = "confirmed"):
    """Put an appointment straight into the table, in any status, as test set-up.

    Tests of the booking services book through them; this is for arranging a state
    (a past appointment, one in progress) that the services would need many steps to reach.
    """
    from django.db import transaction

    from yuyue.bookings.models import Appointment
    from yuyue.catalog.versions import availability_changed
    from yuyue.customers.models import Customer
    from yuyue.customers.services import customer_for_booking

    end = start + dt.timedelta(minutes=service.duration_minutes)
    with transaction.atomic():
        # `customer` is an account (its record at the business is found or made) or a record.
        if isinstance(customer, Customer):
            client, customer = customer, customer.user
        else:
            client = customer_for_booking(business=service.business, user=customer)
        appointment = Appointment.objects.create(
            business_id=service.business_id,
            service=service,
            staff=staff,
            location=staff.location,
            client=client,
            customer=customer,
            start=start,
            end=end,
            occupied_start=start - dt.timedelta(minutes=service.buffer_before_minutes),
            occupied_end=end + dt.timedelta(minutes=service.buffer_after_minutes),
            exclusive=service.capacity == 1,
            status=status,
            price=service.price,
            currency="CNY",
        )
        # Written past the services, so it says itself that cached free times are stale.
        availability_changed(business_id=service.business_id)
    return appointment


def owner_of(thing) -> User:
    """The (first) owner of a business, or of the business a row belongs to: the actor that
    owner-only services ask for when a test sets the scene."""
    business_id = getattr(thing, "business_id", None) or thing.id
    return User.objects.filter(
        memberships__business_id=business_id, memberships__role="owner"
    ).earliest("id")


def quiet_owners(business) -> None:
    """The business's owners choose to hear of no booking: for tests about other messages."""
    from yuyue.catalog.models import Membership

    Membership.objects.filter(business=business, role=Membership.Role.OWNER).update(
        notice_channel=Membership.NoticeChannel.NONE
    )


def join_business(*, business, user: User, role: str, actor: User | None = None):
    """A member as the product makes one: an owner invites, the person accepts as themself."""
    from yuyue.catalog.services import invitation_accept, invitation_create

    inviter = actor or business.memberships.filter(role="owner").first().user
    issued = invitation_create(business=business, actor=inviter, role=role)
    return invitation_accept(token=issued.token, actor=user)


def clock_env() -> dict[str, str]:
    """The environment variables that start a process on this test's clock.

    time-machine moves the clock of this process only; a worker, server or script a test starts
    would read the real date, which moves on every day. libfaketime starts the process's clock
    at this process's "now" (rounded up to the second, its resolution, so that nothing due now
    looks not yet due there) and lets it run. `TZ` is the zone it reads that time in, and the
    one Django sets in the process anyway (TIME_ZONE), so re-reading it later changes nothing.
    """
    library = sorted(glob.glob(LIBFAKETIME))
    if not library:
        message = "libfaketime is not installed (Debian: apt-get install faketime)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the tests that start processes.", pytrace=False)
        pytest.skip(message)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = timezone.now().astimezone(zone)
    start = now.replace(microsecond=0) + dt.timedelta(seconds=1 if now.microsecond else 0)
    return {
        "LD_PRELOAD": library[0],
        "FAKETIME": start.strftime("@%Y-%m-%d %H:%M:%S"),
        "TZ": settings.TIME_ZONE,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_staff(
    *,
    service,
    location=None,
    name: str = "Tony 老师",
    hours: dict | None = None,
    user: User | None = None,
    services: list | None = None,
):
    """A staff member of the service's business who offers it (or `services`), at `location`,
    working WORKWEEK (or `hours`), as the owner sets one up."""
    from yuyue.scheduling.services import staff_member_create

    business = service.business
    return staff_member_create(
        business=business,
        actor=owner_of(business),
        name=name,
        services=services if services is not None else [service],
        location=location,
        user=user,
        hours=WORKWEEK if hours is None else hours,
    )


# API clients -------------------------------------------------------------------------------


def bearer(user: User) -> str:
    from yuyue.accounts.services import token_issue

    return f"Bearer {token_issue(user=user).key}"


def client_for(user: User | None = None, **headers: str) -> Client:
    """An API client, with `user`'s bearer token when given."""
    if user is not None:
        headers["Authorization"] = bearer(user)
    return Client(headers=headers)


def error_of(response) -> dict:
    """The error object of a response, after checking it has the one error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# Browsers for the customer pages and the back office ---------------------------------------


def browser_for(user=None, *, english: bool = False, **extra) -> Client:
    """A browser (it asks for HTML) with a session logged in as `user`; Chinese unless
    `english`, as the site's default language is Chinese."""
    client = Client(headers=EN if english else {}, **extra)
    if user is not None:
        client.force_login(user)
    return client


def office_browser_for(user=None, *, english: bool = True) -> Client:
    """A browser on the back office: English unless told otherwise, and a server error is a
    500 page to look at, not an exception in the test."""
    return browser_for(user, english=english, raise_request_exception=False)


def book_url(service, **query) -> str:
    return with_query(f"/b/{service.business.slug}/book/{service.id}/", **query)


def confirm_url(service, **query) -> str:
    return with_query(f"/b/{service.business.slug}/book/{service.id}/confirm/", **query)


def with_query(path: str, **query) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def same_url(a: str, b: str) -> bool:
    """The same path and the same query values, however they were percent-encoded."""
    one, two = urlsplit(a), urlsplit(b)
    return (one.scheme, one.netloc, one.path, parse_qs(one.query)) == (
        two.scheme,
        two.netloc,
        two.path,
        parse_qs(two.query),
    )


def html_of(response) -> str:
    return response.content.decode()


# Reading pages ------------------------------------------------------------------------------


class Page(HTMLParser):
    """What the tests look for in a page: forms and their fields, labels, buttons, scripts
    and styles, links."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.fields: list[dict] = []
        self.label_fors: set[str] = set()
        self.buttons: list[dict] = []
        self.links: list[str] = []
        self.inline_scripts = 0
        self.style_blocks = 0
        self.style_attributes: list[str] = []
        self.textareas: dict[str, str] = {}
        self._form: dict | None = None
        self._textarea: str | None = None
        self._script_inline = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "style" in attributes:
            self.style_attributes.append(tag)
        if tag == "form":
            self._form = {**attributes, "inputs": []}
            self.forms.append(self._form)
        elif tag in ("input", "textarea", "select"):
            field = {"tag": tag, **attributes}
            self.fields.append(field)
            if self._form is not None:
                self._form["inputs"].append(field)
            if tag == "textarea":
                self._textarea = attributes.get("name", "")
                self.textareas[self._textarea] = ""
        elif tag == "label" and "for" in attributes:
            self.label_fors.add(attributes["for"])
        elif tag == "button":
            self.buttons.append(attributes)
        elif tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        elif tag == "script":
            self._script_inline = "src" not in attributes
            if self._script_inline:
                self.inline_scripts += 1
        elif tag == "style":
            self.style_blocks += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.textareas[self._textarea] += data

    def form_to(self, action: str) -> dict:
        matching = [form for form in self.forms if form.get("action") == action]
        assert len(matching) == 1, f"expected one form to {action}, found {len(matching)}"
        return matching[0]

    def hidden(self, form: dict, name: str) -> str:
        values = [
            field.get("value", "")
            for field in form["inputs"]
            if field.get("type") == "hidden" and field.get("name") == name
        ]
        assert len(values) == 1, f"expected one hidden {name}, found {values}"
        return values[0]

    def start_buttons(self) -> list[str]:
        """The values of the submit buttons named "start": the alternatives offered."""
        return [button.get("value", "") for button in self.buttons if button.get("name") == "start"]

    def problems(self) -> list[str]:
        """Everything that breaks the pages' rules (CSP without inline code, labelled
        fields, CSRF tokens in POST forms)."""
        found = []
        if self.inline_scripts:
            found.append(f"{self.inline_scripts} inline <script> without src")
        if self.style_blocks:
            found.append(f"{self.style_blocks} <style> block(s)")
        if self.style_attributes:
            found.append(f"style= attributes on {self.style_attributes}")
        for field in self.fields:
            if field["tag"] == "input" and field.get("type") in ("hidden", "submit", "button"):
                continue
            if not field.get("id") or field["id"] not in self.label_fors:
                found.append(f"{field['tag']} name={field.get('name')} has no <label for=id>")
        for form in self.forms:
            if form.get("method", "get").lower() != "post":
                continue
            if not any(f.get("name") == "csrfmiddlewaretoken" for f in form["inputs"]):
                found.append(f"POST form to {form.get('action')} has no csrfmiddlewaretoken")
        return found


def page_of(response) -> Page:
    return Page(html_of(response))


def field_block(html: str, field_id: str) -> str:
    """The <div class="field"> that holds the label for `field_id`: label, input, help and
    the errors shown next to it."""
    label = html.index(f'<label for="{field_id}"')
    start = html.rindex('<div class="field', 0, label)
    return html[start : html.index("</div>", label)]


def field_errors(html: str, field_id: str) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', field_block(html, field_id), re.S)


def page_alerts(html: str) -> list[str]:
    """The texts of the page's alerts (form-wide errors, problem messages)."""
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r'class="alert" role="alert">(.*?)</(?:div|p)>', html, re.S)
    ]


def notices(html: str) -> str:
    """The flash messages shown at the top of a page."""
    match = re.search(r'<div class="notice" role="status">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def times_listed(html: str) -> list[str]:
    """The wall-clock times the picker offers for the selected day."""
    return re.findall(r'<a class="time" href="[^"]*">(\d\d:\d\d)', html)


def strip_days(html: str) -> list[tuple[int, bool]]:
    """The week strip: (day of month, has free time) for each day shown."""
    days = []
    for kind, number in re.findall(
        r'<(a class="day[^"]*"|span class="day full(?: closed)?")[^>]*>\s*'
        r'<span class="day-name"[^>]*>[^<]*</span>\s*'
        r'<span class="day-date"[^>]*>(\d+)</span>',
        html,
    ):
        days.append((int(number), not kind.startswith("span")))
    return days


def section(html: str, heading_id: str) -> str:
    """The <section> labelled by the heading with this id."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def first_privacy_policy():
    """Version 1 of the privacy policy as migration accounts/0007 publishes it: tests that
    flush the database (transactional ones) take migrations' rows with them, so a test that
    needs it asks for it."""
    import importlib

    from yuyue.accounts.models import PrivacyPolicy

    migration = importlib.import_module("yuyue.accounts.migrations.0008_first_privacy_policy")
    policy, _created = PrivacyPolicy.objects.get_or_create(
        version=1,
        defaults={
            "body_zh": migration.BODY_ZH,
            "body_en": migration.BODY_EN,
            "effective_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        },
    )
    return policy
