"""Back office for staff members, their weekly hours and date overrides.

Hours are edited row by row here but saved as a whole week through staff_hours_set, which
replaces every interval of the staff member; overrides go through staff_override_set and
staff_override_delete. So the forms check a row against the rest of the week first.
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuyue.accounts.models import User
from yuyue.catalog.admin_scoping import BusinessScopedAdmin, BusinessScopedInline
from yuyue.lib.admin import adopt
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.hours import WEEKDAY_KEYS, parse_intervals, parse_time, parse_weekly
from yuyue.scheduling.models import (
    WEEKDAYS,
    DateOverride,
    StaffMember,
    WorkingInterval,
    minute_label,
)
from yuyue.scheduling.services import (
    STAFF_FIELDS,
    staff_hours_set,
    staff_member_create,
    staff_member_update,
    staff_override_delete,
    staff_override_set,
)

_WEEKDAY_NAMES = dict(zip(WEEKDAY_KEYS, (label for _number, label in WEEKDAYS), strict=True))
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})\s*$")


def _hhmm(text: str) -> str:
    """Accept "9:30" for "09:30": people need not type the leading zero."""
    text = text.strip()
    return f"0{text}" if re.fullmatch(r"\d:\d{2}", text) else text


class MinuteField(forms.CharField):
    """Minutes after midnight, shown and typed as "HH:MM"."""

    widget = forms.TextInput(attrs={"size": 6, "placeholder": "10:00"})

    def prepare_value(self, value: Any) -> Any:
        return minute_label(value) if isinstance(value, int) else value

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_time(_hhmm(text))
        except ValueError as error:
            raise ValidationError(str(error)) from None


def _week_problems(error: InvalidInput) -> list[str]:
    return [
        gettext("%(day)s: %(problem)s")
        % {"day": _WEEKDAY_NAMES.get(key, key), "problem": " ".join(problems)}
        for key, problems in error.fields.items()
    ]


def _weekly_hours(rows: Iterable[tuple[int, int, int]]) -> dict[str, list[list[str]]]:
    """(weekday, start, end) rows → the `{"mon": [["10:00", "13:00"]], ...}` the service takes."""
    week: dict[str, list[list[str]]] = {key: [] for key in WEEKDAY_KEYS}
    for weekday, start, end in rows:
        week[WEEKDAY_KEYS[weekday]].append([minute_label(start), minute_label(end)])
    return week


def _check_week(rows: Iterable[tuple[int, int, int]]) -> dict[str, list[list[str]]]:
    """The week for staff_hours_set, or ValidationError naming each weekday with a problem."""
    week = _weekly_hours(rows)
    try:
        parse_weekly(week)
    except InvalidInput as error:
        raise ValidationError(_week_problems(error)) from None
    return week


def _stored_rows(staff: StaffMember, *, exclude_ids: Iterable[int] = ()) -> list[tuple]:
    return list(
        WorkingInterval.objects.filter(staff=staff)
        .exclude(id__in=list(exclude_ids))
        .values_list("weekday", "start_minute", "end_minute")
    )


def _interval_covering(staff: StaffMember, weekday: int, start: int, end: int):
    """The saved row that holds [start, end) once touching intervals were merged."""
    return WorkingInterval.objects.filter(
        staff=staff, weekday=weekday, start_minute__lte=start, end_minute__gte=end
    ).first()


# Forms ---------------------------------------------------------------------------------------


class WorkingIntervalForm(forms.ModelForm):
    start_minute = MinuteField(label=_("from"))
    end_minute = MinuteField(label=_("until"), help_text=_("24:00 means midnight."))

    class Meta:
        model = WorkingInterval
        fields = ("staff", "weekday", "start_minute", "end_minute")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_minute"), data.get("end_minute")
        if start is not None and end is not None and start >= end:
            raise ValidationError(_("The interval must end after it starts."))
        return data


class StandaloneWorkingIntervalForm(WorkingIntervalForm):
    """One interval on its own page: checked against the rest of that staff member's week."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        staff = data.get("staff") or getattr(self.instance, "staff", None)
        needed = ("weekday", "start_minute", "end_minute")
        if staff is not None and all(data.get(name) is not None for name in needed):
            rows = _stored_rows(staff, exclude_ids=[self.instance.pk] if self.instance.pk else [])
            rows.append((data["weekday"], data["start_minute"], data["end_minute"]))
            self.week = _check_week(rows)
        return data


class WorkingIntervalFormSet(forms.BaseInlineFormSet):
    """The whole week on the staff member's page, checked as the service will check it."""

    def clean(self) -> None:
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if any(data.get(name) is None for name in ("weekday", "start_minute", "end_minute")):
                continue
            rows.append((data["weekday"], data["start_minute"], data["end_minute"]))
        self.week = _check_week(rows)


def _parse_hours_text(text: str) -> list[list[str]]:
    """Read "10:00-13:00, 14:00-20:00" as [["10:00", "13:00"], ["14:00", "20:00"]]."""
    pairs = []
    for part in re.split(r"[,，;；\n]+", text):
        if not part.strip():
            continue
        match = _SPAN.match(part)
        if match is None:
            raise ValidationError(
                _("Write the hours like 10:00-13:00, 14:00-20:00 (could not read %(part)s).")
                % {"part": part.strip()}
            )
        pairs.append([_hhmm(match.group(1)), _hhmm(match.group(2))])
    return pairs


class DateOverrideForm(forms.ModelForm):
    closed = forms.BooleanField(label=_("closed all day"), required=False)
    hours = forms.CharField(
        label=_("special hours"),
        required=False,
        help_text=_("For example 10:00-13:00, 14:00-20:00. Leave empty when closed."),
        widget=forms.TextInput(attrs={"size": 30, "placeholder": "10:00-13:00, 14:00-20:00"}),
    )

    class Meta:
        model = DateOverride
        fields = ("staff", "date", "closed", "hours", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("closed", not self.instance.intervals)
            self.initial.setdefault(
                "hours",
                ", ".join(
                    f"{minute_label(s)}-{minute_label(e)}" for s, e in self.instance.intervals
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        closed, text = data.get("closed"), (data.get("hours") or "").strip()
        if closed and text:
            raise ValidationError({"hours": _("A closed day has no hours; clear one of them.")})
        if not closed and not text:
            raise ValidationError({"hours": _("Give the day's hours, or mark it closed.")})
        try:
            pairs = [] if closed else _parse_hours_text(text)
        except ValidationError as error:
            raise ValidationError({"hours": error.messages}) from None
        try:
            merged = parse_intervals(pairs)
        except ValueError as error:
            raise ValidationError({"hours": str(error)}) from None
        data["intervals"] = [list(pair) for pair in merged]
        data["pairs"] = pairs
        return data


def _save_override(
    *, original: DateOverride | None, staff: StaffMember, form: DateOverrideForm, actor: User
) -> DateOverride:
    data = form.cleaned_data
    if original is not None and original.date != data["date"]:
        # The service keys overrides by date, so a moved override is the old one removed.
        staff_override_delete(actor=actor, staff=original.staff, date=original.date)
    return staff_override_set(
        actor=actor,
        staff=staff,
        date=data["date"],
        intervals=data["pairs"],
        closed=bool(data["closed"]),
        note=data.get("note") or "",
    )


# Inlines on the staff member's page ------------------------------------------------------------


class WorkingIntervalInline(BusinessScopedInline, admin.TabularInline):
    model = WorkingInterval
    form = WorkingIntervalForm
    formset = WorkingIntervalFormSet
    fields = ("weekday", "start_minute", "end_minute")
    extra = 0
    verbose_name = _("working hours")
    verbose_name_plural = _("weekly hours")


class DateOverrideInline(BusinessScopedInline, admin.TabularInline):
    model = DateOverride
    form = DateOverrideForm
    fields = ("date", "closed", "hours", "note")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Old overrides change nothing any more; the page shows what is still ahead.
        since = timezone.localdate() - dt.timedelta(days=7)
        return super().get_queryset(request).filter(date__gte=since)


# Model admins --------------------------------------------------------------------------------


class StaffMemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ("business", "name", "user", "location", "services", "timezone", "active")
        widgets = {"services": forms.CheckboxSelectMultiple}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        business = data.get("business") or getattr(self.instance, "business", None)
        if business is None:
            return data
        errors: dict[str, str] = {}
        location = data.get("location")
        if location is not None and location.business_id != business.id:
            errors["location"] = _("This location belongs to another business.")
        services = data.get("services") or []
        if any(service.business_id != business.id for service in services):
            errors["services"] = _("A chosen service belongs to another business.")
        user = data.get("user")
        if user is not None and not user.memberships.filter(business=business).exists():
            # Someone joins a business only by accepting an invitation.
            errors["user"] = _("Only a member of this business can be linked; invite them first.")
        if errors:
            raise ValidationError(errors)
        return data


@admin.register(StaffMember)
class StaffMemberAdmin(BusinessScopedAdmin):
    form = StaffMemberForm
    list_display = ("name", "business", "location", "user", "active")
    list_filter = (
        "active",
        ("location", admin.RelatedOnlyFieldListFilter),
        ("business", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("business", "location", "user")
    search_fields = ("name", "user__username")
    fields = ("business", "name", "user", "location", "services", "timezone", "active")
    inlines = (WorkingIntervalInline, DateOverrideInline)

    def get_readonly_fields(self, request: HttpRequest, obj: StaffMember | None = None):
        return ("business",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: StaffMember, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.changed_data if name in STAFF_FIELDS}
            services = data["services"] if "services" in form.changed_data else None
            staff_member_update(actor=request.user, staff=obj, services=services, **fields)
        # A new staff member is saved in save_related, with the weekly hours of its inline:
        # one service call writes both (the admin has no formsets here).

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The services were set through the services; form.save_m2m() would write them a
        # second time behind their back.
        if not change:
            data = form.cleaned_data
            week = next(
                (fs.week for fs in formsets if fs.model is WorkingInterval and fs.has_changed()),
                None,
            )
            created = staff_member_create(
                actor=request.user,
                business=data["business"],
                name=data["name"],
                services=data["services"],
                location=data["location"],
                user=data["user"],
                timezone=data["timezone"],
                hours=week,
            )
            if not data["active"]:
                staff_member_update(actor=request.user, staff=created, active=False)
            adopt(form.instance, created)
        for formset in formsets:
            if not change and formset.model is WorkingInterval:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
                continue
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        staff = form.instance
        if formset.model in (WorkingInterval, DateOverride):
            # The admin's change message reads these lists, which formset.save() would fill;
            # these rows are written by the services instead.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is WorkingInterval:
            if formset.has_changed():
                staff_hours_set(actor=request.user, staff=staff, hours=formset.week)
            return
        if formset.model is DateOverride:
            for inline_form in formset.forms:
                original = inline_form.instance if inline_form.instance.pk else None
                if inline_form in formset.deleted_forms:
                    if original is not None:
                        staff_override_delete(
                            actor=request.user, staff=staff, date=inline_form.initial["date"]
                        )
                    continue
                if not inline_form.has_changed():
                    continue
                if original is not None:
                    # The form already wrote the new date onto the instance; the stored
                    # override still sits under the date the form started from.
                    original = DateOverride(staff=staff, date=inline_form.initial["date"])
                _save_override(original=original, staff=staff, form=inline_form, actor=request.user)
            return
        formset.save()


@admin.register(WorkingInterval)
class WorkingIntervalAdmin(BusinessScopedAdmin):
    business_path = "staff__business"
    deletable = True
    form = StandaloneWorkingIntervalForm
    list_display = ("staff", "weekday", "start_label", "end_label")
    list_filter = ("weekday", ("staff", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("staff",)
    search_fields = ("staff__name",)

    def get_readonly_fields(self, request: HttpRequest, obj: WorkingInterval | None = None):
        # Moving an interval to another person is two edits, one on each week.
        return ("staff",) if obj is not None else ()

    @admin.display(description=_("from"), ordering="start_minute")
    def start_label(self, obj: WorkingInterval) -> str:
        return minute_label(obj.start_minute)

    @admin.display(description=_("until"), ordering="end_minute")
    def end_label(self, obj: WorkingInterval) -> str:
        return minute_label(obj.end_minute)

    def save_model(self, request: HttpRequest, obj: WorkingInterval, form, change: bool) -> None:
        staff = obj.staff
        staff_hours_set(actor=request.user, staff=staff, hours=form.week)
        saved = _interval_covering(staff, obj.weekday, obj.start_minute, obj.end_minute)
        if saved is not None:
            adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: WorkingInterval) -> None:
        staff_hours_set(
            actor=request.user,
            staff=obj.staff,
            hours=_weekly_hours(_stored_rows(obj.staff, exclude_ids=[obj.pk])),
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        by_staff: dict[StaffMember, list[int]] = defaultdict(list)
        for interval in queryset.select_related("staff"):
            by_staff[interval.staff].append(interval.pk)
        for staff, ids in by_staff.items():
            staff_hours_set(
                actor=request.user,
                staff=staff,
                hours=_weekly_hours(_stored_rows(staff, exclude_ids=ids)),
            )


@admin.register(DateOverride)
class DateOverrideAdmin(BusinessScopedAdmin):
    business_path = "staff__business"
    deletable = True
    form = DateOverrideForm
    list_display = ("staff", "date", "hours_label", "note")
    list_filter = (("staff", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("staff",)
    date_hierarchy = "date"
    search_fields = ("staff__name", "note")
    fields = ("staff", "date", "closed", "hours", "note")

    def get_readonly_fields(self, request: HttpRequest, obj: DateOverride | None = None):
        return ("staff",) if obj is not None else ()

    @admin.display(description=_("hours"))
    def hours_label(self, obj: DateOverride) -> str:
        if not obj.intervals:
            return gettext("closed")
        return ", ".join(f"{minute_label(s)}–{minute_label(e)}" for s, e in obj.intervals)

    def save_model(self, request: HttpRequest, obj: DateOverride, form, change: bool) -> None:
        original = None
        if change:
            original = DateOverride.objects.select_related("staff").get(pk=obj.pk)
        saved = _save_override(original=original, staff=obj.staff, form=form, actor=request.user)
        adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: DateOverride) -> None:
        staff_override_delete(actor=request.user, staff=obj.staff, date=obj.date)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for override in queryset.select_related("staff"):
            staff_override_delete(actor=request.user, staff=override.staff, date=override.date)
