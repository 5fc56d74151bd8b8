"""Which histories are chained: each app registers its own in ``AppConfig.ready``.

The history kit knows nothing about dossiers or feedback; an app describes its history with a
``ChainSpec`` and gets sealing on write, verification and checkpoints for free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps


@dataclass(frozen=True)
class ChainSpec:
    name: str  # stable: used in checkpoints, CLI output and scripts ("dossiers", "feedback")
    owner_model: str  # "app_label.Model" of the protected row (holds the chain head)
    event_model: str  # "app_label.Model" of the entries
    owner_field: str  # the entry's foreign key to the owner
    label_field: str  # the owner's field that names it to a person (its code)
    noun: str  # Vietnamese name of an owner in CLI messages ("Hồ sơ", "Phản ánh")
    payload_fields: tuple[str, ...]  # entry attnames sealed besides owner, sequence, key, previous

    def owner(self):
        return apps.get_model(self.owner_model)

    def event(self):
        return apps.get_model(self.event_model)

    @property
    def owner_attname(self) -> str:
        return f"{self.owner_field}_id"

    def payload(self, owner_id: int, sequence: int, previous: str, key_id: str, values) -> dict:
        """The sealed content: ``values`` maps each payload field to its stored value."""
        payload = {name: _plain(values[name]) for name in self.payload_fields}
        payload.update(owner=owner_id, sequence=sequence, previous=previous, key=key_id)
        return payload

    def label(self, owner_id: int, label_value) -> str:
        return f"{self.noun} {label_value or f'#{owner_id}'}"


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


_chains: dict[str, ChainSpec] = {}
_by_event: dict[str, ChainSpec] = {}


def register(spec: ChainSpec) -> None:
    _chains[spec.name] = spec
    _by_event[spec.event_model.lower()] = spec


def chains() -> list[ChainSpec]:
    return [_chains[name] for name in sorted(_chains)]


def get(name: str) -> ChainSpec:
    return _chains[name]


def for_event(event) -> ChainSpec:
    meta = event._meta
    return _by_event[f"{meta.app_label}.{meta.object_name}".lower()]


Labeller = Callable[[int, object], str]
