"""Every reference to the written rules resolves: the file exists and so does the section.

Comments and docstrings point at docs/<file>.md#<section>; a reader who clones the repository
must be able to open each one. The product specification is not part of the repository, so
nothing may cite it.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("yuyue", "tests", "config", "docs", "README.md")
REFERENCE = re.compile(r"docs/([\w-]+\.md)(?:#([\w-]+))?")
# A link from one document to another inside docs/.
SIBLING = re.compile(r"\]\(([\w-]+\.md)(?:#([\w-]+))?\)")
SPEC = re.compile(r"\bSPEC\b|§")


def source_files() -> list[Path]:
    files = []
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        else:
            files.extend(p for p in path.rglob("*") if p.suffix in {".py", ".md", ".html", ".txt"})
    return sorted(files)


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(document: Path) -> set[str]:
    return {
        slug(line.lstrip("#"))
        for line in document.read_text().splitlines()
        if line.startswith("#") and not line.startswith("#!")
    }


def test_every_docs_reference_names_an_existing_file_and_section():
    broken = []
    found = 0
    for path in source_files():
        if path == Path(__file__).resolve():
            continue
        text = path.read_text()
        matches = list(REFERENCE.finditer(text))
        if path.parent == ROOT / "docs":
            matches += SIBLING.finditer(text)
        for match in matches:
            found += 1
            target = ROOT / "docs" / match.group(1)
            section = match.group(2)
            if not target.is_file() or (section and section not in anchors(target)):
                broken.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert found > 0
    assert broken == []


def test_nothing_cites_the_specification():
    citing = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in source_files()
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SPEC.search(line)
    ]
    assert citing == []


def test_headings_become_the_anchors_github_makes():
    assert slug(" BEGIN IMMEDIATE on SQLite") == "begin-immediate-on-sqlite"
    assert slug(" At least once, and the Message-ID") == "at-least-once-and-the-message-id"
