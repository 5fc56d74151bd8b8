from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from cchc.conf import conf

from . import importing
from .models import (
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    ProcedureVariant,
    SearchSynonym,
    WorkflowStep,
)
from .services import check_workflow_total


class VariantInline(admin.TabularInline):
    model = ProcedureVariant
    extra = 0


class FeeInline(admin.TabularInline):
    model = ProcedureFee
    extra = 0


class ComponentInline(admin.TabularInline):
    model = ProcedureComponent
    extra = 0


class WorkflowFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        hours = [
            form.cleaned_data.get("hours") or Decimal(0)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        unit = self.instance.time_limit_unit
        if hours and unit:
            try:
                check_workflow_total(hours, unit, self.instance.time_limit_amount or 0)
            except ValidationError as error:
                raise ValidationError(error.messages) from None


class WorkflowInline(admin.TabularInline):
    model = WorkflowStep
    formset = WorkflowFormSet
    extra = 0
    autocomplete_fields = ["responsible_unit"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx, .csv or .json)"))
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows and skip the invalid ones"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(importing.SUPPORTED_SUFFIXES):
            raise ValidationError(_("Unsupported file type: use .xlsx, .csv or .json."))
        if upload.size > conf.IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is too large (at most 10 MB)."))
        return upload


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Citizens' words for the catalog search (cchc.catalog.search); changes apply at once."""

    list_display = ["phrase", "means", "is_filler"]
    list_filter = [("means", admin.EmptyFieldListFilter)]
    search_fields = ["phrase", "means", "search_phrase"]
    fields = ["phrase", "means"]

    @admin.display(description=_("filler word"), boolean=True)
    def is_filler(self, synonym: SearchSynonym) -> bool:
        return synonym.is_filler


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "time_limit_label", "online_level", "active"]
    list_filter = ["field", "level_province", "level_commune", "online_level", "active"]
    search_fields = ["code", "name", "search_text"]
    autocomplete_fields = ["implementing_units"]
    inlines = [ComponentInline, FeeInline, VariantInline, WorkflowInline]
    change_list_template = "admin/catalog/procedure/change_list.html"
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "active", "retired_on"]}),
        (
            _("Level and agency"),
            {
                "fields": [
                    ("level_province", "level_commune", "level_district"),
                    "implementing_agency",
                    "implementing_units",
                ]
            },
        ),
        (
            _("Time limit"),
            {
                "fields": [
                    ("time_limit_amount", "time_limit_unit"),
                    "extension_amount",
                    "time_limit_text",
                ]
            },
        ),
        (
            _("Channels"),
            {"fields": [("channel_counter", "channel_online", "channel_postal"), "online_level"]},
        ),
        (
            _("Published content"),
            {
                "fields": [
                    "steps",
                    "result",
                    "applicants",
                    "conditions",
                    "legal_basis",
                    "publishing_decision",
                    "sources",
                ]
            },
        ),
    ]

    @admin.display(description=_("time limit"))
    def time_limit_label(self, procedure: Procedure) -> str:
        return procedure.time_limit_label()

    def get_urls(self):
        return [
            path(
                "nhap-tu-tep/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_procedure_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            messages.error(request, _("You do not have permission to import procedures."))
            return redirect(reverse("admin:catalog_procedure_changelist"))
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = importing.import_file(
                    upload.read(), upload.name, skip_invalid=form.cleaned_data["skip_invalid"]
                )
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                level = messages.SUCCESS if report.written else messages.ERROR
                messages.add_message(request, level, report.summary())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import procedures"),
            "form": form,
            "report": report,
            "columns": importing.COLUMNS,
        }
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)
