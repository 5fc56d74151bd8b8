"""``{% load surveys_xlsform %}``: whether to offer the XLSForm import link on the list page."""

from django import template

from cchc.surveys import selectors

register = template.Library()


@register.filter
def can_import_xlsform(user) -> bool:
    """The import page's own rule: an editor of some unit, or a national editor."""
    return bool(selectors.editable_units(user)) or selectors.is_national_editor(user)
