"""Errors every service may raise. Each carries a stable code that the API maps to HTTP."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    default_message = _("The request could not be carried out.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """Input that names a field with a problem (HTTP 422); nothing was written."""

    code = "validation_error"
    default_message = _("Some fields are not valid.")

    def __init__(self, fields: Mapping[str, Sequence[str]], message: str | None = None) -> None:
        self.fields = {name: [str(m) for m in messages] for name, messages in fields.items()}
        super().__init__(message)

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "InvalidInput":
        if hasattr(error, "error_dict"):
            return cls(error.message_dict)
        return cls({"__all__": error.messages})


class NotAllowed(DomainError):
    """The actor has no right to do this (HTTP 403, or 404 where existence is secret)."""

    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class Duplicate(DomainError):
    """Something with this unique name already exists (HTTP 409); `fields` names it."""

    code = "duplicate"
    default_message = _("This already exists.")

    def __init__(self, fields: Mapping[str, Sequence[str]], message: str | None = None) -> None:
        self.fields = {name: [str(m) for m in messages] for name, messages in fields.items()}
        super().__init__(message)
