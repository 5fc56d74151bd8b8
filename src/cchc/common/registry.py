"""An ordered, keyed registry: the one way an app plugs something into a part it must not edit.

Each app registers its entries (menu entries, URL includes, dashboard tiles, official forms, index
engines…) in its own ``AppConfig.ready()``; the part that consumes them iterates the registry and
never names the apps. Modelled on the plugin registries of Open Formulieren and Wagtail's hooks.

- Entries are keyed: a second entry under a key already taken is refused (``DuplicateEntry``), so
  two apps cannot silently replace each other's entry.
- Iteration is sorted by the entry's ``order`` attribute (0 without one), then by registration:
  a module decides where it stands without knowing the others.
- ``register`` works as a call (``registry.register(entry)``) and as a decorator
  (``@registry.register``, or ``@registry.register(key="…", order=…)`` on a class or function).
- ``registry.temporarily(entry, …)`` registers for the length of a ``with`` block and restores the
  registry as it was: tests plug a fake module in without leaking it into the next test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class RegistryError(Exception):
    pass


class DuplicateEntry(RegistryError):
    """An entry under this key is registered already."""


class UnknownEntry(RegistryError, KeyError):
    """No entry is registered under this key."""

    def __str__(self) -> str:  # KeyError quotes its argument; the message is meant to be read
        return str(self.args[0]) if self.args else ""


class Registry(Generic[T]):
    """Entries of one kind, by key, iterated by ``order`` then registration."""

    def __init__(self, name: str, key: Callable[[T], str] | None = None):
        self.name = name
        self._key = key or (lambda entry: entry.key)
        self._entries: dict[str, T] = {}
        self._sequence: dict[str, int] = {}
        self._counter = 0

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._entries) or 'empty'}>"

    # -- writing -------------------------------------------------------------------------------
    def register(self, entry: T | None = None, **attributes):
        """Register ``entry``; without an entry, a decorator.

        ``@registry.register`` registers the decorated object itself. With keyword arguments
        (``@registry.register(key="x", order=10)``) they are set on the decorated function or class
        first, so a plain function can carry its key and order. Returns the entry unchanged.
        """
        if entry is not None and not attributes:
            self._add(entry)
            return entry
        if entry is not None:
            raise TypeError("register() takes either an entry or keyword arguments, not both")

        def decorator(obj: T) -> T:
            for name, value in attributes.items():
                setattr(obj, name, value)
            self._add(obj)
            return obj

        return decorator

    def _add(self, entry: T) -> None:
        key = self._key(entry)
        if not key:
            raise RegistryError(f"{self.name}: an entry needs a key ({entry!r})")
        if key in self._entries:
            raise DuplicateEntry(
                f"{self.name}: {key!r} is registered already ({self._entries[key]!r}); "
                f"refusing {entry!r}"
            )
        self._entries[key] = entry
        self._sequence[key] = self._counter
        self._counter += 1

    def unregister(self, key: str) -> T:
        try:
            self._sequence.pop(key)
            return self._entries.pop(key)
        except KeyError:
            raise UnknownEntry(f"{self.name}: nothing registered under {key!r}") from None

    @contextmanager
    def temporarily(self, *entries: T):
        """Register ``entries`` inside the block and put the registry back as it was after it."""
        saved = (dict(self._entries), dict(self._sequence), self._counter)
        try:
            for entry in entries:
                self._add(entry)
            yield self
        finally:
            self._entries, self._sequence, self._counter = saved

    # -- reading -------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[T]:
        keys = sorted(
            self._entries,
            key=lambda key: (getattr(self._entries[key], "order", 0), self._sequence[key]),
        )
        return iter([self._entries[key] for key in keys])

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __getitem__(self, key: str) -> T:
        try:
            return self._entries[key]
        except KeyError:
            raise UnknownEntry(
                f"{self.name}: nothing registered under {key!r} "
                f"(registered: {', '.join(self._entries) or 'none'})"
            ) from None

    def get(self, key: str, default: T | None = None) -> T | None:
        return self._entries.get(key, default)

    def keys(self) -> list[str]:
        return [self._key(entry) for entry in self]
