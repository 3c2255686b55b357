"""Customer web app fixtures and helpers: the salon is the site's default business, throttles
start fresh, browsers log in through the session, and a small HTML reader checks what every
page must hold (no inline script or style, a label for every field, a CSRF token in every
POST form)."""

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from tests.helpers import NOW, WORKWEEK, at, make_appointment, owner_of
from yuyue.catalog.services import location_create
from yuyue.scheduling.services import staff_hours_set, staff_member_create

TUESDAY = NOW.date()
WEDNESDAY = TUESDAY + dt.timedelta(days=1)
SATURDAY = TUESDAY + dt.timedelta(days=4)
PASSWORD = "correct horse battery"
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _salon_is_the_default(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "salon"


def browser_for(user=None, *, english: bool = False, **extra) -> Client:
    """A browser (it asks for HTML) with a session logged in as `user`; Chinese unless
    `english`, as the site's default language is Chinese."""
    client = Client(headers=EN if english else {}, **extra)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def browser(db) -> Client:
    return browser_for()


@pytest.fixture
def as_customer(customer) -> Client:
    return browser_for(customer, english=True)


@pytest.fixture
def as_customer_zh(customer) -> Client:
    return browser_for(customer)


@pytest.fixture
def as_stranger(stranger) -> Client:
    return browser_for(stranger, english=True)


@pytest.fixture
def kevin(business, service, location):
    """A second stylist with the same hours, so "anyone" has a choice to make."""
    member = staff_member_create(
        business=business,
        actor=owner_of(business),
        name="Kevin 老师",
        services=[service],
        location=location,
    )
    staff_hours_set(staff=member, actor=owner_of(member), hours=WORKWEEK)
    return member


@pytest.fixture
def xuhui(business):
    """The salon's second shop."""
    return location_create(
        business=business,
        actor=owner_of(business),
        name="徐汇店",
        address="上海市徐汇区衡山路 2 号",
    )


@pytest.fixture
def lily(business, service, xuhui):
    """A stylist at the second shop, with the same hours as Tony at the first."""
    member = staff_member_create(
        business=business,
        actor=owner_of(business),
        name="Lily 老师",
        services=[service],
        location=xuhui,
    )
    staff_hours_set(staff=member, actor=owner_of(member), hours=WORKWEEK)
    return member


@pytest.fixture
def booked(service, stylist, customer, frozen_now):
    """The customer's confirmed appointment tomorrow (Wednesday) at 10:00."""
    return make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )


@pytest.fixture
def too_late(service, stylist, customer, frozen_now):
    """The customer's appointment today at 09:00: an hour away, past the 120-minute cut-off."""
    return make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "09:00")
    )


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
