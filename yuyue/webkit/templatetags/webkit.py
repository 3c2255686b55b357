"""Template filters of the customer pages: money, durations and phone numbers as people
write them."""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yuyue.accounts.phone import phone_display, phone_region
from yuyue.lib.localtime import zone_label as _zone_label

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


@register.filter
def tel(number: str, business_phone: str = "") -> str:
    """A phone number as a tel: link, shown in national format for the business's country
    (that of the business's own number, else China): `{{ place.phone|tel:business.phone }}`."""
    if not number:
        return ""
    shown, dial = phone_display(number, home_region=phone_region(business_phone))
    return format_html('<a href="tel:{}">{}</a>', dial, shown)


@register.filter
def phone(number: str, business_phone: str = "") -> str:
    """A phone number as `tel` shows it, without the link (inside another link)."""
    if not number:
        return ""
    return phone_display(number, home_region=phone_region(business_phone))[0]


@register.filter
def map_search(address: str, business_phone: str = "") -> str:
    """A plain link target searching a map for the address (no map script on our pages):
    Amap for shops in China, OpenStreetMap elsewhere."""
    if not address:
        return ""
    if phone_region(business_phone) == "CN":
        return "https://uri.amap.com/search?" + urlencode({"keyword": address})
    return "https://www.openstreetmap.org/search?" + urlencode({"query": address})


@register.filter
def zone_label(zone_name: str) -> str:
    """ "Asia/Shanghai" → "北京时间" / "China Standard Time" (yuyue.lib.localtime)."""
    return _zone_label(zone_name)


@register.filter
def photo_url(name: str) -> str:
    """The address of a stored photo (a service's or a staff member's), or "" for none."""
    return reverse("photo", args=[name]) if name else ""
