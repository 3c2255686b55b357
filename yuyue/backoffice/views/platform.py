"""The platform operator's page (superusers only): every business with its owners, sign-up
date and bookings this month, a search, the sign-up mode with its invitation links, and
suspend / reactivate. Anyone else gets 404, as for a business that is not theirs."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from yuyue.accounts.models import User
from yuyue.bookings.selectors import bookings_made_since
from yuyue.catalog.selectors import (
    business_by_slug,
    platform_businesses,
    signup_invitations,
    signup_mode,
)
from yuyue.catalog.services import (
    business_reactivate,
    business_suspend,
    signup_invitation_create,
)
from yuyue.lib.errors import DomainError
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import page

MAX_QUERY = 100
MAX_INVITATIONS_SHOWN = 50
_MODES = {
    "open": gettext_lazy("open: anyone may open a business"),
    "invite": gettext_lazy("by invitation: links made here"),
    "closed": gettext_lazy("closed: only you open businesses (in the admin)"),
}


def _operator(request: HttpRequest) -> User | HttpResponse:
    """The logged-in operator; the log-in page for nobody; 404 for anyone else."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (isinstance(user, User) and user.is_active and user.is_superuser):
        raise Http404
    return user


@require_http_methods(["GET", "POST"])
def platform_home(request: HttpRequest) -> HttpResponse:
    operator = _operator(request)
    if isinstance(operator, HttpResponse):
        return operator
    link = error = ""
    if request.method == "POST":
        try:
            issued = signup_invitation_create(
                actor=operator, note=request.POST.get("note", "")[:1000]
            )
        except DomainError as failure:
            error = refusal_text(failure)
        else:
            link = request.build_absolute_uri(reverse("web:signup") + "?invite=" + issued.token)
    query = request.GET.get("q", "")[:MAX_QUERY].replace("\x00", "")
    rows = platform_businesses(user=operator, query=query)
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    ids = [row["business"].id for row in rows]
    counts = bookings_made_since(business_ids=ids, since=month_start)
    for row in rows:
        row["bookings_this_month"] = counts.get(row["business"].id, 0)
    now = timezone.now()
    mode = signup_mode()
    invitations = (
        [
            {
                "invitation": invitation,
                "state": _("Used")
                if invitation.used_at
                else (_("Waiting") if invitation.is_open(now) else _("Expired")),
            }
            for invitation in signup_invitations()[:MAX_INVITATIONS_SHOWN]
        ]
        if mode == "invite"
        else []
    )
    context = {
        "business": None,
        "rows": rows,
        "query": query,
        "mode": mode,
        "mode_label": _MODES[mode],
        "invitations": invitations,
        "link": link,
        "error": error,
    }
    return page(request, "backoffice/platform.html", context, status=400 if error else 200)


@require_POST
def platform_business(request: HttpRequest, slug: str) -> HttpResponse:
    """Suspend or reactivate one business (do=suspend / do=reactivate)."""
    operator = _operator(request)
    if isinstance(operator, HttpResponse):
        return operator
    business = business_by_slug(slug)
    if business is None:
        raise Http404
    action = request.POST.get("do")
    try:
        if action == "suspend":
            business_suspend(business=business, actor=operator)
            messages.success(request, _("%(name)s is suspended.") % {"name": business.name})
        elif action == "reactivate":
            business_reactivate(business=business, actor=operator)
            messages.success(request, _("%(name)s is open again.") % {"name": business.name})
        else:
            messages.error(request, _("Choose suspend or reactivate."))
    except DomainError as failure:
        messages.error(request, refusal_text(failure))
    return HttpResponseRedirect(reverse("backoffice:platform"), status=303)
