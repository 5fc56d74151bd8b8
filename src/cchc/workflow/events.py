"""Domain events: an app says what changed, the apps above it react, in the same transaction.

A :class:`Topic` belongs to the app that publishes it (``cchc.dossiers.events.dossier_changed``,
``cchc.feedback.events.feedback_changed``); its services publish after each change, and higher apps
(statistics, notifications, future modules) subscribe in their own ``AppConfig.ready()``. So the
write path never imports upwards: the publisher knows its topics, never its subscribers.

Delivery is synchronous and in-process: ``publish`` calls every handler, in subscription order,
before it returns, inside the caller's transaction. Whatever a handler writes commits or rolls back
with the action (the statistics are exact at commit, ADR 0005), and a handler's exception
propagates to the action and rolls it back: a reaction that failed must not leave its data silently
out of step with the records it follows.

Why not Django signals: a receiver is held by a weak reference by default, so a handler that is not
kept alive elsewhere (a closure, a bound method of a temporary object) disappears without a word —
the very silent divergence the statistics must not suffer; ``sender`` has no meaning for a domain
fact; and a signal declares no payload, so a renamed argument surfaces as a ``TypeError`` in some
receiver, or not at all. A topic keeps strong references, names its payload and checks it at every
publish, and has the two hooks tests need: :meth:`Topic.muted` and :meth:`Topic.observe`.

Handlers take the payload as keyword arguments; accept ``**_`` as well, so a topic can grow a field
without breaking its subscribers. Keys name a subscription (``"<app>.<what it does>"``): subscribing
the same handler under the same key again is a no-op (``ready()`` may run twice in a process), and
tests mute a subscriber by its key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

Handler = Callable[..., Any]


class Topic:
    """One kind of domain event: a name, its payload fields, and the handlers subscribed to it."""

    def __init__(self, name: str, payload: Iterable[str]) -> None:
        self.name = name
        self.payload = frozenset(payload)
        # (key, handler) pairs in subscription order; replaced, never mutated, so a publish that
        # is running keeps the list it started with.
        self._subscribers: tuple[tuple[str, Handler], ...] = ()

    def __repr__(self) -> str:
        return f"<Topic {self.name}: {', '.join(self.keys) or 'no subscribers'}>"

    @property
    def keys(self) -> list[str]:
        """The subscription keys, in the order their handlers are called."""
        return [key for key, _handler in self._subscribers]

    def subscribe(self, handler: Handler, *, key: str) -> Handler:
        """Call ``handler(**payload)`` on every publish, after the handlers subscribed before it.

        The same ``key`` with the same handler again changes nothing; with another handler it is
        refused, so two apps cannot take each other's place unnoticed. Returns ``handler``.
        """
        for known, existing in self._subscribers:
            if known == key:
                if existing is handler:
                    return handler
                raise ValueError(f"{self.name}: the key {key!r} is already subscribed")
        self._subscribers = (*self._subscribers, (key, handler))
        return handler

    def unsubscribe(self, key: str) -> None:
        """Remove the handler subscribed under ``key`` (nothing when there is none)."""
        self._subscribers = tuple(item for item in self._subscribers if item[0] != key)

    def publish(self, **payload: Any) -> None:
        """Call every handler now, in order, with ``payload``; call inside the action's transaction.

        The payload must name exactly the topic's fields. A handler's exception is not caught: it
        reaches the publishing service and rolls its transaction back.
        """
        if payload.keys() != self.payload:
            missing = ", ".join(sorted(self.payload - payload.keys())) or "-"
            unknown = ", ".join(sorted(payload.keys() - self.payload)) or "-"
            raise TypeError(f"{self.name}: payload missing {missing}, unknown {unknown}")
        for _key, handler in self._subscribers:
            handler(**payload)

    # -- for tests -------------------------------------------------------------------------------
    @contextmanager
    def muted(self, *keys: str) -> Iterator[None]:
        """Leave out the handlers of ``keys`` (all handlers when none is named) until the block
        ends; they come back in their places, whatever else subscribed meanwhile."""
        saved = self._subscribers
        self._subscribers = tuple(item for item in saved if keys and item[0] not in keys)
        try:
            yield
        finally:
            added = tuple(item for item in self._subscribers if item not in saved)
            self._subscribers = (*saved, *added)

    @contextmanager
    def observe(self) -> Iterator[list[dict[str, Any]]]:
        """Record the payload of every publish until the block ends (the handlers still run)."""
        seen: list[dict[str, Any]] = []
        key = f"observe-{id(seen)}"
        self.subscribe(lambda **payload: seen.append(payload), key=key)
        try:
            yield seen
        finally:
            self.unsubscribe(key)
