"""The citizen's own documents as PDF: the acknowledgement of an online submission and the receipt
(Mẫu 01). Served under the citizen pages (``citizen:…`` names, ``/cong-dan/ho-so/<pk>/…``): the
documents app adds these routes to the citizen namespace (``documents/hooks.py``), so the citizen
pages of ``cchc.dossiers`` need not import this app.

A dossier is served to its applicant only (``applicant_dossiers``); anyone else gets a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from cchc.dossiers import selectors

from . import acknowledgement as acknowledgement_pdf
from . import registry, rendering


def _own(request, pk: int):
    return get_object_or_404(selectors.applicant_dossiers(request.user), pk=pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@login_required
def acknowledgement_file(request, pk: int):
    """The acknowledgement as PDF, for the dossier's owner only (404 for anyone else)."""
    dossier = _own(request, pk)
    if not acknowledgement_pdf.applicable(dossier):
        raise Http404
    return _pdf(acknowledgement_pdf.render_pdf(dossier), f"bien-nhan-{dossier.code}.pdf")


@login_required
def receipt_file(request, pk: int):
    """Mẫu 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), once the one-stop unit has accepted the
    dossier; for its owner only."""
    dossier = _own(request, pk)
    try:
        content = rendering.render_pdf(registry.RECEIPT, dossier)
    except rendering.FormNotApplicable:
        raise Http404 from None
    return _pdf(content, f"giay-tiep-nhan-{dossier.code}.pdf")
