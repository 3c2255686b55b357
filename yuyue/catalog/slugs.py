"""A business's slug: the short name in its booking link (/b/<slug>/) and its back office.

A new business proposes one from its name (pinyin for Chinese), and every new slug obeys the
same rule, on the sign-up page and in the API alike."""

import re
import unicodedata

from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from yuyue.catalog.models import Business
from yuyue.lib.errors import InvalidInput

MAX_SLUG_LENGTH = 50
MAX_NAME_FOR_SLUG = 120
# Lower-case letters, digits and inner hyphens: it is typed, printed on posters and read aloud.
SLUG_RULE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
# Words the site's own paths use next to a slug (/manage/platform/, /manage/feed/…).
RESERVED_SLUGS = frozenset(
    {"platform", "feed", "admin", "api", "manage", "signup", "static", "media", "login", "new"}
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot name a new business, or None when it can (taken or not)."""
    if not SLUG_RULE.match(slug):
        return _(
            "Use 1 to 50 lower-case letters, digits and hyphens, starting and ending with a "
            "letter or digit."
        )
    if slug in RESERVED_SLUGS:
        return _("This word is reserved by the site; choose another.")
    return None


def check_slug(slug: str) -> None:
    problem = slug_problem(slug)
    if problem is not None:
        raise InvalidInput({"slug": [problem]})


def slug_from_name(name: str) -> str:
    """ "悦己美发沙龙" → "yueji-meifa-shalong"; "Hair & Co." → "hair-co"; "" when nothing is left.

    Chinese characters become pinyin, two syllables to a word (most shop names are built of
    two-character words); other letters lose their accents; everything else separates words.
    """
    words: list[str] = []
    han: list[str] = []

    def flush_han() -> None:
        syllables = lazy_pinyin("".join(han)) if han else []
        words.extend("".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2))
        han.clear()

    current = ""
    for char in name:
        if _HAN.match(char):
            if current:
                words.append(current)
                current = ""
            han.append(char)
            continue
        flush_han()
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode().lower()
        if plain.isalnum():
            current += plain
        elif current:
            words.append(current)
            current = ""
    flush_han()
    if current:
        words.append(current)
    slug = ""
    for word in (w for w in words if w):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH - 4:  # room for a "-2" when taken
            break
        slug = candidate
    return slug


def slug_proposed(name: str) -> str:
    """A free slug made from the name: "yueji-meifa", else "yueji-meifa-2", "-3"…"""
    base = slug_from_name(name[:MAX_NAME_FOR_SLUG]) or "shop"
    if slug_problem(base) is not None:
        base = f"{base}-shop"[:MAX_SLUG_LENGTH].strip("-")
    taken = set(
        Business.objects.filter(slug__startswith=base).values_list("slug", flat=True)[:1000]
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
