"""What the dossiers app announces; apps above it subscribe in their ``AppConfig.ready()``.

Published inside the action's transaction (``cchc.workflow.events``): a subscriber's writes commit
or roll back with the action, and its error refuses the action. This app never imports a
subscriber: the statistics and the applicant's notifications hear of each change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cchc.workflow.events import Topic

if TYPE_CHECKING:
    from .models import ApologyLetter, Dossier, DossierPause

dossier_changed = Topic("dossiers.dossier_changed", ["dossier", "event", "created"])
"""A dossier action appended ``event`` to the history of ``dossier`` (``services.append_event``).

``dossier`` is the row as the action left it (read under its lock); ``created``: the dossier was
created by this action, so nothing about it is stored elsewhere yet. Every change of a dossier,
from intake to a rating or an update by the legacy importer, publishes it once.
"""


@dataclass(frozen=True)
class ImportedDossier:
    """A dossier the legacy importer has just written, with the parts it wrote beside it."""

    dossier: Dossier
    pauses: list[DossierPause]  # in start order
    apologies: list[ApologyLetter]


@dataclass
class ImportRun:
    """One run of the legacy importer, the same object in each of its publishes.

    A subscriber may gather work over the chunks of a run in ``pending`` (under a key of its own)
    and finish it when ``final`` is set: the last publish of a run has it and no dossiers. A run
    that is refused rolls back without a final publish, and its ``pending`` is dropped.
    """

    pending: dict[str, Any] = field(default_factory=dict)
    final: bool = False


dossiers_imported = Topic("dossiers.dossiers_imported", ["imported", "run"])
"""New dossiers written in bulk by ``legacy.import_source``, bypassing ``services`` (their history
happened elsewhere): ``imported`` is a list of :class:`ImportedDossier` of one chunk, already in
their tables, ``run`` the :class:`ImportRun`. Published inside the import's transaction. Imported
dossiers that are updated go through ``services.append_event`` and ``dossier_changed`` instead.
"""
