"""Fail when the committed Chinese catalogue is stale, incomplete or not compiled.

1. `makemessages` over the code must not change the .po (ignoring its creation date);
2. no entry may be untranslated or fuzzy;
3. the committed .mo must be exactly what msgfmt makes of the .po.
A fresh machine needs no gettext to run Yuyue because the .mo is committed; this check does.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "yuyue" / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


def comparable(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')]


def main() -> int:
    for tool in ("msgfmt", "msgattrib", "xgettext"):
        if shutil.which(tool) is None:
            print(f"{tool} not found: install gettext (apt-get install gettext).")
            return 1
    problems = []
    committed = PO.read_text(encoding="utf-8")
    try:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "--locale",
                "zh_Hans",
                "--no-obsolete",
                "--no-location",
                "--no-wrap",
            ],
            cwd=ROOT / "yuyue",
            check=True,
            capture_output=True,
        )
        fresh = PO.read_text(encoding="utf-8")
    finally:
        PO.write_text(committed, encoding="utf-8")
    if comparable(fresh) != comparable(committed):
        problems.append("django.po is stale: run `make messages`, translate, and commit.")
    for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(PO)], capture_output=True, text=True, check=True
        ).stdout
        entries = [
            line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
        ]
        if entries:
            problems.append(f"{len(entries)} {what} entries, e.g. {entries[:3]}")
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(built), str(PO)], check=True)
        if not MO.exists() or built.read_bytes() != MO.read_bytes():
            problems.append("django.mo does not match django.po: run `make messages` and commit.")
    for problem in problems:
        print(problem)
    if not problems:
        print("translations: up to date, complete and compiled")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
