"""Signing in with a texted code: six digits, five minutes, stored hashed, five wrong tries,
one a minute and ten a day per phone, a cap per address, and the same answers whether or not
an account has the phone. The codes are read where the text went (a loopback gateway)."""

import datetime as dt
import re

import pytest
import time_machine

from tests.accounts.codes import PHONE, api, last_code, send, texts_to, verify, wrong
from tests.helpers import NOW, error_of, make_user
from yuyue.accounts.models import PhoneCode, User

pytestmark = pytest.mark.django_db


def later(seconds: float):
    return time_machine.travel(NOW + dt.timedelta(seconds=seconds), tick=False)


def test_a_code_is_texted_and_only_its_hash_is_kept(webhook):
    response = send()

    assert response.status_code == 202
    assert response.json()["expires_in"] == 300 and response.json()["resend_after"] == 60
    [text] = texts_to(webhook)
    code = text["params"]["code"]
    assert re.fullmatch(r"\d{6}", code)
    assert text["template"] == "code" and code in text["params"]["text"]
    row = PhoneCode.objects.get()
    assert (row.phone, row.purpose, row.tries, row.used_at) == (PHONE, "login", 0, None)
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_the_text_is_in_the_asker_s_language(webhook):
    send(client=api(**{"Accept-Language": "en"}))
    assert texts_to(webhook)[-1]["params"]["text"].startswith("Your Yuyue code is")


def test_the_first_sign_in_makes_an_account_and_later_ones_find_it(webhook):
    send(phone="139 1777 8117")
    first = verify(last_code(webhook), phone="13917778117")

    assert first.status_code == 200
    user = User.objects.get(pk=first.json()["user"]["id"])
    assert (user.phone, user.phone_verified, user.has_usable_password()) == (PHONE, True, False)
    assert first.json()["user"]["phone_verified"] is True
    me = api(Authorization=f"Bearer {first.json()['token']}").get("/api/v1/me")
    assert me.json()["id"] == user.id

    with later(61):
        send()
        second = verify(last_code(webhook))
    assert second.json()["user"]["id"] == user.id
    assert User.objects.filter(phone=PHONE).count() == 1


def test_a_code_works_once(webhook):
    send()
    code = last_code(webhook)
    assert verify(code).status_code == 200
    again = verify(code)
    assert (again.status_code, error_of(again)["code"]) == (401, "invalid_code")


def test_a_code_dies_after_five_minutes(webhook):
    send()
    code = last_code(webhook)
    with later(5 * 60 + 1):
        response = verify(code)
    assert (response.status_code, error_of(response)["code"]) == (401, "invalid_code")


def test_a_code_still_works_just_before_five_minutes(webhook):
    send()
    code = last_code(webhook)
    with later(5 * 60 - 2):
        assert verify(code).status_code == 200


def test_five_wrong_tries_kill_the_code(webhook):
    send()
    code = last_code(webhook)
    tries = [verify(wrong(code)).status_code for _ in range(5)]

    assert tries == [401] * 5
    assert verify(code).status_code == 401
    assert PhoneCode.objects.get().tries == 5


def test_four_wrong_tries_leave_the_code_alive(webhook):
    send()
    code = last_code(webhook)
    for _ in range(4):
        verify(wrong(code))
    assert verify(code).status_code == 200


def test_a_newer_code_replaces_the_older(webhook):
    send()
    old = last_code(webhook)
    with later(61):
        send()
        new = last_code(webhook)
        assert verify(old).status_code == 401 or old == new
        assert verify(new).status_code == 200


def test_another_code_only_after_a_minute(webhook):
    assert send().status_code == 202
    with later(30):
        too_soon = send()
    with later(61):
        in_time = send()

    assert too_soon.status_code == 429
    assert 1 <= int(too_soon["Retry-After"]) <= 60
    assert error_of(too_soon)["code"] == "throttled"
    assert in_time.status_code == 202
    assert len(texts_to(webhook)) == 2


def test_at_most_ten_codes_a_day_per_phone_from_any_address(webhook):
    answers = []
    for i in range(11):
        with later(61 * i):
            answers.append(send(ip=f"203.0.113.{i + 1}").status_code)

    assert answers == [202] * 10 + [429]
    assert len(texts_to(webhook)) == 10
    with later(24 * 3600 + 5):
        assert send().status_code == 202


def test_one_address_may_ask_for_twenty_codes_an_hour(webhook):
    answers = [send(phone=f"+86139177781{i:02d}").status_code for i in range(21)]

    assert answers == [202] * 20 + [429]
    assert send(phone="+8613917778199", ip="203.0.113.50").status_code == 202


@pytest.mark.parametrize("purpose", ["login", "reset"])
def test_known_and_unknown_phones_get_the_same_answers(webhook, purpose):
    known = make_user("known", phone="+8613917778100", phone_verified=True)
    unverified = make_user("typed", phone="+8613917778101")
    answers = []
    for phone in (known.phone, unverified.phone, "+8613917778102"):
        first, again = send(phone, purpose), send(phone, purpose)
        guess = api().post(
            "/api/v1/auth/password/reset" if purpose == "reset" else "/api/v1/auth/sms/verify",
            {"phone": phone, "code": wrong(last_code(webhook, phone))}
            | ({"new_password": "a new long secret"} if purpose == "reset" else {}),
            content_type="application/json",
        )
        answers.append(
            (
                first.status_code,
                first.content,
                again.status_code,
                again.json(),
                guess.status_code,
                guess.content,
            )
        )

    assert answers[0] == answers[1] == answers[2]
    assert len(webhook.requests) == 3


def test_a_bad_phone_is_a_clear_error(webhook):
    response = send(phone="12345")
    assert response.status_code == 422
    assert "phone" in error_of(response)["details"]["fields"]
    assert webhook.requests == []


def test_a_gateway_that_is_down_is_a_503_not_a_silent_202(webhook):
    webhook.statuses = [503]
    response = send()
    assert (response.status_code, error_of(response)["code"]) == (503, "unavailable")


def test_ten_wrong_codes_from_one_address_stop_the_eleventh_try(webhook):
    failures = []
    for round in range(2):
        with later(61 * round):
            send()
            code = last_code(webhook)
            failures += [verify(wrong(code)).status_code for _ in range(5)]
    with later(200):
        send()
        eleventh = verify(last_code(webhook))
        elsewhere = verify(last_code(webhook), ip="203.0.113.9")

    assert failures == [401] * 10
    assert eleventh.status_code == 429 and 1 <= int(eleventh["Retry-After"]) <= 15 * 60
    assert elsewhere.status_code == 200


def test_in_production_the_console_sends_no_code_and_says_so(settings):
    settings.PRODUCTION = True
    settings.NOTIFY_SMS_PROVIDER = "console"

    response = send()

    assert (response.status_code, error_of(response)["code"]) == (503, "unavailable")
    assert not PhoneCode.objects.exists()
