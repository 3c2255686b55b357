"""Signing in, and resetting the password, with a code texted to the phone.

Two steps, each a plain form, so they work without JavaScript: the phone (a code is texted),
then the code. The second step's "send again" button posts the first step's action; with
JavaScript it counts down the minute until another code may be asked for (web/app.js).
"""

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from yuyue.accounts.models import PhoneCode
from yuyue.lib.errors import DomainError, RateLimited
from yuyue.lib.phones import e164_or_none
from yuyue.lib.throttle import (
    client_ip,
    code_login_throttles,
    login_succeeded,
    rate_of,
    retry_after,
)
from yuyue.notifications.codes import (
    phone_code_reset_password,
    phone_code_send,
    phone_code_sign_in,
)
from yuyue.web.forms import CodeForm, CodeResetForm, PhoneForm
from yuyue.webkit.forms import add_errors
from yuyue.webkit.pages import page, safe_next

_BACKEND = "yuyue.accounts.backends.AccountBackend"


def _send(request: HttpRequest, form: PhoneForm, purpose: str) -> tuple[int, str, int | None]:
    """Text a code for the form's phone: (status, the phone in E.164 form or as typed, the
    seconds to wait when asked too soon). A refusal lands on the form."""
    phone = form.cleaned_data["phone"]
    try:
        phone = phone_code_send(phone=phone, purpose=purpose, ip=client_ip(request))
    except RateLimited as error:
        form.add_error(None, str(error.message))
        return 429, e164_or_none(phone) or phone, error.wait
    except DomainError as error:
        add_errors(form, error)
        return (503 if error.code == "unavailable" else 400), phone, None
    return 200, phone, None


def _two_steps(
    request: HttpRequest, *, purpose: str, second: type[CodeForm]
) -> tuple[dict, int, CodeForm | None]:
    """The common part of both pages: sending a code, and reading the second step's form.
    Returns (the context, the status, the second step's form when it may be acted on)."""
    context: dict = {"next": safe_next(request, ""), "resend_after": rate_of("sms_resend_phone")[1]}
    if request.method != "POST":
        context.update(
            step="phone", form=PhoneForm(initial={"phone": request.GET.get("phone", "")})
        )
        return context, 200, None
    if request.POST.get("action") == "send":
        first = PhoneForm(request.POST)
        if not first.is_valid():
            context.update(step="phone", form=first)
            return context, 400, None
        status, phone, wait = _send(request, first, purpose)
        if status == 200 or wait is not None:
            # Sent, or asked again too soon: either way the code step is where to be.
            context.update(
                step="code",
                form=second(initial={"phone": phone}),
                sent_to=phone if status == 200 else "",
                wait=wait,
                alerts=first.non_field_errors(),
            )
        else:
            context.update(step="phone", form=first)
        return context, status, None
    posted = second(request.POST)
    context.update(step="code", form=posted)
    if not posted.is_valid():
        return context, 400, None
    wait = retry_after(code_login_throttles(), request)
    if wait is not None:
        posted.add_error(
            None, _("Too many attempts; please wait %(n)d seconds and try again.") % {"n": wait}
        )
        context["wait"] = wait
        return context, 429, None
    return context, 0, posted


def _answer(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    response = page(request, template, context, status=status)
    if status == 429 and context.get("wait"):
        response["Retry-After"] = str(context["wait"])
    return response


@csrf_protect
@require_http_methods(["GET", "POST"])
def code_login_page(request: HttpRequest) -> HttpResponse:
    """手机验证码登录: the first sign-in makes the account whose verified phone it is."""
    template = "web/login_code.html"
    context, status, form = _two_steps(request, purpose=PhoneCode.Purpose.LOGIN, second=CodeForm)
    if form is not None:
        try:
            user = phone_code_sign_in(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                language=translation.get_language(),
            )
        except DomainError as error:
            add_errors(form, error)
            status = 401 if error.code == "invalid_code" else 400
        else:
            login_succeeded(request, form.cleaned_data["phone"])
            # login() gives the session a new key: an id planted before is worthless.
            login(request, user, backend=_BACKEND)
            return HttpResponseRedirect(context["next"] or reverse("web:appointments"))
    return _answer(request, template, context, status)


@csrf_protect
@require_http_methods(["GET", "POST"])
def code_reset_page(request: HttpRequest) -> HttpResponse:
    """A new password with a code texted to the account's verified phone; signs in."""
    template = "web/password_reset_code.html"
    context, status, form = _two_steps(
        request, purpose=PhoneCode.Purpose.RESET, second=CodeResetForm
    )
    if form is not None:
        try:
            user = phone_code_reset_password(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as error:
            add_errors(form, error)
            status = 401 if error.code == "invalid_code" else 400
        else:
            login_succeeded(request, form.cleaned_data["phone"])
            login(request, user, backend=_BACKEND)
            return HttpResponseRedirect(context["next"] or reverse("web:appointments"))
    return _answer(request, template, context, status)
