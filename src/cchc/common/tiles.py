"""The tiles of the leaders' dashboard, registered by the app that owns each figure.

The dashboard (top layer) renders every registered tile in ``order`` inside its live fragment; an
app below it registers a tile from its own ``AppConfig.ready()`` without importing the dashboard.

A tile is a template rendered with the dashboard's context (``data``, ``unit``, ``period``,
``kiosk``, ``query``, ``unit_query``) plus ``tile`` and ``value``: what its ``data`` callable
returned for the current scope. The dashboard's own tiles have no callable: they read the figures
the dashboard computes anyway (``data.received_today``…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .registry import Registry


@dataclass(frozen=True)
class TileScope:
    """What a tile is computed for: a unit's subtree (``unit`` None: every unit) over a period."""

    unit: Any  # an OrganisationUnit or None
    ids: list[int] | None  # the unit and its descendants (None: every unit)
    start: date
    end: date
    now: datetime
    today: date


@dataclass(frozen=True)
class Tile:
    key: str  # also the id of its card on the page, by convention "tile-<key>"
    template: str
    order: int = 0
    data: Callable[[TileScope], Any] | None = None


tiles: Registry[Tile] = Registry("dashboard tiles")
