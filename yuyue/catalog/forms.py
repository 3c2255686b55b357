"""What the service forms of the admin and the back office share."""

from typing import Any

from yuyue.catalog.models import Service

# Added after the forms were first written: a form posted without them keeps what the service
# has (its defaults when new), so an older page or script never fails on a field it never knew.
PAYMENT_FIELDS = ("payment_mode", "deposit_amount", "payment_window_minutes", "allows_series")


class PaymentFieldsOptional:
    """A ModelForm mixin for services: the payment fields may be left out."""

    fields: dict[str, Any]
    instance: Service
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PAYMENT_FIELDS:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name in PAYMENT_FIELDS:
            if name in cleaned and cleaned[name] in (None, ""):
                cleaned[name] = getattr(self.instance, name)
        return cleaned
