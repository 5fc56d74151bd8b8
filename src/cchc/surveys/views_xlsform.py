"""XLSForm pages: import a Kobo/ODK workbook as a new questionnaire, download one as a workbook.

Import is for the questionnaire editors (reform staff, system administrators: see
:mod:`.selectors`) and makes a questionnaire of one of their units (or a national one, for a
national editor). It is all or nothing: every problem of the workbook is listed at once, with its
sheet, line and column (:func:`.xlsform.read_xlsform`), and nothing is saved while one remains.
Any staff member who may read a questionnaire may download it (``<code>-v<version>.xlsx``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.common.uploads import UploadRefused, check_upload_bytes
from cchc.organisations.permissions import has_role

from . import selectors, services
from .errors import SurveyError
from .xlsform import XLSX_SIGNATURES, XLSFormError, read_xlsform, write_xlsform

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NATIONAL = "national"


class XLSFormImportForm(forms.Form):
    """The workbook and the unit that will own the questionnaire."""

    file = forms.FileField(
        label=gettext_lazy("XLSForm file (.xlsx)"),
        help_text=gettext_lazy(
            "The survey, choices and settings sheets of KoboToolbox or ODK; a factors sheet and "
            "factor and kind columns are read when present."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Owner unit"), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, units=(), national=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit in units}
        choices = [(str(unit.pk), unit.name) for unit in units]
        if national:  # only national editors may make a questionnaire without a unit
            choices.append((NATIONAL, _("National (no unit)")))
        self.fields["unit"].choices = choices

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_bytes(upload, XLSX_SIGNATURES, _("Only .xlsx XLSForm files are accepted."))
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload

    def owner(self):
        """The chosen unit, or None for a national questionnaire."""
        value = self.cleaned_data["unit"]
        return None if value == NATIONAL else self.units[value]


def _staff_only(request) -> None:
    if not has_role(request.user):  # a user with no role does not learn the pages exist
        raise Http404


def _problems_of(error: XLSFormError) -> list[dict]:
    return [
        {
            "sheet": getattr(problem, "sheet", ""),
            "line": problem.line or "",
            "column": problem.column or "",
            "message": problem.message,
        }
        for problem in error.errors
    ]


def _service_problems(messages_: list[str]) -> list[dict]:
    """Problems the questionnaire checks find after the workbook was read (no sheet or line)."""
    return [{"sheet": "", "line": "", "column": "", "message": text} for text in messages_]


@login_required
def xlsform_import(request):
    _staff_only(request)
    user = request.user
    units = selectors.editable_units(user)
    national = selectors.is_national_editor(user)
    if not units and not national:
        raise PermissionDenied
    problems: list[dict] = []
    import_form = XLSFormImportForm(
        request.POST or None, request.FILES or None, units=units, national=national
    )
    if request.method == "POST" and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            spec = read_xlsform(upload.read(), filename=upload.name)
            questionnaire = services.create_from_spec(user, spec, unit=import_form.owner())
        except XLSFormError as error:
            problems = _problems_of(error)
        except services.QuestionnaireInvalid as error:
            problems = _service_problems(error.problems)
        except SurveyError as error:
            problems = _service_problems([error.message])
        else:
            messages.success(
                request,
                _("XLSForm imported: %(code)s, version %(version)s.")
                % {"code": questionnaire.code, "version": questionnaire.version},
            )
            return redirect("surveys:questionnaire", pk=questionnaire.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "surveys/xlsform_import.html",
        {"form": import_form, "problems": problems},
        status=status,
    )


def export_filename(questionnaire) -> str:
    return f"{questionnaire.code}-v{questionnaire.version}.xlsx"


@login_required
def xlsform_export(request, pk: int):
    _staff_only(request)
    questionnaire = get_object_or_404(selectors.visible_questionnaires(request.user), pk=pk)
    try:
        content = write_xlsform(services.to_spec(questionnaire))
    except ValueError as error:  # what no XLSForm can hold (e.g. a choice question left empty)
        messages.error(
            request,
            _("This questionnaire cannot be written as XLSForm: %(error)s") % {"error": error},
        )
        return redirect("surveys:questionnaire", pk=questionnaire.pk)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(questionnaire)}"'
    return response
