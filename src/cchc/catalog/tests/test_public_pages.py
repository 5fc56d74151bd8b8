"""Public catalog pages and API, the due-date preview, workflow totals and text folding.

Translations of UI labels are being added separately, so these tests assert on data (names, codes,
dates, amounts), never on translated labels.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from cchc.catalog import services
from cchc.catalog.models import (
    Channel,
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    TimeUnit,
    WorkflowStep,
)
from cchc.common.text import fold
from cchc.organisations.models import Role
from cchc.organisations.tests.factories import OrganisationUnitFactory

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
LIST_URL = "/thu-tuc/"
API_URL = "/api/v1/procedures/"


def make_procedure(code, name, field, *, province=False, commune=True, **extra):
    defaults = {"time_limit_amount": 5, "time_limit_unit": TimeUnit.WORKING_DAYS}
    return Procedure.objects.create(
        code=code,
        name=name,
        field=field,
        level_province=province,
        level_commune=commune,
        **{**defaults, **extra},
    )


@pytest.fixture
def catalog():
    civil = Field.objects.create(name="Hộ tịch")
    land = Field.objects.create(name="Đất đai")
    archive = Field.objects.create(name="Lưu trữ")
    birth = make_procedure(
        "1.001193",
        "Đăng ký khai sinh",
        civil,
        time_limit_amount=0,
        time_limit_unit=TimeUnit.SAME_DAY,
    )
    copy = make_procedure(
        "2.000635",
        "Cấp bản sao Giấy khai sinh",
        civil,
        province=True,
        commune=True,
        time_limit_text="05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        implementing_agency="Sở Tư pháp; UBND cấp xã",
    )
    ProcedureFee.objects.create(
        procedure=copy, channel=Channel.COUNTER, amount=200000, description="mỗi bản", order=0
    )
    ProcedureFee.objects.create(procedure=copy, channel=Channel.ONLINE, amount=1500000, order=1)
    ProcedureComponent.objects.create(
        procedure=copy, order=0, name="Tờ khai cấp bản sao trích lục hộ tịch", originals=1
    )
    ProcedureComponent.objects.create(
        procedure=copy, order=1, name="Giấy ủy quyền (nếu có)", originals=1, mandatory=False
    )
    split = make_procedure(
        "1.012784",
        "Tách thửa hoặc hợp thửa đất",
        land,
        province=True,
        commune=False,
        time_limit_amount=12,
    )
    status = make_procedure(
        "1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", civil, time_limit_amount=3
    )
    retired = make_procedure(
        "1.000999", "Đăng ký khai sinh lưu động", civil, active=False, time_limit_amount=3
    )
    old_archive = make_procedure("1.000111", "Cấp bản sao tài liệu lưu trữ", archive, active=False)
    return {
        "civil": civil,
        "land": land,
        "archive": archive,
        "birth": birth,
        "copy": copy,
        "split": split,
        "status": status,
        "retired": retired,
        "old_archive": old_archive,
    }


def listed(response) -> set[str]:
    # Order is by field and name in the database collation (binary on SQLite), so compare sets.
    assert response.status_code == 200
    return {procedure.code for procedure in response.context["page"].object_list}


def get_list(**params):
    return Client().get(LIST_URL, params)


# -- the list ---------------------------------------------------------------------------------
def test_list_shows_active_procedures_grouped_by_field(catalog):
    response = get_list()
    # Retired procedures are hidden.
    assert listed(response) == {"1.012784", "2.000635", "1.004873", "1.001193"}
    assert response.context["total"] == 4
    html = response.content.decode()
    assert "Cấp bản sao Giấy khai sinh" in html
    assert "Đăng ký khai sinh lưu động" not in html
    assert "1.000999" not in html


def ranked(response) -> list[str]:
    assert response.status_code == 200
    return [procedure.code for procedure in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Ranked, not filtered: the paper's name finds the procedure that issues it first
        # (the seeded synonym "giấy khai sinh" → "đăng ký khai sinh"), then the copy.
        ("giay khai sinh", ["1.001193", "2.000635"]),
        ("Giấy khai sinh", ["1.001193", "2.000635"]),
        ("GIAY KHAI SINH", ["1.001193", "2.000635"]),
        ("DANG KY KHAI SINH", ["1.001193", "2.000635"]),
        ("đăng ký khai sinh", ["1.001193", "2.000635"]),
        ("  dang   ky  ", ["1.001193"]),
        ("khai sinh", ["1.001193", "2.000635"]),
        ("1.001193", ["1.001193"]),
        ("2.000635", ["2.000635"]),
        ("thua dat", ["1.012784"]),
        ("luu dong", []),  # retired
        ("ket hon", ["1.004873"]),  # "hôn nhân": one of two words, still worth showing
    ],
)
def test_search_ignores_diacritics_and_case(catalog, query, expected):
    assert ranked(get_list(q=query)) == expected


def test_search_results_page_shows_the_name(catalog):
    html = get_list(q="giay khai sinh").content.decode()
    assert "Cấp bản sao Giấy khai sinh" in html
    assert html.index("Đăng ký khai sinh<") < html.index("Cấp bản sao Giấy khai sinh")


def test_filter_by_field(catalog):
    assert listed(get_list(field=catalog["civil"].pk)) == {"2.000635", "1.004873", "1.001193"}
    assert listed(get_list(field=catalog["land"].pk)) == {"1.012784"}
    assert listed(get_list(field=catalog["civil"].pk, q="khai sinh")) == {"2.000635", "1.001193"}


def test_field_choices_count_active_procedures_only(catalog):
    choices = dict(get_list().context["form"].fields["field"].choices)
    assert choices[catalog["civil"].pk] == "Hộ tịch (3)"
    assert choices[catalog["land"].pk] == "Đất đai (1)"
    assert catalog["archive"].pk not in choices  # only retired procedures


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("province", {"1.012784", "2.000635"}),
        ("commune", {"2.000635", "1.004873", "1.001193"}),
        ("district", set()),
    ],
)
def test_filter_by_level(catalog, level, expected):
    assert listed(get_list(level=level)) == expected


def test_filters_combine(catalog):
    assert listed(get_list(q="khai sinh", level="province")) == {"2.000635"}
    assert listed(get_list(field=catalog["land"].pk, level="commune")) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"field": "abc"},
        {"field": "999999"},
        {"field": "-1"},
        {"level": "quoc-gia"},
        {"level": "<script>"},
        {"page": "abc"},
        {"page": "999"},
        {"q": "x" * 500},
        {"q": "%_'\";--"},
    ],
)
def test_bad_parameters_do_not_fail(catalog, params):
    response = get_list(**params)
    assert response.status_code == 200
    assert len(listed(response)) <= 4


def test_an_invalid_field_does_not_drop_the_search_query(catalog):
    assert listed(get_list(q="khai sinh", field="abc")) == {"2.000635", "1.001193"}


def test_pagination(catalog):
    field = Field.objects.create(name="Văn hóa")
    for number in range(30):
        make_procedure(f"3.{number:06d}", f"Thủ tục văn hóa {number:02d}", field)
    first = get_list(field=field.pk)
    assert len(listed(first)) == 25
    assert first.context["total"] == 30
    second = get_list(field=field.pk, page=2)
    assert listed(second) == {f"3.{number:06d}" for number in range(25, 30)}
    assert not listed(first) & listed(second)


# -- the detail page --------------------------------------------------------------------------
@time_machine.travel(datetime(2025, 1, 24, 14, 0, tzinfo=HANOI), tick=False)
def test_detail_shows_components_fees_time_limit_and_preview(catalog):
    procedure = catalog["copy"]
    response = Client().get(f"/thu-tuc/{procedure.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cấp bản sao Giấy khai sinh" in html
    assert "Hộ tịch" in html
    assert "Tờ khai cấp bản sao trích lục hộ tịch" in html
    assert "Giấy ủy quyền (nếu có)" in html
    assert "Sở Tư pháp; UBND cấp xã" in html
    # Amounts in the Vietnamese style.
    assert "200.000 đ" in html
    assert "1.500.000 đ" in html
    assert "200000" not in html
    with translation.override("vi"):
        assert procedure.time_limit_label() in html
    assert "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ" in html

    # Submitted on Friday 24/01/2025 14:00: Tết (27–31/01) and the weekends are not counted.
    deadline = response.context["deadline"]
    assert deadline.due == datetime(2025, 2, 7, 17, 0, tzinfo=HANOI)  # aware, like every instant
    assert "24/01/2025" in html
    assert "07/02/2025" in html
    assert "29/01/2025" in html  # listed among the days not counted


@time_machine.travel(datetime(2025, 1, 24, 14, 0, tzinfo=HANOI), tick=False)
def test_detail_of_a_same_day_procedure(catalog):
    response = Client().get(f"/thu-tuc/{catalog['birth'].code}/")
    assert response.status_code == 200
    assert response.context["deadline"].due == datetime(2025, 1, 24, 17, 0, tzinfo=HANOI)
    assert list(catalog["birth"].fees.all()) == []


def test_detail_of_a_retired_procedure_is_still_available(catalog):
    response = Client().get(f"/thu-tuc/{catalog['retired'].code}/")
    assert response.status_code == 200
    assert "Đăng ký khai sinh lưu động" in response.content.decode()


@pytest.mark.parametrize("path", ["/thu-tuc/9.999999/", "/thu-tuc/9.999999/du-kien/"])
def test_unknown_code_is_404(catalog, path):
    assert Client().get(path).status_code == 404


# -- the HTMX preview --------------------------------------------------------------------------
def preview(code, submitted):
    return Client().get(f"/thu-tuc/{code}/du-kien/", {"submitted": submitted})


def test_preview_fragment_for_a_chosen_moment(catalog):
    response = preview("2.000635", "24/01/2025 14:00")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="due-preview"' in html
    assert "24/01/2025" in html
    assert "07/02/2025" in html
    assert response.context["deadline"].due == datetime(2025, 2, 7, 17, 0, tzinfo=HANOI)
    assert response.context["submitted"] == datetime(2025, 1, 24, 14, 0, tzinfo=HANOI)


def test_preview_across_the_2024_swap(catalog):
    # Friday 26/04/2024; Monday 29/04 is swapped off, Saturday 04/05 is worked: 3 working days
    # are Thursday 02/05, Friday 03/05 and Saturday 04/05.
    response = preview("1.004873", "26/04/2024 10:00")
    assert response.context["deadline"].due == datetime(2024, 5, 4, 17, 0, tzinfo=HANOI)
    assert "04/05/2024" in response.content.decode()


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        ("24/01/2025 10:00", datetime(2025, 1, 24, 17, 0, tzinfo=HANOI)),
        ("24/01/2025 16:00", datetime(2025, 2, 3, 17, 0, tzinfo=HANOI)),  # after 15:00, then Tết
        ("25/01/2025 09:00", datetime(2025, 2, 3, 17, 0, tzinfo=HANOI)),  # Saturday
    ],
)
def test_preview_same_day_cutoff(catalog, submitted, due):
    assert preview("1.001193", submitted).context["deadline"].due == due


def test_preview_reads_day_first_dates_in_english_too(catalog):
    response = Client().get(
        "/thu-tuc/1.004873/du-kien/",
        {"submitted": "05/02/2025 10:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["submitted"] == datetime(2025, 2, 5, 10, 0, tzinfo=HANOI)


@time_machine.travel(datetime(2025, 3, 3, 9, 0, tzinfo=HANOI), tick=False)
def test_preview_with_an_unreadable_moment_uses_now(catalog):
    response = preview("1.004873", "ngày mai")
    assert response.status_code == 200
    # Monday 03/03/2025 + 3 working days.
    assert response.context["deadline"].due == datetime(2025, 3, 6, 17, 0, tzinfo=HANOI)


def test_preview_with_an_impossible_time_limit_shows_an_error(catalog):
    procedure = catalog["split"]
    Procedure.objects.filter(pk=procedure.pk).update(time_limit_amount=0)
    response = preview(procedure.code, "24/01/2025 14:00")
    assert response.status_code == 200
    assert response.context["preview_error"]
    assert "deadline" not in response.context


# -- the API ---------------------------------------------------------------------------------
def api_get(url, **params):
    response = APIClient().get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_api_search_is_public(catalog):
    data = api_get(API_URL, q="giay khai sinh")
    assert [row["code"] for row in data["results"]] == ["1.001193", "2.000635"]
    assert data["count"] == 2
    data = api_get(API_URL, q="DANG KY KHAI SINH")
    assert data["results"][0]["code"] == "1.001193"


def test_api_filters_and_hides_retired(catalog):
    codes = {row["code"] for row in api_get(API_URL)["results"]}
    assert codes == {"1.012784", "2.000635", "1.004873", "1.001193"}
    by_level = api_get(API_URL, level="province")["results"]
    assert {row["code"] for row in by_level} == {"1.012784", "2.000635"}
    by_field = api_get(API_URL, field=catalog["land"].pk)["results"]
    assert [row["code"] for row in by_field] == ["1.012784"]
    # Bad values are ignored rather than failing.
    assert api_get(API_URL, field="abc", level="x")["count"] == 4


def test_api_detail(catalog):
    unit = OrganisationUnitFactory(code="000.00.01.H12")
    procedure = catalog["copy"]
    services.set_workflow(
        procedure,
        [
            {"name": "Tiếp nhận", "role": Role.ONE_STOP_OFFICER, "hours": 4},
            {"name": "Xử lý", "role": Role.PROCESSING_OFFICER, "hours": 32, "unit": unit},
            {"name": "Trả kết quả", "role": Role.ONE_STOP_OFFICER, "hours": 4},
        ],
    )
    data = api_get(f"{API_URL}{procedure.code}/")
    assert data["code"] == "2.000635"
    assert data["name"] == "Cấp bản sao Giấy khai sinh"
    assert data["field"]["name"] == "Hộ tịch"
    assert data["levels"] == ["province", "commune"]
    assert (data["time_limit_amount"], data["time_limit_unit"]) == (5, "working_days")
    assert [(fee["channel"], fee["amount"]) for fee in data["fees"]] == [
        ("counter", 200000),
        ("online", 1500000),
    ]
    assert [c["name"] for c in data["components"]] == [
        "Tờ khai cấp bản sao trích lục hộ tịch",
        "Giấy ủy quyền (nếu có)",
    ]
    assert [(s["name"], s["responsible_unit"]) for s in data["workflow_steps"]] == [
        ("Tiếp nhận", None),
        ("Xử lý", "000.00.01.H12"),
        ("Trả kết quả", None),
    ]
    assert sum(Decimal(s["hours"]) for s in data["workflow_steps"]) == Decimal(40)


def test_api_detail_with_a_local_code_suffix(catalog):
    make_procedure("1.001193.000.00.00.H12", "Đăng ký khai sinh (Hà Nội)", catalog["civil"])
    data = api_get(f"{API_URL}1.001193.000.00.00.H12/")
    assert data["name"] == "Đăng ký khai sinh (Hà Nội)"


def test_api_unknown_code_is_404_and_retired_code_is_marked(catalog):
    assert APIClient().get(f"{API_URL}9.999999/").status_code == 404
    # Old links and scripts keep working: a retired procedure is served, marked not in force.
    retired = APIClient().get(f"{API_URL}{catalog['retired'].code}/")
    assert retired.status_code == 200
    assert retired.json()["active"] is False


def test_api_is_read_only(catalog):
    response = APIClient().post(API_URL, {"code": "1.000002", "name": "Mới"}, format="json")
    assert response.status_code in (403, 405)
    response = APIClient().delete(f"{API_URL}2.000635/")
    assert response.status_code in (403, 405)
    assert Procedure.objects.filter(code="2.000635").exists()
    assert not Procedure.objects.filter(code="1.000002").exists()


def test_api_fields(catalog):
    data = APIClient().get("/api/v1/fields/").json()
    assert {row["name"] for row in data} == {"Đất đai", "Hộ tịch", "Lưu trữ"}


# -- workflow totals -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hours", "unit", "amount"),
    [
        ([4, 28, 4, 4], TimeUnit.WORKING_DAYS, 5),
        ([8], TimeUnit.SAME_DAY, 0),
        ([1, "1.5", 5, "0.50"], TimeUnit.SAME_DAY, 0),
        ([8], TimeUnit.SAME_DAY, 3),  # the amount does not matter for same-day
        ([4, 4, 4], TimeUnit.HALF_DAYS, 3),
        ([2, 4], TimeUnit.WORKING_HOURS, 6),
        ([200, 40], TimeUnit.CALENDAR_DAYS, 30),
    ],
)
def test_check_workflow_total_accepts_matching_totals(hours, unit, amount):
    services.check_workflow_total([Decimal(str(h)) for h in hours], unit, amount)


@pytest.mark.parametrize(
    ("hours", "unit", "amount", "total", "expected"),
    [
        ([4, 28, 4], TimeUnit.WORKING_DAYS, 5, "36", "40"),
        ([4, 28, 4, 4, "0.5"], TimeUnit.WORKING_DAYS, 5, "40.5", "40"),
        ([4], TimeUnit.SAME_DAY, 0, "4", "8"),
        ([8], TimeUnit.HALF_DAYS, 3, "8", "12"),
        ([], TimeUnit.WORKING_DAYS, 1, "0", "8"),
    ],
)
def test_check_workflow_total_rejects_other_totals(hours, unit, amount, total, expected):
    with pytest.raises(ValidationError) as excinfo:
        services.check_workflow_total([Decimal(str(h)) for h in hours], unit, amount)
    message = excinfo.value.messages[0]
    assert total in message
    assert expected in message


def test_legal_hours_match_the_model():
    field = Field.objects.create(name="Thử")
    for unit, amount, hours in [
        (TimeUnit.WORKING_DAYS, 5, 40),
        (TimeUnit.SAME_DAY, 0, 8),
        (TimeUnit.HALF_DAYS, 2, 8),
        (TimeUnit.WORKING_HOURS, 4, 4),
        (TimeUnit.CALENDAR_DAYS, 15, 120),
    ]:
        procedure = Procedure(
            code="1.000001", name="x", field=field, time_limit_unit=unit, time_limit_amount=amount
        )
        assert procedure.legal_hours() == services.legal_hours_for(unit, amount) == hours


def test_set_workflow_replaces_the_steps(catalog):
    procedure = catalog["status"]  # 3 working days = 24 hours
    unit = OrganisationUnitFactory()
    services.set_workflow(
        procedure,
        [
            {"name": "Tiếp nhận", "role": Role.ONE_STOP_OFFICER, "hours": 2},
            {"name": "Xử lý", "role": Role.PROCESSING_OFFICER, "hours": 22},
        ],
    )
    steps = services.set_workflow(
        procedure,
        [
            {"name": "Tiếp nhận", "role": Role.ONE_STOP_OFFICER, "hours": "0.5"},
            {"name": "Xử lý", "role": Role.PROCESSING_OFFICER, "hours": 19.5, "unit": unit},
            {"name": "Ký", "role": Role.LEADER, "hours": 4},
        ],
    )
    assert len(steps) == 3
    stored = list(procedure.workflow_steps.all())
    assert [(s.order, s.name, s.role, s.hours) for s in stored] == [
        (0, "Tiếp nhận", Role.ONE_STOP_OFFICER, Decimal("0.5")),
        (1, "Xử lý", Role.PROCESSING_OFFICER, Decimal("19.5")),
        (2, "Ký", Role.LEADER, Decimal(4)),
    ]
    assert stored[1].responsible_unit == unit
    assert procedure.workflow_hours() == procedure.legal_hours() == Decimal(24)


def test_set_workflow_refuses_a_wrong_total_and_keeps_the_old_steps(catalog):
    procedure = catalog["status"]
    services.set_workflow(procedure, [{"name": "Xử lý", "role": Role.LEADER, "hours": 24}])
    with pytest.raises(ValidationError):
        services.set_workflow(
            procedure,
            [
                {"name": "Tiếp nhận", "role": Role.ONE_STOP_OFFICER, "hours": 8},
                {"name": "Xử lý", "role": Role.PROCESSING_OFFICER, "hours": 8},
            ],
        )
    assert [(s.name, s.hours) for s in WorkflowStep.objects.filter(procedure=procedure)] == [
        ("Xử lý", Decimal(24))
    ]


def test_set_workflow_same_day_and_half_days(catalog):
    same_day = catalog["birth"]
    services.set_workflow(same_day, [{"name": "Xử lý", "role": Role.LEADER, "hours": 8}])
    with pytest.raises(ValidationError):
        services.set_workflow(same_day, [{"name": "Xử lý", "role": Role.LEADER, "hours": 4}])
    half = make_procedure(
        "1.000002",
        "Thủ tục hai buổi",
        catalog["civil"],
        time_limit_amount=2,
        time_limit_unit=TimeUnit.HALF_DAYS,
    )
    services.set_workflow(
        half,
        [
            {"name": "Buổi 1", "role": Role.PROCESSING_OFFICER, "hours": 4},
            {"name": "Buổi 2", "role": Role.LEADER, "hours": 4},
        ],
    )
    assert half.workflow_hours() == Decimal(8)
    with pytest.raises(ValidationError):
        services.set_workflow(half, [{"name": "Một buổi", "role": Role.LEADER, "hours": 4}])
    assert half.workflow_steps.count() == 2


# -- text folding ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("Cấp bản sao Giấy khai sinh", "cap ban sao giay khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("ư ơ ă â ê ô đ Đ", "u o a a e o d d"),
        ("  Giấy \t chứng\nnhận  ", "giay chung nhan"),
        ("Nghị định 63/2010/NĐ-CP", "nghi dinh 63/2010/nd-cp"),
        ("1.001193", "1.001193"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_is_the_same_for_composed_and_decomposed_input():
    import unicodedata

    text = "Thủ tục hành chính"
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
    assert fold(unicodedata.normalize("NFD", text)) == "thu tuc hanh chinh"


def test_search_column_is_kept_up_to_date(catalog):
    procedure = catalog["split"]
    procedure.name = "Hợp thửa đất"
    procedure.save()
    assert procedure.search_text == "1.012784 hop thua dat"
    assert Field.objects.get(pk=catalog["land"].pk).search_text == "dat dai"
