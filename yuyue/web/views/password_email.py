"""Password reset by an emailed link, for accounts with an email address: Django's own views
(signed, single-use, time-limited links) with the customer pages' templates.

Asking sends at most one link a minute and ten a day per address, with the per-client cap the
texted codes use, and answers the same whether or not an account has the address.
"""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from yuyue.lib.throttle import client_ip, code_request
from yuyue.webkit.pages import default_business, problem

_BACKEND = "yuyue.accounts.backends.AccountBackend"


def _context() -> dict:
    return {"business": default_business()}


@csrf_protect
@require_http_methods(["GET", "POST"])
def reset_request(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        email = str(request.POST.get("email", "")).strip().casefold()[:254]
        wait = code_request(ip=client_ip(request), to=f"email:{email}") if email else None
        if wait is not None:
            response = problem(
                request,
                _("Please wait"),
                _("Too many attempts; please wait %(n)d seconds and try again.") % {"n": wait},
                status=429,
                back_url=reverse("web:password-reset-email"),
            )
            response["Retry-After"] = str(wait)
            return response
    view = auth_views.PasswordResetView.as_view(
        template_name="web/password_reset_email.html",
        subject_template_name="web/email/password_reset_subject.txt",
        email_template_name="web/email/password_reset.txt",
        success_url=reverse_lazy("web:password-reset-sent"),
        extra_context=_context(),
    )
    return view(request)


@require_http_methods(["GET"])
def reset_sent(request: HttpRequest) -> HttpResponseBase:
    view = auth_views.PasswordResetDoneView.as_view(
        template_name="web/password_reset_sent.html", extra_context=_context()
    )
    return view(request)


@require_http_methods(["GET", "POST"])
def reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    # Changing the password ends every API token too (their password fingerprint).
    view = auth_views.PasswordResetConfirmView.as_view(
        template_name="web/password_reset_confirm.html",
        success_url=reverse_lazy("web:password-reset-done"),
        post_reset_login=True,
        post_reset_login_backend=_BACKEND,
        extra_context=_context(),
    )
    return view(request, uidb64=uidb64, token=token)


@require_http_methods(["GET"])
def reset_done(request: HttpRequest) -> HttpResponseBase:
    view = auth_views.PasswordResetCompleteView.as_view(
        template_name="web/password_reset_done.html", extra_context=_context()
    )
    return view(request)
