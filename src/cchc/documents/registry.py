"""The official one-stop-shop forms and the two sets in which they were issued.

Which set applies to a dossier is decided by the dossier's own date (its receipt, or its submission
when it was never received), not by the day the document is printed: a dossier received in 2024 is
always documented with the 2018 forms.

Sources (summarised in ``shared/domain/onestop.md`` §1.3 and ``docs/official-forms.md``):

- **Thông tư 01/2018/TT-VPCP** (in force 06/01/2019), guiding Nghị định 61/2018/NĐ-CP: six forms,
  Mẫu 01–06, A5 except the log book (Mẫu 06) on A4.
  https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-compilation-of-forms-in-the-administrative-procedure-resolution-process-161811.html
  The numbering is confirmed by Hà Tĩnh 3005/QĐ-UBND (01/12/2025).
- **Thông tư 03/2025/TT-VPCP** (15/9/2025), guiding Nghị định 118/2025/NĐ-CP, Phụ lục I: seven
  forms, Mẫu 01–07. Mẫu 04 is renamed, Mẫu 05 "Thông báo dừng giải quyết hồ sơ" is new, the
  control slip and the log book move to 06 and 07.
  https://thuviennhadat.vn/phap-luat/tai-file-word-bieu-mau-thong-tu-03-2025-tt-vpcp-ve-giai-quyet-thu-tuc-hanh-chinh-tai-bo-phan-mot-cua-708489.html
  Hà Nội already numbers the control slip 06 and the log book 07 under it. The fields and the
  number abbreviations (PBS, PTC, PXL, PKS, STD) are those reproduced in Bộ Y tế QĐ 3621/QĐ-BYT
  (24/11/2025), which cites Thông tư 03/2025.

The switch date defaults to 15/9/2025, the date of Thông tư 03/2025. Whether the circular took
effect on the day it was signed is **unverified**, so the date can be moved with the setting
``CCHC_FORMS_2025_FROM`` (a ``date`` or an ISO ``"YYYY-MM-DD"`` string).

The 2018 set has no stop notice. For a dossier of that period that was stopped or withdrawn, the
registry gives a plain notice ("Thông báo về việc dừng giải quyết hồ sơ") without a form number:
the same content as the 2025 Mẫu 05, not presented as an official form it could not have been.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cchc.conf import conf

RECEIPT = "receipt"  # Giấy tiếp nhận hồ sơ và hẹn trả kết quả
SUPPLEMENT = "supplement"  # Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
REFUSAL = "refusal"  # Phiếu từ chối tiếp nhận giải quyết hồ sơ
APOLOGY = "apology"  # Phiếu / Văn bản xin lỗi …
STOP = "stop"  # Thông báo dừng giải quyết hồ sơ (2025 only)
CONTROL = "control"  # Phiếu kiểm soát quá trình giải quyết hồ sơ
LOG_BOOK = "log_book"  # Sổ theo dõi hồ sơ (a spreadsheet, not a PDF)

PDF_FORMS = (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP, CONTROL)


@dataclass(frozen=True)
class FormSpec:
    """One form of one set: its number (None: no official form of that set) and its title."""

    key: str
    number: str | None
    title: str
    abbreviation: str = ""  # written after the document number: "Số: …/PBS"
    page: str = "A5"

    @property
    def official(self) -> bool:
        return self.number is not None

    @property
    def label(self) -> str:
        return f"Mẫu số {self.number}" if self.number else ""


@dataclass(frozen=True)
class FormSet:
    key: str
    circular: str
    decree: str
    forms: Mapping[str, FormSpec]

    def spec(self, form_key: str) -> FormSpec:
        return self.forms[form_key]


def _forms(*specs: FormSpec) -> dict[str, FormSpec]:
    return {spec.key: spec for spec in specs}


# The control slip is printed on A4 here for its table of hand-overs (the sources give A5 for every
# form but the log book); see docs/official-forms.md.
TT01_2018 = FormSet(
    key="tt01_2018",
    circular="Thông tư 01/2018/TT-VPCP",
    decree="Nghị định 61/2018/NĐ-CP",
    forms=_forms(
        FormSpec(RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        FormSpec(SUPPLEMENT, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        FormSpec(REFUSAL, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        FormSpec(APOLOGY, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        FormSpec(CONTROL, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", page="A4"),
        FormSpec(LOG_BOOK, "06", "Sổ theo dõi hồ sơ", page="A4"),
        # Not in Thông tư 01/2018: a plain notice with the content of the 2025 Mẫu 05.
        FormSpec(STOP, None, "Thông báo về việc dừng giải quyết hồ sơ"),
    ),
)

TT03_2025 = FormSet(
    key="tt03_2025",
    circular="Thông tư 03/2025/TT-VPCP",
    decree="Nghị định 118/2025/NĐ-CP",
    forms=_forms(
        FormSpec(RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        FormSpec(SUPPLEMENT, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "PBS"),
        FormSpec(REFUSAL, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "PTC"),
        FormSpec(APOLOGY, "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "PXL"),
        FormSpec(STOP, "05", "Thông báo dừng giải quyết hồ sơ"),
        FormSpec(CONTROL, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "PKS", page="A4"),
        FormSpec(LOG_BOOK, "07", "Sổ theo dõi hồ sơ", "STD", page="A4"),
    ),
)

FORM_SETS = (TT01_2018, TT03_2025)


def switch_date() -> date:
    """First day on which the Thông tư 03/2025 forms are used (setting CCHC_FORMS_2025_FROM)."""
    value = conf.FORMS_2025_FROM
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


def form_set_on(day: date) -> FormSet:
    return TT03_2025 if day >= switch_date() else TT01_2018


def reference_date(dossier) -> date:
    """The dossier's date for choosing forms: received, else submitted, else created."""
    moment = dossier.received_at or dossier.submitted_at or getattr(dossier, "created_at", None)
    return timezone.localtime(moment).date() if moment else timezone.localdate()


def form_set_for(dossier) -> FormSet:
    return form_set_on(reference_date(dossier))


def spec_for(form_key: str, dossier) -> FormSpec:
    return form_set_for(dossier).spec(form_key)
