"""Results from the database: ranking, rank change, not-applicable maxima, the CLI and API
contract (exact keys), and who sees which rows before and after publication."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.organisations.models import Role
from cchc.parindex import results as selectors
from cchc.parindex.models import CouncilRole, RoundStatus
from cchc.parindex.tests import results_factories as make

pytestmark = pytest.mark.django_db

TOP_KEYS = {"year", "level", "criteria_set", "units"}
UNIT_KEYS = {
    "unit",
    "unit_name",
    "max_points",
    "self_score",
    "appraised_score",
    "survey_score",
    "bonus",
    "total",
    "index",
    "rank",
    "grade",
    "rank_change",
    "fields",
}
FIELD_KEYS = {"code", "name", "max", "score", "index"}


@pytest.fixture
def world():
    province = make.province()
    home = make.unit("Sở Nội vụ", province)
    a = make.unit("Sở Xây dựng", province)
    b = make.unit("Sở Tư pháp", province)
    c = make.unit("Sở Y tế", province)
    old_set = make.criteria_set(year=2024)
    new_set = make.criteria_set(year=2025)
    last = make.round_(old_set, home, status=RoundStatus.PUBLISHED)
    # 2024: b first, c second, a third
    make.assess(last, a, {"1.1": 10, "1.2": 10, "2.1": 20, "2.2": {"survey": 15}})
    make.assess(last, b, {"1.1": 20, "1.2": 20, "2.1": 35, "2.2": {"survey": 25}})
    make.assess(last, c, {"1.1": 15, "1.2": 15, "2.1": 30, "2.2": {"survey": 20}})
    this = make.round_(new_set, home, status=RoundStatus.DECIDED)
    # 2025: a 89.15 (not applicable 1.2 → max 80), b and c tie
    make.assess(
        this,
        a,
        {
            "1.1": (20, 18, "Kế hoạch ban hành chậm"),
            "1.2": "na",
            "2.1": (35, 32.76),
            "2.2": {"survey": 20.56},
            "B.1": 0.0,
        },
    )
    make.assess(this, b, {"1.1": 15, "1.2": 15, "2.1": 30, "2.2": {"survey": 20}})
    make.assess(this, c, {"1.1": 15, "1.2": 15, "2.1": 30, "2.2": {"survey": 20}, "B.1": (0, 0)})
    return {"home": home, "a": a, "b": b, "c": c, "last": last, "this": this}


def test_round_results_rank_index_and_change(world):
    results = selectors.round_results(world["this"])
    rows = {r.extra["unit_name"]: r for r in results.results}
    a = rows["Sở Xây dựng"]
    assert a.max_points == 80  # 1.2 not applicable
    assert str(a.total) == "71.32"
    assert str(a.index) == "89.15"  # 71.32 / 80 × 100
    assert a.grade == "B"
    assert (a.rank, a.extra["rank_change"]) == (1, 2)  # third last year: "tăng 2 hạng"
    b, c = rows["Sở Tư pháp"], rows["Sở Y tế"]
    assert b.index == c.index == 80
    assert b.rank == c.rank == 2  # ties share a rank
    assert b.extra["rank_change"] == -1 and c.extra["rank_change"] == 0


def test_unit_losses_carry_the_council_reason(world):
    results = selectors.round_results(world["this"])
    losses = selectors.unit_losses(results, world["a"].pk)
    by_code = {item.loss.code: item for item in losses}
    assert by_code["1.1"].reason == "Kế hoạch ban hành chậm"
    assert by_code["1.1"].loss.lost == 2
    assert "1.2" not in by_code  # not applicable: nothing to lose
    province = selectors.province_losses(results)
    assert province[0].units_losing == 3


def test_results_payload_has_exactly_the_contract_keys(world):
    data = selectors.results_payload(2025, everything=True)
    assert set(data) == TOP_KEYS
    assert data["year"] == 2025 and data["level"] == "department"
    assert len(data["units"]) == 3
    for row in data["units"]:
        assert set(row) == UNIT_KEYS
        assert row["fields"] and all(set(f) == FIELD_KEYS for f in row["fields"])
    first = data["units"][0]
    assert first["index"] == 89.15 and first["max_points"] == 80.0
    assert first["self_score"] == 55.0 and first["appraised_score"] == 50.76
    assert first["survey_score"] == 20.56 and first["rank_change"] == 2
    json.dumps(data)  # JSON-ready


def test_cli_json_and_table(world):
    out = StringIO()
    call_command("par-results", "--year", "2025", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data == selectors.results_payload(2025, everything=True)
    out = StringIO()
    call_command("par-results", "--year", "2025", stdout=out)
    text = out.getvalue()
    assert "89,15" in text and "Sở Xây dựng" in text and "↑2" in text


@pytest.mark.parametrize("args", [["--year", "abc"], ["--year", "1999"], ["--year", "2031"]])
def test_cli_refuses_bad_years(world, args):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("par-results", *args, stderr=err)
    assert exit_info.value.code == 2
    assert err.getvalue().startswith("Lỗi:")


def test_api_equals_cli_for_the_organiser(client, django_user_model, world):
    staff = make.staff(django_user_model, "noivu", Role.REFORM_STAFF, world["home"])
    client.force_login(staff)
    response = client.get(reverse("parindex-results-api"), {"year": 2025})
    assert response.status_code == 200
    assert response.json() == selectors.results_payload(2025, everything=True)


@pytest.mark.parametrize("query", [{}, {"year": "abc"}, {"year": "1999"}, {"year": "2030"}])
def test_api_bad_year_is_a_400_on_the_field(client, world, query):
    response = client.get(reverse("parindex-results-api"), query)
    assert response.status_code == 400
    body = response.json()
    assert "year" in body and body["year"][0]


def test_api_bad_level_is_a_400(client, world):
    response = client.get(reverse("parindex-results-api"), {"year": 2025, "level": "moon"})
    assert response.status_code == 400 and "level" in response.json()
    other = client.get(reverse("parindex-results-api"), {"year": 2025, "level": "commune"})
    assert other.status_code == 400
    assert other.json() == {"level": ["Năm 2025 không có kỳ đánh giá nào của cấp này."]}
    none = client.get(reverse("parindex-results-api"), {"year": 2023, "level": "commune"})
    assert none.status_code == 400 and list(none.json()) == ["year"]


def test_published_round_is_public(client, world):
    response = client.get(reverse("parindex-results-api"), {"year": 2024})
    assert response.status_code == 200
    assert len(response.json()["units"]) == 3


def test_before_publication_a_unit_sees_only_its_own_row(client, django_user_model, world):
    officer = make.staff(django_user_model, "xaydung", Role.PROCESSING_OFFICER, world["a"])
    client.force_login(officer)
    data = client.get(reverse("parindex-results-api"), {"year": 2025}).json()
    assert [row["unit"] for row in data["units"]] == [world["a"].code]
    assert data["units"][0]["rank"] == 1  # ranked among all units all the same


def test_before_publication_strangers_and_anonymous_see_nothing(client, django_user_model, world):
    assert client.get(reverse("parindex-results-api"), {"year": 2025}).status_code == 403
    outsider = make.staff(django_user_model, "khac", Role.LEADER, make.unit("Sở khác"))
    client.force_login(outsider)
    assert client.get(reverse("parindex-results-api"), {"year": 2025}).status_code == 403


def test_before_publication_the_council_chair_sees_every_row(client, django_user_model, world):
    chair = django_user_model.objects.create_user("hoidong", password="pw-123456")
    make.council(world["this"], chair, CouncilRole.CHAIR)
    client.force_login(chair)
    data = client.get(reverse("parindex-results-api"), {"year": 2025}).json()
    assert len(data["units"]) == 3


def test_before_publication_a_plain_council_member_sees_no_ranking(
    client, django_user_model, world
):
    """A member appraises only the fields assigned (``selectors``); the ranking of every unit
    before publication is for the chair, the secretary and the organiser."""
    member = django_user_model.objects.create_user("thanhvien", password="pw-123456")
    make.council(world["this"], member)
    client.force_login(member)
    assert client.get(reverse("parindex-results-api"), {"year": 2025}).status_code == 403


def test_several_levels_in_a_year_need_a_level(world):
    commune_set = make.criteria_set(year=2025, level="commune", name="Bộ tiêu chí xã")
    make.round_(commune_set, world["home"])
    with pytest.raises(selectors.ResultsQueryError) as error:
        selectors.results_payload(2025, everything=True)
    assert error.value.field == "level"
    assert selectors.results_payload(2025, "department", everything=True)["level"] == "department"
