"""Run the suite on SQLite, then on PostgreSQL when it is reachable.

Under CI=true PostgreSQL is required: the run fails loudly if it cannot connect. The last line
sums both runs ("total: N passed, N failed").
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yuyue")


def postgres_reachable(url: str) -> str | None:
    """None when a connection works, else the reason."""
    import psycopg

    try:
        # The server's maintenance database: the test database is created from there.
        conninfo = url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(conninfo, dbname="postgres", connect_timeout=5):
            return None
    except psycopg.Error as error:
        return str(error).strip() or type(error).__name__


def run(label: str, database_url: str, args: list[str]) -> dict[str, int]:
    report = ROOT / "var" / f"junit-{label}.xml"
    report.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url}
    print(f"\n=== tests on {label} ===", flush=True)
    code = subprocess.call(
        [sys.executable, "-m", "pytest", f"--junitxml={report}", *args], cwd=ROOT, env=env
    )
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.exists():
        suite = ET.parse(report).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        for key in counts:
            counts[key] = int(suite.get(key, 0))
    if code not in (0, 5) and counts["failures"] + counts["errors"] == 0:
        counts["errors"] = 1  # pytest itself failed (collection, usage): count it.
    if counts["tests"] == 0:
        counts["errors"] += 1  # a run that tested nothing must not pass.
    return counts


def main() -> int:
    args = sys.argv[1:]
    results = {"sqlite": run("sqlite", "", args)}
    problem = postgres_reachable(PG_URL)
    if problem is None:
        results["postgresql"] = run("postgresql", PG_URL, args)
    elif os.environ.get("CI") == "true":
        print(f"\nPostgreSQL is required under CI=true but unreachable at {PG_URL}: {problem}")
        return 1
    else:
        print(f"\nPostgreSQL not reachable ({problem}); ran SQLite only.")

    failed = passed = skipped = 0
    print()
    for label, c in results.items():
        bad = c["failures"] + c["errors"]
        ok = c["tests"] - bad - c["skipped"]
        print(f"{label}: {ok} passed, {bad} failed, {c['skipped']} skipped")
        failed, passed, skipped = failed + bad, passed + ok, skipped + c["skipped"]
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
