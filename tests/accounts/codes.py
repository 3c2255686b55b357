"""Asking for a texted code and reading it where the text went: the `webhook` fixture's
receiver, a real HTTP server on loopback standing in for the SMS gateway."""

from django.test import Client

PHONE = "+8613917778117"
ADDRESS = "198.51.100.20"


def api(ip: str = ADDRESS, **headers: str) -> Client:
    return Client(REMOTE_ADDR=ip, headers=headers)


def send(phone: str = PHONE, purpose: str = "login", *, ip: str = ADDRESS, client=None):
    client = client or api(ip)
    return client.post(
        "/api/v1/auth/sms/send",
        {"phone": phone, "purpose": purpose},
        content_type="application/json",
    )


def verify(code: str, phone: str = PHONE, *, ip: str = ADDRESS):
    return api(ip).post(
        "/api/v1/auth/sms/verify", {"phone": phone, "code": code}, content_type="application/json"
    )


def texts_to(webhook, phone: str = PHONE) -> list[dict]:
    return [r["json"] for r in webhook.requests if r["json"]["to"] == phone]


def last_code(webhook, phone: str = PHONE) -> str:
    sent = texts_to(webhook, phone)
    assert sent, f"no text went to {phone}"
    return sent[-1]["params"]["code"]


def wrong(code: str) -> str:
    """Another six-digit code than `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
