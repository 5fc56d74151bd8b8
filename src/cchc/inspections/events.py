"""What the inspections app announces; apps above it subscribe in their ``AppConfig.ready()``.

Published inside the action's transaction (``cchc.workflow.events``).
"""

from cchc.workflow.events import Topic

inspection_changed = Topic("inspections.inspection_changed", ["inspection", "action"])
"""An inspection was planned, started, its record filled or closed, its conclusion issued, a
remediation reported or the remediation closed. ``inspection`` is the row as the action left it;
``action`` the event's action ("planned", "started", "checklist_saved", "finding_added",
"recommendation_added", "figures_read", "record_closed", "concluded", "remediation_reported",
"remediation_closed")."""
