"""The embedded mail backend (EMAIL_URL unset): each message becomes a file, plus one line.

A developer running `make run` sees "mail booked → customer@example.com: 预约申请已收到：…
(var/mail/….eml)" in the terminal instead of pages of headers, HTML and base64 calendar
files, and opens the .eml file (any mail client reads it) to see the whole message.
"""

import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.crypto import get_random_string

# The header _compose sets so this one line can say which message it was.
KIND_HEADER = "X-Yuyue-Kind"


class EmailBackend(BaseEmailBackend):
    def __init__(self, *, fail_silently: bool = False, **kwargs) -> None:
        super().__init__(fail_silently=fail_silently)
        self.folder = Path(kwargs.get("file_path") or settings.YUYUE_MAIL_DIR)
        self.stream = kwargs.get("stream")
        self._lock = threading.Lock()

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        sent = 0
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                try:
                    path = self._store(message)
                except OSError:
                    if not self.fail_silently:
                        raise
                    continue
                kind = message.extra_headers.get(KIND_HEADER, "message")
                recipients = ", ".join(message.recipients())
                subject = " ".join(str(message.subject).split())
                # sys.stdout at the time of writing, so a redirected stdout is honoured.
                stream = self.stream or sys.stdout
                stream.write(f"mail {kind} → {recipients}: {subject} ({path})\n")
                stream.flush()
                sent += 1
        return sent

    def _store(self, message) -> Path:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{stamp}-{get_random_string(8).lower()}.eml"
        path.write_bytes(message.message().as_bytes(linesep="\n"))
        return path
