from django import template
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
