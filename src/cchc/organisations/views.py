"""The organisation tree import page: check a file (a dry run), then confirm; and its template.

Only the installation's system administrator (:func:`.permissions.can_import_tree`) imports. The
checked file travels to the confirmation inside a signed field (a tree file is a few tens of
kilobytes), so nothing is stored between the two steps; the confirmation checks it again against
the units as they are then, and writes through :func:`.services.import_units`.
"""

from __future__ import annotations

import base64
import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.common.files import content_disposition
from cchc.common.importing import ImportFileError

from .forms import TreeImportForm
from .importing import template_rows
from .permissions import can_import_tree
from .services import import_units

SALT = "cchc.organisations.tree-import"
TOKEN_MAX_AGE = 3600  # seconds between the check and the confirmation
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importers_only(request) -> None:
    if not can_import_tree(request.user):
        raise PermissionDenied


def _token(user, name: str, content: bytes, deactivate_missing: bool) -> str:
    payload = {
        "user": user.pk,
        "name": name,
        "content": base64.b64encode(content).decode("ascii"),
        "deactivate": deactivate_missing,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def _untoken(user, token: str) -> dict | None:
    try:
        payload = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # includes an expired token
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.pk:
        return None
    try:
        payload["content"] = base64.b64decode(payload["content"])
    except (KeyError, TypeError, ValueError):
        return None
    return payload


@login_required
@require_http_methods(["GET", "POST"])
def tree_import(request):
    _importers_only(request)
    context: dict = {"report": None, "token": "", "filename": ""}
    status = 200
    if request.method == "POST" and "token" in request.POST:
        payload = _untoken(request.user, request.POST["token"])
        form = TreeImportForm()
        if payload is None:
            messages.error(
                request,
                _("The checked file has expired or is not yours; choose it and check it again."),
            )
            return redirect("organisations:import")
        try:
            report = import_units(
                payload["content"], payload["name"], deactivate_missing=payload["deactivate"]
            )
        except ImportFileError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            if report.written:
                messages.success(request, report.summary())
                if report.missing_summary():
                    messages.info(request, report.missing_summary())
                return redirect("organisations:import")
            context.update(report=report, filename=payload["name"])  # the units changed since
            status = 400
    elif request.method == "POST":
        form = TreeImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            deactivate = form.cleaned_data["deactivate_missing"]
            try:
                report = import_units(
                    content, upload.name, dry_run=True, deactivate_missing=deactivate
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                context.update(report=report, filename=upload.name)
                if not report.errors:
                    status = 200
                    context["token"] = _token(request.user, upload.name, content, deactivate)
    else:
        form = TreeImportForm()
    context["form"] = form
    return render(request, "organisations/tree_import.html", context, status=status)


@login_required
def template_csv(request):
    _importers_only(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(template_rows())
    # With a BOM, so that Excel opens the UTF-8 file with its accents.
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition("mau-nhap-don-vi.csv")
    return response


@login_required
def template_xlsx(request):
    _importers_only(request)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Don vi"
    for row in template_rows():
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 12), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition("mau-nhap-don-vi.xlsx")
    return response
