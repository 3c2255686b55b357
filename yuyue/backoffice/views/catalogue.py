"""Settings › Catalogue, for owners: the categories services are listed under (in the order
customers see them) and the staff titles (首席, 高级 …) whose prices a service may set."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.catalog.selectors import business_categories, business_titles
from yuyue.catalog.services import (
    service_category_create,
    service_category_delete,
    service_category_move,
    service_category_rename,
    staff_title_create,
    staff_title_delete,
    staff_title_move,
    staff_title_rename,
)
from yuyue.lib.errors import DomainError
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import an_id, page

MAX_NAME = 60
LISTS: dict[str, tuple[Callable[..., Any], dict[str, Callable[..., Any]], str]] = {
    "category": (
        business_categories,
        {
            "add": service_category_create,
            "rename": service_category_rename,
            "move": service_category_move,
            "delete": service_category_delete,
        },
        "category",
    ),
    "title": (
        business_titles,
        {
            "add": staff_title_create,
            "rename": staff_title_rename,
            "move": staff_title_move,
            "delete": staff_title_delete,
        },
        "title",
    ),
}


def _act(request: HttpRequest, desk: Desk) -> None:
    """One change from the posted row: add, rename, up, down or delete."""
    kind, action = request.POST.get("list", ""), request.POST.get("do", "")
    if kind not in LISTS:
        return
    rows_of, writes, keyword = LISTS[kind]
    name = request.POST.get("name", "")
    if "\x00" in name or len(name) > MAX_NAME:
        raise DomainError(_("A name is at most %(n)d characters.") % {"n": MAX_NAME})
    if action == "add":
        writes["add"](business=desk.business, actor=desk.user, name=name)
        return
    row_id = an_id(request.POST.get("id"))
    row = None if row_id is None else rows_of(business=desk.business).filter(id=row_id).first()
    if row is None:
        return
    target = {keyword: row, "actor": desk.user}
    if action == "rename":
        writes["rename"](**target, name=name)
    elif action in ("up", "down"):
        writes["move"](**target, step=-1 if action == "up" else 1)
    elif action == "delete":
        writes["delete"](**target)


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def catalogue(request: HttpRequest, desk: Desk) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            _act(request, desk)
        except DomainError as failure:
            error = refusal_text(failure)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(
                reverse("backoffice:catalogue", args=[desk.business.slug]), status=303
            )
    context = {
        "categories": list(business_categories(business=desk.business)),
        "titles": list(business_titles(business=desk.business)),
        "error": error,
        "max_name": MAX_NAME,
    }
    return page(
        request, "backoffice/catalogue.html", context, status=400 if error else 200, desk=desk
    )
