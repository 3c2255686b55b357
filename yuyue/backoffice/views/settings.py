"""Settings, for owners only: services, staff (their services, weekly hours, date overrides),
shops and policies, all through the catalog and scheduling services."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.forms import (
    HoursForm,
    LocationForm,
    OverrideForm,
    PoliciesForm,
    ServiceForm,
    hours_text,
)
from yuyue.backoffice.pages import a_day
from yuyue.catalog.models import Membership
from yuyue.catalog.selectors import business_invitations, business_locations, business_services
from yuyue.catalog.services import (
    business_update,
    invitation_create,
    invitation_revoke,
    location_create,
    location_update,
    service_create,
    service_update,
)
from yuyue.lib.errors import DomainError
from yuyue.scheduling.selectors import business_staff, staff_overrides, staff_weekly_hours
from yuyue.scheduling.services import (
    staff_member_create,
    staff_member_update,
    staff_override_delete,
    staff_override_set,
)
from yuyue.webkit.forms import Form, add_errors, error_text
from yuyue.webkit.pages import MAX_ID, page


def _url(desk: Desk, name: str, *args) -> str:
    return reverse(f"backoffice:{name}", args=[desk.business.slug, *args])


def _one(queryset, raw_id: int):
    item = queryset.filter(id=raw_id).first() if 0 < raw_id <= MAX_ID else None
    if item is None:
        raise Http404
    return item


@require_GET
@desk_view(owner_only=True)
def settings_home(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {
        "services": business_services(business=desk.business, include_inactive=True),
        "staff": business_staff(business=desk.business, include_inactive=True),
        "locations": business_locations(business=desk.business),
    }
    return page(request, "backoffice/settings.html", context, desk=desk)


def _edit(
    request: HttpRequest,
    desk: Desk,
    *,
    form: forms.ModelForm,
    save: Callable[[dict], object],
    title: object,
) -> HttpResponse:
    """The edit page of one settings row: `save` calls the create or update service."""
    if request.method == "POST" and form.is_valid():
        try:
            save({name: form.cleaned_data[name] for name in form.Meta.fields})
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(_url(desk, "settings"), status=303)
    context = {"form": form, "title": title}
    return page(
        request, "backoffice/settings_form.html", context, 400 if form.errors else 200, desk=desk
    )


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def service_edit(request: HttpRequest, desk: Desk, service_id: int = 0) -> HttpResponse:
    service = None
    if service_id:
        service = _one(business_services(business=desk.business, include_inactive=True), service_id)

    def save(fields: dict) -> object:
        if service is None:
            return service_create(business=desk.business, actor=desk.user, **fields)
        return service_update(service=service, actor=desk.user, **fields)

    form = ServiceForm(request.POST or None, instance=service)
    return _edit(request, desk, form=form, save=save, title=service or _("New service"))


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def location_edit(request: HttpRequest, desk: Desk, location_id: int = 0) -> HttpResponse:
    location = None
    if location_id:
        location = _one(business_locations(business=desk.business), location_id)

    def save(fields: dict) -> object:
        if location is None:
            return location_create(business=desk.business, actor=desk.user, **fields)
        return location_update(location=location, actor=desk.user, **fields)

    form = LocationForm(request.POST or None, instance=location, business_phone=desk.business.phone)
    return _edit(request, desk, form=form, save=save, title=location or _("New shop"))


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def policies(request: HttpRequest, desk: Desk) -> HttpResponse:
    business = desk.business
    form = PoliciesForm(request.POST or None, instance=business)
    if request.method == "POST" and form.is_valid():
        try:
            business_update(
                business=business,
                actor=desk.user,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                reminder_offsets_minutes=form.reminders(),
            )
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(_url(desk, "policies"), status=303)
    context = {
        "form": form,
        "services": business_services(business=business, include_inactive=True),
    }
    return page(
        request, "backoffice/policies.html", context, 400 if form.errors else 200, desk=desk
    )


class StaffForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    location = forms.TypedChoiceField(
        label=gettext_lazy("Shop"), required=False, coerce=int, empty_value=None
    )
    services = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Services"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=gettext_lazy("Takes bookings"), required=False, initial=True)

    def __init__(self, *args, locations, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", "—")] + [(shop.id, shop.name) for shop in locations]
        self.fields["services"].choices = [(s.id, s.name) for s in services]


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def staff_edit(request: HttpRequest, desk: Desk, staff_id: int = 0) -> HttpResponse:
    """A staff member: name, shop, services, weekly hours (intervals per weekday) in one form."""
    member = None
    if staff_id:
        member = _one(business_staff(business=desk.business, include_inactive=True), staff_id)
    locations = list(business_locations(business=desk.business))
    services = list(business_services(business=desk.business, include_inactive=True))
    initial = {}
    hours_initial = {}
    if member is not None:
        initial = {
            "name": member.name,
            "location": member.location_id,
            "services": [s.id for s in member.services.all()],
            "active": member.active,
        }
        hours_initial = {
            key: hours_text(value) for key, value in staff_weekly_hours(staff=member).items()
        }
    data = request.POST or None
    form = StaffForm(data, initial=initial, locations=locations, services=services)
    hours = HoursForm(data, initial=hours_initial, prefix="hours")
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        chosen_location = next(
            (shop for shop in locations if shop.id == form.cleaned_data["location"]), None
        )
        chosen_services = [s for s in services if s.id in form.cleaned_data["services"]]
        try:
            # The member and their hours are saved together, or nothing is.
            if member is None:
                member = staff_member_create(
                    business=desk.business,
                    actor=desk.user,
                    name=form.cleaned_data["name"],
                    services=chosen_services,
                    location=chosen_location,
                    hours=hours.weekly(),
                )
            else:
                staff_member_update(
                    staff=member,
                    actor=desk.user,
                    services=chosen_services,
                    name=form.cleaned_data["name"],
                    location=chosen_location,
                    active=form.cleaned_data["active"],
                    hours=hours.weekly(),
                )
        except DomainError as error:
            add_errors(hours if _names_weekday(error) else form, error)
        else:
            messages.success(request, _("Saved. Customers see the new hours at once."))
            return HttpResponseRedirect(_url(desk, "staff-edit", member.id), status=303)
    context = {
        "form": form,
        "hours": hours,
        "member": member,
        "overrides": staff_overrides(
            staff=member, date_from=timezone.now().astimezone(desk.zone).date()
        )
        if member is not None
        else [],
        "override_form": OverrideForm(),
    }
    return page(
        request,
        "backoffice/staff_form.html",
        context,
        400 if form.errors or hours.errors else 200,
        desk=desk,
    )


def _names_weekday(error: DomainError) -> bool:
    return any(key in HoursForm().fields for key in getattr(error, "fields", {}))


@require_http_methods(["POST"])
@desk_view(owner_only=True)
def override_edit(request: HttpRequest, desk: Desk, staff_id: int) -> HttpResponse:
    """Add or replace a date override (closed, or special hours), or remove one."""
    member = _one(business_staff(business=desk.business, include_inactive=True), staff_id)
    back = _url(desk, "staff-edit", member.id)
    if request.POST.get("delete"):
        day = a_day(request.POST.get("delete"))
        if day is not None:
            staff_override_delete(staff=member, actor=desk.user, date=day)
            messages.success(request, _("Removed."))
        return HttpResponseRedirect(back, status=303)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return HttpResponseRedirect(back, status=303)
    try:
        staff_override_set(
            staff=member,
            actor=desk.user,
            date=form.cleaned_data["date"],
            closed=form.cleaned_data["closed"],
            intervals=[] if form.cleaned_data["closed"] else form.intervals(),
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(
            request,
            " ".join(m for ms in getattr(error, "fields", {}).values() for m in ms)
            or str(error.message),
        )
    else:
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(back, status=303)


class InvitationForm(Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Membership.Role.choices, initial="staff"
    )
    staff = forms.TypedChoiceField(
        label=gettext_lazy("Becomes the account of"), coerce=int, required=False, empty_value=None
    )


_STATE_LABELS = {
    "open": gettext_lazy("Waiting to be accepted"),
    "accepted": gettext_lazy("Accepted"),
    "revoked": gettext_lazy("Withdrawn"),
    "expired": gettext_lazy("Expired"),
}


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def invitations(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Invite someone: the link is shown once; their account joins only when they accept it."""
    staff = list(business_staff(business=desk.business))
    form = InvitationForm(request.POST if request.POST.get("do") == "invite" else None)
    form.fields["staff"].choices = [("", _("Nobody yet")), *[(m.id, m.name) for m in staff]]
    link = error = None
    if request.method == "POST":
        try:
            if request.POST.get("do") == "revoke":
                invitation = _one(business_invitations(business=desk.business), _id(request))
                invitation_revoke(invitation=invitation, actor=request.user)
                messages.success(request, _("The invitation is withdrawn."))
                return HttpResponseRedirect(_url(desk, "invitations"))
            if form.is_valid():
                chosen = form.cleaned_data["staff"]
                issued = invitation_create(
                    business=desk.business,
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    staff=next((m for m in staff if m.id == chosen), None),
                )
                link = request.build_absolute_uri(reverse("web:invitation", args=[issued.token]))
                form = InvitationForm()
                form.fields["staff"].choices = [
                    ("", _("Nobody yet")),
                    *[(m.id, m.name) for m in staff],
                ]
        except DomainError as failure:
            error = failure.message
    now = timezone.now()
    rows = [
        {"invitation": invitation, "state": _STATE_LABELS[invitation.state(now)]}
        for invitation in business_invitations(business=desk.business).select_related(
            "staff", "accepted_by"
        )[:50]
    ]
    context = {"form": form, "link": link, "error": error, "rows": rows}
    return page(
        request, "backoffice/invitations.html", context, status=400 if error else 200, desk=desk
    )


def _id(request: HttpRequest) -> int:
    raw = request.POST.get("invitation", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0
