import datetime as dt

import pytest

from tests.helpers import NOW, owner_of
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.models import WorkingInterval
from yuyue.scheduling.services import staff_hours_set, staff_override_set


def test_touching_intervals_are_merged(db, stylist):
    weekly = staff_hours_set(
        staff=stylist,
        actor=owner_of(stylist),
        hours={"mon": [["09:00", "12:00"], ["12:00", "18:00"]]},
    )
    assert weekly[0] == [(540, 1080)]
    assert list(stylist.hours.values_list("weekday", "start_minute", "end_minute")) == [
        (0, 540, 1080)
    ]


def test_end_may_be_midnight(db, stylist):
    weekly = staff_hours_set(
        staff=stylist, actor=owner_of(stylist), hours={"sat": [["18:00", "24:00"]]}
    )
    assert weekly[5] == [(1080, 1440)]


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        ({"tue": [["09:00", "12:00"], ["11:00", "13:00"]]}, "tue"),
        ({"wed": [["12:00", "09:00"]]}, "wed"),
        ({"thu": [["9am", "12:00"]]}, "thu"),
        ({"fri": [["22:00", "24:30"]]}, "fri"),
        ({"fri": "all day"}, "fri"),
        ({"funday": [["09:00", "10:00"]]}, "funday"),
    ],
)
def test_bad_hours_are_refused_by_weekday_and_nothing_is_saved(db, stylist, hours, field):
    before = list(WorkingInterval.objects.filter(staff=stylist).values_list("id", flat=True))
    with pytest.raises(InvalidInput) as refused:
        staff_hours_set(
            staff=stylist, actor=owner_of(stylist), hours={"mon": [["09:00", "10:00"]], **hours}
        )
    assert field in refused.value.fields
    after = list(WorkingInterval.objects.filter(staff=stylist).values_list("id", flat=True))
    assert after == before


def test_an_override_is_closed_or_has_hours_not_both(db, stylist):
    day = NOW.date() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput):
        staff_override_set(
            staff=stylist,
            actor=owner_of(stylist),
            date=day,
            closed=True,
            intervals=[["09:00", "10:00"]],
        )
    with pytest.raises(InvalidInput):
        staff_override_set(staff=stylist, actor=owner_of(stylist), date=day)
    override = staff_override_set(
        staff=stylist, actor=owner_of(stylist), date=day, intervals=[["10:00", "14:00"]]
    )
    assert override.intervals == [[600, 840]]
    replaced = staff_override_set(staff=stylist, actor=owner_of(stylist), date=day, closed=True)
    assert replaced.pk == override.pk
    assert replaced.intervals == []
