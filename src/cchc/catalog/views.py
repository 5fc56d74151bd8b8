from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cchc.workdays.engine import DeadlineError

from . import services
from .forms import PreviewForm, ProcedureSearchForm
from .models import Procedure
from .selectors import public_procedures, search_suggestions


def procedure_list(request):
    form = ProcedureSearchForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # a bad filter value is dropped on its own; the others still apply
        filters = form.cleaned_data
    procedures = public_procedures(
        filters.get("q") or "", filters.get("field"), filters.get("level") or ""
    )
    page = Paginator(procedures, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    text = (filters.get("q") or "").strip()
    suggestions = None
    if text and not page.paginator.count:
        suggestions = search_suggestions(text)
    return render(
        request,
        "catalog/procedure_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "total": page.paginator.count,
            "searched": text,
            "suggestions": suggestions,
        },
    )


def _preview_context(request, procedure: Procedure) -> dict:
    form = PreviewForm(request.GET or None)
    submitted = None
    if form.is_valid():
        submitted = form.cleaned_data.get("submitted")
    submitted_now = submitted is None
    submitted = submitted or timezone.now()
    try:
        deadline = services.preview_due(procedure, submitted)
    except DeadlineError as error:
        return {"procedure": procedure, "preview_form": form, "preview_error": str(error)}
    return {
        "procedure": procedure,
        "preview_form": form,
        "deadline": deadline,
        "submitted": timezone.localtime(submitted),
        "submitted_now": submitted_now,
    }


def procedure_detail(request, code: str):
    procedure = get_object_or_404(
        Procedure.objects.select_related("field").prefetch_related("components", "fees"),
        code=code,
    )
    return render(request, "catalog/procedure_detail.html", _preview_context(request, procedure))


def procedure_preview(request, code: str):
    """HTMX fragment: the due-date preview for another submission moment."""
    procedure = get_object_or_404(Procedure, code=code)
    return render(request, "catalog/_preview.html", _preview_context(request, procedure))
