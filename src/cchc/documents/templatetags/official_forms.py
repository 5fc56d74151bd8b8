"""Links to a dossier's official forms, and the log book request form, for other apps' pages.

``{% load official_forms %}{% official_form_links dossier %}`` on the dossier page;
``{% log_book_form request.user %}`` wherever the log book should be offered.
"""

from django import template
from django.utils import timezone

from cchc.documents import rendering
from cchc.organisations.permissions import units_for

register = template.Library()


@register.inclusion_tag("documents/_form_links.html")
def official_form_links(dossier):
    return {"dossier": dossier, "forms": rendering.applicable_forms(dossier)}


@register.inclusion_tag("documents/_log_book_form.html")
def log_book_form(user):
    today = timezone.localdate()
    return {
        "units": units_for(user).filter(active=True).order_by("path"),
        "start": today.replace(day=1),
        "end": today,
    }
