"""Defect 8b: a time zone is an IANA name; "localtime" (the server's own clock) is not."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory", "Mars/Olympus"])
def test_a_name_that_is_not_an_iana_zone_is_refused(as_owner, business, zone):
    response = as_owner.patch(
        "/api/v1/businesses/salon", {"timezone": zone}, content_type="application/json"
    )

    assert response.status_code == 422
    business.refresh_from_db()
    assert business.timezone == "Asia/Shanghai"


def test_an_iana_name_is_accepted(as_owner, business):
    response = as_owner.patch(
        "/api/v1/businesses/salon", {"timezone": "Europe/Berlin"}, content_type="application/json"
    )

    assert response.status_code == 200
