"""Keep a dossier's statistics in step when a citizen complaint names it (766 indicator 5.4)."""

from django.dispatch import receiver

from cchc.feedback.signals import dossier_feedback_changed


@receiver(dossier_feedback_changed, dispatch_uid="reports-refresh-on-feedback")
def refresh_on_feedback(sender, dossier_id: int, **kwargs) -> None:
    from .services import refresh_dossier_stats

    refresh_dossier_stats(dossier_id)
