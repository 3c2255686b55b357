"""The set-up checklist on a new business's calendar: what is still missing before customers
can book, each step linking to the page that does it.

Computed from the business's data every time (no stored flags): a step is done when what it
asks for exists, so deleting the last shop brings its step back, and the checklist is gone
once every required step is done. Policies have sensible defaults (cut-offs, reminders), so
their step is a review that never blocks."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuyue.catalog.models import Business, Location, Service
from yuyue.scheduling.models import StaffMember, WorkingInterval
from yuyue.webkit.pages import with_query


@dataclass(frozen=True)
class Step:
    key: str
    title: object
    hint: object
    done: bool
    url: str
    action: object
    required: bool = True


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps if step.required)

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)


def setup_checklist(*, business: Business) -> Checklist:
    """The business's set-up steps, in order, read in one query."""
    slug = business.slug
    home = reverse("backoffice:day", args=[slug])

    def url(name: str, *args: object) -> str:
        return with_query(reverse(f"backoffice:{name}", args=[slug, *args]), next=home)

    bookable_staff = StaffMember.objects.filter(
        business=OuterRef("pk"), active=True, services__active=True
    )
    found = (
        Business.objects.filter(pk=business.pk)
        .annotate(
            has_shop=Exists(Location.objects.filter(business=OuterRef("pk")).exclude(address="")),
            first_shop_id=Subquery(
                Location.objects.filter(business=OuterRef("pk")).order_by("id").values("id")[:1]
            ),
            has_services=Exists(Service.objects.filter(business=OuterRef("pk"), active=True)),
            has_staff=Exists(bookable_staff),
            has_hours=Exists(
                WorkingInterval.objects.filter(
                    staff__business=OuterRef("pk"),
                    staff__active=True,
                    staff__services__active=True,
                )
            ),
            first_staff_id=Subquery(
                StaffMember.objects.filter(business=OuterRef("pk"))
                .order_by("-active", "id")
                .values("id")[:1]
            ),
        )
        .values(
            "has_shop", "first_shop_id", "has_services", "has_staff", "has_hours", "first_staff_id"
        )
        .get()
    )
    shop, staff, hours = found["has_shop"], found["has_staff"], found["has_hours"]
    services = found["has_services"]
    first_shop, first_staff = found["first_shop_id"], found["first_staff_id"]
    return Checklist(
        [
            Step(
                "shop",
                _("Your shop"),
                _("Its address and phone, shown to customers with a map link."),
                shop,
                url("location-edit", first_shop) if first_shop else url("location-new"),
                _("Add the shop") if first_shop is None else _("Edit the shop"),
            ),
            Step(
                "services",
                _("Services"),
                _("Start from a template for your trade, then adjust names, durations, prices."),
                services,
                url("setup-services"),
                _("Choose services"),
            ),
            Step(
                "staff",
                _("Staff"),
                _("Who serves customers; start with yourself (“this is me”)."),
                staff,
                url("staff-edit", first_staff) if first_staff else url("staff-new"),
                _("Add staff") if first_staff is None else _("Edit staff"),
            ),
            Step(
                "hours",
                _("Weekly hours"),
                _("When each person works; customers book inside these hours."),
                hours,
                url("staff-edit", first_staff) if first_staff else url("staff-new"),
                _("Set hours"),
            ),
            Step(
                "policies",
                _("Policies"),
                _(
                    "Cancellation cut-offs and reminders already have sensible defaults "
                    "(2 hours; a day and 2 hours before); review them when you like."
                ),
                True,
                url("policies"),
                _("Review policies"),
                required=False,
            ),
        ]
    )
