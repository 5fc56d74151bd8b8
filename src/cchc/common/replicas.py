"""Read replicas for the reads that tolerate a little lag: the dashboard and the reports.

``DATABASE_REPLICA_URLS`` (comma-separated database URLs, PostgreSQL streaming replicas of the
primary) adds the aliases ``replica_1``, ``replica_2``… to ``DATABASES``. Nothing reads from them by
default: a view wrapped in :func:`use_replicas` (or code inside ``with reading_replicas():``) sends
its reads to one of them, picked at random per block, while every write, and every read outside
such a block, goes to ``default``. Dossier pages, queues and actions always read the primary, so an
officer never acts on a row a replica has not received yet; a leader's dashboard may be a second
behind (docs/scale.md).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

import dj_database_url

REPLICA_PREFIX = "replica_"
_active: ContextVar[str | None] = ContextVar("cchc_replica", default=None)


def replica_databases(urls: str, conn_max_age: int = 60) -> dict[str, dict]:
    """The ``DATABASES`` entries for a comma-separated list of replica URLs."""
    databases = {}
    for number, url in enumerate((part.strip() for part in urls.split(",") if part.strip()), 1):
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
        # Tests run against the primary's test database: a replica mirrors it.
        config["TEST"] = {"MIRROR": "default"}
        databases[f"{REPLICA_PREFIX}{number}"] = config
    return databases


def replica_aliases() -> list[str]:
    from django.conf import settings

    return sorted(alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX))


@contextmanager
def reading_replicas() -> Iterator[str | None]:
    """Reads inside the block go to one replica (or ``default`` when none is configured)."""
    aliases = replica_aliases()
    token = _active.set(random.choice(aliases) if aliases else None)
    try:
        yield _active.get()
    finally:
        _active.reset(token)


def use_replicas(view):
    """A view whose reads may come from a replica (the dashboard, the reports)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with reading_replicas():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads of a :func:`reading_replicas` block go to its replica; all else to ``default``."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # follow a relation from the database the row came from
        return _active.get() or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return not db.startswith(REPLICA_PREFIX)
