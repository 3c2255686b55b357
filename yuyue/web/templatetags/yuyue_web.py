"""Template filters of the customer pages: money and durations as people write them."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    """¥128 or ¥128.50: whole amounts without the cents, as price lists print them."""
    if amount is None:
        return ""
    text = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}".strip()


@register.filter
def minutes(value: int) -> str:
    """90 → "1 h 30 min" (Chinese: "1小时30分钟")."""
    hours, rest = divmod(int(value), 60)
    if hours and rest:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
    if hours:
        return ngettext("%(h)d hour", "%(h)d hours", hours) % {"h": hours}
    return _("%(m)d min") % {"m": rest}
