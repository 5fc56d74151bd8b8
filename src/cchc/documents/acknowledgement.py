"""The acknowledgement of an online submission (biên nhận nộp hồ sơ trực tuyến) as PDF.

Not one of the official forms of Thông tư 01/2018/TT-VPCP or 03/2025/TT-VPCP: an online dossier is
"received" only when the one-stop unit accepts it and issues the receipt (Mẫu 01, "Giấy tiếp nhận
hồ sơ và hẹn trả kết quả"), and until then the applicant keeps this acknowledgement of what was
sent, when, to whom, and when the check and the result are due at the latest. It is laid out like
the forms (same heading, font and WeasyPrint machinery as :mod:`cchc.documents.rendering`) and says
plainly that it is not the receipt.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from cchc.dossiers.models import Dossier
from cchc.dossiers.selectors import acknowledgeable, acknowledgement

from . import formatting, registry, rendering
from .fonts import document_font

TEMPLATE = "documents/online_acknowledgement.html"
SPEC = registry.FormSpec("online_acknowledgement", None, "Biên nhận nộp hồ sơ trực tuyến")


def applicable(dossier: Dossier) -> bool:
    """An online dossier that has been submitted (it has a code and a submission time)."""
    return acknowledgeable(dossier)


def render_html(dossier: Dossier, layout: rendering.Layout | None = None) -> str:
    """The acknowledgement as HTML; FormNotApplicable for a draft or a counter dossier."""
    return render_to_string(TEMPLATE, _context(dossier, layout))


def _context(dossier: Dossier, layout: rendering.Layout | None) -> dict:
    if not applicable(dossier):
        raise rendering.FormNotApplicable
    facts = acknowledgement(dossier)
    font = document_font()
    unit = dossier.receiving_unit
    url = rendering.lookup_url(dossier)
    return {
        "dossier": dossier,
        "spec": SPEC,
        "form_set": registry.form_set_for(dossier),
        "agency": unit,
        "agency_parent": unit.parent,
        "place": formatting.place_name(unit),
        "issued_at": dossier.submitted_at,
        "font_css": mark_safe(font.css()),
        "font_stack": mark_safe(font.stack),
        "ack": facts,
        "components": list(dossier.components.exclude(file="")),
        "lookup_url": url,
        "qr_svg": rendering.qr_svg(url),
        "layout": layout,
    }


def render_pdf(dossier: Dossier) -> bytes:
    """The acknowledgement as PDF bytes, on one A5 sheet when one of the forms' tighter layouts
    (``rendering.FIT_LAYOUTS``) allows; FormNotApplicable for a draft or a counter dossier."""
    from weasyprint import HTML

    context = _context(dossier, None)
    for layout in rendering.FIT_LAYOUTS:
        html = render_to_string(TEMPLATE, {**context, "layout": layout})
        document = HTML(string=html, url_fetcher=rendering._fetcher()).render()
        if len(document.pages) == 1:
            break
    return document.write_pdf()
