"""The page where an invitee accepts an invitation to a business, logged in as themself."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.catalog.selectors import invitation_by_token, require_open
from yuyue.catalog.services import invitation_accept
from yuyue.lib.errors import DomainError
from yuyue.webkit.pages import page, problem


def _unusable(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        _("Invitation not usable"),
        _(
            "This invitation is unknown, expired, withdrawn or already accepted. "
            "Ask the business for a new one."
        ),
        status=404,
    )


@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        return _unusable(request)
    require_open(invitation.business)
    context: dict[str, Any] = {
        "invitation": invitation,
        "invited_business": invitation.business,
        "business": invitation.business,
    }
    if not request.user.is_authenticated:
        # Named, with both ways in; either comes back here (`next`) to accept.
        context["next"] = request.path
        return page(request, "web/invitation.html", context)
    if request.method == "POST":
        try:
            invitation_accept(token=token, actor=request.user)
        except DomainError as error:
            return problem(request, _("Invitation not usable"), str(error.message), status=409)
        # The back office: their business's calendar (or the choice, with several).
        return HttpResponseRedirect(reverse("backoffice:home"), status=303)
    return page(request, "web/invitation.html", context)
