"""`yuyue collectstatic --if-changed` (what `make run` does on every start) collects once, then
skips until a static file or the collected manifest changes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNSET = {"SECRET_KEY", "DEBUG", "YUYUE_ENV", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}


def collect(data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["YUYUE_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [str(Path(sys.executable).parent / "yuyue"), "collectstatic", "--noinput", "--if-changed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_it_collects_once_and_then_only_when_the_collected_files_are_gone(tmp_path):
    manifest = tmp_path / "static" / "staticfiles.json"

    first = collect(tmp_path)
    assert first.returncode == 0, first.stderr
    assert "static files copied" in first.stdout
    collected_at = manifest.stat().st_mtime_ns

    second = collect(tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""
    assert manifest.stat().st_mtime_ns == collected_at

    manifest.unlink()
    third = collect(tmp_path)
    assert third.returncode == 0, third.stderr
    assert "static files copied" in third.stdout
    assert manifest.exists()
