"""The customer pages' forms: labels, sizes and shapes. The services decide everything else
(is the name free, is the phone real, is the time free), and their answers land on the same
fields, so every error shows next to what caused it. Their base refuses NUL characters
(yuyue.webkit.forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yuyue.bookings.services import MAX_NOTES_LENGTH, MAX_REASON_LENGTH
from yuyue.webkit.forms import Form

MAX_PASSWORD_INPUT = 256


class RegisterForm(Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=MAX_PASSWORD_INPUT,
        strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    display_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        help_text=_("As the shop should call you, e.g. 张小美."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
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


class LoginForm(Form):
    username = forms.CharField(
        label=_("Username or phone"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=MAX_PASSWORD_INPUT,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )


class PhoneForm(Form):
    """The first step of signing in (or resetting the password) with a texted code."""

    phone = _phone_field()


class CodeForm(Form):
    """The second step: the phone again (kept from the first) and the code it received."""

    phone = _phone_field()
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class CodeResetForm(CodeForm):
    new_password = forms.CharField(
        label=_("New password"),
        max_length=MAX_PASSWORD_INPUT,
        strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class BookingForm(Form):
    """The last step: the chosen time (and staff) ride along as hidden fields."""

    notes = forms.CharField(
        label=_("Notes for the shop (optional)"),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # What the customer was told comes back ("" when nothing was paid online): the
    # cancellation goes ahead only on the terms they read.
    refund_back = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)


# Opening a business --------------------------------------------------------------------------

CURRENCIES = [
    ("CNY", _("CNY — Chinese yuan")),
    ("HKD", _("HKD — Hong Kong dollar")),
    ("MOP", _("MOP — Macanese pataca")),
    ("TWD", _("TWD — New Taiwan dollar")),
    ("SGD", _("SGD — Singapore dollar")),
    ("MYR", _("MYR — Malaysian ringgit")),
    ("JPY", _("JPY — Japanese yen")),
    ("KRW", _("KRW — South Korean won")),
    ("USD", _("USD — US dollar")),
    ("EUR", _("EUR — Euro")),
    ("GBP", _("GBP — Pound sterling")),
    ("AUD", _("AUD — Australian dollar")),
    ("CAD", _("CAD — Canadian dollar")),
]


class BusinessSignupForm(Form):
    """The business a sign-up opens; the account is RegisterForm's (or the logged-in one)."""

    name = forms.CharField(
        label=_("Business name"),
        max_length=120,
        help_text=_("As customers know it, e.g. 悦己美发沙龙."),
        widget=forms.TextInput(attrs={"data-slug-source": ""}),
    )
    slug = forms.CharField(
        label=_("Booking link name"),
        required=False,
        max_length=50,
        help_text=_(
            "Your booking link ends with it: lower-case letters, digits and hyphens. "
            "Leave empty to have one made from the name."
        ),
        widget=forms.TextInput(
            attrs={"data-slug": "", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), initial="Asia/Shanghai")
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="CNY")
    default_language = forms.ChoiceField(
        label=_("Language of messages to customers"),
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        initial="zh-hans",
    )

    def __init__(self, *args, zones: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        timezone = self.fields["timezone"]
        assert isinstance(timezone, forms.ChoiceField)
        timezone.choices = zones


class DeleteAccountForm(Form):
    """注销: the password, or a code texted to the account's verified phone."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        max_length=MAX_PASSWORD_INPUT,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    phone_code = forms.CharField(
        label=_("Code from the text message"),
        required=False,
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


# The waitlist -----------------------------------------------------------------------------------


class WaitlistForm(Form):
    """A wish for the waitlist (docs/waitlist.md#the-entry); `waitlist_join` judges it."""

    staff = forms.TypedChoiceField(label=_("Who"), coerce=int, empty_value=None, required=False)
    date_from = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time_from = forms.TimeField(
        label=_("Earliest start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_to = forms.TimeField(
        label=_("Latest end"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, staff_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        assert isinstance(staff, forms.TypedChoiceField)
        staff.choices = [("", _("Anyone")), *staff_choices]
