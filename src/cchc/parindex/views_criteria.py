"""Criteria-set pages: the list, one set's tree, the XLSX import and export.

Every staff member (any role) reads; reform staff (CCHC / Nội vụ) and system administrators
import. The views only check the role and call :mod:`.sheets` / :mod:`.selectors_criteria`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role

from . import selectors_criteria, sheets
from .errors import CriteriaSetInvalid
from .forms_criteria import CriteriaImportForm
from .models import CriteriaSet

IMPORTERS = [Role.REFORM_STAFF, Role.SYSTEM_ADMIN]


def can_read(user) -> bool:
    return has_role(user)  # any role; superusers too


def can_import(user) -> bool:
    return has_role(user, IMPORTERS)


def _readers_only(request):
    if not can_read(request.user):
        raise Http404


@login_required
def criteria_sets(request):
    _readers_only(request)
    return render(
        request,
        "parindex/criteria_sets.html",
        {"sets": selectors_criteria.criteria_sets(), "can_import": can_import(request.user)},
    )


@login_required
def criteria_set(request, pk: int):
    _readers_only(request)
    detail = selectors_criteria.criteria_set_detail(get_object_or_404(CriteriaSet, pk=pk))
    return render(
        request,
        "parindex/criteria_set.html",
        {"detail": detail, "set": detail.criteria_set, "can_import": can_import(request.user)},
    )


@login_required
def criteria_import(request):
    _readers_only(request)
    if not can_import(request.user):
        raise PermissionDenied
    problems = []
    if request.method == "POST":
        form = CriteriaImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                imported = sheets.import_sheet(
                    data["file"].read(),
                    year=data["year"],
                    level=data["level"],
                    name=data["name"],
                    legal_basis=data["legal_basis"],
                )
            except CriteriaSetInvalid as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    _("Criteria set imported: %(name)s, version %(version)s.")
                    % {"name": imported.name, "version": imported.version},
                )
                return redirect("parindex:criteria_set", pk=imported.pk)
    else:
        initial = {key: request.GET[key] for key in ("year", "level") if request.GET.get(key)}
        form = CriteriaImportForm(initial=initial)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "parindex/criteria_import.html",
        {"form": form, "problems": problems},
        status=status,
    )


@login_required
def criteria_export(request, pk: int):
    _readers_only(request)
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    response = HttpResponse(
        sheets.export_sheet(criteria_set),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{sheets.export_filename(criteria_set)}"'
    )
    return response
