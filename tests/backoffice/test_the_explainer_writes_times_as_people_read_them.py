"""The explainer ("why is this time not free?") names the time asked about as people read it,
not in the form's ISO values (issue 24, item 13)."""

import pytest

from tests.helpers import WEDNESDAY, html_of, office_browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.mark.parametrize(
    ("english", "heading"),
    [(False, "周三 2026年12月2日 10:30"), (True, "Wed 2 Dec 2026, 10:30")],
)
def test_the_heading_names_the_time_in_words(owner, service, stylist, english, heading):
    client = office_browser_for(owner, english=english)

    html = html_of(
        client.get(
            f"/manage/salon/why/?staff={stylist.id}&service={service.id}"
            f"&date={WEDNESDAY.isoformat()}&time=10:30"
        )
    )

    assert f"{stylist.name} · {service.name} · {heading}</h2>" in html
    assert "2026-12-02" not in html.split('id="answer-heading"')[1].split("</h2>")[0]
