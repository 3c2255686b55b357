"""Forms of the settings pages. They only read and type the input; every rule is checked by
the catalog and scheduling services the views call, whose errors come back onto the form."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuyue.accounts.phone import phone_display, phone_region
from yuyue.catalog.forms import PaymentFieldsOptional
from yuyue.catalog.models import (
    MAX_NOTICE_MINUTES,
    MAX_REMINDER_OFFSET_MINUTES,
    MAX_REMINDERS,
    Business,
    Location,
    Service,
    ServiceCategory,
    StaffTitle,
)
from yuyue.catalog.services import SERVICE_FIELD_NAMES
from yuyue.lib.errors import InvalidInput
from yuyue.lib.localtime import zone_label
from yuyue.lib.zones import COMMON_ZONES
from yuyue.payments.models import COUNTER_CHANNELS
from yuyue.scheduling.hours import WEEKDAY_KEYS
from yuyue.scheduling.models import WEEKDAYS
from yuyue.webkit.forms import Form, ModelForm

UNITS = {"minutes": 1, "hours": 60, "days": 24 * 60}
UNIT_CHOICES = [
    ("minutes", pgettext_lazy("unit", "minutes")),
    ("hours", pgettext_lazy("unit", "hours")),
    ("days", pgettext_lazy("unit", "days")),
]


def in_units(minutes: int | None) -> tuple[int | None, str]:
    """1440 → (1, "days"), 120 → (2, "hours"), 90 → (90, "minutes"): the largest unit that
    says it exactly, as a person would write it."""
    if minutes is None or minutes == "":
        return None, "hours"
    minutes = int(minutes)
    for unit in ("days", "hours"):
        if minutes and minutes % UNITS[unit] == 0:
            return minutes // UNITS[unit], unit
    return minutes, "minutes"


class DurationWidget(forms.MultiWidget):
    """A number and its unit side by side; the number carries the field's label."""

    template_name = "backoffice/widgets/duration.html"

    def __init__(self, attrs=None) -> None:
        super().__init__(
            [
                forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
                forms.Select(attrs={"aria-label": _("Unit")}, choices=UNIT_CHOICES),
            ],
            attrs,
        )

    def decompress(self, value):
        return list(in_units(value))

    def id_for_label(self, id_: str) -> str:
        # The field's label names the number (Django's multi-widgets label none of theirs).
        return f"{id_}_0" if id_ else id_


class DurationField(forms.MultiValueField):
    """Minutes, entered as a number of minutes, hours or days; stored in minutes as before."""

    widget = DurationWidget

    def __init__(self, *, max_minutes: int, **kwargs) -> None:
        self.max_minutes = max_minutes
        super().__init__(
            fields=[
                forms.IntegerField(min_value=0, max_value=max_minutes),
                forms.ChoiceField(choices=UNIT_CHOICES),
            ],
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list) -> int | None:
        if not data_list or data_list[0] in (None, ""):
            return None
        number, unit = data_list[0], data_list[1] or "minutes"
        minutes = number * UNITS[unit]
        if minutes > self.max_minutes:
            raise forms.ValidationError(
                _("At most %(days)d days.") % {"days": self.max_minutes // UNITS["days"]}
            )
        return minutes


def zone_choices(current: str = "", *, blank: str = "") -> list[tuple[str, str]]:
    """The common zones by the names people use ("China Standard Time · Asia/Shanghai"); the
    current value stays a choice even when it is not a common one."""
    names = list(COMMON_ZONES)
    if current and current not in names:
        names.append(current)
    choices = [
        (name, name if zone_label(name) == name else f"{zone_label(name)} · {name}")
        for name in names
    ]
    return [("", blank), *choices] if blank else choices


_INTERVAL = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})\s*$")
MAX_HOURS_TEXT = 200


class PhotoFields(forms.BaseForm):
    """A photo to upload (checked by yuyue.lib.photos when saved) and "remove the photo"."""

    def add_photo_fields(self, current: str) -> None:
        self.fields["photo"] = forms.FileField(
            label=_("Photo"),
            required=False,
            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            help_text=_("JPEG, PNG or WebP, up to 5 MB; stored at most 1600 pixels wide."),
        )
        if current:
            self.fields["remove_photo"] = forms.BooleanField(
                label=_("Remove the photo"), required=False
            )

    def photo_change(self) -> tuple[bool, Any]:
        """(whether the photo changes, the upload or None to remove it)."""
        upload = self.cleaned_data.get("photo")
        if upload:
            return True, upload
        if self.cleaned_data.get("remove_photo"):
            return True, None
        return False, None


_DEFAULTS = {
    name: Service._meta.get_field(name).default  # type: ignore[union-attr]
    for name in ("min_notice_minutes", "cancel_cutoff_minutes", "reschedule_cutoff_minutes")
}


class ServiceForm(PhotoFields, PaymentFieldsOptional, ModelForm):
    min_notice_minutes = DurationField(
        label=_("Minimum notice"), max_minutes=MAX_NOTICE_MINUTES, required=False
    )
    cancel_cutoff_minutes = DurationField(
        label=_("Customers may cancel until (before the start)"),
        max_minutes=MAX_NOTICE_MINUTES,
        required=False,
    )
    reschedule_cutoff_minutes = DurationField(
        label=_("Customers may reschedule until (before the start)"),
        max_minutes=MAX_NOTICE_MINUTES,
        required=False,
    )

    class Meta:
        model = Service
        fields = SERVICE_FIELD_NAMES
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, business: Business, titles: list[StaffTitle], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = ServiceCategory.objects.filter(business=business).order_by(
            "position", "id"
        )
        self.add_photo_fields(self.instance.photo if self.instance.pk else "")
        self.titles = titles
        for title in titles:
            self.fields[f"title_{title.pk}"] = forms.DecimalField(
                label=_("Price with %(title)s") % {"title": title.name},
                required=False,
                min_value=0,
                max_digits=10,
                decimal_places=2,
                help_text=_("Empty: the service's price."),
            )

    def title_prices(self) -> dict[StaffTitle, Decimal | None]:
        return {title: self.cleaned_data.get(f"title_{title.pk}") for title in self.titles}

    def _post_clean(self) -> None:
        # The service (service_create / service_update) validates the model; not the form.
        pass

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        # Left empty: the model's default, as before the fields had units.
        for name in ("min_notice_minutes", "cancel_cutoff_minutes", "reschedule_cutoff_minutes"):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = _DEFAULTS[name]
        return cleaned


def readable_phone(form: forms.ModelForm, business_phone: str) -> None:
    """The phone field shows the number as people write it ("021 6288 1234", not E.164)."""
    stored = form.initial.get("phone")
    if stored and not form.is_bound:
        form.initial["phone"] = phone_display(stored, home_region=phone_region(business_phone))[0]


def clean_phone_value(text: str, business_phone: str) -> str:
    """What was typed, readable or not, stored in E.164 (+862162881234); empty stays empty."""
    text = text.strip()
    if not text:
        return ""
    _shown, dial = phone_display(text, home_region=phone_region(business_phone))
    if not dial.startswith("+"):
        raise forms.ValidationError(_("Enter a phone number, e.g. 021 6288 1234."))
    return dial


class LocationForm(ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), required=False)

    class Meta:
        model = Location
        fields = ["name", "address", "phone", "timezone"]
        labels = {"phone": _("Telephone")}

    def __init__(self, *args, business_phone: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.business_phone = business_phone
        readable_phone(self, business_phone)
        current = self.instance.timezone if self.instance.pk else ""
        zone_field = self.fields["timezone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = zone_choices(current, blank=str(_("The business's time zone")))

    def clean_phone(self) -> str:
        return clean_phone_value(self.cleaned_data["phone"], self.business_phone)

    def _post_clean(self) -> None:
        pass


RULE_FIELDS = (
    "max_future_bookings",
    "max_future_bookings_scope",
    "no_show_limit",
    "no_show_window_days",
    "no_show_action",
    "no_show_deposit",
    "release_days_before",
    "release_time",
    "customers_book_series",
)


class PoliciesForm(ModelForm):
    """The business's name, telephone and reminders: up to MAX_REMINDERS, each a number and
    a unit ("1 day", "2 hours"); empty ones are no reminder."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        readable_phone(self, self.instance.phone)
        offsets = list(self.instance.reminder_offsets_minutes or [])
        for n in range(MAX_REMINDERS):
            name = f"reminder_{n + 1}"
            self.fields[name] = DurationField(
                label=_("Reminder %(n)d (before the start)") % {"n": n + 1},
                max_minutes=MAX_REMINDER_OFFSET_MINUTES,
                required=False,
            )
            if n < len(offsets):
                self.initial[name] = offsets[n]
        # Left out, it stays as it is.
        self.fields["customer_retention_months"].required = False
        self.fields["waitlist_offer_minutes"].required = False
        for name in RULE_FIELDS:
            self.fields[name].required = False

    def rules(self) -> dict:
        """The booking rules given. A field left out (an older page) keeps its value; an empty
        limit turns its rule off; the checkbox, like every checkbox, is off when not sent."""
        nullable = {"max_future_bookings", "no_show_limit", "release_days_before"}
        series = bool(self.cleaned_data.get("customers_book_series"))
        given: dict = {"customers_book_series": series}
        for name in RULE_FIELDS:
            if name == "customers_book_series" or name not in self.data:
                continue
            value = self.cleaned_data.get(name)
            if value in (None, "") and name not in nullable:
                continue
            given[name] = value
        return given
        self.fields["reminder_1"].help_text = _(
            "For example 1 day and 2 hours. Leave them all empty for no reminders."
        )

    class Meta:
        model = Business
        fields = [
            "name",
            "phone",
            "customer_retention_months",
            "waitlist_offer_minutes",
            # Booking rules (docs/booking.md#booking-rules), off by default.
            *RULE_FIELDS,
        ]
        labels = {"phone": _("Telephone")}
        widgets = {"release_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def _post_clean(self) -> None:
        pass

    def clean_phone(self) -> str:
        return clean_phone_value(self.cleaned_data["phone"], self.instance.phone)

    def reminders(self) -> list[int]:
        """The reminders given, longest first, in minutes (business_update checks them)."""
        given = [self.cleaned_data.get(f"reminder_{n + 1}") for n in range(MAX_REMINDERS)]
        return sorted({minutes for minutes in given if minutes}, reverse=True)


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


class CustomerForm(Form):
    """A customer record's fields as typed; customer_update says what is wrong. Tags are
    written separated by commas."""

    name = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    email = forms.CharField(required=False)
    tags = forms.CharField(required=False)
    notes = forms.CharField(required=False)

    def values(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        text = data.pop("tags").replace("，", ",").replace("、", ",")
        data["tags"] = [tag for tag in (part.strip() for part in text.split(",")) if tag]
        return data


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


class CounterPaymentForm(Form):
    """What was paid in the shop; payment_record_counter says what else is wrong."""

    prefix = "counter"  # beside the refund form on one page: distinct field ids

    amount = forms.DecimalField(
        label=_("Amount"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    channel = forms.ChoiceField(
        label=_("Paid by"),
        choices=[(channel.value, channel.label) for channel in COUNTER_CHANNELS],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class RefundForm(Form):
    """An owner's partial refund through WeChat Pay, with the reason the customer is told."""

    prefix = "refund"

    amount = forms.DecimalField(
        label=_("Amount to refund"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label=_("Reason"), max_length=80)
