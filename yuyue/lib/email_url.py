"""EMAIL_URL: one variable for the whole outgoing mail set-up, like DATABASE_URL.

    smtp://user:password@host:587        SMTP with STARTTLS on 587 (plain on other ports)
    smtp://host:25?tls=false             plain SMTP
    smtps://user:password@host:465       SMTP over TLS
    console://                           print mail to standard output
    dummy://                             throw mail away
    locmem://                            keep mail in memory (tests)

The user name and password may be percent-encoded; `?timeout=SECONDS` sets the socket timeout.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: int | None = None


def _flag(query: dict[str, list[str]], name: str, default: bool) -> bool:
    values = query.get(name)
    if not values:
        return default
    value = values[-1].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"EMAIL_URL: {name} must be true or false, got {values[-1]!r}")


def parse_email_url(url: str) -> EmailConfig:
    """The mail settings an EMAIL_URL stands for; ImproperlyConfigured when it is malformed."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        known = ", ".join(sorted(_BACKENDS))
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {scheme!r} (use one of {known})")
    if scheme not in {"smtp", "smtps", "submission"}:
        return EmailConfig(backend=_BACKENDS[scheme])
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL: the port is not a number") from None
    query = parse_qs(parts.query)
    use_ssl = scheme == "smtps"
    default_port = 465 if use_ssl else 587 if scheme == "submission" else 25
    port = port or default_port
    use_tls = _flag(query, "tls", not use_ssl and port == 587)
    use_ssl = _flag(query, "ssl", use_ssl)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("EMAIL_URL: tls and ssl cannot both be on")
    timeout = None
    if query.get("timeout"):
        try:
            timeout = int(query["timeout"][-1])
        except ValueError:
            raise ImproperlyConfigured("EMAIL_URL: timeout must be whole seconds") from None
    return EmailConfig(
        backend=_BACKENDS[scheme],
        host=parts.hostname or "localhost",
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=timeout,
    )
