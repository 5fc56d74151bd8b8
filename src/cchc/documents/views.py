"""Downloads: a dossier's official forms as PDF, a unit's log book as XLSX.

Both are scoped like every officer page: a dossier outside ``visible_dossiers(user)`` or a unit
outside ``units_for(user)`` is a 404, as is a form that does not exist for the dossier's state.
"""

from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.dossiers.selectors import visible_dossiers
from cchc.organisations.permissions import units_for

from . import rendering
from .builders import forms

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadPeriod(ValueError):
    pass


def _download(content: bytes, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@login_required
@require_GET
def form_pdf(request, pk: int, form_key: str):
    if form_key not in forms:
        raise Http404
    dossier = get_object_or_404(visible_dossiers(request.user), pk=pk)
    try:
        pdf = rendering.render_pdf(form_key, dossier)
    except rendering.FormNotApplicable:
        raise Http404 from None
    filename = f"{form_key}-{dossier.code or dossier.pk}.pdf"
    return _download(pdf, "application/pdf", filename, inline=True)


def _parse_day(value: str, default: date) -> date:
    value = (value or "").strip()
    if not value:
        return default
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise BadPeriod(
            _("Enter the dates as dd/mm/yyyy, for example %(example)s.")
            % {"example": timezone.localdate().strftime("01/%m/%Y")}
        ) from None


def period(params) -> tuple[date, date]:
    """``tu`` and ``den`` as dd/mm/yyyy; by default from the 1st of this month to today."""
    today = timezone.localdate()
    start = _parse_day(params.get("tu", ""), today.replace(day=1))
    end = _parse_day(params.get("den", ""), today)
    if start > end:
        raise BadPeriod(_("The start date must not be after the end date."))
    if (end - start).days + 1 > rendering.MAX_LOG_BOOK_DAYS:
        raise BadPeriod(
            _("The log book covers at most %(days)d days at a time.")
            % {"days": rendering.MAX_LOG_BOOK_DAYS}
        )
    return start, end


def _bad_request(request, message: str):
    return render(request, "documents/bad_request.html", {"message": message}, status=400)


@login_required
@require_GET
def log_book(request):
    code = (request.GET.get("don_vi") or "").strip()
    if not code:
        return _bad_request(request, _("Choose a unit for the log book."))
    unit = get_object_or_404(units_for(request.user), code=code)
    try:
        start, end = period(request.GET)
    except BadPeriod as error:
        return _bad_request(request, str(error))
    content = rendering.log_book_xlsx(unit, start, end, dossiers=visible_dossiers(request.user))
    filename = f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    return _download(content, XLSX, filename, inline=False)
