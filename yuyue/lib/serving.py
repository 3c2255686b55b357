"""Where the app is served: the gunicorn bind address and the address a person opens."""

DEFAULT_BIND = "127.0.0.1:8000"
_ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]", "": "127.0.0.1"}


def bind_url(bind: str) -> str:
    """The address to open for a gunicorn bind: "0.0.0.0:9000" → "http://127.0.0.1:9000".

    A wildcard address is served on every interface, so the loopback one is printed; a Unix
    socket sits behind a proxy, whose address only YUYUE_PUBLIC_URL can tell.
    """
    bind = bind.strip()
    if bind.startswith(("unix:", "fd://")):
        return "http://localhost"
    host, separator, port = bind.rpartition(":")
    if not separator or host.endswith(":") or (host.startswith("[") and not host.endswith("]")):
        host, port = bind, "8000"
    host = _ANY_ADDRESS.get(host, host)
    return f"http://{host}:{port}"
