"""The official forms of a dossier as PDF, and the log book of a unit as a spreadsheet.

Each PDF form is an HTML template under ``templates/documents/`` turned into PDF by WeasyPrint
(Pango underneath), with a Vietnamese-complete serif font from Debian's packages (``fonts``). The
data of each form comes from the dossier and its history, never from the caller:

- receipt (Mẫu 01): the dossier as received, with a QR code of the public lookup address;
- supplement (Mẫu 02): the latest ``supplement_requested`` event (items, reason, answer-by date);
- refusal (Mẫu 03): ``close_reason`` of a dossier not received;
- apology (Mẫu 04): the latest approved or sent ``ApologyLetter``;
- stop (2025 Mẫu 05, a plain notice before): ``close_reason`` of a stopped or withdrawn dossier;
- control (Mẫu 05 of 2018, 06 of 2025): one row per hand-over from the history.

Simplifications (also in docs/official-forms.md):

- Document numbers ("Số: …") are left as dots to be completed: the platform keeps no register of
  outgoing documents yet.
- The control slip rates each hand-over against the dossier's **current legal due time**
  (``due_at``), not against the due time of the step at that moment: ``step_due_at`` holds only
  the current step's due time, and the history does not keep earlier ones. Trước hạn, đúng hạn,
  quá hạn are the statistics' definition (``cchc.dossiers.lateness``), late by rule included.
- A reprinted receipt shows the current appointment (moved by clock stops or an apology letter).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from cchc.common.public_url import LOCAL_URL, public_url
from cchc.dossiers import lateness
from cchc.dossiers.models import (
    ApologyLetter,
    ApologyStatus,
    Dossier,
    DossierEvent,
    ReturnMethod,
    Status,
)
from cchc.organisations.models import OrganisationUnit
from cchc.workdays import services as workdays

from . import formatting, registry
from .builders import forms, official_form
from .fonts import document_font

MAX_LOG_BOOK_DAYS = 366


class FormNotApplicable(Exception):
    """The form does not exist for this dossier in its present state."""


# -- small helpers -------------------------------------------------------------------------------
def public_base_url() -> str:
    """``CCHC_PUBLIC_URL``; a printed QR code needs an absolute address, so without the setting
    the address ``make demo`` serves at (``cchc check --deploy`` warns about it)."""
    return public_url() or LOCAL_URL


def lookup_url(dossier: Dossier) -> str:
    """Absolute address of the public lookup, pre-filled with the dossier code."""
    return f"{public_base_url()}{reverse('lookup')}?{urlencode({'ma': dossier.code or ''})}"


def qr_svg(text: str) -> str:
    """QR code of ``text`` as inline SVG (drawn here: no network, no image file)."""
    import segno

    code = segno.make(text, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=1, border=2, omitsize=True, dark="#000"))


def _latest_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return dossier.events.filter(action=action).order_by("-sequence").first()


def _unit_named(name: str, dossier: Dossier) -> OrganisationUnit:
    """The unit an event was recorded in (events keep the unit's name only)."""
    for unit in (dossier.current_unit, dossier.receiving_unit):
        if unit.name == name:
            return unit
    return OrganisationUnit.objects.filter(name=name).order_by("pk").first() or (
        dossier.current_unit
    )


def _user_names(usernames: set[str]) -> dict[str, str]:
    if not usernames:
        return {}
    users = get_user_model().objects.filter(username__in=usernames)
    return {user.username: (user.get_full_name() or user.username) for user in users}


def _party(*parts: str) -> str:
    return " – ".join(part for part in parts if part)


def timing(dossier: Dossier, events: list[DossierEvent]) -> Callable[[datetime], str]:
    """'early', 'on_time' or 'late' of a moment of the dossier against its legal due time, by the
    platform's one definition (``cchc.dossiers.lateness``), the statistics' one: a dossier late by
    rule (a second supplement request during processing, Nghị định 118/2025 Điều 11) is late from
    that request on, whatever the times."""
    local = timezone.localtime
    due = local(dossier.due_at) if dossier.due_at else None
    since = None
    if dossier.late_by_rule:
        requests = [
            local(e.at)
            for e in events
            if e.action == "supplement_requested" and e.data.get("during_processing")
        ]
        received = local(dossier.received_at) if dossier.received_at else None
        since = lateness.late_by_rule_since(requests, received)

    def of(at: datetime) -> str:
        moment = local(at)
        by_rule = dossier.late_by_rule and (since is None or moment >= since)
        return str(lateness.classify(moment, due, late_by_rule=by_rule))

    return of


# -- the control slip's rows ---------------------------------------------------------------------
CONTROL_ACTIONS = (
    "submitted",
    "received",
    "supplement_requested",
    "supplement_completed",
    "forwarded",
    "sent_back",
    "reassigned",
    "handed_off",
    "financial_requested",
    "payment_recorded",
    "extended",
    "apology_sent",
    "resolved",
    "returned",
    "withdrawn",
    "stopped",
)


@dataclass(frozen=True)
class ControlRow:
    number: int
    action: str
    at: datetime
    giver: str
    receiver: str
    timing: str  # early / on_time / late
    note: str


def control_rows(dossier: Dossier) -> list[ControlRow]:
    """Every hand-over of the dossier, in order, with who gave, who received and when."""
    events = list(dossier.events.filter(action__in=CONTROL_ACTIONS).order_by("sequence"))
    names = _user_names({e.data.get("handler", "") for e in events} - {""})
    applicant = dossier.applicant_name
    counter = dossier.receiving_unit.name
    rows: list[ControlRow] = []
    timing_of = timing(dossier, events)
    previous_unit = counter
    for event in events:
        # The applicant's own account acting (portal): they give, the unit receives.
        by_applicant = bool(event.actor_id) and event.actor_id == dossier.applicant_user_id
        actor = "" if by_applicant else event.actor_name
        handler = names.get(event.data.get("handler", ""), event.data.get("handler", ""))
        giver, receiver, note = _party(actor, event.unit), applicant, event.note
        if event.action == "submitted":
            giver, receiver = applicant, counter
        elif by_applicant or event.action in ("supplement_completed", "payment_recorded"):
            giver, receiver = applicant, _party(actor, event.unit)
        elif event.action == "received":
            giver, receiver = applicant, _party(actor, counter)
        elif event.action == "supplement_requested":
            note = _join_lines(event.data.get("items", ""))
        elif event.action in ("forwarded", "reassigned"):
            giver = _party(actor, event.step_before or previous_unit)
            receiver = _party(handler, event.step_after or event.unit)
        elif event.action == "sent_back":
            giver, receiver = _party(actor, event.step_before), _party(event.step_after)
        elif event.action == "handed_off":
            giver = _party(actor, event.data.get("from_unit", previous_unit))
            receiver = event.unit
        elif event.action == "financial_requested":
            note = formatting.money(event.data.get("amount"))
        elif event.action == "extended":
            receiver = ""
            note = _join(event.note, formatting.dmy_hm(_parse(event.data.get("to"))))
        elif event.action == "apology_sent":
            note = formatting.dmy_hm(_parse(event.data.get("new_appointment")))
        elif event.action == "resolved":
            giver, receiver = _party(actor, previous_unit), counter
            note = _join(event.data.get("number", ""), event.note)
        elif event.action == "returned":
            giver = _party(actor, counter)
            receiver = event.data.get("received_by") or applicant
        rows.append(
            ControlRow(
                number=len(rows) + 1,
                action=event.action,
                at=event.at,
                giver=giver,
                receiver=receiver,
                timing=timing_of(event.at),
                note=note,
            )
        )
        if event.action != "resolved":
            previous_unit = event.unit or previous_unit
    return rows


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _join_lines(text: str) -> str:
    return "; ".join(line.strip(" -•\t") for line in (text or "").splitlines() if line.strip())


def _parse(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


# -- per-form contexts ---------------------------------------------------------------------------
@dataclass
class FormContext:
    unit: OrganisationUnit  # the agency in the heading
    issued_at: datetime | date | None  # the date beside the place
    data: dict


@official_form(registry.RECEIPT, applies=lambda dossier: dossier.received_at is not None, order=10)
def _receipt(dossier: Dossier) -> FormContext:
    if dossier.received_at is None:
        raise FormNotApplicable
    received = _latest_event(dossier, "received")
    url = lookup_url(dossier)
    return FormContext(
        dossier.receiving_unit,
        dossier.received_at,
        {
            "components": list(dossier.components.all()),
            "receiver_name": received.actor_name if received else "",
            "lookup_url": url,
            "qr_svg": qr_svg(url),
        },
    )


def _has_supplement_request(dossier: Dossier) -> bool:
    return dossier.events.filter(action="supplement_requested").exists()


@official_form(registry.SUPPLEMENT, applies=_has_supplement_request, order=20)
def _supplement(dossier: Dossier) -> FormContext:
    event = _latest_event(dossier, "supplement_requested")
    if event is None:
        raise FormNotApplicable
    items = [line.strip(" -•\t") for line in event.data.get("items", "").splitlines()]
    return FormContext(
        dossier.receiving_unit,
        event.at,
        {
            "event": event,
            "items": [item for item in items if item],
            "reason": event.note,
            "answer_by": _parse(event.data.get("answer_by")),
            "guide_name": event.actor_name,
        },
    )


@official_form(
    registry.REFUSAL, applies=lambda dossier: dossier.status == Status.NOT_RECEIVED, order=30
)
def _refusal(dossier: Dossier) -> FormContext:
    if dossier.status != Status.NOT_RECEIVED:
        raise FormNotApplicable
    event = _latest_event(dossier, "refused")
    return FormContext(
        dossier.receiving_unit,
        dossier.closed_at or (event.at if event else None),
        {"reason": dossier.close_reason, "officer_name": event.actor_name if event else ""},
    )


def latest_apology(dossier: Dossier) -> ApologyLetter | None:
    return (
        dossier.apologies.filter(status__in=[ApologyStatus.APPROVED, ApologyStatus.SENT])
        .order_by("-approved_at", "-created_at", "-pk")
        .first()
    )


@official_form(
    registry.APOLOGY, applies=lambda dossier: latest_apology(dossier) is not None, order=40
)
def _apology(dossier: Dossier) -> FormContext:
    letter = latest_apology(dossier)
    if letter is None:
        raise FormNotApplicable
    sent = next(
        (
            event
            for event in dossier.events.filter(action="apology_sent").order_by("-sequence")
            if event.data.get("letter") == letter.pk
        ),
        None,
    )
    unit = _unit_named(sent.unit, dossier) if sent else dossier.current_unit
    return FormContext(
        unit,
        letter.sent_at or letter.approved_at or letter.created_at,
        {"letter": letter},
    )


@official_form(
    registry.STOP,
    applies=lambda dossier: dossier.status in (Status.STOPPED, Status.WITHDRAWN),
    order=50,
)
def _stop(dossier: Dossier) -> FormContext:
    if dossier.status not in (Status.STOPPED, Status.WITHDRAWN):
        raise FormNotApplicable
    action = "stopped" if dossier.status == Status.STOPPED else "withdrawn"
    event = _latest_event(dossier, action)
    unit = _unit_named(event.unit, dossier) if event else dossier.current_unit
    return FormContext(
        unit,
        dossier.closed_at,
        {
            "withdrawn": dossier.status == Status.WITHDRAWN,
            "reason": dossier.close_reason,
            # A withdrawal is recorded by the counter or the applicant, not by the head who signs.
            "signer_name": event.actor_name if event and action == "stopped" else "",
        },
    )


@official_form(registry.CONTROL, applies=lambda dossier: dossier.received_at is not None, order=60)
def _control(dossier: Dossier) -> FormContext:
    if dossier.received_at is None:
        raise FormNotApplicable
    partners = (
        dossier.events.filter(action="handed_off")
        .values_list("unit", flat=True)
        .order_by("sequence")
    )
    return FormContext(
        dossier.receiving_unit,
        dossier.received_at,
        {
            "rows": control_rows(dossier),
            "lead_unit": lead_unit_name(dossier),
            "partners": list(dict.fromkeys(partners)),
        },
    )


def lead_unit_name(dossier: Dossier, events: list[DossierEvent] | None = None) -> str:
    """Cơ quan chủ trì giải quyết: the unit that held the dossier when its result was approved.

    Before a result, the unit that holds it now. (The ``resolved`` event itself is recorded in the
    receiving unit, where the result goes back, so the unit of the event before it is taken.)
    """
    if events is None:
        events = list(dossier.events.order_by("sequence").only("action", "unit", "sequence"))
    holder = ""
    for event in events:
        if event.action == "resolved":
            return holder or dossier.current_unit.name
        holder = event.unit or holder
    return dossier.current_unit.name


# -- rendering -----------------------------------------------------------------------------------
def applicable_forms(dossier: Dossier) -> list[registry.FormSpec]:
    """The PDF forms that exist for this dossier now (``builders.forms``), in its date's set."""
    form_set = registry.form_set_for(dossier)
    return [form_spec(form, form_set) for form in forms if form.applies(dossier)]


def form_spec(form, form_set: registry.FormSet) -> registry.FormSpec:
    """The form's number and title in the set, else those it registered with."""
    return form_set.forms.get(form.key) or form.spec or registry.FormSpec(form.key, None, form.key)


@dataclass(frozen=True)
class Layout:
    """Type size and spacing of a form: tighter ones are tried until the form fits its page."""

    size: str
    leading: str
    gap: str  # below each paragraph
    margins: str
    sign_space: str  # room to sign above the signer's name


# A5 forms (Mẫu 01–05) are one sheet handed over the counter: a receipt whose signatures fall on a
# second sheet is not a receipt. The first layout is the template's own (None); the others keep
# the type at 9 pt or more, legible on A5, and at least 10 mm to sign.
FIT_LAYOUTS = (
    None,
    Layout("10.5pt", "1.25", "1.4mm", "11mm 12mm 12mm 16mm", "12mm"),
    Layout("10pt", "1.2", "1.2mm", "10mm 11mm 12mm 15mm", "11mm"),
    Layout("9.5pt", "1.18", "1mm", "9mm 10mm 12mm 14mm", "10mm"),
    Layout("9pt", "1.15", "0.8mm", "9mm 10mm 12mm 13mm", "10mm"),
)


def render_html(form_key: str, dossier: Dossier, layout: Layout | None = None) -> str:
    """The form as HTML (what WeasyPrint lays out). Raises FormNotApplicable, KeyError."""
    return _html(_context(form_key, dossier), form_key, layout)


def _html(context: dict, form_key: str, layout: Layout | None) -> str:
    return render_to_string(forms[form_key].template_name, {**context, "layout": layout})


def _context(form_key: str, dossier: Dossier) -> dict:
    entry = forms[form_key]
    form = entry.build(dossier)
    form_set = registry.form_set_for(dossier)
    font = document_font()
    return {
        "dossier": dossier,
        "form_set": form_set,
        "spec": form_spec(entry, form_set),
        "agency": form.unit,
        "agency_parent": form.unit.parent,
        "place": formatting.place_name(form.unit),
        "issued_at": form.issued_at,
        "font_css": mark_safe(font.css()),
        "font_stack": mark_safe(font.stack),
        **form.data,
    }


def _fetcher():
    """WeasyPrint URL fetcher allowed to read the chosen font files and nothing else."""
    from weasyprint.urls import URLFetcher

    allowed = document_font().urls

    class FontFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"Resource not allowed in a form: {url}")
            return super().fetch(url, headers)

    return FontFilesOnly(allowed_protocols=("file",), timeout=2)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: pages that do not print need no Pango

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()


def render_pdf(form_key: str, dossier: Dossier) -> bytes:
    """The form ``form_key`` (a key of ``builders.forms``) of ``dossier`` as PDF bytes.

    An A5 form is laid out in the first of ``FIT_LAYOUTS`` that puts it on one page (a typical
    receipt: several documents with the catalogue's long names, the signatures below them); a form
    too long even for the tightest one flows on, its signatures kept with the lines before them.
    Raises FormNotApplicable when the dossier's state has no such form, KeyError for an unknown key.
    """
    from weasyprint import HTML

    context = _context(form_key, dossier)
    layouts = FIT_LAYOUTS if context["spec"].page == "A5" else (None,)
    for layout in layouts:
        document = HTML(string=_html(context, form_key, layout), url_fetcher=_fetcher()).render()
        if len(document.pages) == 1:
            break
    return document.write_pdf()


# -- the log book (Sổ theo dõi hồ sơ) ------------------------------------------------------------
# Column names of the form (Mẫu 06 of 2018, 07 of 2025): official wording, not interface text.
LOG_BOOK_COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Tên TTHC",
    "Tên tổ chức, cá nhân",
    "Địa chỉ/SĐT",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Trả kết quả",
    "Phương thức nhận kết quả",
    "Ký nhận",
)
LOG_BOOK_GROUP = "Nhận và trả kết quả"  # over the last five columns
GROUP_FROM = 6  # index of "Nhận hồ sơ"
RETURN_METHODS = {
    ReturnMethod.COUNTER: "Trực tiếp",
    ReturnMethod.POSTAL: "Qua dịch vụ bưu chính công ích",
    ReturnMethod.ONLINE: "Trực tuyến",
}
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return workdays.local_midnight(start), workdays.local_midnight(end + timedelta(days=1))


def log_book_dossiers(unit: OrganisationUnit, start: date, end: date, dossiers=None):
    """Dossiers received by ``unit`` or a unit under it, from ``start`` to ``end`` inclusive."""
    begin, stop = _day_bounds(start, end)
    queryset = Dossier.objects.all() if dossiers is None else dossiers
    history = DossierEvent.objects.order_by("sequence").only(
        "dossier_id", "action", "unit", "sequence"
    )
    return (
        queryset.filter(
            receiving_unit__path__startswith=unit.path,
            received_at__gte=begin,
            received_at__lt=stop,
        )
        .select_related("procedure", "current_unit")
        .prefetch_related(Prefetch("events", queryset=history, to_attr="history"))
        .order_by("received_at", "pk")
    )


def _naive_local(value: datetime | None) -> datetime | None:
    """Spreadsheet cells hold naive local times (openpyxl refuses aware ones)."""
    return workdays.to_local_naive(value) if value else None


def log_book_rows(unit: OrganisationUnit, start: date, end: date, dossiers=None) -> list[list]:
    """One row per dossier, values as in the spreadsheet (times naive local)."""
    rows = []
    for number, dossier in enumerate(log_book_dossiers(unit, start, end, dossiers), start=1):
        contact = " / ".join(
            part for part in (dossier.applicant_address, dossier.applicant_phone) if part
        )
        rows.append(
            [
                number,
                dossier.code or "",
                dossier.procedure.name,
                dossier.applicant_name,
                contact,
                lead_unit_name(dossier, dossier.history),
                _naive_local(dossier.received_at),
                _naive_local(dossier.appointment_at),
                _naive_local(dossier.returned_at),
                RETURN_METHODS.get(dossier.return_method, ""),
                dossier.returned_to,
            ]
        )
    return rows


def log_book_xlsx(unit: OrganisationUnit, start: date, end: date, dossiers=None) -> bytes:
    """Sổ theo dõi hồ sơ of ``unit`` (and the units under it) as an XLSX workbook.

    The form set is the one in force on ``end``. ``dossiers`` restricts the rows further (the view
    passes the user's visible dossiers). Text cells are always stored as text, so a name such as
    "=HYPERLINK(…)" is never read as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    form_set = registry.form_set_on(end)
    spec = form_set.spec(registry.LOG_BOOK)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi ho so"
    width = len(LOG_BOOK_COLUMNS)
    last = get_column_letter(width)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    titles = [
        (f"{spec.label} ({form_set.circular})", Font(italic=True)),
        ((unit.parent.name.upper() if unit.parent else ""), Font(bold=False)),
        (unit.name.upper(), bold),
        (spec.title.upper(), Font(bold=True, size=14)),
        (f"Từ ngày {formatting.dmy(start)} đến ngày {formatting.dmy(end)}", Font(italic=True)),
    ]
    for row, (text, font) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row=row, column=1, value=text)
        cell.data_type = "s"
        cell.font = font
        cell.alignment = Alignment(horizontal="center")

    top, sub = len(titles) + 2, len(titles) + 3
    for index, name in enumerate(LOG_BOOK_COLUMNS, start=1):
        if index <= GROUP_FROM:
            sheet.merge_cells(start_row=top, start_column=index, end_row=sub, end_column=index)
            sheet.cell(row=top, column=index, value=name)
        else:
            sheet.cell(row=sub, column=index, value=name)
    sheet.merge_cells(start_row=top, start_column=GROUP_FROM + 1, end_row=top, end_column=width)
    sheet.cell(row=top, column=GROUP_FROM + 1, value=LOG_BOOK_GROUP)
    for row in (top, sub):
        for column in range(1, width + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.alignment, cell.border = bold, centre, box

    for offset, values in enumerate(log_book_rows(unit, start, end, dossiers)):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=sub + 1 + offset, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            cell.alignment, cell.border = wrap, box

    widths = (6, 26, 40, 26, 32, 26, 17, 17, 17, 18, 18)
    for column, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = value
    sheet.freeze_panes = sheet.cell(row=sub + 1, column=1)
    sheet.print_title_rows = f"{top}:{sub}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
