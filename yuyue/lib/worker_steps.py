"""Work the long-running `yuyue worker` does besides sending messages, registered by the apps
that own it (from their AppConfig.ready), so the worker needs to import none of them."""

from collections.abc import Callable

_STEPS: dict[str, Callable[[], object]] = {}


def register(name: str, step: Callable[[], object]) -> None:
    """Run `step()` once per round of the worker; its own errors are its own to log."""
    _STEPS[name] = step


def steps() -> dict[str, Callable[[], object]]:
    return dict(_STEPS)
