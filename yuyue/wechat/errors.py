"""What can go wrong talking to WeChat, and the refusals of the WeChat services."""

from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError, InvalidInput

# errcodes that mean "the access token is no good": refresh it once and try again.
TOKEN_ERRORS = frozenset({40001, 42001})
# A login or phone code that is wrong or was used already: the client asks for a new one.
CODE_ERRORS = frozenset({40029, 40163})
# Frequency limits (45009 daily, 45011 per minute): come back later.
RATE_ERRORS = frozenset({45009, 45011})


class WeChatError(Exception):
    """WeChat answered with an errcode other than 0."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        self.errcode, self.errmsg = errcode, errmsg
        super().__init__(f"WeChat errcode {errcode}: {errmsg}")


class WeChatUnreachable(Exception):
    """No usable answer: connection refused, timeout, 5xx, or a body that is not JSON."""


class WeChatNotConfigured(DomainError):
    code = "wechat_not_configured"
    default_message = _("WeChat login is not set up on this server.")


class WeChatCodeInvalid(InvalidInput):
    """The `code` field is at fault: the client asks WeChat for a new one."""

    code = "wechat_code_invalid"
    default_message = _("The WeChat code is invalid or was already used; please try again.")

    def __init__(self) -> None:
        super().__init__({"code": [self.default_message]})


class WeChatBusy(DomainError):
    code = "wechat_busy"
    default_message = _("WeChat is limiting requests; please try again in a minute.")


class WeChatUnavailable(DomainError):
    code = "wechat_unavailable"
    default_message = _("WeChat cannot be reached right now; please try again.")


class PhoneBoundElsewhere(DomainError):
    code = "phone_bound_elsewhere"
    default_message = _("This phone number belongs to an account linked to another WeChat user.")


class AccountNotClaimable(DomainError):
    code = "account_not_claimable"
    default_message = _(
        "This phone number belongs to an account that cannot be linked to WeChat; "
        "log in with its password instead."
    )
