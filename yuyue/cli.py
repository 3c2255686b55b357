"""The `yuyue` console script: Django's manage.py under the product's name, plus `serve`."""

import os
import shutil
import sys
from pathlib import Path

# Exit status for refused settings, as for a command-line usage error.
EXIT_REFUSED = 2


def _refused_settings() -> str | None:
    """The one-line reason the settings refuse to load (production rules), or None."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (importing the settings module is the check)
    except ImproperlyConfigured as error:
        return " ".join(str(error).split())
    return None


def _ready_message() -> str:
    """What `serve` prints once gunicorn listens: the address, and the demo's logins."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Yuyue is serving on %(url)s (Ctrl+C to stop)")
            % {"url": f"{settings.YUYUE_PUBLIC_URL}/"}
        ]
        if not settings.PRODUCTION:
            from django.db import DatabaseError

            from yuyue.demo.demo import demo_exists, login_lines

            try:
                demo = demo_exists(settings.YUYUE_DEFAULT_BUSINESS)
            except DatabaseError:  # not migrated yet: nothing to log in to
                demo = False
            if demo:
                lines += login_lines(settings.YUYUE_PUBLIC_URL)
    return "\n".join(lines)


# A Unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS).
_SOCKET_PATH_MAX = 100


def _control_socket_options() -> list[str]:
    """gunicorn's control socket, one per install: in the data directory. gunicorn's default,
    ~/.gunicorn/gunicorn.ctl, is one per user, so a second server (another checkout, the tests)
    announced the same socket and took it over from the first."""
    from django.conf import settings

    path = str(Path(settings.DATA_DIR).resolve() / "gunicorn.ctl")
    if len(path.encode()) > _SOCKET_PATH_MAX:
        return ["--no-control-socket"]
    return ["--control-socket", path]


def serve(args: list[str]) -> int:
    """Run the production server (gunicorn; whitenoise serves static files in-process)."""
    from django.conf import settings

    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
        "gunicorn"
    )
    if gunicorn is None:
        print("gunicorn is not installed: pip install -e .", file=sys.stderr)
        return 1
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    # config/gunicorn.py prints this once the socket is bound, so it comes after the start-up
    # noise and names the address really served.
    os.environ["YUYUE_READY_MESSAGE"] = _ready_message()
    command = [
        gunicorn,
        "config.wsgi:application",
        "--config",
        "python:config.gunicorn",
        "--bind",
        settings.YUYUE_BIND,
        "--workers",
        workers,
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *_control_socket_options(),
        *args,
    ]
    sys.stdout.flush()
    os.execv(gunicorn, command)
    return 0  # unreachable: execv replaces this process


def collectstatic_if_changed(argv: list[str]) -> int:
    """`yuyue collectstatic --if-changed`: collect only when a static file changed since the
    last collection (what `make run` does on every start; collecting takes seconds)."""
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from yuyue.lib.static_sources import static_stamp_write, static_unchanged

    if static_unchanged(settings):
        return 0
    execute_from_command_line(argv)
    static_stamp_write(settings)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(argv if argv is not None else sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Refused settings (production without SECRET_KEY, DEBUG on, …) are the operator's to fix:
    # one line saying what, not a traceback through Django's start-up.
    refused = _refused_settings()
    if refused is not None:
        print(f"yuyue: {refused}", file=sys.stderr)
        return EXIT_REFUSED
    if len(argv) > 1 and argv[1] == "collectstatic" and "--if-changed" in argv:
        return collectstatic_if_changed([a for a in argv if a != "--if-changed"])
    if len(argv) > 1 and argv[1] == "serve":
        import django

        django.setup()
        return serve(argv[2:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0
