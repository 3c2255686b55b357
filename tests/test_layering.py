"""Imports run downhill: edges → services/selectors → models, and `yuyue/lib` imports no app.

The apps are ranked lib < accounts < wechat < catalog < customers < scheduling < bookings <
notifications < payments < cards < waitlist < webkit < the edges (api, web, seed, backoffice,
demo). `wechat` holds people's WeChat identities and consents and the calls to WeChat, which
the notifications' mini-program channel sends through; `customers` holds each business's own
customer records, which appointments point at (it reaches their appointments through the
reverse relation only); `payments` holds the ledger of money and the calls to WeChat Pay;
`cards` the member cards and their ledger; `waitlist` the customers waiting for freed time and
the offers made to them; `webkit` holds what the two web front ends (web, backoffice) share.
A module may import its own app and any app ranked below it; the edges sit side by side and do
not import one another, except the seed routes, which answer as the API does (JSON errors) and
as the customer pages do. Read with `ast`
over the source, so an import inside a function counts too; imports under `if TYPE_CHECKING:`
and migrations do not.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "yuyue"
CORE = (
    "lib",
    "accounts",
    "wechat",
    "catalog",
    "customers",
    "scheduling",
    "bookings",
    "notifications",
    "payments",
    "cards",
    "waitlist",
    "webkit",
)
EDGES = frozenset({"api", "web", "seed", "backoffice", "demo"})
# Edges built on other edges, by design.
EDGE_USES = {
    "seed": frozenset({"api", "web"}),
}

# Upward edges that exist today and belong to other work; each names why it is still here.
# Delete a line when its import goes away (test_known_exceptions_still_exist says when).
KNOWN = {
    # The booking services enqueue the customer's and staff's messages in their own
    # transaction (docs/notifications.md#the-outbox).
    ("bookings", "notifications"): "bookings/services.py enqueues notifications",
}


@dataclass(frozen=True)
class Edge:
    source: str  # path below yuyue/
    line: int
    importer: str  # app of the importing module
    imported: str  # app of the imported module

    def __str__(self) -> str:
        return f"yuyue/{self.source}:{self.line} {self.importer} → {self.imported}"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(tree: ast.AST, package: str = "") -> Iterator[tuple[str, int]]:
    """Every module an import statement names, with its line, outside TYPE_CHECKING blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                yield from imported_modules(ast.Module(body=[child], type_ignores=[]), package)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            yield module, node.lineno
            for alias in node.names:
                yield f"{module}.{alias.name}", node.lineno
        else:
            yield from imported_modules(node, package)


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "yuyue" or len(parts) < 2:
        return None
    return parts[1]


def app_edges() -> Iterator[Edge]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) < 2 or "migrations" in relative.parts:
            continue
        importer = relative.parts[0]
        package = ".".join(["yuyue", *relative.parent.parts])
        seen = set()
        for module, line in imported_modules(ast.parse(path.read_text()), package):
            imported = app_of(module)
            if imported is None or imported == importer or (imported, line) in seen:
                continue
            if not (PACKAGE / imported).is_dir():
                continue  # an attribute of a top-level module, not an app
            seen.add((imported, line))
            yield Edge(str(relative), line, importer, imported)


def rank(app: str) -> int:
    return CORE.index(app) if app in CORE else len(CORE)


def is_upward(edge: Edge) -> bool:
    if edge.importer in EDGES and edge.imported in EDGES:
        return edge.imported not in EDGE_USES.get(edge.importer, ())
    return rank(edge.imported) > rank(edge.importer)


def test_every_app_has_a_place_in_the_order():
    apps = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert apps - set(CORE) - EDGES == set(), "add the new app to CORE or EDGES in this test"


def test_lib_imports_no_app():
    found = [str(edge) for edge in app_edges() if edge.importer == "lib"]
    assert found == []


def test_apps_import_only_downhill():
    found = [
        str(edge)
        for edge in app_edges()
        if is_upward(edge) and (edge.importer, edge.imported) not in KNOWN
    ]
    assert found == []


def test_known_exceptions_still_exist():
    present = {(edge.importer, edge.imported) for edge in app_edges()}
    assert set(KNOWN) - present == set(), "the import is gone: delete its line from KNOWN"


# Inside the apps: models know no services or selectors, and neither of those knows the back
# office, the commands or any page.
EDGE_MODULES = frozenset({"admin", "admin_scoping", "management", "views", "routers"})
CORE_MODULES = frozenset({"services", "selectors"})


def module_kind(parts: tuple[str, ...]) -> str | None:
    """Whether a module inside an app (its path parts, no `.py`) is models, core or edge."""
    if len(parts) < 2:
        return None
    name = parts[1]
    if name == "models":
        return "models"
    if name in CORE_MODULES:
        return "core"
    if name in EDGE_MODULES:
        return "edge"
    return None


def test_models_import_no_services_and_services_no_edges():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        kind = module_kind(relative.with_suffix("").parts)
        if kind not in ("models", "core") or "migrations" in relative.parts:
            continue
        for module, line in imported_modules(ast.parse(path.read_text())):
            parts = module.split(".")
            if parts[0] != "yuyue":
                continue
            imported = module_kind(tuple(parts[1:]))
            if imported == "edge" or (kind == "models" and imported == "core"):
                found.append(f"yuyue/{relative}:{line} {kind} → {'.'.join(parts[:3])}")
    assert sorted(set(found)) == []


def test_the_reader_counts_imports_in_functions_and_skips_type_checking():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from yuyue.bookings.models import Appointment\n"
        "else:\n"
        "    import yuyue.catalog.models\n"
        "def late():\n"
        "    from yuyue.notifications import services\n"
        "from ..scheduling import engine\n"
    )
    modules = {module for module, _ in imported_modules(ast.parse(source), "yuyue.lib")}
    assert "yuyue.bookings.models" not in modules
    assert {"yuyue.catalog.models", "yuyue.notifications", "yuyue.scheduling"} <= modules
    assert is_upward(Edge("lib/x.py", 1, "lib", "catalog"))
    assert is_upward(Edge("web/x.py", 1, "web", "api"))
    assert not is_upward(Edge("api/x.py", 1, "api", "notifications"))
    assert not is_upward(Edge("seed/x.py", 1, "seed", "web"))
    assert is_upward(Edge("demo/x.py", 1, "demo", "seed"))
