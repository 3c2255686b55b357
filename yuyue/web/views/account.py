"""Register, log in, log out and choose the language.

`/register` and `/login` are the seed's routes too: a client asking for JSON gets the seed's
answers (yuyue.seed); a browser gets these pages. Only the browser pages set a session,
and their forms carry the CSRF token.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from yuyue.accounts.services import user_register, user_set_language
from yuyue.lib.errors import DomainError
from yuyue.lib.middleware import stated_language
from yuyue.lib.throttle import login_throttles, register_throttles, retry_after
from yuyue.web.forms import LoginForm, PhoneForm, RegisterForm
from yuyue.webkit.forms import add_errors
from yuyue.webkit.pages import page, problem, safe_next

_RETRY_AFTER = "yuyue.retry_after"


def _refused(request: HttpRequest, form: forms.Form, throttles: list) -> int:
    """0 when the posted form may be acted on, else the status of the page showing why not."""
    if not form.is_valid():
        return 400
    wait = retry_after(throttles, request)
    if wait is not None:
        form.add_error(
            None, _("Too many attempts; please wait %(n)d seconds and try again.") % {"n": wait}
        )
        request.META[_RETRY_AFTER] = str(wait)
        return 429
    return 0


def _answer(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    response = page(request, template, context, status=status)
    if status == 429:
        response["Retry-After"] = request.META[_RETRY_AFTER]
    return response


@csrf_protect
@require_http_methods(["GET", "POST"])
def register_page(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, "")
    form = RegisterForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = _refused(request, form, register_throttles())
    if request.method == "POST" and not status:
        try:
            user = user_register(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                language=stated_language(request),
                privacy_consent=True,
            )
        except DomainError as error:
            add_errors(form, error)
            status = 409 if error.code == "duplicate" else 400
        else:
            login(request, user, backend="yuyue.accounts.backends.AccountBackend")
            return HttpResponseRedirect(next_url or reverse("web:appointments"))
    return _answer(request, "web/register.html", {"form": form, "next": next_url}, status)


@csrf_protect
@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, "")
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = _refused(request, form, login_throttles())
    if request.method == "POST" and not status:
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("Wrong username or password."))
            status = 401
        else:
            # login() gives the session a new key: an id planted before is worthless.
            login(request, user)
            return HttpResponseRedirect(next_url or reverse("web:appointments"))
    context = {"form": form, "next": next_url, "phone_form": PhoneForm(auto_id="code_%s")}
    return _answer(request, "web/login.html", context, status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(safe_next(request, reverse("web:home")))


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """Switch the pages' language; kept in a cookie, and on the account for its messages."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return problem(
            request,
            _("Unknown language"),
            _("Choose Chinese or English."),
            status=400,
            back_url=reverse("web:home"),
        )
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    response = HttpResponseRedirect(safe_next(request, reverse("web:home")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
    )
    return response
