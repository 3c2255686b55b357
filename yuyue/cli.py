"""The `yuyue` console script: Django's manage.py under the product's name, plus `serve`."""

import os
import shutil
import sys


def serve(args: list[str]) -> int:
    """Run the production server (gunicorn; whitenoise serves static files in-process)."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
        "gunicorn"
    )
    if gunicorn is None:
        print("gunicorn is not installed: pip install -e .", file=sys.stderr)
        return 1
    bind = os.environ.get("YUYUE_BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    print(f"Yuyue is serving on http://{bind}/ (Ctrl+C to stop)", flush=True)
    command = [
        gunicorn,
        "config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        workers,
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *args,
    ]
    os.execv(gunicorn, command)
    return 0  # unreachable: execv replaces this process


def main(argv: list[str] | None = None) -> int:
    argv = list(argv if argv is not None else sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and argv[1] == "serve":
        # Load the settings first so a misconfiguration stops here with its own message,
        # not inside every gunicorn worker.
        import django

        django.setup()
        return serve(argv[2:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0
