"""Signals other apps listen to; this app sends them and never imports its listeners.

``dossier_feedback_changed`` is sent with ``dossier_id=`` after any change to a feedback linked to
a dossier (submitted, classified, forwarded, answered, published, refused, rated). It is sent
inside the action's transaction, so whatever a receiver writes commits or rolls back with it.
The statistics app recomputes the dossier's 766 indicator 5.4 flag ("dossier with PAKN") on it.
"""

from django.dispatch import Signal

dossier_feedback_changed = Signal()
