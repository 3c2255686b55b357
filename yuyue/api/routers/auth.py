"""Accounts: register, log in and out (by password or by a texted code), change or reset the
password, who am I."""

from django.contrib.auth import user_logged_in
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import Throttled

from yuyue.accounts.models import User
from yuyue.accounts.services import (
    CODE_TTL,
    IssuedToken,
    token_issue,
    token_login,
    token_revoke,
    user_register,
    user_set_password,
)
from yuyue.api.auth import bearer, token_of
from yuyue.api.errors import ApiError
from yuyue.api.schemas.auth import (
    DeleteAccountIn,
    LoginIn,
    MembershipPage,
    PasswordIn,
    PasswordResetIn,
    PersonalDataOut,
    RegisterIn,
    SmsSendIn,
    SmsSendOut,
    SmsVerifyIn,
    TokenOut,
    UserOut,
)
from yuyue.api.schemas.common import PageIn, errors, page_of
from yuyue.catalog.selectors import memberships_of
from yuyue.lib.errors import RateLimited
from yuyue.lib.middleware import stated_language
from yuyue.lib.throttle import (
    LoginPerIp,
    client_ip,
    code_login_throttles,
    login_succeeded,
    login_throttles,
    rate_of,
    register_throttles,
)
from yuyue.notifications.codes import (
    phone_code_reset_password,
    phone_code_send,
    phone_code_sign_in,
)
from yuyue.notifications.erasure import user_delete_account
from yuyue.notifications.selectors import personal_data

router = Router(tags=["auth"])


def user_out(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "phone_verified": user.phone_verified,
        "email": user.email,
        "language": user.language,
    }


def token_out(issued: IssuedToken) -> dict:
    return {
        "token": issued.key,
        "token_type": "Bearer",
        "expires_at": issued.token.expires_at,
        "user": user_out(issued.token.user),
    }


@router.post(
    "/auth/register",
    response={201: TokenOut, **errors(400, 409, 422, 429)},
    throttle=register_throttles(),
    summary="Create a customer account and log in",
)
def register(request: HttpRequest, payload: RegisterIn) -> Status:
    """A new account and its first token. A taken username is 409 `duplicate`.

    Registering is agreeing to the privacy policy in force (`/privacy`): show it first; the
    account's consent records its version and the time."""
    user = user_register(
        username=payload.username,
        password=payload.password,
        phone=payload.phone,
        email=payload.email,
        display_name=payload.display_name,
        language=payload.language or stated_language(request),
        privacy_consent=True,
    )
    return Status(201, token_out(token_issue(user=user)))


@router.post(
    "/auth/login",
    response={200: TokenOut, **errors(400, 401, 422, 429)},
    throttle=login_throttles(),
    summary="Log in: a bearer token for a username (or verified phone) and password",
)
def login(request: HttpRequest, payload: LoginIn) -> dict:
    """Each login issues a new token (one per device); wrong credentials are 401. `username`
    may be the account's phone once a code has verified it."""
    issued = token_login(request=request, username=payload.username, password=payload.password)
    if issued is None:
        raise ApiError(401, "invalid_credentials", _("Wrong username or password."))
    return token_out(issued)


@router.post(
    "/auth/sms/send",
    response={202: SmsSendOut, **errors(400, 422, 429, 503)},
    summary="Text a six-digit code to a phone",
)
def sms_send(request: HttpRequest, payload: SmsSendIn) -> Status:
    """The same answer whether or not an account has the phone. One code a minute and ten a
    day per phone, and a cap per address: 429 with `Retry-After`. A code lives five minutes
    and dies after five wrong tries or when a newer one is sent."""
    try:
        phone_code_send(phone=payload.phone, purpose=payload.purpose, ip=client_ip(request))
    except RateLimited as error:
        raise Throttled(wait=error.wait) from None
    return Status(
        202,
        {
            "detail": _("If this number can receive text messages, a code is on its way."),
            "expires_in": int(CODE_TTL.total_seconds()),
            "resend_after": rate_of("sms_resend_phone")[1],
        },
    )


@router.post(
    "/auth/sms/verify",
    response={200: TokenOut, **errors(400, 401, 422, 429)},
    throttle=code_login_throttles(),
    summary="Sign in with a texted code: a bearer token",
)
def sms_verify(request: HttpRequest, payload: SmsVerifyIn) -> dict:
    """The account whose verified phone it is; the first sign-in makes it. A wrong, used or
    expired code is 401 `invalid_code`; wrong guesses count as failed logins."""
    user = phone_code_sign_in(
        phone=payload.phone, code=payload.code, language=translation.get_language()
    )
    login_succeeded(request, payload.phone)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token_out(token_issue(user=user))


@router.post(
    "/auth/password/reset",
    response={200: TokenOut, **errors(400, 401, 422, 429)},
    throttle=code_login_throttles(),
    summary="Set a new password with a texted code (purpose `reset`)",
)
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> dict:
    """For the account whose verified phone it is. Every token of the account dies; a new one
    is returned."""
    user = phone_code_reset_password(
        phone=payload.phone, code=payload.code, new_password=payload.new_password
    )
    login_succeeded(request, payload.phone)
    return token_out(token_issue(user=user))


@router.post(
    "/auth/logout",
    auth=bearer,
    response={204: None, **errors(401)},
    summary="Log out: the token used for this request stops working",
)
def logout(request: HttpRequest) -> Status:
    token = token_of(request)
    if token is not None:
        token_revoke(token=token)
    return Status(204, None)


@router.post(
    "/auth/password",
    auth=bearer,
    response={200: TokenOut, **errors(400, 401, 422)},
    summary="Change the password: every token dies, a new one is returned",
)
def change_password(request: HttpRequest, payload: PasswordIn) -> dict:
    user = request.auth
    user_set_password(
        user=user, password=payload.new_password, current_password=payload.current_password
    )
    return token_out(token_issue(user=user))


@router.get("/me", auth=bearer, response={200: UserOut, **errors(401)}, summary="Who am I")
def me(request: HttpRequest) -> dict:
    return user_out(request.auth)


@router.get(
    "/me/data",
    auth=bearer,
    response={200: PersonalDataOut, **errors(401)},
    summary="My data: everything held about me",
)
def my_data(request: HttpRequest) -> dict:
    """The account, privacy consents, WeChat sign-in, appointments (with the notes the customer
    sees, never a business's own notes) and the messages sent to the caller."""
    return personal_data(user=request.auth, now=timezone.now())


@router.post(
    "/me/delete",
    auth=bearer,
    response={204: None, **errors(400, 401, 403, 422, 429)},
    throttle=[LoginPerIp()],
    summary="Delete my account (注销), with my password or a texted code",
)
def delete_account(request: HttpRequest, payload: DeleteAccountIn) -> Status:
    """Future appointments are cancelled (the businesses are told), the account's personal
    data erased and every token and session ends; the businesses keep anonymous history
    (docs/privacy.md#erasure). Owners and staff of a business are refused (403) until they
    leave it; a wrong password or no proof is 422, a wrong code 401 `invalid_code`."""
    user_delete_account(
        actor=request.auth, password=payload.password or "", phone_code=payload.phone_code or ""
    )
    return Status(204, None)


@router.get(
    "/me/businesses",
    auth=bearer,
    response={200: MembershipPage, **errors(401, 422)},
    summary="The businesses where I am owner or staff",
)
def my_businesses(request: HttpRequest, page: Query[PageIn]) -> dict:
    return page_of(
        memberships_of(user=request.auth),
        page,
        lambda m: {"slug": m.business.slug, "name": m.business.name, "role": m.role},
    )
