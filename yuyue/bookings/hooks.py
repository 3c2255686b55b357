"""What other apps do when an appointment changes, registered by them (from their
AppConfig.ready), so bookings imports none of them (imports run downhill).

Every change of an appointment writes one event (`services._record`); the hooks run right
after it, in the same transaction and under the appointment's row lock: what a hook writes
(a member card's use released, a waitlist offer noted) commits or rolls back with the change.
A hook that raises undoes the change, so a hook refuses only what must not happen.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yuyue.bookings.models import Appointment, AppointmentEvent

EventHook = Callable[["Appointment", "AppointmentEvent"], None]

_HOOKS: dict[str, EventHook] = {}


def on_event(name: str, hook: EventHook) -> None:
    """Call `hook(appointment, event)` after every event recorded; `name` keeps it registered
    once however often ready() runs."""
    _HOOKS[name] = hook


def run_event_hooks(appointment: "Appointment", event: "AppointmentEvent") -> None:
    for hook in list(_HOOKS.values()):
        hook(appointment, event)
