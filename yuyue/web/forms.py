"""The customer pages' forms: labels, sizes and shapes. The services decide everything else
(is the name free, is the phone real, is the time free), and their answers land on the same
fields, so every error shows next to what caused it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yuyue.bookings.services import MAX_NOTES_LENGTH, MAX_REASON_LENGTH
from yuyue.lib.errors import DomainError, Duplicate, InvalidInput

MAX_PASSWORD_INPUT = 256


class NoNulCharField(forms.CharField):
    """Text without NUL characters, which PostgreSQL cannot store or even compare."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        if "\x00" in text:
            raise forms.ValidationError(
                _("This value has characters or a form that is not allowed here."),
                code="nul",
            )
        return text


class RegisterForm(forms.Form):
    username = NoNulCharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = NoNulCharField(
        label=_("Password"),
        max_length=MAX_PASSWORD_INPUT,
        strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    display_name = NoNulCharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        help_text=_("As the shop should call you, e.g. 张小美."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = NoNulCharField(
        label=_("Mobile phone"),
        max_length=32,
        help_text=_("For reminders; e.g. 138 0013 8000."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LoginForm(forms.Form):
    username = NoNulCharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = NoNulCharField(
        label=_("Password"),
        max_length=MAX_PASSWORD_INPUT,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class BookingForm(forms.Form):
    """The last step: the chosen time (and staff) ride along as hidden fields."""

    notes = NoNulCharField(
        label=_("Notes for the shop (optional)"),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    reason = NoNulCharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form: on the fields it names, else at the top."""
    if isinstance(error, InvalidInput | Duplicate):
        for name, messages in error.fields.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return
    form.add_error(None, str(error.message))
