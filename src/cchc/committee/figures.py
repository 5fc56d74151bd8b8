"""The committee's figures for the shared registries: the dashboard tile of open conclusions and
the periodic reform report's section on the committee (docs/steering-committee.md).

Both read the committees whose unit or standing body lies in the scope's units, and count the
conclusions with the plans' completion engine (``selectors.summarise``).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Meeting, MeetingStatus
from .selectors import conclusions_in_units, open_conclusions, summarise


def tile_data(scope) -> dict:
    """Open conclusions (not done as of today) and how many are overdue, for the tile."""
    summary = open_conclusions(conclusions_in_units(scope.ids), scope.today)
    return {"open": summary.open, "overdue": summary.overdue}


def report_section(scope) -> dict:
    """Meetings held in the period and the completion of the conclusions due by its end.

    The conclusions counted are those issued by the end of the period; completion is as of the
    period's last day (done ÷ all, and the done-late and overdue counts apart).
    """
    units = Q(committee__unit_id__in=scope.ids) | Q(committee__standing_unit_id__in=scope.ids)
    meetings = (
        Meeting.objects.filter(units, date__gte=scope.start, date__lte=scope.end)
        .exclude(status=MeetingStatus.PLANNED)
        .select_related("committee")
        .order_by("date", "number")
    )
    conclusions = conclusions_in_units(scope.ids).filter(meeting__notice_date__lte=scope.end)
    summary = summarise(conclusions, scope.end)
    return {
        "meetings": [
            {
                "committee": meeting.committee.name,
                "number": meeting.number,
                "date": meeting.date.isoformat(),
                "notice": meeting.notice_number,
                "conclusions": meeting.conclusions.count(),
            }
            for meeting in meetings
        ],
        "meetings_held": len(meetings),
        "as_of": scope.end.isoformat(),
        "conclusions_total": summary.total,
        "conclusions_done": summary.done,
        "conclusions_done_on_time": summary.done_on_time,
        "conclusions_done_late": summary.done_late,
        "conclusions_overdue": summary.overdue,
        "conclusions_open": summary.open,
    }


def report_docx(document, value: dict) -> None:
    """Write the section into a python-docx ``Document`` (the numbers of the page)."""
    document.add_paragraph(
        _("Meetings of the steering committee held in the period: %(count)s.")
        % {"count": value["meetings_held"]}
    )
    if value["meetings"]:
        table = document.add_table(rows=1, cols=4)
        header = table.rows[0].cells
        for cell, text in zip(
            header, (_("Committee"), _("Meeting"), _("Date"), _("Conclusions")), strict=True
        ):
            cell.text = text
        for meeting in value["meetings"]:
            day = meeting["date"].split("-")
            cells = table.add_row().cells
            cells[0].text = meeting["committee"]
            cells[1].text = str(meeting["number"])
            cells[2].text = f"{day[2]}/{day[1]}/{day[0]}"
            cells[3].text = str(meeting["conclusions"])
    document.add_paragraph(
        _(
            "Conclusions: %(done)s/%(total)s done (%(on_time)s on time, %(late)s late); "
            "%(open)s not done, of which %(overdue)s overdue."
        )
        % {
            "done": value["conclusions_done"],
            "total": value["conclusions_total"],
            "on_time": value["conclusions_done_on_time"],
            "late": value["conclusions_done_late"],
            "open": value["conclusions_open"],
            "overdue": value["conclusions_overdue"],
        }
    )
