"""What every form of both front ends shares: text with a NUL character is refused on its
field, and a service's refusal lands on the fields it names."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError, Duplicate, InvalidInput

NUL_MESSAGE = _("This value has characters or a form that is not allowed here.")


def _has_nul(value: Any) -> bool:
    values = value if isinstance(value, list | tuple) else [value]
    return any(isinstance(item, str) and "\x00" in item for item in values)


class RefusesNul(forms.BaseForm):
    """Every field whose submitted value holds a NUL character (PostgreSQL can neither store
    nor compare one) gets one clear error, whatever kind of field it is."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        for name in self.fields:
            if _has_nul(self[name].data):
                # The only error shown on that field: whatever else it says follows from it.
                self.errors[name] = self.error_class([str(NUL_MESSAGE)])
                self.cleaned_data.pop(name, None)


class Form(RefusesNul, forms.Form):
    pass


class ModelForm(RefusesNul, forms.ModelForm):
    pass


def add_errors(form: forms.BaseForm, error: DomainError) -> None:
    """A service's refusal onto the form: each field's messages at the field it names
    (`service_id` at `service`), the rest on top."""
    if isinstance(error, InvalidInput | Duplicate):
        for name, messages in error.fields.items():
            field = name if name in form.fields else name.removesuffix("_id")
            form.add_error(field if field in form.fields else None, messages)
        return
    form.add_error(None, str(error.message))


def refusal_text(error: DomainError) -> str:
    """A service's refusal as one sentence, for a page without a form to put it on."""
    if isinstance(error, InvalidInput | Duplicate):
        return " ".join(message for messages in error.fields.values() for message in messages)
    return str(error.message)


def error_text(form: forms.Form) -> str:
    """A form's errors as one sentence, for a page that shows them as a notice."""
    return " ".join(str(message) for messages in form.errors.values() for message in messages)
