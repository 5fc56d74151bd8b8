"""Template helpers of the plans completion pages."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def task_url(task) -> str:
    """The task's page (``plans:task``); until the plans pages are installed, the task's row on
    its plan's completion page."""
    try:
        return reverse("plans:task", args=[task.pk])
    except NoReverseMatch:
        if task.plan_id:
            url = reverse("plans:progress_plan", args=[task.plan_id])
            return f"{url}?ds=total#task-{task.pk}"
        return reverse("plans:overdue") + f"#task-{task.pk}"


@register.filter
def pct(value) -> str:
    """92.86 → "92,86 %"; None → "—" (two decimals, as computed: half up)."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",") + " %"


@register.filter
def pts(value) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",")


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def isoday(value) -> str:
    """ "2026-06-30" → "30/06/2026" (the report snapshot keeps ISO dates)."""
    if not value:
        return ""
    year, month, day = str(value).split("-")
    return f"{day}/{month}/{year}"
