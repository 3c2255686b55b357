"""Fault: the embedded SQLite default under 4 server processes and 30 concurrent bookers.

Promise: zero "database is locked" errors (no 5xx at all), every 201 stored, no overlaps.
Bounded (about a minute), loopback only, in a throwaway folder. Exits 1 when a promise breaks.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.faults.load import Load, counts  # noqa: E402
from tools.faults.servers import check_database, make_fixture, manage, start_server  # noqa: E402

PROCESSES, CLIENTS, EACH = 4, 30, 10
# 4 staff × 40 starts: 160 bookings fit, 300 are tried, so clients race for the same times.
STARTS = 40


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="yuyue-fault-sqlite-") as folder:
        work = Path(folder)
        database_url = f"sqlite:///{work / 'yuyue.sqlite3'}"
        manage(database_url, "migrate", "--noinput")
        data = make_fixture(database_url, CLIENTS)
        server = start_server(
            database_url=database_url,
            log=work / "server.log",
            workers=PROCESSES,
            extra_env={"API_RATE_BOOKING_USER": "100000/m", "YUYUE_DATA_DIR": str(work)},
        )
        try:
            load = Load(server.url, data["slug"], data["service_id"], data["tokens"], STARTS)
            began = time.monotonic()
            load.run_concurrent(clients=CLIENTS, each=EACH)
            seconds = time.monotonic() - began
        finally:
            server.stop()
        log = server.log.read_text(errors="replace")
        created = [o.appointment_id for o in load.outcomes if o.status == 201]
        stored = check_database(database_url, created)
        figures = {
            "processes": PROCESSES,
            "clients": CLIENTS,
            "requests": len(load.outcomes),
            "seconds": round(seconds, 1),
            "statuses": counts(load.outcomes),
            "database_is_locked": log.count("database is locked")
            + sum(1 for o in load.outcomes if "locked" in o.error),
            "server_errors": sum(1 for o in load.outcomes if o.status >= 500 or o.status == 0),
            "created": len(created),
            "created_and_stored": stored["stored"],
            "overlaps": stored["overlaps"],
        }
    print(json.dumps(figures, indent=2))
    broken = [
        name
        for name, ok in (
            ("no 'database is locked'", figures["database_is_locked"] == 0),
            ("no 5xx", figures["server_errors"] == 0),
            ("every 201 stored", figures["created_and_stored"] == figures["created"]),
            ("no overlaps", figures["overlaps"] == 0),
        )
        if not ok
    ]
    print("sqlite_lock:", "OK" if not broken else "BROKEN: " + ", ".join(broken))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
