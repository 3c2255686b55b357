"""docs/deploy/yuyue.env is read by systemd's EnvironmentFile and, by hand, by a shell
(`set -a; . /etc/yuyue/yuyue.env; set +a`, as the README says): both must read the same values."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / "docs" / "deploy" / "yuyue.env"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def sourced() -> dict[str, str]:
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", ENV_FILE.read_text(), flags=re.MULTILINE)
    script = (
        'set -eu; set -a; . "$1"; set +a; python="$2"; shift 2; '
        '"$python" -c "import json, os, sys; '
        'print(json.dumps({n: os.environ[n] for n in sys.argv[1:]}))" "$@"'
    )
    done = subprocess.run(
        ["bash", "-c", script, "bash", str(ENV_FILE), sys.executable, *names],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_bash_parses_the_file():
    done = subprocess.run(
        ["bash", "-n", str(ENV_FILE)], capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr


def test_a_shell_reads_the_values_systemd_and_dotenv_read():
    values = sourced()

    assert values["DEFAULT_FROM_EMAIL"] == "Yuyue <noreply@book.example.com>"
    assert values["YUYUE_ENV"] == "production"
    assert values["SECURE_SSL_REDIRECT"] == "true"
    assert values == {k: v for k, v in dotenv_values(ENV_FILE).items() if v is not None}


def test_the_readme_says_how_to_load_it_by_hand():
    readme = (ROOT / "README.md").read_text()

    assert "set -a; . /etc/yuyue/yuyue.env; set +a" in readme
