"""The officers' morning digest of their dossiers near due and overdue (the ``dossier-near-due``
job, docs/notifications.md).

On each working day of the calendar (``cchc.workdays``: weekends, public holidays and make-up
days as decided), every officer with dossiers in their hands gets one email listing those due
within the next working day and those already overdue — the "Near due" and "Overdue" queues'
own definitions (``cchc.dossiers.selectors.near_due`` and ``overdue``), so the digest and the
queues never disagree. A dossier is in the hands of its assigned officer; a dossier nobody is
assigned to is in the hands of every one-stop-shop and processing officer whose role covers its
current unit (the officers whose "My work" queue shows it).

Each message goes through the outbox with the key ``near-due:<officer>:<day>``: a second run the
same day, by a re-run or by another worker, queues nothing more (exactly once per officer and
day). The digest names the dossier's code, procedure and due time only, nothing of the applicant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cchc.common.public_url import public_url
from cchc.dossiers.models import Dossier
from cchc.dossiers.selectors import near_due, overdue
from cchc.organisations.models import Role, RoleAssignment
from cchc.workdays import services as workdays

from .services import EmailTally

# The roles whose "My work" queue shows the dossiers of their units nobody is assigned to.
HANDLING_ROLES = (Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER)
MAX_LISTED = 50  # per section: the queue behind the link lists the rest


@dataclass
class Hands:
    """One officer's dossiers for the digest, each list in due order."""

    near: list = field(default_factory=list)
    late: list = field(default_factory=list)


@dataclass
class Summary(EmailTally):
    working_day: bool = True

    def line(self) -> str:
        if not self.working_day:
            return "not a working day: no digest"
        return (
            f"{self.queued} digests queued, {self.already} already queued today, "
            f"{self.no_email} officers without an email skipped"
        )


def officers_hands(now: datetime) -> dict[int, Hands]:
    """The dossiers near due or overdue at ``now`` by officer (user id) whose hands they are in."""
    dossiers = (
        Dossier.objects.filter(near_due(now) | overdue(now))
        .select_related("procedure", "current_unit")
        .only("code", "due_at", "current_handler_id", "procedure__name", "current_unit__path")
        .order_by("due_at", "pk")
    )
    late_ids = set(Dossier.objects.filter(overdue(now)).values_list("pk", flat=True))
    unassigned_paths: set[str] = set()
    rows = list(dossiers)
    for dossier in rows:
        if dossier.current_handler_id is None and dossier.current_unit_id is not None:
            unassigned_paths.add(dossier.current_unit.path)
    # Officers by the path of the unit their role is held in; a role covers the unit's subtree.
    by_path: dict[str, set[int]] = defaultdict(set)
    if unassigned_paths:
        ancestors = {
            f"{path[: index + 1]}"
            for path in unassigned_paths
            for index, char in enumerate(path)
            if char == "/" and index > 0
        }
        for user_id, path in RoleAssignment.objects.filter(
            role__in=HANDLING_ROLES,
            active=True,
            unit__active=True,
            unit__path__in=ancestors,
            user__is_active=True,
        ).values_list("user_id", "unit__path"):
            by_path[path].add(user_id)
    hands: dict[int, Hands] = defaultdict(Hands)
    covering: dict[str, set[int]] = {}
    for dossier in rows:
        if dossier.current_handler_id is not None:
            officers = {dossier.current_handler_id}
        elif dossier.current_unit_id is None:
            continue
        else:
            path = dossier.current_unit.path
            if path not in covering:
                covering[path] = set().union(
                    *(users for held, users in by_path.items() if path.startswith(held))
                )
            officers = covering[path]
        for officer in officers:
            entry = hands[officer]
            (entry.late if dossier.pk in late_ids else entry.near).append(dossier)
    return dict(hands)


def send_digests(now: datetime | None = None) -> Summary:
    """Queue today's digest of each officer with dossiers near due or overdue (once per day)."""
    now = now or timezone.now()
    if not workdays.is_working_day(now):
        return Summary(working_day=False)
    day = timezone.localdate(now)
    hands = officers_hands(now)
    summary = Summary()
    officers = get_user_model().objects.filter(pk__in=hands, is_active=True)
    with translation.override(settings.LANGUAGE_CODE):
        for officer in officers.order_by("pk"):
            email = (officer.email or "").strip()
            if not email:
                summary.no_email += 1
                continue
            subject, body = compose(officer, hands[officer.pk], day)
            summary.email(email, subject, body, f"near-due:{officer.pk}:{day.isoformat()}")
    return summary


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _queue_link(slug: str) -> str:
    base = public_url()
    if not base:
        return ""
    try:
        return base + reverse("dossiers:queue_named", kwargs={"slug": slug})
    except NoReverseMatch:
        return ""


def _section(title: str, dossiers: list, slug: str, queue_name: str) -> list[str]:
    lines = [title]
    for dossier in dossiers[:MAX_LISTED]:
        lines.append(
            _("- %(code)s — %(procedure)s — due %(due)s")
            % {
                "code": dossier.code or "—",
                "procedure": dossier.procedure.name,
                "due": _when(dossier.due_at),
            }
        )
    more = len(dossiers) - MAX_LISTED
    if more > 0:
        lines.append(
            ngettext("… and %(count)d more dossier.", "… and %(count)d more dossiers.", more)
            % {"count": more}
        )
    link = _queue_link(slug)
    if link:
        lines.append(_("The “%(queue)s” queue: %(link)s") % {"queue": queue_name, "link": link})
    else:
        lines.append(_("See the “%(queue)s” queue of the Dossiers page.") % {"queue": queue_name})
    return lines


def compose(officer, hands: Hands, day: date) -> tuple[str, str]:
    """The digest's subject and body, in the active language."""
    day_text = day.strftime("%d/%m/%Y")
    subject = _("Dossiers to watch on %(day)s: %(near)d near due, %(late)d overdue") % {
        "day": day_text,
        "near": len(hands.near),
        "late": len(hands.late),
    }
    lines = [
        _("Dear %(name)s,") % {"name": officer.get_full_name()},
        "",
        _("The dossiers in your hands to watch on %(day)s:") % {"day": day_text},
    ]
    if hands.near:
        title = _("Due within the next working day (%(count)d):") % {"count": len(hands.near)}
        lines += ["", *_section(title, hands.near, "sap-den-han", _("Near due"))]
    if hands.late:
        title = _("Already overdue (%(count)d):") % {"count": len(hands.late)}
        lines += ["", *_section(title, hands.late, "qua-han", _("Overdue"))]
    lines += [
        "",
        _(
            "Dossiers nobody is assigned to are listed to every officer of their unit who may "
            "take them. This message is sent each working day morning."
        ),
    ]
    return subject, "\n".join(lines)
