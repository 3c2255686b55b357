"""Defect 8a: "Mallory" and "mallory" are one account, in the database itself."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tests.helpers import make_user
from yuyue.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_username_differing_only_in_case(db):
    make_user("mallory")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Mallory", phone="+8613800138001")


def test_registering_a_name_taken_in_another_case_is_a_duplicate(db):
    make_user("mallory")

    response = Client().post(
        "/api/v1/auth/register",
        {"username": "MALLORY", "password": "a-long-Secret-42", "phone": "13800138000"},
        content_type="application/json",
    )

    assert response.status_code == 409


def test_logging_in_ignores_the_case_of_the_username(customer):
    response = Client().post(
        "/api/v1/auth/login",
        {"username": "Customer", "password": "correct horse battery"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["user"]["username"] == "customer"
