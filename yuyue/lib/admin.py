"""Plain helpers every back-office page shares; they import no app.

What scopes a page to the user's businesses lives with the businesses, in
`yuyue.catalog.admin_scoping`.
"""

import datetime as dt
import zoneinfo

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError, InvalidInput

admin.site.site_header = _("Yuyue back office")
admin.site.site_title = _("Yuyue back office")
admin.site.index_title = _("Your business at a glance")


def is_operator(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def adopt(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved form instance stand for the row a service created.

    The admin keeps using its own instance after save_model (for the log entry, the message
    and the redirect), so it must carry the saved row's key and values.
    """
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def describe_error(error: DomainError) -> str:
    """One line for a person: the message, then each field's problems."""
    text = str(error.message)
    if isinstance(error, InvalidInput):
        details = "; ".join(
            f"{name}: {' '.join(problems)}" for name, problems in error.fields.items()
        )
        if details:
            text = f"{text} {details}"
    return text


def format_local(moment: dt.datetime | None, zone_name: str) -> str:
    """A stored UTC instant as local wall-clock time with its zone and offset."""
    if moment is None:
        return "-"
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} ({zone_name}, UTC{offset[:3]}:{offset[3:]})"


def refusal_message(label: str, error: DomainError) -> str:
    """The line an action reports for one row it could not change."""
    return gettext("%(row)s: %(error)s") % {"row": label, "error": describe_error(error)}
