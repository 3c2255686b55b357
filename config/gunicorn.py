"""gunicorn settings for `yuyue serve` (command-line options given after `serve` win)."""

import os
import sys


def post_worker_init(worker) -> None:
    # Printed once the last of the first workers is ready, so the address and the demo logins
    # come after gunicorn's start-up lines and stay on screen.
    message = os.environ.get("YUYUE_READY_MESSAGE", "")
    if message and worker.age == worker.cfg.workers:
        print(message, file=sys.stdout, flush=True)
