"""Each decision has one home: these fail when an edge starts deciding again by itself."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "yuyue"


def _sources(under: Path = PACKAGE):
    for path in sorted(under.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def test_only_lib_and_the_models_work_out_a_time_zone():
    # The models' `zone` properties, `request_zone` and `lib/zones.py` hold the rule "the
    # staff member's, else the location's, else the business's zone"; the demo builds data.
    allowed = {"models.py", "zones.py", "demo.py"}
    computing = re.compile(r"ZoneInfo\(|\.timezone\s+or\b|\bor\s+[\w.]+\.timezone\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in _sources()
        if path.name not in allowed and "lib" not in path.relative_to(PACKAGE).parts
        for number, line in enumerate(text.splitlines(), 1)
        if computing.search(line)
    ]
    assert offenders == []


def test_the_check_above_can_fail():
    line = "zone = zoneinfo.ZoneInfo(location.timezone or business.timezone)"
    assert re.search(r"ZoneInfo\(|\.timezone\s+or\b", line)


_BUSINESS_ZONE = re.compile(r"\.business\.zone(_name)?\b")


def test_only_the_models_and_selectors_read_the_business_zone_as_the_answer():
    # A shop (or a staff member) may be in another zone than its business: edges ask the
    # appointment's, location's or staff member's `zone`, or `request_zone`, which fall back to
    # the business's themselves.
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in _sources()
        if path.name not in {"models.py", "selectors.py"}
        for number, line in enumerate(text.splitlines(), 1)
        if _BUSINESS_ZONE.search(line)
    ]
    assert offenders == []


def test_the_business_zone_check_can_fail():
    assert _BUSINESS_ZONE.search("today = now.astimezone(desk.business.zone).date()")
    assert _BUSINESS_ZONE.search("label(start, appointment.business.zone_name)")
    assert not _BUSINESS_ZONE.search("zone = appointment.zone")


def _imports(text: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_customer_pages_do_not_import_the_api():
    offenders = [
        str(path.relative_to(ROOT))
        for path, text in _sources(PACKAGE / "web")
        if any(name == "yuyue.api" or name.startswith("yuyue.api.") for name in _imports(text))
    ]
    assert offenders == []


def test_edges_map_errors_to_statuses_through_the_one_table():
    # The table is yuyue.lib.errors.http_status; no edge keeps a status table of its own.
    offenders = [
        str(path.relative_to(ROOT))
        for path, text in _sources()
        if path.relative_to(PACKAGE).as_posix() != "lib/errors.py"
        and re.search(r"[\"'][a-z_]+[\"']\s*:\s*[45]\d\d\b", text)
    ]
    assert offenders == []


# Names the edges share, each with one meaning and one definition (yuyue.webkit holds what the
# two web front ends share; the API's `service_or_404` finds any service, the customer pages'
# `bookable_service_or_404` an active one).
ONE_DEFINITION = [
    "page",
    "problem",
    "an_id",
    "safe_next",
    "with_query",
    "refusal_text",
    "add_errors",
    "build_picker",
    "staff_options",
    "require_owner",
    "wants_json",
    "service_or_404",
    "PUBLIC_ID",
]
# The private copies the front ends once kept of them.
FORMER_COPIES = ["_an_id", "_PUBLIC_ID", "_refusal_text", "add_domain_error"]


def _definitions(name: str) -> list[str]:
    found = []
    for path, text in _sources():
        for node in ast.parse(text).body:
            defined = (
                [node.name]
                if isinstance(node, ast.FunctionDef | ast.ClassDef)
                else [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            )
            if name in defined:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_shared_names_are_defined_once():
    twice = {name: where for name in ONE_DEFINITION if len(where := _definitions(name)) > 1}
    copies = {name: where for name in FORMER_COPIES if (where := _definitions(name))}
    assert (twice, copies) == ({}, {})


def test_the_front_ends_forms_build_on_the_one_base_that_refuses_nul():
    # yuyue.webkit.forms.Form / ModelForm refuse a NUL in any field, with one message.
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
        for front_end in ("web", "backoffice")
        for path, text in _sources(PACKAGE / front_end)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ClassDef)
        and any(ast.unparse(base) in ("forms.Form", "forms.ModelForm") for base in node.bases)
    ]
    assert offenders == []


def test_only_the_catalog_decides_whether_a_business_is_suspended():
    # catalog.selectors.require_open (and listed_businesses) is the one check every edge calls;
    # the catalog's services suspend and reactivate.
    allowed = {"models.py", "selectors.py", "services.py"}
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in _sources()
        if not (path.parent.name == "catalog" and path.name in allowed)
        for number, line in enumerate(text.splitlines(), 1)
        if "suspended_at" in line
    ]
    assert offenders == []
