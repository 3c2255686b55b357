"""Forms of the settings pages. They only read and type the input; every rule is checked by
the catalog and scheduling services the views call, whose errors come back onto the form."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from yuyue.catalog.forms import PaymentFieldsOptional
from yuyue.catalog.models import Business, Location, Service
from yuyue.catalog.services import SERVICE_FIELD_NAMES
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.hours import WEEKDAY_KEYS
from yuyue.scheduling.models import WEEKDAYS
from yuyue.webkit.forms import Form, ModelForm

_INTERVAL = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})\s*$")
MAX_HOURS_TEXT = 200


class ServiceForm(PaymentFieldsOptional, ModelForm):
    class Meta:
        model = Service
        fields = SERVICE_FIELD_NAMES
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        # The service (service_create / service_update) validates the model; not the form.
        pass


class LocationForm(ModelForm):
    class Meta:
        model = Location
        fields = ["name", "address", "phone", "timezone"]

    def _post_clean(self) -> None:
        pass


class PoliciesForm(ModelForm):
    reminders = forms.CharField(
        label=_("Reminders (minutes before start, separated by commas)"),
        required=False,
        max_length=100,
        help_text=_("For example 1440, 120: a day and two hours before. Empty: no reminders."),
    )

    class Meta:
        model = Business
        fields = ["name", "phone"]

    def _post_clean(self) -> None:
        pass

    def clean_reminders(self) -> list[int]:
        text = self.cleaned_data["reminders"].replace("，", ",")
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if not all(part.isascii() and part.isdigit() and len(part) <= 6 for part in parts):
            raise forms.ValidationError(_("Give whole numbers of minutes, e.g. 1440, 120."))
        return [int(part) for part in parts]


def hours_text(intervals: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in intervals)


class HoursForm(Form):
    """One line per weekday, "09:00-12:00, 13:00-18:00": the gap between is a break."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, (_number, label) in zip(WEEKDAY_KEYS, WEEKDAYS, strict=True):
            self.fields[key] = forms.CharField(
                label=label, required=False, max_length=MAX_HOURS_TEXT
            )

    def weekly(self) -> dict[str, list[list[str]]]:
        """{"mon": [["09:00", "12:00"], ...]} for staff_hours_set, which checks the rest."""
        hours: dict[str, list[list[str]]] = {}
        errors: dict[str, list[str]] = {}
        for key in WEEKDAY_KEYS:
            text = self.cleaned_data.get(key, "").replace("，", ",")
            intervals = []
            for part in filter(None, (p.strip() for p in text.split(","))):
                match = _INTERVAL.match(part)
                if match is None:
                    errors[key] = [str(_("Write hours as 09:00-12:00, 13:00-18:00."))]
                    break
                start, end = match.groups()
                intervals.append([start.zfill(5), end.zfill(5)])
            hours[key] = intervals
        if errors:
            raise InvalidInput(errors)
        return hours


class OverrideForm(Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(label=_("Closed all day"), required=False)
    hours = forms.CharField(
        label=_("Special hours"),
        required=False,
        max_length=MAX_HOURS_TEXT,
        help_text=_("For example 10:00-14:00. Leave empty when closed."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def intervals(self) -> list[list[str]]:
        intervals = []
        text = self.cleaned_data.get("hours", "").replace("，", ",")
        for part in filter(None, (p.strip() for p in text.split(","))):
            match = _INTERVAL.match(part)
            if match is None:
                raise InvalidInput({"hours": [str(_("Write hours as 10:00-14:00."))]})
            intervals.append([group.zfill(5) for group in match.groups()])
        return intervals


class ReasonForm(Form):
    """Why an appointment is cancelled or moved; the customer reads it."""

    reason = forms.CharField(required=False)


class CustomerNoteForm(Form):
    text = forms.CharField(required=False)


class NewCustomerForm(Form):
    """Name and phone; customer_create says what is missing or wrong."""

    name = forms.CharField(required=False)
    phone = forms.CharField(required=False)


class BookingForm(Form):
    """What the booking form sends besides the customer; the view reads the ids and the time
    (anything it cannot read is "choose one"), the services decide the rest."""

    service = forms.CharField(required=False)
    staff = forms.CharField(required=False)
    date = forms.CharField(required=False)
    time = forms.CharField(required=False)
    notes = forms.CharField(required=False, strip=False)
