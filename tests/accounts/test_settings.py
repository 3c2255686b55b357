"""Production refuses to start with unsafe settings; the embedded mode runs with none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-a-long-random-production-secret-value-0123456789"


def start(tmp_path, **env) -> subprocess.CompletedProcess:
    """Load the settings in a fresh interpreter, as `yuyue serve` would."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "YUYUE_ENV", "DATABASE_URL", "REDIS_URL"}
    }
    clean.update({"YUYUE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    clean.update(env)
    code = clean.pop("CODE", "")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); print('started'); {code}"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = start(tmp_path, YUYUE_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "started" not in result.stdout


@pytest.mark.parametrize("key", ["change-me", "django-insecure-abc123", "short-key"])
def test_production_refuses_a_default_or_weak_secret_key(tmp_path, key):
    result = start(tmp_path, YUYUE_ENV="production", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_off_refuses_the_published_example_key(tmp_path):
    result = start(tmp_path, DEBUG="false", SECRET_KEY="change-me")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = start(tmp_path, YUYUE_ENV="production", SECRET_KEY=GOOD_KEY, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_starts_with_a_real_key(tmp_path):
    result = start(tmp_path, YUYUE_ENV="production", SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_the_embedded_mode_makes_and_keeps_its_own_key(tmp_path):
    first = start(tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    start(tmp_path)
    assert key_file.read_text() == key


def test_a_malformed_boolean_is_named(tmp_path):
    result = start(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_cookies_are_secure_http_only_and_same_site(tmp_path):
    flags = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    embedded = start(tmp_path, CODE=flags)
    production = start(tmp_path, CODE=flags, YUYUE_ENV="production", SECRET_KEY=GOOD_KEY)

    assert production.stdout.split()[-5:] == ["True", "True", "True", "True", "Lax"]
    # The embedded mode serves plain HTTP on 127.0.0.1, where a Secure cookie would be lost.
    assert embedded.stdout.split()[-5:] == ["False", "False", "False", "True", "Lax"]
