"""What the plans app announces (``cchc.workflow.events``)."""

from cchc.workflow.events import Topic

plan_changed = Topic("plans.plan_changed", ["plan"])
task_changed = Topic("plans.task_changed", ["task"])
