"""The statistics' handlers of other apps' events (subscribed in ``apps.ReportsConfig.ready``).

Each runs inside the publishing action's transaction, so the counters are exact at commit
(ADR 0005); an error here refuses the action rather than letting the counters drift.
"""

from collections import defaultdict

from . import services

PENDING = "reports.counter_deltas"  # this app's share of ``ImportRun.pending``


def on_dossier_changed(*, dossier, created: bool, **_) -> None:
    services.refresh_dossier_stats(dossier, created=created)


def on_feedback_changed(*, dossier_id: int | None, **_) -> None:
    """A complaint naming a dossier changes its 766 indicator 5.4 flag ("dossier with PAKN")."""
    if dossier_id:
        services.refresh_dossier_stats(dossier_id)


def on_dossiers_imported(*, imported, run, **_) -> None:
    deltas = run.pending.setdefault(PENDING, defaultdict(dict))
    services.count_imported(imported, deltas, flush=run.final)
