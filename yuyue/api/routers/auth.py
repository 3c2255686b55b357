"""Accounts: register, log in and out, change the password, who am I."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from yuyue.accounts.models import User
from yuyue.accounts.services import (
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
    LoginIn,
    MembershipPage,
    PasswordIn,
    PersonalDataOut,
    RegisterIn,
    TokenOut,
    UserOut,
)
from yuyue.api.schemas.common import PageIn, errors, page_of
from yuyue.catalog.selectors import memberships_of
from yuyue.lib.middleware import stated_language
from yuyue.lib.throttle import login_throttles, register_throttles
from yuyue.notifications.selectors import personal_data

router = Router(tags=["auth"])


def user_out(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
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
    summary="Log in: a bearer token for a username and password",
)
def login(request: HttpRequest, payload: LoginIn) -> dict:
    """Each login issues a new token (one per device); wrong credentials are 401."""
    issued = token_login(request=request, username=payload.username, password=payload.password)
    if issued is None:
        raise ApiError(401, "invalid_credentials", _("Wrong username or password."))
    return token_out(issued)


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
