"""Every customer page, in every state it can be in, carries the security headers and keeps
the rules the CSP and the forms depend on: no inline script or style, a label for every
field, a CSRF token in every POST form."""

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.helpers import (
    EN,
    WEDNESDAY,
    Page,
    at,
    browser_for,
    confirm_url,
    html_of,
    make_appointment,
    page_of,
)
from yuyue.bookings.services import MAX_NOTES_LENGTH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TEN, TWO = "2026-12-02T10:00+08:00", "2026-12-02T14:00+08:00"


@pytest.fixture
def world(customer, stranger, service, stylist, booked, too_late):
    """The cast with one appointment each way; the stranger holds Wednesday 14:00."""
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "14:00")
    )
    return SimpleNamespace(
        anon=Client(),
        anon_en=Client(headers=EN),
        me=browser_for(customer),
        me_en=browser_for(customer, english=True),
        stranger=browser_for(stranger),
        service=service,
        stylist=stylist,
        booked=booked,
        too_late=too_late,
        action=f"/b/salon/book/{service.id}/confirm/",
        mine=f"/appointments/{booked.public_id}/",
        late=f"/appointments/{too_late.public_id}/",
    )


# name -> (expected status, how to get the page)
PAGES = {
    "home": (200, lambda w: w.anon.get("/")),
    "home in English": (200, lambda w: w.anon_en.get("/")),
    "business": (200, lambda w: w.anon.get("/b/salon/")),
    "picker": (200, lambda w: w.anon.get(f"/b/salon/book/{w.service.id}/")),
    "picker, a later week": (
        200,
        lambda w: w.anon_en.get(f"/b/salon/book/{w.service.id}/?start=2026-12-08"),
    ),
    "confirm, anonymous": (200, lambda w: w.anon.get(confirm_url(w.service, start=TEN))),
    "confirm, logged in": (
        200,
        lambda w: w.me.get(confirm_url(w.service, staff="any", start="2026-12-02T11:00+08:00")),
    ),
    "confirm, taken": (409, lambda w: w.me.get(confirm_url(w.service, start=TWO))),
    "confirm, bad start": (400, lambda w: w.me.get(confirm_url(w.service, start="soon"))),
    "confirm, notes too long": (
        400,
        lambda w: w.me.post(
            w.action, {"start": TEN, "staff": "any", "key": "k", "notes": "x" * 2000}
        ),
    ),
    "confirm, lost race": (
        409,
        lambda w: w.me_en.post(w.action, {"start": TWO, "staff": "any", "key": "k", "notes": "n"}),
    ),
    "done": (200, lambda w: w.me.get(w.mine + "done/")),
    "detail": (200, lambda w: w.me.get(w.mine)),
    "detail, too late": (200, lambda w: w.me.get(w.late)),
    "cancel": (200, lambda w: w.me.get(w.mine + "cancel/")),
    "cancel, refused": (409, lambda w: w.me.post(w.late + "cancel/", {"reason": "x"})),
    "cancel, reason too long": (
        400,
        lambda w: w.me.post(w.mine + "cancel/", {"reason": "x" * 501}),
    ),
    "my appointments": (200, lambda w: w.me.get("/appointments")),
    "my appointments, empty": (200, lambda w: w.stranger.get("/appointments?page=2")),
    "reschedule": (200, lambda w: w.me_en.get(w.mine + "reschedule/")),
    "reschedule, confirm": (
        200,
        lambda w: w.me.get(w.mine + "reschedule/confirm/?start=2026-12-02T15:00%2B08:00"),
    ),
    "reschedule, taken": (
        409,
        lambda w: w.me.post(w.mine + "reschedule/confirm/", {"start": TWO, "staff": "any"}),
    ),
    "reschedule, too late": (409, lambda w: w.me.get(w.late + "reschedule/")),
    "login": (200, lambda w: w.anon.get("/login?next=/appointments")),
    "login, wrong password": (
        401,
        lambda w: w.anon.post("/login", {"username": "customer", "password": "nope"}),
    ),
    "register": (200, lambda w: w.anon_en.get("/register")),
    "register, refused": (
        409,
        lambda w: w.anon.post(
            "/register",
            {"username": "customer", "password": "a-long-Secret-42", "phone": "13800138000"},
        ),
    ),
    "language, unknown": (400, lambda w: w.anon.post("/language", {"language": "xx"})),
    "not found": (404, lambda w: w.anon.get("/b/nowhere/")),
    "someone else's appointment": (404, lambda w: w.stranger.get(w.mine)),
    "csrf failure": (
        403,
        lambda w: Client(enforce_csrf_checks=True).post("/login", {"username": "x"}),
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_keeps_the_rules(world, name):
    status, fetch = PAGES[name]

    response = fetch(world)

    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert page_of(response).problems() == []


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_the_security_headers(world, name):
    response = PAGES[name][1](world)

    csp = response["Content-Security-Policy"]
    directives = {
        name: value for name, _, value in (part.strip().partition(" ") for part in csp.split(";"))
    }
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_calendar_file_carries_the_headers_too(world):
    response = world.me.get(world.mine + "calendar.ics")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_csrf_failure_page_says_what_to_do(db):
    response = Client(enforce_csrf_checks=True, headers=EN).post("/language", {"language": "en"})

    assert response.status_code == 403
    assert "The form expired or came from another site" in html_of(response)
    assert "django_language" not in response.cookies


def test_what_customers_type_is_shown_as_text_never_as_markup(customer, service, stylist):
    client = browser_for(customer)
    client.post(
        f"/b/salon/book/{service.id}/confirm/",
        {"start": TEN, "staff": "any", "key": "xss", "notes": '<script>alert("x")</script>'},
    )
    appointment = customer.appointments.get()

    html = html_of(client.get(f"/appointments/{appointment.public_id}/"))

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert Page(html).inline_scripts == 0


def test_the_notes_limit_in_the_page_matches_the_service(customer, service, stylist):
    html = html_of(browser_for(customer).get(confirm_url(service, start=TEN)))

    assert f'maxlength="{MAX_NOTES_LENGTH}"' in html


def test_the_page_checker_catches_what_it_looks_for():
    html = (
        '<script>alert(1)</script><style>p{}</style><p style="color:red">x</p>'
        '<form method="post" action="/x"><input name="a" id="a"><textarea name="b"></textarea>'
        '<input type="hidden" name="next"></form>'
    )

    assert Page(html).problems() == [
        "1 inline <script> without src",
        "1 <style> block(s)",
        "style= attributes on ['p']",
        "input name=a has no <label for=id>",
        "textarea name=b has no <label for=id>",
        "POST form to /x has no csrfmiddlewaretoken",
    ]
