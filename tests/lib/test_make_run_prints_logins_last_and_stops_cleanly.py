"""`make run` as a new user runs it in a terminal: sent mail is one line per message (no raw
email), the address actually served and the logins come after the start-up noise, and Ctrl+C
stops everything with status 0 (no "make: *** … Interrupt" or "Error 130"). Building the demo
prints its summary, not an audit line per sample booking; the dispatcher says why it skipped
what it skipped; gunicorn's control socket is this install's own."""

import contextlib
import os
import pty
import re
import select
import shutil
import signal
import socket
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
UNSET = {"SECRET_KEY", "DEBUG", "YUYUE_ENV", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
CTRL_C = b"\x03"

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (VENV / ".installed-run").exists(),
    reason="needs make and the project's .venv",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Terminal:
    """A command on a pseudo-terminal, as in a real one: Ctrl+C is the terminal's, which
    signals its foreground process group."""

    def __init__(self, argv: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the session leader with the pty as its tty
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        self.text = ""

    def read(self, seconds: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if ready:
            # OSError: the other side closed, the command ended.
            with contextlib.suppress(OSError):
                self.text += os.read(self.fd, 65536).decode("utf-8", "replace")

    @property
    def lines(self) -> list[str]:
        return [line.rstrip("\r") for line in self.text.split("\n")]

    def wait(self, seconds: float) -> int:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read(0.2)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.read(0.2)
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("still running:\n" + self.text)


def test_make_run_prints_one_line_per_mail_then_the_logins_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(
        YUYUE_DATA_DIR=str(tmp_path),
        YUYUE_BIND=f"127.0.0.1:{port}",
        YUYUE_PUBLIC_URL="",
        WEB_CONCURRENCY="1",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    admin = f"http://127.0.0.1:{port}/admin/"

    def ready() -> bool:
        # `yuyue demo` prints the logins too; the server's come after gunicorn listens.
        lines = terminal.lines
        listening = [i for i, line in enumerate(lines) if "Listening at" in line]
        return bool(listening) and any(line.endswith(admin) for line in lines[listening[0] :])

    terminal = Terminal(["make", "--no-print-directory", "run", f"VENV={VENV}"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 240
    try:
        while not ready():
            assert time.monotonic() < deadline, terminal.text
            terminal.read(1)
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
    finally:
        os.write(terminal.fd, CTRL_C)
        status = terminal.wait(60)
    lines, output = terminal.lines, terminal.text

    assert status == 0, output
    assert "***" not in output  # make's "*** [run] Interrupt" / "Error 130"
    # Mail: one line each, never headers or bodies.
    mail = [line for line in lines if line.startswith("mail ")]
    assert mail, output
    assert all(line.endswith(".eml)") for line in mail)
    assert "Content-Type:" not in output
    assert list((tmp_path / "mail").glob("*.eml"))
    # The address served and the logins come after the mail and gunicorn's start-up.
    last_mail = max(i for i, line in enumerate(lines) if line.startswith("mail "))
    listening = next(i for i, line in enumerate(lines) if "Listening at" in line)
    serving = max(i for i, line in enumerate(lines) if "Ctrl+C" in line)
    customer = max(i for i, line in enumerate(lines) if "yuyue-customer-demo" in line)
    back_office = max(i for i, line in enumerate(lines) if "yuyue-owner-demo" in line)
    assert last_mail < listening < serving < customer < back_office
    assert f"http://127.0.0.1:{port}/" in lines[serving]
    assert f"http://127.0.0.1:{port}/" in lines[customer]
    assert f"http://127.0.0.1:{port}/manage/" in lines[back_office]
    assert "127.0.0.1:8000" not in output
    # The dispatcher stopped with the server.
    assert "worker: stopped" in output
    # No audit line per sample booking while the demo is built.
    assert not [line for line in lines if line.startswith("appointment.")], output
    assert "Status." not in output
    # "skipped 27 (the appointment is over: 20; …)": a number of skipped messages comes with why.
    skipped = re.findall(r"worker: sent \d+, .*skipped (\d+)(.*)", output)
    assert skipped, output
    for count, why in skipped:
        assert count == "0" or re.match(r" \(.+: \d+\)", why), output
    # One control socket, in this install's data directory, not ~/.gunicorn shared by all.
    sockets = [line for line in lines if "Control socket listening at" in line]
    assert len(sockets) <= 1, output
    assert all(str(tmp_path) in line or "gunicorn.ctl" not in line for line in sockets), output
