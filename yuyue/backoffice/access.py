"""Who may open a back-office page: the business named in the path and the reader's role there.

A business the reader has no role in answers 404, exactly like one that does not exist, so the
back office never tells a stranger which businesses exist or what they hold.
"""

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from yuyue.backoffice.desk import Desk
from yuyue.backoffice.pages import refused
from yuyue.catalog.errors import BusinessSuspended
from yuyue.catalog.selectors import business_by_slug, business_role, require_open
from yuyue.webkit.pages import page


def desk_view(*, owner_only: bool = False) -> Callable:
    """Resolve `slug` to a Desk for the logged-in owner or staff member, else refuse.

    Nobody logged in: the log-in page. No role in the business: 404. Staff on an owners' page:
    403 with a page that says why.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            business = business_by_slug(slug)
            role = (
                None
                if business is None
                else business_role(user=request.user, business_id=business.id)
            )
            if business is None or role is None:
                raise Http404
            try:
                require_open(business, user=request.user)
            except BusinessSuspended:
                context = {
                    "title": _("Business suspended"),
                    "message": _(
                        "The site's operator has suspended %(name)s: its booking pages are "
                        "closed and nothing can be changed. Nothing is deleted; contact the "
                        "operator to reopen it."
                    )
                    % {"name": business.name},
                    "business": None,
                }
                return page(request, "backoffice/problem.html", context, status=403)
            desk = Desk(business=business, user=request.user, role=role)
            if owner_only and not desk.is_owner:
                return refused(request, desk, _("Only the business's owners can change settings."))
            return view(request, desk, *args, **kwargs)

        return wrapper

    return decorate
