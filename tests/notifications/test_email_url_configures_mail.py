"""EMAIL_URL: one variable for the mail server."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yuyue.lib.email_url import parse_email_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_submission_port_uses_starttls_and_decodes_credentials():
    config = parse_email_url("smtp://shop%40example.com:p%40ss@mail.example.com:587")
    assert (config.backend, config.host, config.port) == (SMTP, "mail.example.com", 587)
    assert (config.user, config.password) == ("shop@example.com", "p@ss")
    assert (config.use_tls, config.use_ssl) == (True, False)


def test_smtps_uses_tls_from_the_start_on_465():
    config = parse_email_url("smtps://u:p@mail.example.com")
    assert (config.port, config.use_ssl, config.use_tls) == (465, True, False)


def test_plain_smtp_with_options():
    config = parse_email_url("smtp://127.0.0.1:2525?tls=false&timeout=3")
    assert (config.port, config.use_tls, config.timeout) == (2525, False, 3)


def test_console_needs_nothing_else():
    assert parse_email_url("console://").backend.endswith("console.EmailBackend")


@pytest.mark.parametrize(
    "url", ["ftp://x", "smtp://h:port", "smtp://h?tls=maybe", "smtp://h?tls=1&ssl=1"]
)
def test_a_malformed_url_is_refused_with_a_reason(url):
    with pytest.raises(ImproperlyConfigured):
        parse_email_url(url)
