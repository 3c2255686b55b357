"""A verified phone belongs to one active account: two first sign-ins at once make one account
(the database's constraint and a retry), whatever the database. Real threads, each with its
own connection, released together (the pattern of tests/bookings/test_concurrency.py)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connections, transaction

from tests.helpers import make_user
from yuyue.accounts.errors import InvalidCode
from yuyue.accounts.models import PhoneCode, User
from yuyue.accounts.services import phone_code_issue, user_for_verified_phone
from yuyue.notifications.codes import phone_code_sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+8613917778117"
RACERS = 8


def race(attempts):
    barrier = threading.Barrier(len(attempts))

    def run(attempt):
        barrier.wait()
        try:
            return attempt()
        except InvalidCode:
            return "refused"
        except Exception as error:  # a crash is a finding, reported by the assertion
            return f"crash: {error!r}"
        finally:
            connections.close_all()

    connections.close_all()
    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


def test_first_sign_ins_at_once_make_one_account():
    outcomes = race([lambda: user_for_verified_phone(phone=PHONE) for _ in range(RACERS)])

    assert [o for o in outcomes if isinstance(o, str)] == []
    assert len({user.pk for user in outcomes}) == 1
    assert User.objects.filter(phone=PHONE, phone_verified=True).count() == 1


def test_one_code_sent_twice_at_once_signs_in_once():
    code = phone_code_issue(phone=PHONE, purpose="login", ip="198.51.100.1").code

    outcomes = race([lambda: phone_code_sign_in(phone=PHONE, code=code) for _ in range(RACERS)])

    assert [o for o in outcomes if isinstance(o, str) and o != "refused"] == []
    assert outcomes.count("refused") == RACERS - 1
    assert User.objects.filter(phone=PHONE).count() == 1
    assert PhoneCode.objects.get().used_at is not None


def test_the_database_refuses_a_second_verified_account_for_a_phone():
    make_user("first", phone=PHONE, phone_verified=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("second", phone=PHONE, phone_verified=True)
    # An inactive account, or one whose phone is unproved, may carry it.
    make_user("typed", phone=PHONE)
    gone = make_user("gone", phone="+8613917778118", phone_verified=True, is_active=False)
    make_user("back", phone=gone.phone, phone_verified=True)
