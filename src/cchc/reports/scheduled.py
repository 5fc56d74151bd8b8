"""The period report sent on a schedule (the ``scheduled-reports`` job, docs/reports.md).

The period report's named periods are calendar ones (``parsing.named_period``): a month, a
quarter, a half-year, a year. On the day after one closes — the 1st of the next month for a
month; 1 April, 1 July, 1 October and 1 January for quarters; 1 July and 1 January for halves;
1 January for the year — every user holding an active leader (lãnh đạo) or reform staff (CCHC)
role in an active unit gets one email per such unit: the headline figures of that unit's report
for the closed period (the unit and the tree below it, as on the page), and links to the report
page and its XLSX and PDF downloads for the same period. The kinds sent are the setting
``CCHC_SCHEDULED_REPORTS`` (``thang``, ``quy``, ``6-thang``, ``nam``; empty: none).

The figures are ``build_report(...).to_dict()["total"]``, the page's own definitions, never a
second computation. No attachment is sent (the outbox carries text only): the links open the
report and its files behind the usual sign-in and scope checks. Each message goes through the
outbox with the key ``scheduled-report:<user>:<unit>:<kind>:<first day>``: a re-run the same day
or by another worker queues nothing more (once per user, unit and period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cchc.common.public_url import public_url
from cchc.common.report_docx import number
from cchc.conf import conf
from cchc.notifications.services import EmailTally
from cchc.organisations.models import Role, RoleAssignment

from .forms import KIND_NAMES
from .parsing import named_period
from .selectors import ReportRequest, build_report

RECIPIENT_ROLES = (Role.LEADER, Role.REFORM_STAFF)
# The months each named kind closes at the end of (a period numbered by its closing month).
CLOSING_MONTHS = {
    "thang": tuple(range(1, 13)),
    "quy": (3, 6, 9, 12),
    "6-thang": (6, 12),
    "nam": (12,),
}
MONTHS_PER_PERIOD = {"thang": 1, "quy": 3, "6-thang": 6, "nam": 12}


@dataclass(frozen=True)
class ClosedPeriod:
    kind: str  # thang | quy | 6-thang | nam (the page's ``ky``)
    year: int
    number: int  # month, quarter or half; 1 for a year
    start: date
    end: date

    def query(self, unit_code: str) -> str:
        """The page's own query string for this period of the unit (``forms.ReportForm.query``)."""
        values = {"don_vi": unit_code, "ky": self.kind, "nam": str(self.year)}
        if self.kind != "nam":
            values["so"] = str(self.number)
        return urlencode(values)


@dataclass
class Summary(EmailTally):
    periods: tuple = ()

    def line(self) -> str:
        if not self.periods:
            return "no reporting period closed yesterday"
        names = ", ".join(f"{p.kind} {p.start}–{p.end}" for p in self.periods)
        return (
            f"{names}: {self.queued} reports queued, {self.already} already queued, "
            f"{self.no_email} recipients without an email skipped"
        )


def closed_periods(today: date, kinds) -> list[ClosedPeriod]:
    """The periods of ``kinds`` whose last day was the day before ``today``."""
    yesterday = today - timedelta(days=1)
    if today.day != 1:
        return []
    periods = []
    for kind in ("thang", "quy", "6-thang", "nam"):
        if kind not in kinds or yesterday.month not in CLOSING_MONTHS[kind]:
            continue
        number = 1 if kind == "nam" else yesterday.month // MONTHS_PER_PERIOD[kind]
        start, end = named_period(KIND_NAMES[kind], yesterday.year, number)
        periods.append(ClosedPeriod(kind, yesterday.year, number, start, end))
    return periods


def recipients():
    """(user, unit) of every active leader or reform staff role in an active unit, by user."""
    assignments = (
        RoleAssignment.objects.filter(
            role__in=RECIPIENT_ROLES, active=True, unit__active=True, user__is_active=True
        )
        .select_related("user", "unit")
        .order_by("user_id", "unit__path")
    )
    seen = set()
    for assignment in assignments:
        pair = (assignment.user_id, assignment.unit_id)
        if pair not in seen:  # a leader who is also reform staff of the unit: one email
            seen.add(pair)
            yield assignment.user, assignment.unit


def send_reports(now: datetime | None = None) -> Summary:
    """Queue the report of each period closed yesterday to its units' leaders and reform staff."""
    now = now or timezone.now()
    periods = closed_periods(timezone.localdate(now), set(conf.SCHEDULED_REPORTS))
    summary = Summary(periods=tuple(periods))
    if not periods:
        return summary
    totals: dict[tuple[int, str], dict] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for user, unit in recipients():
            email = (user.email or "").strip()
            if not email:
                summary.no_email += len(periods)
                continue
            for period in periods:
                key = (unit.pk, period.kind)
                if key not in totals:
                    request = ReportRequest(start=period.start, end=period.end, unit=unit)
                    totals[key] = build_report(request, with_findings=False).to_dict()["total"]
                subject, body = compose(user, unit, period, totals[key])
                dedup = f"scheduled-report:{user.pk}:{unit.pk}:{period.kind}:{period.start}"
                summary.email(email, subject, body, dedup)
    return summary


def period_name(period: ClosedPeriod) -> str:
    names = {
        "thang": _("month %(number)d/%(year)d"),
        "quy": _("quarter %(number)d/%(year)d"),
        "6-thang": _("half-year %(number)d/%(year)d"),
        "nam": _("year %(year)d"),
    }
    return names[period.kind] % {"number": period.number, "year": period.year}


def _percent(rate: dict) -> str:
    percent = rate.get("percent")
    return "–" if percent is None else f"{number(float(percent))} %"


def links(unit, period: ClosedPeriod) -> list[str]:
    """The report page and its XLSX and PDF downloads for the period (absolute addresses)."""
    base = public_url()
    query = period.query(unit.code)
    if not base:
        return [
            _("See the Reports page (Báo cáo) for this unit and period: %(query)s")
            % {"query": query}
        ]
    return [
        _("The report: %(link)s") % {"link": f"{base}{reverse('reports:report')}?{query}"},
        _("Download (Excel): %(link)s") % {"link": f"{base}{reverse('reports:xlsx')}?{query}"},
        _("Download (PDF): %(link)s") % {"link": f"{base}{reverse('reports:pdf')}?{query}"},
    ]


def compose(user, unit, period: ClosedPeriod, total: dict) -> tuple[str, str]:
    """The email's subject and body, in the active language."""
    name = period_name(period)
    span = {"start": period.start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")}
    subject = _("Report of %(period)s: %(unit)s") % {"period": name, "unit": unit.name}
    rates = total["rates"]
    lines = [
        _("Dear %(name)s,") % {"name": user.get_full_name()},
        "",
        _(
            "The dossier report of %(unit)s (with the units below it) for %(period)s, "
            "from %(start)s to %(end)s:"
        )
        % {"unit": unit.name, "period": name, **span},
        _("- Received in the period: %(count)s") % {"count": number(total["received"])},
        _("- Resolved: %(count)s") % {"count": number(total["resolved"])},
        _("- On-time rate: %(percent)s") % {"percent": _percent(rates["on_time"])},
        _("- Overdue at the end of the period: %(count)s")
        % {"count": number(total["in_progress_late"])},
        _("- Received online: %(percent)s") % {"percent": _percent(rates["online"])},
        "",
        *links(unit, period),
        "",
        _(
            "Same figures as the Reports page. This message is sent after each reporting "
            "period closes."
        ),
    ]
    return subject, "\n".join(lines)
