"""The SECRET_KEY rules: embedded installs get a persisted random key, production must bring one."""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Keys that were ever published (in .env.example, docs or Django's own template) are as good
# as no key at all; production refuses them.
KNOWN_PLACEHOLDERS = frozenset(
    {
        "",
        "change-me",
        "changeme",
        "change-me-to-a-long-random-string",
        "secret",
    }
)
MIN_LENGTH = 40


def is_default_key(key: str) -> bool:
    return key.strip().lower() in KNOWN_PLACEHOLDERS or key.startswith("django-insecure")


def check_production_key(key: str) -> None:
    if is_default_key(key):
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or a published default; production refuses to start. "
            "Set SECRET_KEY to a long random string (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    if len(key) < MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is only {len(key)} characters; production needs at least {MIN_LENGTH}."
        )


def embedded_key(path: Path) -> str:
    """Read the install's own random key, creating it on first use.

    The embedded mode must run with nothing configured, yet a key shared by every install
    would let anyone forge sessions, so each install generates and keeps its own.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        with path.open("x") as handle:
            handle.write(key)
        path.chmod(0o600)
    except FileExistsError:
        # Another process created it between our read and write; theirs wins.
        return path.read_text().strip()
    return key
