"""What the feedback app announces; apps above it subscribe in their ``AppConfig.ready()``.

Published inside the action's transaction (``cchc.workflow.events``): a subscriber's writes commit
or roll back with the action, and its error refuses the action.
"""

from cchc.workflow.events import Topic

feedback_changed = Topic("feedback.feedback_changed", ["feedback", "dossier_id"])
"""A feedback (phản ánh, kiến nghị) was submitted, classified, forwarded, answered, published,
rejected or rated.

``feedback`` is the row as the action left it; ``dossier_id`` the dossier it names, or None. The
statistics recompute that dossier's 766 indicator 5.4 flag ("dossier with a complaint") on it.
"""
