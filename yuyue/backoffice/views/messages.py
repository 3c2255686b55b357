"""The message log: what was queued, sent, failed or skipped, why it failed, and resend."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.lib.errors import DomainError
from yuyue.lib.localtime import local_day_time_label
from yuyue.notifications.errors import reason_text
from yuyue.notifications.models import Notification
from yuyue.notifications.selectors import notifications_of_business
from yuyue.notifications.services import notification_resend
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import MAX_ID, page

PER_PAGE = 50


@require_GET
@desk_view()
def message_log(request: HttpRequest, desk: Desk) -> HttpResponse:
    status = request.GET.get("status")
    if status not in Notification.Status.values:
        status = None
    paginator = Paginator(
        notifications_of_business(business=desk.business, status=status), PER_PAGE
    )
    shown = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "notification": n,
            "when": local_day_time_label(n.created_at, desk.zone.key),
            "reason": reason_text(n.last_error),
        }
        for n in shown
    ]
    context = {
        "rows": rows,
        "page_obj": shown,
        "status": status,
        "statuses": Notification.Status.choices,
    }
    return page(request, "backoffice/messages.html", context, desk=desk)


@require_POST
@desk_view()
def resend(request: HttpRequest, desk: Desk, notification_id: int) -> HttpResponse:
    notification = None
    if 0 < notification_id <= MAX_ID:
        notification = (
            notifications_of_business(business=desk.business).filter(id=notification_id).first()
        )
    if notification is None:
        raise Http404
    try:
        notification_resend(notification=notification, actor=desk.user)
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Queued again; it goes out with the next dispatch."))
    return HttpResponseRedirect(
        reverse("backoffice:messages", args=[desk.business.slug]), status=303
    )
