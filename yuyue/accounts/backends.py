"""How every login route checks a password: usernames match whatever their case, and a phone
number (however written) names the account whose verified phone it is. An unverified phone
names nobody: anyone may type any number at registration, so it proves nothing, and two
accounts may carry it.

Every login route counts the attempt against the address first (yuyue.lib.throttle's
LoginFailureGate); a right password gives the count back here, so only failures stay counted.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from yuyue.accounts.models import User
from yuyue.lib.audit import audit
from yuyue.lib.phones import e164_or_none
from yuyue.lib.throttle import login_succeeded


class AccountBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not isinstance(username, str) or password is None:
            return None
        candidates = list(User._default_manager.filter(username__iexact=username.strip())[:1])
        phone = e164_or_none(username)
        if phone is not None:
            # A name that is also a phone number: the username's account, then the phone's.
            owner = User._default_manager.filter(
                phone=phone, phone_verified=True, is_active=True
            ).first()
            if owner is not None and owner not in candidates:
                candidates.append(owner)
        if not candidates:
            # The same work as a real check, so that timing does not tell who has an account.
            User().set_password(password)
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                if request is not None:
                    login_succeeded(request, username)
                audit("login.succeeded", actor=user)
                return user
        audit("login.failed", actor="-", username=username[:150])
        return None
