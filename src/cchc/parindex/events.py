"""What the PAR INDEX workflow announces; apps above it (the dashboard, the portal) subscribe in
their ``AppConfig.ready()``.

Published inside the action's transaction (``cchc.workflow.events``): a subscriber's writes commit
or roll back with the action, and its error refuses the action.
"""

from cchc.workflow.events import Topic

round_changed = Topic("parindex.round_changed", ["round", "action"])
"""A round (kỳ đánh giá) was created, changed, opened, moved to appraisal, decided or published.

``round`` is the row as the action left it; ``action`` the service's name for what happened
("created", "updated", "council_changed", "opened", "appraisal_started", "decided", "published").
"""

assessment_changed = Topic(
    "parindex.assessment_changed", ["assessment", "action", "criterion_code"]
)
"""A unit's assessment changed: a leaf scored, contested, reassigned, evidence added or removed,
the self-assessment submitted or returned, a leaf appraised, an explanation requested or answered.

``assessment`` is the row as the action left it; ``action`` the event's action; ``criterion_code``
the leaf concerned ("" for the whole assessment).
"""
