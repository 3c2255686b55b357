"""Bearer tokens for the API. The session cookie is never read here, so no CSRF is needed."""

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from yuyue.accounts.models import ApiToken, User
from yuyue.accounts.selectors import token_authenticate

_TOKEN_ATTRIBUTE = "_yuyue_api_token"


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`, the token from /auth/login or /auth/register."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = token_authenticate(token.strip())
        if api_token is None:
            return None
        setattr(request, _TOKEN_ATTRIBUTE, api_token)
        # Services and selectors take a user; the API's user is the token's, never the
        # session's, whatever cookie the browser sent along.
        request.user = api_token.user
        return api_token.user


class _Anonymous:
    """Stands for "no token" on endpoints that anyone may call."""

    def __bool__(self) -> bool:
        return True


ANONYMOUS = _Anonymous()


def anonymous(request: HttpRequest) -> Any:
    """Lets a request without credentials through, but never one with bad credentials.

    Listed after BearerAuth: a client that sends a token it believes valid must learn that it
    is not (401), rather than silently see the public view.
    """
    if request.headers.get("Authorization"):
        raise AuthenticationError()
    return ANONYMOUS


bearer = BearerAuth()
OPTIONAL = [bearer, anonymous]
# OpenAPI: an empty requirement next to the bearer one marks the token as optional.
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}


def user_of(request: HttpRequest) -> User | None:
    """The authenticated user of this API request, or None."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else None


def token_of(request: HttpRequest) -> ApiToken | None:
    return getattr(request, _TOKEN_ATTRIBUTE, None)
