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

from cchc.dossiers.models import Channel, Dossier, Status
from cchc.dossiers.selectors import acknowledgement

from . import formatting, registry, rendering
from .fonts import document_font

SPEC = registry.FormSpec("online_acknowledgement", None, "Biên nhận nộp hồ sơ trực tuyến")


def applicable(dossier: Dossier) -> bool:
    """An online dossier that has been submitted (it has a code and a submission time)."""
    return bool(
        dossier.channel == Channel.ONLINE
        and dossier.submitted_at
        and dossier.code
        and dossier.status != Status.DRAFT
    )


def render_html(dossier: Dossier) -> str:
    if not applicable(dossier):
        raise rendering.FormNotApplicable
    facts = acknowledgement(dossier)
    font = document_font()
    unit = dossier.receiving_unit
    url = rendering.lookup_url(dossier)
    context = {
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
    }
    return render_to_string("documents/online_acknowledgement.html", context)


def render_pdf(dossier: Dossier) -> bytes:
    """The acknowledgement as PDF bytes; FormNotApplicable for a draft or a counter dossier."""
    return rendering.html_to_pdf(render_html(dossier))
