"""Settings, for owners only: services, staff (their services, weekly hours, date overrides),
shops and policies, all through the catalog and scheduling services."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
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
    PhotoFields,
    PoliciesForm,
    ServiceForm,
    hours_text,
)
from yuyue.backoffice.pages import a_day, upload_too_large
from yuyue.catalog.models import Membership
from yuyue.catalog.selectors import (
    business_invitations,
    business_locations,
    business_services,
    business_titles,
)
from yuyue.catalog.services import (
    business_update,
    invitation_create,
    invitation_revoke,
    location_create,
    location_update,
    service_create,
    service_photo_set,
    service_update,
    title_prices_set,
)
from yuyue.lib.errors import DomainError
from yuyue.scheduling.hours import WEEKDAY_KEYS
from yuyue.scheduling.selectors import business_staff, staff_overrides, staff_weekly_hours
from yuyue.scheduling.services import (
    staff_member_create,
    staff_member_update,
    staff_override_delete,
    staff_override_set,
    staff_photo_set,
)
from yuyue.webkit.forms import Form, add_errors, error_text
from yuyue.webkit.pages import MAX_ID, page, safe_next


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
    extra: dict | None = None,
) -> HttpResponse:
    """The edit page of one settings row: `save` calls the create or update service."""
    if request.method == "POST" and form.is_valid():
        try:
            save({name: form.cleaned_data[name] for name in form.Meta.fields})
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(safe_next(request, _url(desk, "settings")), status=303)
    context = {"form": form, "title": title, "next": safe_next(request, ""), **(extra or {})}
    return page(
        request, "backoffice/settings_form.html", context, 400 if form.errors else 200, desk=desk
    )


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def service_edit(request: HttpRequest, desk: Desk, service_id: int = 0) -> HttpResponse:
    if (too_large := upload_too_large(request, desk)) is not None:
        return too_large
    service = None
    if service_id:
        service = _one(business_services(business=desk.business, include_inactive=True), service_id)

    titles = list(business_titles(business=desk.business))
    form = ServiceForm(
        request.POST or None,
        request.FILES or None,
        instance=service,
        business=desk.business,
        titles=titles,
    )

    @transaction.atomic
    def save(fields: dict) -> object:
        # The service, its prices by title and its photo together, or nothing (a refused
        # photo undoes the rest).
        if service is None:
            saved = service_create(business=desk.business, actor=desk.user, **fields)
        else:
            saved = service_update(service=service, actor=desk.user, **fields)
        if titles:
            title_prices_set(service=saved, actor=desk.user, prices=form.title_prices())
        changes, upload = form.photo_change()
        if changes:
            service_photo_set(service=saved, actor=desk.user, upload=upload)
        return saved

    initial_prices = (
        {}
        if service is None
        else {f"title_{row.title_id}": row.price for row in service.title_prices.all()}
    )
    if request.method != "POST":
        form.initial.update(initial_prices)
    context_extra = {"photo": service.photo if service else "", "multipart": True}
    return _edit(
        request,
        desk,
        form=form,
        save=save,
        title=service or _("New service"),
        extra=context_extra,
    )


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
        retention = form.cleaned_data["customer_retention_months"]
        kept = {} if retention is None else {"customer_retention_months": retention}
        offer_minutes = form.cleaned_data["waitlist_offer_minutes"]
        if offer_minutes is not None:
            kept["waitlist_offer_minutes"] = offer_minutes
        try:
            business_update(
                business=business,
                actor=desk.user,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                reminder_offsets_minutes=form.reminders(),
                **kept,
                **form.rules(),
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


class StaffForm(PhotoFields, Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    title = forms.TypedChoiceField(
        label=gettext_lazy("Title"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("Titles and their prices: Settings › Catalogue."),
    )
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
    is_me = forms.BooleanField(
        label=gettext_lazy("This is me"),
        required=False,
        help_text=gettext_lazy(
            "Link to your own account: you see your own column and hear of bookings."
        ),
    )

    def __init__(
        self, *args, locations, services, titles, may_be_me: bool, photo: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", "—")] + [(shop.id, shop.name) for shop in locations]
        self.fields["services"].choices = [(s.id, s.name) for s in services]
        self.fields["title"].choices = [("", "—")] + [(t.id, t.name) for t in titles]
        self.add_photo_fields(photo)
        if not may_be_me:
            # Linked to someone else's account: only they (or an invitation) change that.
            del self.fields["is_me"]


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def staff_edit(request: HttpRequest, desk: Desk, staff_id: int = 0) -> HttpResponse:
    """A staff member: name, shop, services, weekly hours (intervals per weekday) in one form."""
    if (too_large := upload_too_large(request, desk)) is not None:
        return too_large
    member = None
    if staff_id:
        member = _one(business_staff(business=desk.business, include_inactive=True), staff_id)
    locations = list(business_locations(business=desk.business))
    services = list(business_services(business=desk.business, include_inactive=True))
    titles = list(business_titles(business=desk.business))
    initial: dict = {}
    hours_initial: dict = {}
    if member is not None:
        initial = {
            "name": member.name,
            "title": member.title_id,
            "location": member.location_id,
            "services": [s.id for s in member.services.all()],
            "active": member.active,
            "is_me": member.user_id == desk.user.pk,
        }
        hours_initial = {
            key: hours_text(value) for key, value in staff_weekly_hours(staff=member).items()
        }
    else:
        # A new business's first staff member is most often its owner: offered first.
        first = not business_staff(business=desk.business, include_inactive=True).exists()
        initial = {
            "services": [s.id for s in services if s.active],
            "location": locations[0].id if len(locations) == 1 else None,
            "is_me": first,
            "name": desk.user.shown_name if first else "",
        }
    may_be_me = member is None or member.user_id in (None, desk.user.pk)
    data = request.POST or None
    # The buttons beside each day send do=copy-<day>; Save sends do=save.
    copy_from = request.POST.get("do", "").removeprefix("copy-") if data else ""
    if copy_from in WEEKDAY_KEYS:
        # "Copy to every day": the form again as typed, every day's hours as that day's;
        # nothing is saved until Save (a photo must be chosen again).
        posted = request.POST
        initial = {
            "name": posted.get("name", ""),
            "location": posted.get("location", ""),
            "title": posted.get("title", ""),
            "services": posted.getlist("services"),
            "active": bool(posted.get("active")),
            "is_me": bool(posted.get("is_me")),
        }
        hours_initial = {key: posted.get(f"hours-{copy_from}", "") for key in WEEKDAY_KEYS}
        data = None
    form = StaffForm(
        data,
        request.FILES if data is not None else None,
        initial=initial,
        locations=locations,
        services=services,
        titles=titles,
        may_be_me=may_be_me,
        photo=member.photo if member is not None else "",
    )
    hours = HoursForm(data, initial=hours_initial, prefix="hours")
    if request.method == "POST" and data is not None and form.is_valid() and hours.is_valid():
        chosen_location = next(
            (shop for shop in locations if shop.id == form.cleaned_data["location"]), None
        )
        chosen_services = [s for s in services if s.id in form.cleaned_data["services"]]
        chosen_title = next((t for t in titles if t.id == form.cleaned_data["title"]), None)
        linked: dict = {}
        if "is_me" in form.fields:
            linked = {"user": desk.user if form.cleaned_data["is_me"] else None}
        try:
            # The member, their hours and their photo are saved together, or nothing is.
            with transaction.atomic():
                if member is None:
                    saved = staff_member_create(
                        business=desk.business,
                        actor=desk.user,
                        name=form.cleaned_data["name"],
                        services=chosen_services,
                        location=chosen_location,
                        title=chosen_title,
                        hours=hours.weekly(),
                        **linked,
                    )
                else:
                    saved = staff_member_update(
                        staff=member,
                        actor=desk.user,
                        services=chosen_services,
                        name=form.cleaned_data["name"],
                        location=chosen_location,
                        title=chosen_title,
                        active=form.cleaned_data["active"],
                        hours=hours.weekly(),
                        **linked,
                    )
                changes, upload = form.photo_change()
                if changes:
                    staff_photo_set(staff=saved, actor=desk.user, upload=upload)
            member = saved
        except DomainError as error:
            add_errors(hours if _names_weekday(error) else form, error)
        else:
            messages.success(request, _("Saved. Customers see the new hours at once."))
            back = safe_next(request, _url(desk, "staff-edit", member.id))
            return HttpResponseRedirect(back, status=303)
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
        "next": safe_next(request, ""),
        "weekdays": WEEKDAY_KEYS,
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
