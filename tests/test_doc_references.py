"""Every reference to the written rules resolves: the file exists and so does the section.

Comments and docstrings point at docs/<file>.md#<section>, and at the code and tests that
hold a rule (`yuyue/<app>/<module>.py`, `tests/<area>/<file>.py`, with `::name` or `:line`);
a reader who clones the repository must be able to open each one. The product specification
is not part of the repository, so nothing may cite it.
"""

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("yuyue", "tests", "config", "docs", "README.md")
REFERENCE = re.compile(r"docs/([\w-]+\.md)(?:#([\w-]+))?")
# A link from one document to another inside docs/.
SIBLING = re.compile(r"\]\(([\w-]+\.md)(?:#([\w-]+))?\)")
SPEC = re.compile(r"\bSPEC\b|§")
# A module of the project or of its tests, optionally with a name in it or a line number.
CODE_PATH = re.compile(r"(?<![\w/.-])((?:yuyue|tests)/[\w/]+\.py)(?:::(\w+)|:(\d+))?(?![\w/])")
DOCUMENTS = ("README.md", "docs")


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


def comments_and_docstrings(path: Path) -> list[str]:
    """What a reader reads in a Python file: its comments and its docstrings, not its code."""
    source = path.read_text()
    texts = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                texts.append(docstring)
    return texts


def prose() -> list[tuple[Path, str]]:
    """(file, text) for every comment and docstring under SOURCES, and every document."""
    texts = []
    for path in source_files():
        if path == Path(__file__).resolve():
            continue
        if path.suffix == ".py":
            texts += [(path, text) for text in comments_and_docstrings(path)]
    for name in DOCUMENTS:
        root = ROOT / name
        documents = [root] if root.is_file() else sorted(root.rglob("*.md"))
        texts += [(path, path.read_text()) for path in documents]
    return texts


def missing(target: str, name: str | None, line: str | None) -> str | None:
    """Why the cited place does not exist, or None when it does."""
    path = ROOT / target
    if not path.is_file():
        return "no such file"
    text = path.read_text()
    if name and not re.search(rf"\b{re.escape(name)}\b", text):
        return f"no {name} in it"
    if line and int(line) > len(text.splitlines()):
        return f"it has no line {line}"
    return None


def test_every_cited_module_exists():
    broken = []
    found = 0
    for path, text in prose():
        for match in CODE_PATH.finditer(text):
            found += 1
            problem = missing(*match.groups())
            if problem:
                broken.append(f"{path.relative_to(ROOT)}: {match.group(0)} ({problem})")
    assert found > 0
    assert broken == []


def test_a_citation_is_read_with_its_name_or_line():
    found = [
        m.groups()
        for m in CODE_PATH.finditer(
            "see yuyue/lib/times.py::parse_start, tests/conftest.py:12 and tests/helpers.py."
        )
    ]

    assert found == [
        ("yuyue/lib/times.py", "parse_start", None),
        ("tests/conftest.py", None, "12"),
        ("tests/helpers.py", None, None),
    ]
    assert missing("yuyue/lib/times.py", "no_such_function", None) == "no no_such_function in it"
    assert missing("tests/accounts/test_nothing_here.py", None, None) == "no such file"
