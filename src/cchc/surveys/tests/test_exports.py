"""Exports: raw responses (CSV, XLSX with a labels sheet), results XLSX, the PDF report."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.organisations.models import Role
from cchc.surveys import exports, results
from cchc.surveys.tests import campaign_factories as make
from cchc.surveys.tests import factories
from cchc.surveys.tests.test_results import build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    found = build_case()
    # one answer to the multiple-choice question and an open text (never exported)
    answers = make.sipas_answers(4) | {
        "e_improve_first": ["procedures", "officials"],
        "e_other": "Góp ý riêng",
    }
    make.response(found["campaign"], found["b"], answers)  # B: 5, 5, 5, 1, 4 → 80 %
    return found


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_raw_csv_one_row_per_counted_response_with_codes(case):
    rows = read_csv(exports.raw_csv(case["campaign"]))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["unit", "channel", "submitted"]
    assert len(body) == 3 + 5 + 2  # counted only: A 3, B 4 + 1, C 2
    assert "sv_access_1" in header and "r_age" in header and "e_other" not in header
    assert "e_improve_first__procedures" in header
    assert [row[0] for row in body].count("000.00.31.H99") == 3
    row = next(
        r
        for r in body
        if r[0] == "000.00.32.H99"
        and r[header.index("r_age")]
        and r[header.index("e_improve_first__procedures")] == "1"
    )
    record = dict(zip(header, row, strict=True))
    assert record["sv_access_1"] == "4" and record["r_sex"] == "female"
    assert record["e_improve_first__procedures"] == "1"
    assert record["e_improve_first__" + header[-1].split("__")[1]] in ("0", "1")
    assert date.fromisoformat(record["submitted"])
    assert "Góp ý riêng" not in exports.raw_csv(case["campaign"]).decode("utf-8-sig")


def test_raw_csv_with_labels(case):
    rows = read_csv(exports.raw_csv(case["campaign"], labels=True))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["sv_access_1"] in ("Rất hài lòng", "Hài lòng", "Không hài lòng")
    assert record["r_sex"] != "female"  # its label


def test_raw_xlsx_has_a_labels_sheet(case):
    book = load_workbook(io.BytesIO(exports.raw_xlsx(case["campaign"])))
    assert book.sheetnames == ["responses", "labels"]
    data = list(book["responses"].iter_rows(values_only=True))
    assert data[0][:3] == ("unit", "channel", "submitted") and len(data) == 11
    codebook = list(book["labels"].iter_rows(values_only=True))
    assert codebook[0] == ("variable", "variable_label", "value", "value_label")
    assert ("sv_access_1", "5", "Rất hài lòng") in {(r[0], r[2], r[3]) for r in codebook}


def test_results_xlsx_ranking_and_factors(case):
    found = results.campaign_results(case["campaign"])
    book = load_workbook(io.BytesIO(exports.results_xlsx(found, found.rows)))
    assert book.sheetnames == ["Xếp hạng", "Yếu tố"]
    ranking = list(book["Xếp hạng"].iter_rows(min_row=5, values_only=True))
    assert ranking[0][:2] == (1, "000.00.32.H99") and ranking[0][6] == 80.0
    assert ranking[2][0] == exports.NOT_ENOUGH
    factors = list(book["Yếu tố"].iter_rows(min_row=2, values_only=True))
    assert factors[0][2:6] == ("access", "Tiếp cận dịch vụ hành chính công", 3, 80.0)


def test_pdf_report_lists_the_ranking(case):
    from pypdf import PdfReader

    found = results.campaign_results(case["campaign"])
    pdf = exports.report_pdf(found, found.rows)
    assert pdf.startswith(b"%PDF")
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "1* Phường Bình Minh 5 – 80,00" in text  # rank, overlap mark, responses, rate, index
    assert "2* Phường An Khánh 3 50,00 66,67 0,00 – 100,00" in text
    assert "Chưa đủ phiếu Xã Cát Tiên 2" in text


def test_download_links_and_who_may_download(client, case):
    code = case["campaign"].code
    client.force_login(factories.user_with(Role.REFORM_STAFF, case["home"]))
    page = client.get(reverse("surveys:results_campaign", args=[code])).content.decode()
    for name in ("results_xlsx", "results_pdf", "results_raw_csv", "results_raw_xlsx"):
        url = reverse(f"surveys:{name}", args=[code])
        assert url in page
        answer = client.get(url)
        assert (answer.status_code == 200 and "attachment" in answer["Content-Disposition"]) or (
            name == "results_pdf" and answer["Content-Type"] == "application/pdf"
        )
    client.force_login(factories.user_with(Role.LEADER, case["a"]))
    own = client.get(reverse("surveys:results_xlsx", args=[code]))
    book = load_workbook(io.BytesIO(own.content))
    units = [r[1] for r in book["Xếp hạng"].iter_rows(min_row=5, values_only=True)]
    assert units == ["000.00.31.H99"]  # only its own row
    assert client.get(reverse("surveys:results_raw_xlsx", args=[code])).status_code == 404
