"""Opening a business ("开店"): an account (or the logged-in one) and the business, in one
form and one service call (catalog.services.business_sign_up), under YUYUE_SIGNUP.

The account part is the registration form; a phone-and-code step can take its place (or come
first and return here through `next`) without touching the business part."""

from django import forms
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from yuyue.catalog.errors import SignupClosed
from yuyue.catalog.selectors import signup_refusal
from yuyue.catalog.services import NewAccount, business_sign_up
from yuyue.catalog.slugs import MAX_NAME_FOR_SLUG, slug_proposed
from yuyue.lib.errors import DomainError, Duplicate, InvalidInput
from yuyue.lib.localtime import zone_label
from yuyue.lib.throttle import register_throttles, retry_after
from yuyue.lib.zones import COMMON_ZONES
from yuyue.web.forms import BusinessSignupForm, RegisterForm
from yuyue.webkit.pages import page, problem


def zone_choices() -> list[tuple[str, str]]:
    return [
        (zone, zone if zone_label(zone) == zone else f"{zone_label(zone)} · {zone}")
        for zone in COMMON_ZONES
    ]


def _closed(request: HttpRequest, error: DomainError) -> HttpResponse:
    return problem(request, _("Opening a business is closed"), str(error.message), status=403)


def _route_errors(error: DomainError, account: forms.Form | None, business: forms.Form) -> None:
    """A refusal's fields onto the form that has them; anything else on top of the business."""
    if not isinstance(error, InvalidInput | Duplicate):
        business.add_error(None, str(error.message))
        return
    for name, messages in error.fields.items():
        target = business
        if account is not None and name in account.fields:
            target = account
        target.add_error(name if name in target.fields else None, messages)


@csrf_protect
@require_http_methods(["GET", "POST"])
def signup_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    invite = request.POST.get("invite") or request.GET.get("invite") or ""
    refusal = signup_refusal(user=user, invite=invite)
    if refusal is not None:
        return _closed(request, refusal)
    posted = request.POST if request.method == "POST" else None
    account = None if user.is_authenticated else RegisterForm(posted)
    business = BusinessSignupForm(posted, zones=zone_choices())
    status, wait = 200, None
    if posted is not None:
        valid = business.is_valid() & (account is None or account.is_valid())
        status = 400 if not valid else 0
        if not status and account is not None:
            # A new account: the registration throttles (per address, per username).
            wait = retry_after(register_throttles(), request)
        if wait is not None:
            business.add_error(
                None,
                _("Too many attempts; please wait %(n)d seconds and try again.") % {"n": wait},
            )
            status = 429
    if posted is not None and not status:
        data = business.cleaned_data
        try:
            signed_up = business_sign_up(
                actor=user if user.is_authenticated else None,
                account=None
                if account is None
                else NewAccount(
                    username=account.cleaned_data["username"],
                    password=account.cleaned_data["password"],
                    phone=account.cleaned_data["phone"],
                    email=account.cleaned_data["email"],
                    display_name=account.cleaned_data["display_name"],
                    language=translation.get_language(),
                ),
                invite=invite,
                slug=data["slug"].strip().lower() or slug_proposed(data["name"]),
                name=data["name"],
                timezone=data["timezone"],
                currency=data["currency"],
                default_language=data["default_language"],
            )
        except SignupClosed as error:
            return _closed(request, error)
        except DomainError as error:
            _route_errors(error, account, business)
            status = 409 if error.code == "duplicate" else 400
        else:
            if account is not None:
                login(request, signed_up.owner, backend="yuyue.accounts.backends.AccountBackend")
            return HttpResponseRedirect(
                reverse("backoffice:day", args=[signed_up.business.slug]), status=303
            )
    context = {
        "account_form": account,
        "form": business,
        "invite": invite,
        "link_base": request.build_absolute_uri("/b/"),
    }
    response = page(request, "web/signup.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


@require_GET
def slug_proposal(request: HttpRequest) -> JsonResponse:
    """{"slug": "yueji-meifa"} for ?name=悦己美发: the sign-up page fills its slug field with it."""
    name = request.GET.get("name", "")
    if "\x00" in name:
        name = ""
    return JsonResponse({"slug": slug_proposed(name[:MAX_NAME_FOR_SLUG]) if name.strip() else ""})
