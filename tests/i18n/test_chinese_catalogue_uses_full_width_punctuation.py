"""Chinese text uses full-width punctuation: no ASCII : , . ? ! ; ( ) next to a Chinese
character anywhere in the zh_Hans catalogue (placeholders, URLs and times like 10:00 aside),
and no template glues ASCII punctuation to a translated string."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "yuyue" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
ASCII_PUNCTUATION = r"[:,.?!;()]"
NEXT_TO_CJK = re.compile(rf"{CJK}\s*{ASCII_PUNCTUATION}|{ASCII_PUNCTUATION}\s*{CJK}")
# What may hold ASCII punctuation on purpose: placeholders, URLs, clock times, numbers.
NEUTRAL = [
    re.compile(r"%\([a-z_]+\)[sdif]|%[sdif]|\{\{[^}]*\}\}|\{[a-z_]*\}"),
    re.compile(r"https?://\S+|/[a-z/_.-]+"),
    re.compile(r"\d{1,2}:\d{2}"),
    re.compile(r"\d+\.\d+"),
]


def translations() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry, with multi-line strings joined."""
    entries, msgid, current, field = [], "", "", None
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            if field and field.startswith("msgstr"):
                entries.append((msgid, current))
            field, current = "msgid", line[6:].strip()[1:-1]
        elif line.startswith("msgid_plural "):
            msgid, field, current = current, "msgid_plural", ""
        elif line.startswith("msgstr"):
            if field and field.startswith("msgstr"):
                entries.append((msgid, current))
            elif field == "msgid":
                msgid = current
            field, current = "msgstr", line.split(" ", 1)[1].strip()[1:-1]
        elif line.startswith('"') and field:
            current += line.strip()[1:-1]
        elif line.startswith("msgctxt"):
            if field and field.startswith("msgstr"):
                entries.append((msgid, current))
            field = None
    if field and field.startswith("msgstr"):
        entries.append((msgid, current))
    return [(msgid, text) for msgid, text in entries if msgid]


def offences(text: str) -> list[str]:
    for pattern in NEUTRAL:
        text = pattern.sub(" ", text)
    return [match.group() for match in NEXT_TO_CJK.finditer(text)]


def test_the_parser_reads_the_whole_catalogue():
    entries = translations()
    assert len(entries) > 300
    assert ("Log in", "登录") in entries


def test_the_check_catches_ascii_punctuation_next_to_chinese():
    assert offences("改期: 洗剪吹")
    assert offences("已取消. 请重新预约")
    assert offences("(静安店)")
    assert not offences("改期：洗剪吹")
    assert not offences("%(time)s（%(zone)s，%(offset)s）")
    assert not offences("10:00 开始，访问 https://book.example.com/a.b 查看")


def test_every_chinese_translation_uses_full_width_punctuation():
    bad = {msgid: found for msgid, text in translations() if (found := offences(text))}
    assert bad == {}


TEMPLATES = [
    *(ROOT / "yuyue").glob("*/templates/**/*.html"),
    *(ROOT / "yuyue").glob("*/templates/**/*.txt"),
]
# A translated string followed or preceded by ASCII punctuation in the template itself:
# the punctuation then shows in Chinese pages too ("改期: 洗剪吹").
GLUED = re.compile(
    r"\{%\s*(?:translate|endblocktranslate)\b[^%]*%\}\s?[:;,.](?=\s|$|<)"
    r"|[:;,.]\s?\{%\s*(?:translate|blocktranslate)\b"
)


def test_no_template_glues_ascii_punctuation_to_a_translated_string():
    glued = {
        str(path.relative_to(ROOT)): GLUED.findall(path.read_text(encoding="utf-8"))
        for path in TEMPLATES
    }
    assert {path: found for path, found in glued.items() if found} == {}
