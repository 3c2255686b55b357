"""POST /api/v1/me/wechat/subscriptions: one accept = one message may be sent."""

import pytest

from tests.wechat.support import TEMPLATES, bearer_client, wechat_login
from yuyue.accounts.models import User
from yuyue.wechat.models import SubscribeConsent
from yuyue.wechat.selectors import consents_left

pytestmark = pytest.mark.django_db


def report(token, results):
    return bearer_client(token).post(
        "/api/v1/me/wechat/subscriptions", {"results": results}, content_type="application/json"
    )


@pytest.fixture
def login(anon, standin):
    return wechat_login(anon, standin, "o-consent")


def test_each_accept_allows_one_more_message(login):
    results = {TEMPLATES["reminder"]: "accept", TEMPLATES["change"]: "reject"}

    first = report(login["token"], results)
    second = report(login["token"], {TEMPLATES["reminder"]: "accept"})

    assert first.status_code == 200, first.content
    assert {i["template_id"]: i["remaining"] for i in first.json()["items"]} == {
        TEMPLATES["reminder"]: 1,
        TEMPLATES["change"]: 0,
    }
    assert second.json()["items"] == [
        {"template_id": TEMPLATES["reminder"], "remaining": 2, "last_answer": "accept"}
    ]
    consent = SubscribeConsent.objects.get(template_id=TEMPLATES["reminder"])
    assert consent.accepted_total == 2


def test_a_ban_clears_what_was_left(login):
    report(login["token"], {TEMPLATES["reminder"]: "accept"})

    report(login["token"], {TEMPLATES["reminder"]: "ban"})

    assert SubscribeConsent.objects.get(template_id=TEMPLATES["reminder"]).remaining == 0


def test_a_template_that_is_not_ours_is_refused(login):
    response = report(login["token"], {"someone-elses": "accept"})

    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"]["results"]
    assert SubscribeConsent.objects.count() == 0


def test_an_unknown_answer_is_refused(login):
    response = report(login["token"], {TEMPLATES["reminder"]: "maybe"})

    assert response.status_code == 422


def test_an_empty_report_is_refused(login):
    assert report(login["token"], {}).status_code == 422


def test_consents_are_per_user(anon, standin, login):
    other = wechat_login(anon, standin, "o-other")
    report(login["token"], {TEMPLATES["reminder"]: "accept"})

    mine = User.objects.get(pk=login["user"]["id"])
    theirs = User.objects.get(pk=other["user"]["id"])
    assert consents_left(user=mine, template_id=TEMPLATES["reminder"]) == 1
    assert consents_left(user=theirs, template_id=TEMPLATES["reminder"]) == 0
