"""Figures as the dashboard shows them: 95,3% and "—" when there is nothing to divide."""

from django import template

from ..charts import fmt

register = template.Library()


@register.filter
def pct(value, decimals: int = 1) -> str:
    """A percentage (already × 100) with a decimal comma; "—" when undefined."""
    if value is None or value == "":
        return "—"
    return f"{fmt(value, int(decimals))}%"


@register.filter
def num(value, decimals: int = 0) -> str:
    """A figure with thousands grouped (1.234,5); "—" when undefined."""
    if value is None or value == "":
        return "—"
    return fmt(value, int(decimals))
