"""What other apps do when two customer records merge, registered by them (from their
AppConfig.ready), so customers imports none of them (imports run downhill).

A hook runs in the merge's transaction, with both records locked, before `other` is deleted:
it moves its own rows that point at `other` to `keep` (a member card held, yuyue/cards), or
the delete would be refused.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yuyue.customers.models import Customer

MergeHook = Callable[["Customer", "Customer"], None]

_HOOKS: dict[str, MergeHook] = {}


def on_merge(name: str, hook: MergeHook) -> None:
    """Call `hook(keep, other)` in every merge; `name` keeps it registered once."""
    _HOOKS[name] = hook


def run_merge_hooks(keep: "Customer", other: "Customer") -> None:
    for hook in list(_HOOKS.values()):
        hook(keep, other)
