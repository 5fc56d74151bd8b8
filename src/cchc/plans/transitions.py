"""The reform plans' state machines and their roles, written once (``cchc.workflow.transitions``).

A plan (Kế hoạch CCHC năm): draft → issued. While a draft, its unit's reform staff and leaders
edit its title, fields and tasks; issuing records the issuing document (số/ký hiệu, ngày ban
hành, người ký, the PDF). After issue the plan is amended only by adding a task or cancelling one
with a reason, each kept in its sealed history (practice: "điều chỉnh, bổ sung kế hoạch",
par-sipas-plan-sources §C2).

A task: not started → in progress → done, or cancelled. The lead unit reports progress; the unit
that assigned the task (its issuer) edits it while its plan is a draft, cancels it, and reopens
it when done. The services guard with these tables and the pages list their buttons from them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import Role
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, TransitionNotAllowed
from .models import PlanStatus, TaskStatus

# Who manages a unit's plan and the tasks it assigns: its reform staff and its leaders.
MANAGER_ROLES = (Role.REFORM_STAFF, Role.LEADER)
# Who reports progress for the lead unit (a role in the lead unit or a unit above it).
REPORTING_ROLES = (Role.PROCESSING_OFFICER, Role.REFORM_STAFF, Role.LEADER)

OPEN_TASK = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)

PLAN_TRANSITIONS = TransitionTable(
    (
        transition(
            "edit", [PlanStatus.DRAFT], _("change the plan"), roles=MANAGER_ROLES, unit="unit"
        ),
        transition(
            "issue", [PlanStatus.DRAFT], _("issue the plan"), roles=MANAGER_ROLES, unit="unit"
        ),
        transition(
            "add_task",
            [PlanStatus.DRAFT, PlanStatus.ISSUED],
            _("add a task"),
            roles=MANAGER_ROLES,
            unit="unit",
        ),
    ),
    status_message=_("Cannot %(action)s: the plan is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)

TASK_TRANSITIONS = TransitionTable(
    (
        transition(
            "report", OPEN_TASK, _("report progress"), roles=REPORTING_ROLES, unit="lead_unit"
        ),
        # Editing also needs the plan to be a draft (checked by the service).
        transition(
            "edit", OPEN_TASK, _("change the task"), roles=MANAGER_ROLES, unit="issuer_unit"
        ),
        transition(
            "cancel", OPEN_TASK, _("cancel the task"), roles=MANAGER_ROLES, unit="issuer_unit"
        ),
        transition(
            "reopen",
            [TaskStatus.DONE],
            _("reopen the task"),
            roles=MANAGER_ROLES,
            unit="issuer_unit",
        ),
    ),
    status_message=_("Cannot %(action)s: the task is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)
