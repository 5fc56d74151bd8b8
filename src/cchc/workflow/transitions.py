"""One declarative transition table per record type: the state machine written once.

Each :class:`Transition` says from which states an action is allowed, what the action is called in
a refusal, and who is offered it: ``roles`` held in the unit named by the record's ``unit``
attribute, or a ``who`` rule of the app's own. The services guard with the table
(:meth:`TransitionTable.check`, :meth:`TransitionTable.require`) and the selectors list the actions
to offer from it (:meth:`TransitionTable.available`), so a page never offers an action the service
would refuse for its state, and a new state is added in one place. A service may still narrow who
may act (the role of the current workflow step, a second supplement request needing a leader):
those rules read more than the record's state and stay with the service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cchc.common.errors import ActionForbidden, TransitionNotAllowed
from cchc.organisations.permissions import has_role

from .guards import forbidden_message, require_state

# who(actor, record, memo) -> bool. ``memo`` is shared by the checks of one listing, so a rule
# that costs queries (who receives for whom) is worked out once per page, not once per action.
Who = Callable[[object, object, dict], bool]


@dataclass(frozen=True)
class Transition:
    action: str  # the service's name for it ("forward"), also the selectors' and the API's
    sources: frozenset  # statuses the action is allowed from
    label: str  # what the user tried, for the refusal: "forward the dossier" (lazy translation)
    roles: tuple[str, ...] = ()  # offered to holders of one of these roles…
    unit: str = "current_unit"  # …in the unit named by this attribute of the record
    who: Who | None = None  # instead of roles/unit: the app's own rule
    offered: bool = True  # listed among the actions a page offers (False: another page's)

    def permits(self, actor, record, memo: dict | None = None) -> bool:
        """Is the action offered to ``actor`` on ``record`` (whatever its state)?"""
        if self.who is not None:
            return self.who(actor, record, {} if memo is None else memo)
        return has_role(actor, list(self.roles), getattr(record, self.unit))


def transition(action: str, sources: Iterable, label: str, **options) -> Transition:
    return Transition(action, frozenset(sources), label, **options)


@dataclass(frozen=True)
class TransitionTable:
    """The transitions of one record type, in the order a page lists them.

    ``status_message`` is the refusal for a wrong state (``%(action)s``, ``%(status)s``), ``error``
    and ``forbidden`` the app's own subclasses of the application errors.
    """

    transitions: tuple[Transition, ...]
    status_message: str
    error: type[TransitionNotAllowed] = TransitionNotAllowed
    forbidden: type[ActionForbidden] = ActionForbidden
    by_action: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_action = {item.action: item for item in self.transitions}
        if len(by_action) != len(self.transitions):
            raise ValueError("Each action appears once in a transition table.")
        object.__setattr__(self, "by_action", by_action)

    def __getitem__(self, action: str) -> Transition:
        return self.by_action[action]

    def __iter__(self):
        return iter(self.transitions)

    def allows(self, record, action: str) -> bool:
        """Is ``action`` allowed from the record's current state?"""
        return record.status in self[action].sources

    def check(self, record, action: str) -> None:
        """Refuse ``action`` unless the record's state allows it (:class:`TransitionNotAllowed`)."""
        item = self[action]
        require_state(record, item.sources, self.status_message, item.label, error=self.error)

    def require(self, actor, record, action: str) -> None:
        """Refuse ``action`` unless ``actor`` is one it is offered to (:class:`ActionForbidden`)."""
        if not self[action].permits(actor, record):
            raise self.forbidden(forbidden_message())

    def available(self, record, actor) -> list[str]:
        """The offered actions allowed from the record's state and open to ``actor``: the buttons
        of its page. The services decide for good when one is used."""
        memo: dict = {}
        return [
            item.action
            for item in self.transitions
            if item.offered and record.status in item.sources and item.permits(actor, record, memo)
        ]

    def sources(self, action: str) -> frozenset:
        return self[action].sources
