"""Without EMAIL_URL the worker keeps each email as an .eml file under var/mail and prints one
line per message (kind, recipient, subject), not the whole message, into the terminal."""

from email import message_from_bytes, policy

import time_machine
from django.core.management import call_command

from tests.helpers import NOW, WEDNESDAY, at, quiet_owners
from yuyue.bookings.services import appointment_create


def test_a_booking_dispatched_by_the_worker_prints_one_line_and_stores_the_message(
    transactional_db, settings, tmp_path, capsys, service, stylist, customer
):
    settings.EMAIL_BACKEND = "yuyue.notifications.mail_files.EmailBackend"
    settings.YUYUE_MAIL_DIR = tmp_path / "mail"
    quiet_owners(service.business)
    with time_machine.travel(NOW, tick=False):
        appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )
        capsys.readouterr()
        # The command itself (it closes stale connections, hence a transactional test).
        call_command("worker", "--once")
    lines = capsys.readouterr().out.splitlines()

    # The customer hears of the booking; the staff account has no email, so theirs is a text.
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("mail booked → customer@example.com: ")
    assert "洗剪吹" in line
    stored = list((tmp_path / "mail").glob("*.eml"))
    assert len(stored) == 1
    assert str(stored[0]) in line
    message = message_from_bytes(stored[0].read_bytes(), policy=policy.default)
    assert message["To"] == "customer@example.com"
    assert any(part.get_content_type() == "text/calendar" for part in message.walk())
