from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cchc.catalog.selectors import fields_with_counts
from cchc.organisations.models import RoleAssignment
from cchc.organisations.permissions import units_for


def home(request):
    return render(request, "portal/home.html", {"fields": fields_with_counts()})


@login_required
def my_units(request):
    assignments = (
        RoleAssignment.objects.filter(user=request.user, active=True)
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    units = units_for(request.user).select_related("parent").order_by("path")[:500]
    return render(request, "portal/my_units.html", {"assignments": assignments, "units": units})
