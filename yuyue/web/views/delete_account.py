"""注销: a signed-in person deletes their account, confirming with the password or a code
texted to their verified phone; then they are signed out (docs/privacy.md#erasure)."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from yuyue.accounts.models import PhoneCode, User
from yuyue.lib.errors import DomainError, RateLimited, http_status
from yuyue.lib.throttle import LoginPerIp, client_ip, rate_of, retry_after
from yuyue.notifications.codes import phone_code_send
from yuyue.notifications.erasure import deletion_proof_needed, user_delete_account
from yuyue.web.forms import DeleteAccountForm
from yuyue.webkit.forms import add_errors
from yuyue.webkit.pages import page


@login_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def delete_account_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    context: dict = {
        "can_text": bool(user.phone and user.phone_verified),
        "needs_proof": deletion_proof_needed(user),
        "has_password": user.has_usable_password(),
        "resend_after": rate_of("sms_resend_phone")[1],
    }
    if request.method != "POST":
        context["form"] = DeleteAccountForm()
        return page(request, "web/delete_account.html", context)
    form = DeleteAccountForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return page(request, "web/delete_account.html", context, status=400)
    if request.POST.get("action") == "send":
        if not context["can_text"]:
            form.add_error("phone_code", _("This account has no verified phone."))
            return page(request, "web/delete_account.html", context, status=400)
        try:
            phone_code_send(
                phone=user.phone, purpose=PhoneCode.Purpose.LOGIN, ip=client_ip(request)
            )
        except RateLimited as error:
            form.add_error(None, str(error.message))
            return page(request, "web/delete_account.html", context, status=429)
        except DomainError as error:
            add_errors(form, error)
            return page(request, "web/delete_account.html", context, status=503)
        context["sent"] = True
        return page(request, "web/delete_account.html", context)
    wait = retry_after([LoginPerIp()], request)
    if wait is not None:
        form.add_error(None, str(RateLimited(wait).message))
        response = page(request, "web/delete_account.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        user_delete_account(
            actor=user,
            password=form.cleaned_data["password"],
            phone_code=form.cleaned_data["phone_code"],
        )
    except DomainError as error:
        add_errors(form, error)
        return page(request, "web/delete_account.html", context, status=http_status(error))
    logout(request)
    return page(request, "web/account_deleted.html")
