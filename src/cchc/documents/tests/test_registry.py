"""Form sets by date, the registry's numbers and titles, and Vietnamese formatting."""

from datetime import date

import pytest

from cchc.documents import formatting, registry
from cchc.dossiers.models import Dossier
from cchc.organisations.models import OrganisationUnit, UnitKind

from .conftest import local


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 1, 6), registry.TT01_2018),
        (date(2025, 9, 14), registry.TT01_2018),
        (date(2025, 9, 15), registry.TT03_2025),
        (date(2026, 3, 2), registry.TT03_2025),
    ],
)
def test_the_set_changes_on_15_september_2025(day, expected):
    assert registry.form_set_on(day) is expected


def test_switch_date_is_configurable(settings):
    settings.CCHC_FORMS_2025_FROM = "2025-10-01"
    assert registry.form_set_on(date(2025, 9, 30)) is registry.TT01_2018
    assert registry.form_set_on(date(2025, 10, 1)) is registry.TT03_2025
    settings.CCHC_FORMS_2025_FROM = date(2025, 7, 1)
    assert registry.switch_date() == date(2025, 7, 1)


def test_numbers_and_titles_of_both_sets():
    old, new = registry.TT01_2018, registry.TT03_2025
    assert [old.spec(key).number for key in registry.PDF_FORMS] == [
        "01", "02", "03", "04", None, "05"
    ]  # fmt: skip
    assert [new.spec(key).number for key in registry.PDF_FORMS] == [
        "01", "02", "03", "04", "05", "06"
    ]  # fmt: skip
    assert old.spec(registry.LOG_BOOK).label == "Mẫu số 06"
    assert new.spec(registry.LOG_BOOK).label == "Mẫu số 07"
    assert old.spec(registry.APOLOGY).title == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert new.spec(registry.APOLOGY).title == (
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    )
    assert new.spec(registry.STOP).title == "Thông báo dừng giải quyết hồ sơ"
    assert not old.spec(registry.STOP).official and old.spec(registry.STOP).label == ""
    assert new.spec(registry.SUPPLEMENT).abbreviation == "PBS"
    with pytest.raises(KeyError):
        new.spec("nothing")


def test_reference_date_is_the_local_receipt_date_else_submission():
    # 06:00 in Hà Nội on 15/9/2025 is still 14/9 in UTC: the local date decides.
    received = Dossier(received_at=local(2025, 9, 15, 6, 0), submitted_at=local(2025, 9, 12, 9))
    assert registry.reference_date(received) == date(2025, 9, 15)
    assert registry.form_set_for(received) is registry.TT03_2025
    submitted = Dossier(submitted_at=local(2025, 9, 12, 9, 0))
    assert registry.form_set_for(submitted) is registry.TT01_2018


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2024, 6, 3), "ngày 03 tháng 6 năm 2024"),
        (date(2024, 12, 25), "ngày 25 tháng 12 năm 2024"),
        (None, "ngày …… tháng …… năm ……"),
    ],
)
def test_date_words(day, words):
    assert formatting.date_words(day) == words


def test_times_and_money():
    moment = local(2024, 6, 3, 8, 5)
    assert formatting.dmy(moment) == "03/06/2024"
    assert formatting.dmy_hm(moment) == "03/06/2024 08:05"
    assert formatting.time_words(moment) == "08 giờ 05 phút, ngày 03/06/2024"
    assert formatting.money(1234567) == "1.234.567 đ"
    assert formatting.money(0) == "0 đ"
    assert formatting.dmy(None) == ""


@pytest.mark.django_db
def test_place_name_is_the_locality_of_the_nearest_committee():
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="Ủy ban nhân dân tỉnh An Bình", code="P"
    )
    ward = OrganisationUnit.objects.create(
        kind=UnitKind.COMMUNE_COMMITTEE, name="UBND phường Đông Thành", code="W", parent=province
    )
    department = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", code="D", parent=province
    )
    centre = OrganisationUnit.objects.create(
        kind=UnitKind.SERVICE_CENTRE, name="Trung tâm Phục vụ hành chính công", code="C"
    )
    assert formatting.place_name(ward) == "Đông Thành"
    assert formatting.place_name(department) == "An Bình"
    assert formatting.place_name(centre) == "……"
