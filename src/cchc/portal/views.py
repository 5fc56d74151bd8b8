from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from cchc.catalog.selectors import fields_with_counts
from cchc.organisations.models import RoleAssignment
from cchc.organisations.permissions import units_for


def home(request):
    return render(request, "portal/home.html", {"fields": fields_with_counts()})


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on their own (old ones, bookmarks, tabs opened before the
    page's <link rel="icon">): the vendored icon in the portal's static files."""
    return HttpResponsePermanentRedirect(static("portal/favicon.ico"))


@login_required
def my_units(request):
    assignments = (
        RoleAssignment.objects.filter(user=request.user, active=True)
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    units = units_for(request.user).select_related("parent").order_by("path")[:500]
    return render(request, "portal/my_units.html", {"assignments": assignments, "units": units})
