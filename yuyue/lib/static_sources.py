"""Whether `collectstatic` has anything to do: a fingerprint of every file it would copy.

Collecting (hashing and compressing every file) takes seconds; `make run` does it on every
start, though the files change only when the code or the installed packages do. The
fingerprint is read from the settings alone (no django.setup()), so checking costs a fraction
of a second.
"""

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import Any

STAMP_NAME = ".sources.sha256"


def _source_dirs(settings: Any) -> list[Path]:
    """The folders Django's default finders read: each app's static/ and STATICFILES_DIRS."""
    dirs = []
    for app in settings.INSTALLED_APPS:
        spec = importlib.util.find_spec(app)
        for location in (spec.submodule_search_locations or []) if spec else []:
            dirs.append(Path(location) / "static")
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        dirs.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [d for d in dirs if d.is_dir()]


def static_fingerprint(settings: Any) -> str:
    """Changes when a static file is added, removed or touched, the storage changes, or the
    collected files' manifest is gone."""
    digest = hashlib.sha256()
    digest.update(repr(settings.STORAGES.get("staticfiles")).encode())
    digest.update(str(settings.STATIC_ROOT).encode())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    digest.update(str(manifest.stat().st_mtime_ns if manifest.exists() else "none").encode())
    for folder in _source_dirs(settings):
        for root, subdirs, files in os.walk(folder):
            subdirs.sort()
            for name in sorted(files):
                path = Path(root, name)
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def stamp_path(settings: Any) -> Path:
    return Path(settings.STATIC_ROOT) / STAMP_NAME


def static_unchanged(settings: Any) -> bool:
    stamp = stamp_path(settings)
    return stamp.exists() and stamp.read_text().strip() == static_fingerprint(settings)


def static_stamp_write(settings: Any) -> None:
    stamp_path(settings).write_text(static_fingerprint(settings) + "\n")
