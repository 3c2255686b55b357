"""Run the suite on SQLite and on PostgreSQL (when reachable) side by side.

Under CI=true PostgreSQL is required: the run fails loudly if it cannot connect. The last line
sums every run ("total: N passed, N failed, N skipped"), counted from each run's JUnit report,
and from jest's JSON report for the mini program's client tests, which run beside them.

Both databases run at the same time, each split over pytest-xdist workers (YUYUE_TEST_WORKERS
per database, default 2; 0 runs in one process). Every worker has its own test database
(pytest-django suffixes the name with the worker id), so runs never share rows. Each run's
output goes to var/test-<label>.log and is printed whole when that run ends, so the two never
interleave.

Arguments narrow the run: paths under miniprogram-tests/ go to jest, everything else (paths,
options) to pytest; a run that names no mini program test leaves jest out (and so needs no
npm), one that names only mini program tests leaves pytest out.
"""

import compileall
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIPROGRAM_TESTS = ROOT / "miniprogram-tests"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yuyue")
WORKERS = os.environ.get("YUYUE_TEST_WORKERS", "2")


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


def child_environment(extra: dict[str, str]) -> dict[str, str]:
    """The runs' environment, with bytecode caching on even where the shell turned it off.

    With PYTHONDONTWRITEBYTECODE set, every pytest worker and every process a test starts (the
    servers, workers and commands run for real) compiled the project and rewrote the test
    modules' asserts from source again: the first one now writes the caches, the others read.
    """
    environment = {**os.environ, **extra}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


class Run:
    """One test runner started in the background, its output kept in a log and its counts read
    from its report when it ends."""

    report_name = "junit-{label}.xml"

    def __init__(self, label: str, command: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        self.label = label
        self.report = ROOT / "var" / self.report_name.format(label=label)
        self.log = ROOT / "var" / f"test-{label}.log"
        self.report.parent.mkdir(parents=True, exist_ok=True)
        self.report.unlink(missing_ok=True)
        self.started = time.monotonic()
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [part.format(report=self.report) for part in command],
                cwd=cwd,
                env=child_environment(env),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def finish(self) -> dict[str, int]:
        code = self.process.wait()
        seconds = time.monotonic() - self.started
        print(f"\n=== tests on {self.label} ({seconds:.0f} s) ===", flush=True)
        sys.stdout.write(self.log.read_text(errors="replace"))
        sys.stdout.flush()
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if self.report.exists():
            counts.update(self.counts())
        if code not in (0, 5) and counts["failures"] + counts["errors"] == 0:
            counts["errors"] = 1  # the runner itself failed (collection, usage): count it.
        if counts["tests"] == 0:
            counts["errors"] += 1  # a run that tested nothing must not pass.
        return counts

    def counts(self) -> dict[str, int]:
        suite = ET.parse(self.report).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        return {key: int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")}


def pytest_run(label: str, database_url: str, args: list[str]) -> Run:
    """pytest on one database, split over the xdist workers."""
    # worksteal: a worker that runs out of tests takes some of another's queue, so the long
    # tests (real processes, browsers) do not leave one worker running alone at the end.
    parallel = ["-n", WORKERS, "--dist", "worksteal"] if WORKERS not in ("", "0") else []
    command = [sys.executable, "-m", "pytest", "--junitxml={report}", *parallel, *args]
    env = {
        "DATABASE_URL": database_url,
        # Browser screenshots and axe reports of the two runs must not overwrite each other.
        "YUYUE_ARTIFACTS": str(ROOT / "artifacts" / label),
    }
    if database_url:
        # A test database is thrown away, so its commits need not wait for the disk: 3.6 ms per
        # commit with the server's default against 0.2 ms, paid by every committing test, the
        # servers and workers they start (libpq reads PGOPTIONS), and each migration at set-up.
        env["PGOPTIONS"] = " ".join(
            filter(None, [os.environ.get("PGOPTIONS", ""), "-c synchronous_commit=off"])
        )
    return Run(label, command, cwd=ROOT, env=env)


class JestRun(Run):
    """The mini program's client tests (jest in miniprogram-tests/), beside the two databases."""

    report_name = "jest-{label}.json"

    def __init__(self, paths: list[str]) -> None:
        command = ["npx", "jest", "--runInBand", "--json", "--outputFile={report}", *paths]
        super().__init__(
            "miniprogram",
            command,
            cwd=MINIPROGRAM_TESTS,
            env={"PYTHON": sys.executable},
        )

    def counts(self) -> dict[str, int]:
        report = json.loads(self.report.read_text())
        return {
            "tests": report.get("numTotalTests", 0),
            "failures": report.get("numFailedTests", 0),
            "skipped": report.get("numPendingTests", 0) + report.get("numTodoTests", 0),
        }


def miniprogram_path(arg: str) -> str | None:
    """The argument as a path inside miniprogram-tests/ ("" for the folder itself), or None
    when it names something else: a pytest path, an option or an option's value."""
    if arg.startswith("-"):
        return None
    path = Path(arg).resolve()
    if path != MINIPROGRAM_TESTS and MINIPROGRAM_TESTS not in path.parents:
        return None
    relative = path.relative_to(MINIPROGRAM_TESTS).as_posix()
    return "" if relative == "." else relative


def split_arguments(args: list[str]) -> tuple[list[str], list[str] | None]:
    """(pytest's arguments, jest's paths or None when jest does not run). No arguments: all."""
    if not args:
        return [], []
    jest = [miniprogram_path(arg) for arg in args]
    pytest_args = [arg for arg, path in zip(args, jest, strict=True) if path is None]
    jest_paths = [path for path in jest if path is not None]
    if not jest_paths:
        return pytest_args, None
    return pytest_args, [path for path in jest_paths if path]


def main() -> int:
    args, jest_paths = split_arguments(sys.argv[1:])
    only_jest = bool(sys.argv[1:]) and not args and jest_paths is not None
    if only_jest:
        results = {"miniprogram": JestRun(jest_paths).finish()}
        return summarize(results)
    problem = postgres_reachable(PG_URL)
    if problem is not None and os.environ.get("CI") == "true":
        print(f"\nPostgreSQL is required under CI=true but unreachable at {PG_URL}: {problem}")
        return 1
    # The project's modules compiled once, before the runs' processes all need them at once.
    compileall.compile_dir(ROOT / "yuyue", quiet=1)
    compileall.compile_dir(ROOT / "config", quiet=1)
    runs = [pytest_run("sqlite", "", args)]
    if problem is None:
        runs.append(pytest_run("postgresql", PG_URL, args))
    if jest_paths is not None:
        runs.append(JestRun(jest_paths))
    results = {run.label: run.finish() for run in runs}
    if problem is not None:
        print(f"\nPostgreSQL not reachable ({problem}); ran SQLite only.")
    return summarize(results)


def summarize(results: dict[str, dict[str, int]]) -> int:
    """One line per run, then the total; 1 when anything failed."""
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
