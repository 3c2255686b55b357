"""`yuyue` with refused production settings prints the reason in one line and exits 2."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-a-long-random-production-secret-value-0123456789"
UNSET = {
    "SECRET_KEY",
    "DEBUG",
    "YUYUE_ENV",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "YUYUE_SIGNUP",
}


def yuyue(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """The installed console script, from a directory without a .env file."""
    script = Path(sys.executable).with_name("yuyue")
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.update({"YUYUE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **env})
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(script), *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"YUYUE_ENV": "production"}, "SECRET_KEY"),
        ({"YUYUE_ENV": "production", "SECRET_KEY": GOOD_KEY, "DEBUG": "true"}, "DEBUG"),
        ({"YUYUE_ENV": "staging"}, "YUYUE_ENV"),
        ({"YUYUE_SIGNUP": "everyone"}, "YUYUE_SIGNUP"),
        (
            {
                "YUYUE_ENV": "production",
                "SECRET_KEY": GOOD_KEY,
                "NOTIFY_SMS_PROVIDER": "tencent",
                "TENCENT_SMS_SECRET_ID": "AKIDexample",
                "TENCENT_SMS_SDK_APP_ID": "1400000001",
            },
            "TENCENT_SMS_SECRET_KEY, TENCENT_SMS_SIGN_NAME",
        ),
    ],
    ids=["no-secret-key", "debug-on", "unknown-env", "unknown-signup-mode", "tencent-incomplete"],
)
def test_it_prints_one_line_and_exits_2(tmp_path, env, named):
    result = yuyue(tmp_path, "check", **env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("yuyue: ")
    assert named in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_good_settings_run_the_command(tmp_path):
    result = yuyue(tmp_path, "check", YUYUE_ENV="production", SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


def test_the_embedded_defaults_keep_mail_in_files_and_link_to_the_bound_address(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.YUYUE_MAIL_DIR, s.YUYUE_PUBLIC_URL)"
    )
    result = yuyue(tmp_path, "shell", "-c", code, YUYUE_BIND="0.0.0.0:9000")
    assert result.returncode == 0, result.stderr
    backend, folder, url = result.stdout.splitlines()[-1].split()
    assert backend == "yuyue.notifications.mail_files.EmailBackend"
    assert folder == str(tmp_path / "mail")
    assert url == "http://127.0.0.1:9000"
