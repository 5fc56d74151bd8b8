from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from cchc.dossiers.models import Status

register = template.Library()

STATUS_COLOURS = {
    Status.SUBMITTED: "info",
    Status.RECEIVED: "primary",
    Status.PROCESSING: "primary",
    Status.SUPPLEMENT_REQUESTED: "warning",
    Status.FINANCIAL_OBLIGATION: "warning",
    Status.RESOLVED: "success",
    Status.RETURNED: "secondary",
    Status.NOT_RECEIVED: "dark",
    Status.WITHDRAWN: "dark",
    Status.STOPPED: "dark",
}


@register.filter
def working_time(minutes):
    """420 → "7 giờ 0 phút"; negative values read as lateness by the template."""
    if minutes is None:
        return ""
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, 8 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d working days") % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts)


@register.filter
def status_colour(status) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def status_label(status) -> str:
    try:
        return Status(status).label
    except ValueError:
        return ""


@register.filter
def remaining_minutes(dossier):
    """Working minutes left until the dossier's due time (negative: late), None when it has no
    running clock; the officer queue shows it under the due time."""
    from cchc.dossiers.selectors import remaining_working_minutes

    return remaining_working_minutes(dossier)


@register.filter
def due_cell(dossier):
    """The queue's due column: the due time and, under it, the working time left (or late).

    Built once per dossier and kept on the instance: the queue shows each row twice (the phone
    card and the table), and a template include per row cost more than the page's SQL at
    10,000,000 dossiers (docs/benchmarks.md, issue 15)."""
    cached = dossier.__dict__.get("_due_cell")
    if cached is not None:
        return cached
    # The template filter expects a local time (the engine converts before a template calls it).
    due = format_date(localtime(dossier.due_at), "H:i d/m/Y") if dossier.due_at else "–"
    left = remaining_minutes(dossier)
    if left is None:
        cell = format_html("{}", due)
    elif dossier.late_by_rule and left >= 0:
        cell = format_html(
            '{}<div class="due-left text-danger fw-semibold">{}</div>', due, _("late by rule")
        )
    elif left >= 0:
        text = _("%(time)s of working time left") % {"time": working_time(left)}
        cell = format_html('{}<div class="due-left text-success">{}</div>', due, text)
    else:
        text = _("late by %(time)s of working time") % {"time": working_time(left)}
        cell = format_html('{}<div class="due-left text-danger fw-semibold">{}</div>', due, text)
    dossier.__dict__["_due_cell"] = cell
    return cell
