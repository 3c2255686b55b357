"""Fault: PostgreSQL restarts while 20 bookings a second run through a real server for 30 s.

A throwaway cluster is created for the run (initdb in a temporary folder, its own port on
127.0.0.1) — never the machine's main one — and removed afterwards.

Promises: errors only as 503 (with Retry-After) and only during the outage; bookings succeed
again within 10 s of the database's return; every 201 is in the database; zero overlaps.
Exits 1 when a promise breaks.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.faults.load import Load, counts  # noqa: E402
from tools.faults.servers import check_database, make_fixture, manage, start_server  # noqa: E402

RATE, SECONDS, OUTAGE_AT, OUTAGE_SECONDS = 20, 30, 10, 4
RECOVERY_LIMIT = 10.0


def pg_bin(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PostgreSQL's server binaries")
    return found


def as_cluster_owner(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    # initdb and postgres refuse to run as root; the machine's postgres account owns the
    # throwaway cluster then.
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, timeout=120, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder, self.data, self.port = folder, folder / "data", free_port()
        self.log = folder / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        as_cluster_owner(
            [
                pg_bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            stdout=subprocess.DEVNULL,
        )

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        as_cluster_owner(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                *args,
            ],
            stdout=subprocess.DEVNULL,
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


def main() -> int:
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix="yuyue-fault-pg-"))
    cluster = None
    server = None
    try:
        cluster = Cluster(folder)
        cluster.pg_ctl("start")
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE yuyue_fault")
        database_url = cluster.url("yuyue_fault")
        manage(database_url, "migrate", "--noinput")
        data = make_fixture(database_url, 40)
        server = start_server(
            database_url=database_url,
            log=folder / "server.log",
            workers=2,
            extra_env={"API_RATE_BOOKING_USER": "100000/m", "YUYUE_DATA_DIR": str(folder)},
        )
        load = Load(server.url, data["slug"], data["service_id"], data["tokens"])
        runner = threading.Thread(
            target=load.run_rate, kwargs={"per_second": RATE, "seconds": SECONDS}
        )
        began = time.monotonic()
        runner.start()
        time.sleep(OUTAGE_AT)
        down_at = time.monotonic()
        cluster.pg_ctl("stop", "-m", "fast")
        time.sleep(OUTAGE_SECONDS)
        cluster.pg_ctl("start")
        up_at = time.monotonic()
        runner.join(timeout=SECONDS + 120)
        outcomes = sorted(load.outcomes, key=lambda o: o.sent_at)
        created = [o.appointment_id for o in outcomes if o.status == 201]
        stored = check_database(database_url, created)
    finally:
        if server is not None:
            server.stop()
        if cluster is not None:
            with contextlib.suppress(subprocess.SubprocessError):
                cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)

    errors = [o for o in outcomes if o.status not in (201, 409)]
    # Answered while the database was away (requests queued before it stopped included).
    outside = [o for o in errors if not (down_at <= o.answered_at <= up_at + RECOVERY_LIMIT)]
    not_503 = [o for o in errors if o.status != 503]
    after = [o for o in outcomes if o.status == 201 and o.sent_at >= up_at]
    recovery = round(after[0].sent_at - up_at, 2) if after else None
    last_503 = max((o.answered_at for o in errors if o.status == 503), default=None)
    figures = {
        "rate_per_second": RATE,
        "seconds": SECONDS,
        "requests": len(outcomes),
        "statuses": counts(outcomes),
        "outage_seconds": round(up_at - down_at, 2),
        "outage_from_s": round(down_at - began, 2),
        "errors_outside_the_outage": len(outside),
        "errors_other_than_503": len(not_503),
        "first_201_after_restart_s": recovery,
        "last_503_after_restart_s": None if last_503 is None else round(last_503 - up_at, 2),
        "created": len(created),
        "created_and_stored": stored["stored"],
        "overlaps": stored["overlaps"],
    }
    print(json.dumps(figures, indent=2))
    broken = [
        name
        for name, ok in (
            ("errors only as 503", not not_503),
            ("errors only during the outage", not outside),
            ("success within 10 s", recovery is not None and recovery <= RECOVERY_LIMIT),
            ("every 201 stored", stored["stored"] == len(created)),
            ("no overlaps", stored["overlaps"] == 0),
        )
        if not ok
    ]
    print("postgres_restart:", "OK" if not broken else "BROKEN: " + ", ".join(broken))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
