"""My notices: how this member hears of bookings and cancellations (owners and staff), and the
daily agenda (明日预约) of their own staff record, when they have one."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.catalog.models import Membership
from yuyue.catalog.services import membership_notice_channel_set
from yuyue.lib.errors import DomainError
from yuyue.scheduling.selectors import business_staff
from yuyue.scheduling.services import staff_agenda_set
from yuyue.webkit.forms import Form, add_errors
from yuyue.webkit.pages import page

HOURS = [("", gettext_lazy("No daily agenda"))] + [(str(h), f"{h:02d}:00") for h in range(24)]


class NoticesForm(Form):
    notice_channel = forms.ChoiceField(
        label=gettext_lazy("New bookings and cancellations reach me by"),
        choices=Membership.NoticeChannel.choices,
        required=False,
    )
    agenda_hour = forms.TypedChoiceField(
        label=gettext_lazy("Tomorrow's appointments (明日预约) every day at"),
        choices=HOURS,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy(
            "In your shop's time zone; nothing is sent for a day without appointments."
        ),
    )


@require_http_methods(["GET", "POST"])
@desk_view()
def notices(request: HttpRequest, desk: Desk) -> HttpResponse:
    membership = Membership.objects.filter(business=desk.business, user=desk.user).first()
    mine = next(
        (s for s in business_staff(business=desk.business) if s.user_id == desk.user.pk), None
    )
    initial = {
        "notice_channel": membership.notice_channel if membership else "",
        "agenda_hour": "" if mine is None or mine.agenda_hour is None else str(mine.agenda_hour),
    }
    form = NoticesForm(request.POST or None, initial=initial)
    if mine is None:
        del form.fields["agenda_hour"]
    if membership is None:
        # The platform operator acts as an owner everywhere without being a member.
        del form.fields["notice_channel"]
    if request.method == "POST" and form.is_valid():
        try:
            if membership is not None:
                membership_notice_channel_set(
                    business=desk.business,
                    actor=desk.user,
                    channel=form.cleaned_data["notice_channel"],
                )
            if mine is not None:
                staff_agenda_set(staff=mine, actor=desk.user, hour=form.cleaned_data["agenda_hour"])
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(
                reverse("backoffice:notices", args=[desk.business.slug]), status=303
            )
    context = {"form": form, "mine": mine, "email": desk.user.email, "phone": desk.user.phone}
    return page(request, "backoffice/notices.html", context, 400 if form.errors else 200, desk=desk)
