"""Real servers for the notification tests: an SMTP server (aiosmtpd) and a webhook receiver,
each on a free loopback port, with settings pointing the dispatcher at them."""

import asyncio
import logging
import threading
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import free_port

# aiosmtpd logs every SMTP command at INFO; the tests' own output is what matters.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Mailbox:
    """An aiosmtpd handler that keeps what it receives and fails on request.

    `temporary_failures`: answer DATA with 421 this many times before accepting.
    `refuse`: recipient address → the 5xx answer to RCPT TO for it.
    `delay`: seconds to take over each accepted message (so a worker can be caught mid-batch).
    `after_accepting`: called with the count so far after each accepted message, in a thread of
    its own (the server's event loop is no place for database calls), before the server answers.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.temporary_failures = 0
        self.refused_data = 0
        self.refuse: dict[str, str] = {}
        self.delay = 0.0
        self.after_accepting: Callable[[int], None] | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.temporary_failures > 0:
                self.temporary_failures -= 1
                self.refused_data += 1
                return "421 4.3.2 Service busy, try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            count = len(self.messages)
        if self.after_accepting is not None:
            hook = threading.Thread(target=self.after_accepting, args=(count,))
            hook.start()
            hook.join()
        return "250 Message accepted"

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received() if m["To"] == address]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """The SMTP server, with Django's SMTP backend pointed at it."""
    box, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Yuyue <noreply@yuyue.test>"
    settings.YUYUE_PUBLIC_URL = "https://book.example.com"
    box.port = port
    return box
