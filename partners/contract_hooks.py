"""What other apps do when the partnership contracts are entered.

``stages`` (which partners may not import) starts each partner's run through the announced
phases the moment its contract is entered (RULES.md point 8): it registers a callback from its
``AppConfig.ready()``, and ``services_partnerships.contracts_enter`` calls every registered
callback inside its transaction, so the contracts and what follows from them stand or fall
together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import User

    from .models import Partnership

ContractsEntered = Callable[..., None]

_CALLBACKS: list[ContractsEntered] = []


def register_contracts_entered(callback: ContractsEntered) -> ContractsEntered:
    """Call ``callback(actor=, partnerships=)`` whenever contracts are entered; registering
    the same callback again changes nothing."""
    if callback not in _CALLBACKS:
        _CALLBACKS.append(callback)
    return callback


def contracts_entered(*, actor: User, partnerships: Sequence[Partnership]) -> None:
    """Tell every registered callback, in the order they registered, of the new contracts."""
    for callback in _CALLBACKS:
        callback(actor=actor, partnerships=list(partnerships))
