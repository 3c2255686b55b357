"""Defect 8c: the back office's login with an unsafe `next` lands on the back office's home,
not on another site and not on a 404."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "\\\\evil"]
)
def test_an_unsafe_next_goes_to_the_back_office_home(owner, business, target):
    response = Client().post(
        "/admin/login/",
        {"username": "owner", "password": "correct horse battery", "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_safe_next_is_followed(owner, business):
    response = Client().post(
        "/admin/login/",
        {
            "username": "owner",
            "password": "correct horse battery",
            "next": "/admin/catalog/service/",
        },
    )

    assert response["Location"] == "/admin/catalog/service/"
