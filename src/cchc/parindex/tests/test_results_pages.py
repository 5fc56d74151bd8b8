"""The results pages: ranking with charts, a unit's losses with the council's reasons, the
province view, XLSX and PDF, the survey import page, and the public pages (scopes)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.organisations.models import Role
from cchc.parindex.models import LeafScore, RoundStatus
from cchc.parindex.tests import results_factories as make
from cchc.parindex.tests.test_results_contract import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client, django_user_model, world):  # noqa: F811
    staff = make.staff(django_user_model, "noivu", Role.REFORM_STAFF, world["home"])
    client.force_login(staff)
    return staff


def test_round_page_ranks_with_vietnamese_numbers_and_inline_charts(client, organiser, world):  # noqa: F811
    response = client.get(reverse("parindex:results_round", args=[world["this"].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "89,15" in text and "71,32" in text and "80,00" in text
    assert "1/3" in text and "↑2" in text and "↓1" in text
    assert "Thay đổi thứ hạng" in text and "Chỉ số của từng đơn vị" in text
    assert 'id="chart-index"' in text and 'id="chart-fields"' in text
    assert 'id="par-province-losses"' in text


def test_unit_page_shows_losses_with_reasons_and_year_over_year(client, organiser, world):  # noqa: F811
    url = reverse("parindex:results_unit", args=[world["this"].pk, world["a"].code])
    text = client.get(url).content.decode()
    assert "Kế hoạch ban hành chậm" in text
    assert "Thấp hơn đơn vị cao nhất" in text  # the full view compares with the best unit
    assert 'id="chart-years"' in text  # 2024 and 2025
    assert 'id="par-figures"' in text


def test_province_losses_page(client, organiser, world):  # noqa: F811
    response = client.get(reverse("parindex:results_losses", args=[world["this"].pk]))
    assert response.status_code == 200
    assert "3/3" in response.content.decode()


def test_xlsx_in_the_official_summary_layout(client, organiser, world):  # noqa: F811
    from openpyxl import load_workbook

    response = client.get(reverse("parindex:results_xlsx", args=[world["this"].pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[4]]
    assert header[:11] == [
        "STT",
        "Đơn vị",
        "Điểm tối đa",
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Điểm điều tra XHH",
        "Điểm thưởng/trừ",
        "Tổng điểm",
        "Chỉ số (%)",
        "Xếp hạng",
        "Xếp loại",
    ]
    assert header[11].startswith("1. ")
    first = [cell.value for cell in sheet[5]]
    assert first[1] == "Sở Xây dựng" and first[8] == 89.15 and first[9] == 1 and first[10] == "B"


def test_pdf_annex(client, organiser, world):  # noqa: F811
    from pypdf import PdfReader

    response = client.get(reverse("parindex:results_pdf", args=[world["this"].pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "PHỤ LỤC" in text and "89,15" in text


def test_a_unit_sees_only_its_own_row_before_publication(client, django_user_model, world):  # noqa: F811
    officer = make.staff(django_user_model, "tuphap", Role.PROCESSING_OFFICER, world["b"])
    client.force_login(officer)
    text = client.get(reverse("parindex:results_round", args=[world["this"].pk])).content.decode()
    assert "Sở Tư pháp" in text and "Sở Xây dựng" not in text
    other = reverse("parindex:results_unit", args=[world["this"].pk, world["a"].code])
    assert client.get(other).status_code == 404
    assert client.get(reverse("parindex:results_pdf", args=[world["this"].pk])).status_code == 404
    assert (
        client.get(reverse("parindex:results_losses", args=[world["this"].pk])).status_code == 404
    )


def test_strangers_get_404_before_publication(client, django_user_model, world):  # noqa: F811
    stranger = make.staff(django_user_model, "la", Role.LEADER, make.unit("Sở lạ"))
    client.force_login(stranger)
    assert client.get(reverse("parindex:results_round", args=[world["this"].pk])).status_code == 404
    assert client.get(reverse("parindex:survey_import", args=[world["this"].pk])).status_code == 404


def test_public_pages_show_published_rounds_only_without_login(client, world):  # noqa: F811
    listing = client.get(reverse("parindex:public_results")).content.decode()
    assert world["last"].name in listing
    assert reverse("parindex:public_round", args=[world["this"].pk]) not in listing
    page = client.get(reverse("parindex:public_round", args=[world["last"].pk]))
    assert page.status_code == 200 and "Sở Tư pháp" in page.content.decode()
    assert client.get(reverse("parindex:public_round", args=[world["this"].pk])).status_code == 404


def test_public_page_after_publication_shows_the_rank(client, world):  # noqa: F811
    world["this"].status = RoundStatus.PUBLISHED
    world["this"].save()
    text = client.get(reverse("parindex:public_round", args=[world["this"].pk])).content.decode()
    assert "Sở Xây dựng" in text and "89,15" in text and "1/3" in text
    assert "noivu" not in text  # no person


def test_survey_import_page(client, organiser, world):  # noqa: F811
    world["this"].status = RoundStatus.APPRAISAL
    world["this"].save()
    url = reverse("parindex:survey_import", args=[world["this"].pk])
    page = client.get(url).content.decode()
    assert "data-confirm" in page and "2.2" in page
    assert "Nhập điểm điều tra xã hội học" in page  # Vietnamese through the catalogue
    assert "86,24% trên tiêu chí 25 điểm được 21,56 điểm" in page
    bad = SimpleUploadedFile("xhh.csv", b"unit,percent\nXX,86.24\n", content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "survey-errors" in response.content.decode()
    good = SimpleUploadedFile(
        "xhh.csv", f"unit,percent\n{world['b'].code},86.24\n".encode(), content_type="text/csv"
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    leaf = LeafScore.objects.get(
        assessment__round=world["this"], assessment__unit=world["b"], criterion__code="2.2"
    )
    assert str(leaf.survey_score) == "21.56"


def test_survey_points_taken_from_a_registered_source_on_the_page(client, organiser, world):  # noqa: F811
    from cchc.parindex import survey

    world["this"].status = RoundStatus.APPRAISAL
    world["this"].save()
    url = reverse("parindex:survey_import", args=[world["this"].pk])
    offered = [
        {"unit": world["b"].code, "percent": "86.24"},
        {"unit": "000.00.99.H99", "percent": "1"},
    ]
    source = survey.SurveySource("sipas-test", "SIPAS 2025", lambda round_obj: offered)
    with survey.survey_sources.temporarily(source):
        page = client.get(url).content.decode()
        assert 'id="survey-source-sipas-test"' in page
        assert "Lấy điểm từ SIPAS 2025" in page and "Ghi điểm điều tra mà SIPAS 2025" in page
        response = client.post(url, {"source": "sipas-test"})
        assert response.status_code == 302
        nothing = survey.SurveySource("empty-test", "Khảo sát khác", lambda round_obj: [])
        with survey.survey_sources.temporarily(nothing):
            refused = client.post(url, {"source": "empty-test"})
    assert refused.status_code == 400 and "Khảo sát khác" in refused.content.decode()
    leaf = LeafScore.objects.get(
        assessment__round=world["this"], assessment__unit=world["b"], criterion__code="2.2"
    )
    assert str(leaf.survey_score) == "21.56" and leaf.survey_source == "SIPAS 2025"


def test_survey_import_refused_after_publication(client, organiser, world):  # noqa: F811
    world["this"].status = RoundStatus.PUBLISHED
    world["this"].save()
    url = reverse("parindex:survey_import", args=[world["this"].pk])
    assert "data-confirm" not in client.get(url).content.decode()
    upload = SimpleUploadedFile("xhh.csv", f"unit,points\n{world['b'].code},20\n".encode())
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
