"""Defect 2: failures count per (username, address) and per address in the shared store; the
10th failure from one address stops the 11th attempt on every login route, while the real
user on another address still logs in."""

import pytest

from tests.helpers import make_user
from tests.security.login_routes import CODE_ROUTES, LOGIN_ROUTES
from yuyue.accounts.services import phone_code_issue

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
ATTACKER, REAL = "198.51.100.7", "203.0.113.9"


@pytest.fixture
def victim(business):
    # Staff, so that the back office's login lets them in too.
    user = make_user("victim", phone="+8613200132000")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.mark.parametrize("route", LOGIN_ROUTES, ids=lambda r: r.name)
def test_the_eleventh_attempt_from_one_address_is_refused(route, victim):
    failures = [route.attempt("victim", "wrong", ATTACKER).status_code for _ in range(10)]

    eleventh = route.attempt("victim", PASSWORD, ATTACKER)

    assert failures == [route.failed] * 10
    assert eleventh.status_code == route.refused
    assert 1 <= int(eleventh["Retry-After"]) <= 15 * 60


@pytest.mark.parametrize("route", LOGIN_ROUTES, ids=lambda r: r.name)
def test_the_real_user_on_another_address_still_logs_in(route, victim):
    for _ in range(10):
        route.attempt("victim", "wrong", ATTACKER)

    assert route.attempt("victim", PASSWORD, REAL).status_code == route.succeeded


@pytest.mark.parametrize("route", LOGIN_ROUTES, ids=lambda r: r.name)
def test_the_username_counts_whatever_its_case(route, victim):
    for i in range(10):
        route.attempt("VICTIM" if i % 2 else "victim", "wrong", ATTACKER)

    assert route.attempt("Victim", PASSWORD, ATTACKER).status_code == route.refused


def test_spraying_many_usernames_from_one_address_is_stopped_too(victim, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "login_ip": "1000/m"}
    api = LOGIN_ROUTES[1]
    limit = int(settings.API_THROTTLE_RATES["login_failures_ip"].split("/")[0])

    statuses = [api.attempt(f"guess{i}", "wrong", ATTACKER).status_code for i in range(limit)]

    assert statuses == [401] * limit
    assert api.attempt("victim", PASSWORD, ATTACKER).status_code == 429
    assert api.attempt("victim", PASSWORD, REAL).status_code == 200


def test_a_success_clears_the_failures_of_that_address(victim):
    api = LOGIN_ROUTES[1]
    for _ in range(9):
        api.attempt("victim", "wrong", REAL)
    assert api.attempt("victim", PASSWORD, REAL).status_code == 200

    assert api.attempt("victim", "wrong", REAL).status_code == 401
    assert api.attempt("victim", PASSWORD, REAL).status_code == 200


@pytest.mark.parametrize("route", LOGIN_ROUTES, ids=lambda r: r.name)
def test_a_dotless_i_does_not_open_a_second_count(route, victim):
    # PostgreSQL's iexact reads "vıctim" (dotless ı) as "victim" (UPPER of both is VICTIM), so
    # each of those guesses is a guess at the victim's password: they share one count.
    spellings = ["victim", "vıctim", "VICTIM", "vıctım"]
    for i in range(10):
        route.attempt(spellings[i % len(spellings)], "wrong", ATTACKER)

    assert route.attempt("vıctim", PASSWORD, ATTACKER).status_code == route.refused
    assert route.attempt("victim", PASSWORD, ATTACKER).status_code == route.refused


@pytest.mark.parametrize("route", LOGIN_ROUTES, ids=lambda r: r.name)
def test_a_phone_counts_however_it_is_written(route, victim):
    spellings = ["13200132000", "+8613200132000", "132 0013 2000", "+86 132-0013-2000"]
    for i in range(10):
        route.attempt(spellings[i % len(spellings)], "wrong", ATTACKER)

    assert route.attempt("13200132000", PASSWORD, ATTACKER).status_code == route.refused


@pytest.mark.parametrize("route", CODE_ROUTES, ids=lambda r: r.name)
def test_ten_wrong_codes_from_one_address_stop_the_eleventh_try(route, victim):
    victim.phone_verified = True
    victim.save(update_fields=["phone_verified"])
    spellings = ["13200132000", "+8613200132000", "132 0013 2000"]
    failures = [
        route.attempt(spellings[i % 3], f"{i:06d}", ATTACKER).status_code for i in range(10)
    ]
    code = phone_code_issue(phone=victim.phone, purpose=route.purpose, ip=REAL).code

    eleventh = route.attempt(victim.phone, code, ATTACKER)

    assert failures == [route.failed] * 10
    assert eleventh.status_code == route.refused
    assert 1 <= int(eleventh["Retry-After"]) <= 15 * 60
    assert route.attempt(victim.phone, code, REAL).status_code == route.succeeded
