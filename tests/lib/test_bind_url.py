"""The address printed and linked to follows YUYUE_BIND."""

import pytest

from yuyue.lib.serving import bind_url


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("[::]:8080", "http://[::1]:8080"),
        ("[::1]:8080", "http://[::1]:8080"),
        ("book.local:80", "http://book.local:80"),
        (":8001", "http://127.0.0.1:8001"),
        ("localhost", "http://localhost:8000"),
        ("unix:/run/yuyue.sock", "http://localhost"),
    ],
)
def test_the_address_to_open_for_a_bind(bind, url):
    assert bind_url(bind) == url
