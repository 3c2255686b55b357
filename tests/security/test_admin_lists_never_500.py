"""Defect 7: no query string makes a back-office list fail; nonsense gets Django's "invalid
lookup" answer (?e=1) instead."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

QUERIES = [
    "start__year=9999",
    "start__year=9999&start__month=12&start__day=31",
    "start__year=1&start__month=1",
    "start__month=13",
    "status=%00",
    "q=%00",
    "%00=1",
    "start__gte=not-a-date",
    "id__in=1,x",
    "o=99",
]
LISTS = [
    "/admin/bookings/appointment/",
    "/admin/catalog/service/",
    "/admin/scheduling/staffmember/",
    "/admin/catalog/invitation/",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("path", LISTS)
def test_a_nonsense_filter_is_answered_not_crashed(owner, booked, path, query):
    browser = Client(raise_request_exception=False)
    browser.force_login(owner)

    response = browser.get(f"{path}?{query}", follow=True)

    assert response.status_code == 200
