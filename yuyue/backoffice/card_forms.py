"""Forms of the member-card pages: they only read and type the input; the card services say
what is wrong (docs/cards.md)."""

from django import forms

from yuyue.cards.models import Kind
from yuyue.payments.models import COUNTER_CHANNELS, Channel
from yuyue.webkit.forms import Form

CHANNEL_CHOICES = [(str(c), Channel(c).label) for c in COUNTER_CHANNELS]


class CardProductForm(Form):
    kind = forms.ChoiceField(choices=Kind.choices, required=False)
    name = forms.CharField(required=False)
    price = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    uses = forms.IntegerField(required=False, min_value=0, max_value=100000)
    services = forms.TypedMultipleChoiceField(coerce=int, required=False)
    valid_days = forms.IntegerField(required=False, min_value=0, max_value=100000)
    bonus = forms.DecimalField(required=False, max_digits=10, decimal_places=2, min_value=0)
    discount_percent = forms.IntegerField(required=False, min_value=0, max_value=100)
    no_show_uses = forms.BooleanField(required=False)
    terms = forms.CharField(required=False)
    active = forms.BooleanField(required=False)

    def __init__(self, *args, service_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = list(service_choices)  # type: ignore[attr-defined]


class SellForm(Form):
    product = forms.TypedChoiceField(coerce=int)
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES)

    def __init__(self, *args, product_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = list(product_choices)  # type: ignore[attr-defined]


class AdjustForm(Form):
    uses = forms.IntegerField(required=False, min_value=-1000, max_value=1000)
    amount = forms.DecimalField(required=False, max_digits=10, decimal_places=2)
    bonus = forms.DecimalField(required=False, max_digits=10, decimal_places=2)
    reason = forms.CharField(required=False)


class RefundForm(Form):
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES)
    reason = forms.CharField(required=False)


class TopUpForm(Form):
    amount = forms.DecimalField(max_digits=10, decimal_places=2)
    bonus = forms.DecimalField(required=False, max_digits=10, decimal_places=2)
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES)
