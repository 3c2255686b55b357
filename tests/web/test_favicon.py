"""/favicon.ico is served (browsers and other clients ask for it whatever the page links)."""

import struct

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_favicon_is_an_icon_file():
    response = Client().get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=" in response["Cache-Control"]
    body = response.content
    reserved, kind, count = struct.unpack("<HHH", body[:6])
    assert (reserved, kind) == (0, 1)
    assert count >= 1


def test_a_head_request_is_answered_too():
    assert Client().head("/favicon.ico").status_code == 200
