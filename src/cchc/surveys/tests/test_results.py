"""Results through the whole Django path against a hand-computed case, and the pages.

The case (built-in SIPAS questionnaire, every service item answered at one level per response,
no feedback section, so four factors: access 3 items, procedures 4, officials 3, results 3):

====  ======================================  ==========================================
unit  counted responses (level of each item)  index, 95 % interval, rank
====  ======================================  ==========================================
A     5, 4, 2 (+ one rejected 1, one flagged  2 of 3 satisfied → 66.67; a resample's index
      1: not counted)                         is the share of satisfied respondents drawn,
                                              Binomial(3, 2/3): P(0) = 3.7 % > 2.5 %, so
                                              the interval is 0.00 … 100.00; rank 2
B     5, 5, 5, 1                              3 of 4 → 75.00; P(≤ 0) = 0.4 %, P(≤ 1) =
                                              5.1 %: the 2.5 % quantile is 25.00, the
                                              97.5 % one 100.00; rank 1
C     4, 4                                    100.00 but 2 < minimum 3: not enough answers
====  ======================================  ==========================================

A and B overlap, so the ranking marks the difference as not significant.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.catalog.models import Field, Procedure
from cchc.dossiers.models import Dossier
from cchc.organisations.models import Role
from cchc.surveys import results
from cchc.surveys.engine import form
from cchc.surveys.engine import statistics as stats
from cchc.surveys.models import CampaignStatus, Invitation, ResponseChannel, ReviewStatus
from cchc.surveys.tests import campaign_factories as make
from cchc.surveys.tests import factories

pytestmark = pytest.mark.django_db

APPLICANT = {
    "name": "Nguyễn Thị Bí Mật",
    "phone": "0912345678",
    "id_number": "001190099999",
    "dossier": "000.00.31.H99-260101-0042",
}


def applicant_dossier(unit) -> Dossier:
    field, _ = Field.objects.get_or_create(name="Hộ tịch")
    procedure, _ = Procedure.objects.get_or_create(
        code="1.001193",
        defaults={
            "name": "Đăng ký khai sinh",
            "field": field,
            "level_commune": True,
            "time_limit_amount": 1,
            "time_limit_unit": "working_days",
            "channel_counter": True,
        },
    )
    return Dossier.objects.create(
        code=APPLICANT["dossier"],
        receiving_unit=unit,
        current_unit=unit,
        procedure=procedure,
        status=10,
        channel=1,
        applicant_kind="individual",
        applicant_name=APPLICANT["name"],
        applicant_id_type="cccd",
        applicant_id_number=APPLICANT["id_number"],
        applicant_phone=APPLICANT["phone"],
    )


def build_case(status=CampaignStatus.CLOSED, code="sipas-thu"):
    """The campaign of the module docstring; returns a dict of its parts."""
    province = factories.unit("UBND tỉnh An Bình", kind="province_committee", code="H99")
    home = factories.unit("Sở Nội vụ", province, code="000.00.01.H99")
    a = factories.unit("Phường An Khánh", province, code="000.00.31.H99")
    b = factories.unit("Phường Bình Minh", province, code="000.00.32.H99")
    c = factories.unit("Xã Cát Tiên", province, code="000.00.33.H99")
    campaign = make.campaign(home, [a, b, c], code=code, status=status, minimum_responses=3)
    dossier = applicant_dossier(a)
    invitations = []
    for n in range(4):  # four invitations at A, two answered; one carries the applicant's data
        invitations.append(
            Invitation.objects.create(
                campaign=campaign,
                unit=a,
                token_hash=f"{code}-{n}".ljust(64, "0"),
                channel=ResponseChannel.SMS,
                dossier=dossier if n == 0 else None,
                contact=APPLICANT["phone"] if n == 0 else "0987000111",
            )
        )
    answers = make.sipas_answers
    make.response(campaign, a, answers(5), channel=ResponseChannel.SMS, invitation=invitations[0])
    make.response(campaign, a, answers(4), channel=ResponseChannel.SMS, invitation=invitations[1])
    make.response(campaign, a, answers(2), channel=ResponseChannel.QR)
    make.response(campaign, a, answers(1), review=ReviewStatus.REJECTED)
    make.response(campaign, a, answers(1), review=ReviewStatus.FLAGGED)
    for level in (5, 5, 5, 1):
        make.response(campaign, b, answers(level), channel=ResponseChannel.KIOSK)
    make.response(campaign, b, answers(1), review=ReviewStatus.REJECTED)
    for _n in range(2):
        make.response(campaign, c, answers(4), channel=ResponseChannel.PAPER)
    return {
        "campaign": campaign,
        "province": province,
        "home": home,
        "a": a,
        "b": b,
        "c": c,
        "dossier": dossier,
    }


@pytest.fixture
def case():
    return build_case()


def by_unit(found):
    return {row.unit: row for row in found.rows}


# -- the items of the index ------------------------------------------------------------------------
def test_item_map_takes_five_point_matrices_and_likert_questions_with_a_factor():
    spec = form.FormSpec(
        code="x",
        title="x",
        factors=[form.Factor("staff", "Công chức", 2), form.Factor("access", "Tiếp cận", 1)],
        sections=[
            form.Section(
                "s",
                "S",
                [
                    form.Question("q1", "Q1", form.LIKERT5, factor="staff"),
                    form.Question("q2", "Q2", form.LIKERT5),  # no factor: not in the index
                    form.Question(
                        "m",
                        "M",
                        form.MATRIX,
                        factor="access",
                        choices=[form.Choice(str(n), str(n)) for n in range(1, 6)],
                        items=[form.MatrixItem("m1", "1"), form.MatrixItem("m2", "2", "staff")],
                    ),
                    form.Question(  # a 4-point matrix is not on the 5-point scale
                        "f",
                        "F",
                        form.MATRIX,
                        factor="access",
                        choices=[form.Choice(str(n), str(n)) for n in range(1, 5)],
                        items=[form.MatrixItem("f1", "1")],
                    ),
                ],
            )
        ],
    )
    columns = results.item_map(spec)
    assert columns.items == ("q1", "m1", "m2")
    assert columns.item_factors == ("staff", "access", "staff")
    assert columns.factors == ("access", "staff")  # the questionnaire's factor order


def test_item_map_of_the_builtin_questionnaire(case):
    columns = results.item_map(case["campaign"].questionnaire.as_spec())
    assert columns.factors == ("access", "procedures", "officials", "results", "feedback")
    assert len(columns.items) == 16
    assert columns.factor_items("procedures") == tuple(f"sv_procedures_{n}" for n in range(1, 5))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=12))
def test_uniform_answers_give_the_share_of_satisfied_respondents(levels):
    """Property: when a respondent answers every item at one level, every item, factor and the
    index equal the share of respondents at 4 or 5 (pure path: flatten → matrix → engine)."""
    spec = form.FormSpec(
        code="x",
        title="x",
        factors=[form.Factor("a", "A", 1), form.Factor("b", "B", 2)],
        sections=[
            form.Section(
                "s",
                "S",
                [
                    form.Question(
                        "m",
                        "M",
                        form.MATRIX,
                        items=[form.MatrixItem("m1", "1", "a"), form.MatrixItem("m2", "2", "b")],
                    ),
                    form.Question("q", "Q", form.LIKERT5, factor="b"),
                ],
            )
        ],
    )
    columns = results.item_map(spec)
    rows = [
        results.flat_answers(spec, {"m": {"m1": str(v), "m2": str(v)}, "q": str(v)}) for v in levels
    ]
    matrix = results.levels_matrix(rows, columns.items)
    result = stats.unit_result("u", matrix, columns, stats.IndexConfig(resamples=0))
    expected = 100 * sum(v >= 4 for v in levels) / len(levels)
    assert math.isclose(result.index, expected)
    assert all(math.isclose(f.index, expected) for f in result.factors)


def test_malformed_and_not_applicable_answers_are_not_valid_answers():
    matrix = results.levels_matrix([{"a": "x"}, {"a": "na"}, {"a": "4"}, {"a": None}], ["a"])
    assert np.isnan(matrix[:3, 0][:2]).all() and matrix[2, 0] == 4 and np.isnan(matrix[3, 0])


# -- the hand-computed case ------------------------------------------------------------------------
def test_indices_intervals_and_ranks_match_the_hand_computation(case):
    rows = by_unit(results.campaign_results(case["campaign"]))
    a, b = rows["000.00.31.H99"], rows["000.00.32.H99"]
    assert results.percent(a.index) == 66.67 and a.responses == 3
    assert (results.percent(a.ci_low), results.percent(a.ci_high)) == (0.0, 100.0)
    assert results.percent(b.index) == 75.0 and b.responses == 4
    assert (results.percent(b.ci_low), results.percent(b.ci_high)) == (25.0, 100.0)
    assert (b.rank, a.rank) == (1, 2)
    assert b.overlaps_next and a.overlaps_previous and a.overlaps
    # each factor equals the index (every item answered at the same level)
    assert [f.code for f in a.factors] == [
        "access",
        "procedures",
        "officials",
        "results",
        "feedback",
    ]
    assert [f.items for f in a.factors] == [3, 4, 3, 3, 3]
    assert all(results.percent(f.index) == 66.67 for f in a.factors[:4])
    assert a.factors[4].index is None and a.factors[4].ci_low is None  # nobody gave feedback
    # item distribution: one answer at 2, one at 4, one at 5
    first = a.items[0]
    assert first.code == "sv_access_1" and first.distribution == (0, 1, 0, 1, 1)
    assert results.percent(first.share) == 66.67


def test_a_unit_under_the_minimum_is_not_ranked(case):
    found = results.campaign_results(case["campaign"])
    c = by_unit(found)["000.00.33.H99"]
    assert c.responses == 2 and c.index == 100.0
    assert c.rank is None and not c.enough
    assert found.rows[-1] is c  # listed after the ranked units


def test_rejected_and_flagged_responses_are_not_counted(case):
    rows = by_unit(results.campaign_results(case["campaign"]))
    assert rows["000.00.31.H99"].responses == 3  # 5 stored: one rejected, one flagged
    assert rows["000.00.32.H99"].responses == 4
    assert sum(rows["000.00.31.H99"].items[0].distribution) == 3


def test_invitations_response_rate_and_channels(case):
    rows = by_unit(results.campaign_results(case["campaign"]))
    a = rows["000.00.31.H99"]
    assert a.invited == 4 and a.response_rate == 50.0  # 2 answered through their invitation
    assert a.channels == {"sms": 2, "qr": 1}
    assert rows["000.00.32.H99"].invited == 0 and rows["000.00.32.H99"].response_rate is None
    assert rows["000.00.33.H99"].channels == {"paper": 2}


def test_open_texts_are_collected_per_unit(case):
    answers = make.sipas_answers(4) | {"e_other": "Nên có thêm ghế chờ."}
    make.response(case["campaign"], case["b"], answers)
    texts = results.campaign_results(case["campaign"], resamples=0).texts
    assert [(t.unit, t.question, t.text) for t in texts] == [
        ("000.00.32.H99", "e_other", "Nên có thêm ghế chờ.")
    ]


def test_the_seed_makes_the_intervals_reproducible(case):
    first = results.payload(results.campaign_results(case["campaign"]))
    again = results.payload(results.campaign_results(case["campaign"]))
    assert first == again


def test_trend_lists_the_organisers_closed_campaigns_oldest_first(case):
    older = make.campaign(
        case["home"],
        [case["a"]],
        code="sipas-cu",
        status=CampaignStatus.PUBLISHED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 9, 30),
    )
    for level in (5, 1):
        make.response(older, case["a"], make.sipas_answers(level))
    make.campaign(case["home"], [case["a"]], code="sipas-nhap", status=CampaignStatus.DRAFT)
    points = results.trend(case["campaign"])
    assert [p["campaign"] for p in points] == ["sipas-cu", "sipas-thu"]
    assert points[0]["index"] == 50.0
    assert points[1]["index"] == round(100 * 7 / 9, 2)  # every counted response together


# -- who sees what ---------------------------------------------------------------------------------
def staff(role, unit):
    return factories.user_with(role, unit)


def test_results_page_for_the_organisers_staff(client, case):
    client.force_login(staff(Role.REFORM_STAFF, case["home"]))
    page = client.get(reverse("surveys:results_campaign", args=[case["campaign"].code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phường An Khánh" in html and "Xã Cát Tiên" in html
    assert "66,67" in html and "75,00" in html and "25,00 – 100,00" in html
    assert "01/01/2026" in html  # dates dd/mm/yyyy
    assert 'id="chart-units"' in html and 'class="whisker"' in html
    assert 'id="chart-factors"' in html and 'id="chart-items"' in html
    assert 'id="channels"' in html
    assert page.context["rows"][-1].rank is None
    assert "<script" not in html.split('id="ranking"')[1].split("</table>")[0]


def test_not_enough_answers_is_shown_instead_of_a_rank(client, case):
    client.force_login(staff(Role.LEADER, case["home"]))
    html = client.get(reverse("surveys:results_campaign", args=[case["campaign"].code])).content
    table = html.decode().split('id="ranking"')[1].split("</table>")[0]
    row = table.split("Xã Cát Tiên")[0].rsplit("<tr>", 1)[1]
    assert "badge text-bg-warning" in row  # the "not enough answers" badge, not a number


def test_a_surveyed_units_staff_see_only_its_row(client, case):
    client.force_login(staff(Role.REFORM_STAFF, case["a"]))
    page = client.get(reverse("surveys:results_campaign", args=[case["campaign"].code]))
    assert page.status_code == 200
    assert [row.unit for row in page.context["rows"]] == ["000.00.31.H99"]
    assert page.context["rows"][0].rank == 2  # its rank among all units
    assert "Phường Bình Minh" not in page.content.decode()
    assert not page.context["can_export_raw"]
    raw = client.get(reverse("surveys:results_raw_csv", args=[case["campaign"].code]))
    assert raw.status_code == 404


def test_others_get_a_404_before_publication(client, case):
    url = reverse("surveys:results_campaign", args=[case["campaign"].code])
    outsider = factories.unit("Sở Tài chính", case["province"], code="000.00.09.H99")
    client.force_login(staff(Role.REFORM_STAFF, outsider))
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.ONE_STOP_OFFICER, case["a"]))  # not a results role
    assert client.get(url).status_code == 404
    assert client.get(reverse("surveys:results_campaign", args=["khong-co"])).status_code == 404


def test_the_campaign_list_shows_only_visible_campaigns(client, case):
    make.campaign(
        factories.unit("Sở Y tế", case["province"], code="000.00.05.H99"), [], code="sipas-khac"
    )
    client.force_login(staff(Role.REFORM_STAFF, case["home"]))
    page = client.get(reverse("surveys:results_index"))
    assert [c.code for c in page.context["campaigns"]] == ["sipas-thu"]


def test_public_page_only_for_a_published_campaign(client, case):
    url = reverse("surveys:public_campaign", args=[case["campaign"].code])
    assert client.get(url).status_code == 404  # closed, not published
    campaign = case["campaign"]
    campaign.status = CampaignStatus.PUBLISHED
    campaign.save()
    page = client.get(url)  # anonymous
    assert page.status_code == 200
    html = page.content.decode()
    assert "66,67" in html and "Xã Cát Tiên" in html and 'id="public-factors"' in html
    assert "Response rate" not in html and "Tỷ lệ phản hồi" not in html
    listing = client.get(reverse("surveys:public_index")).content.decode()
    assert campaign.name in listing


def test_public_page_leaves_open_texts_out(client, case):
    campaign = case["campaign"]
    campaign.status = CampaignStatus.PUBLISHED
    campaign.save()
    answers = make.sipas_answers(4) | {"e_other": "Cán bộ Trần Văn Riêng rất nhiệt tình"}
    make.response(campaign, case["b"], answers)
    html = client.get(reverse("surveys:public_campaign", args=[campaign.code])).content.decode()
    assert "Trần Văn Riêng" not in html


def test_open_texts_page_filters_and_pages(client, case):
    campaign = case["campaign"]
    for n in range(30):
        unit = case["a"] if n % 2 else case["b"]
        make.response(campaign, unit, make.sipas_answers(4) | {"e_other": f"Góp ý số {n}"})
    client.force_login(staff(Role.REFORM_STAFF, case["home"]))
    url = reverse("surveys:results_texts", args=[campaign.code])
    first = client.get(url)
    assert first.context["page"].paginator.count == 30 and len(first.context["page"]) == 25
    assert "page=2" in first.content.decode()
    only_a = client.get(url, {"unit": case["a"].code})
    assert only_a.context["page"].paginator.count == 15
    found = client.get(url, {"q": "số 7", "question": "e_other"})
    assert [t.text for t in found.context["page"]] == ["Góp ý số 7"]
    # a unit's staff read only their own unit's answers, even after publication
    campaign.status = CampaignStatus.PUBLISHED
    campaign.save()
    client.force_login(staff(Role.LEADER, case["a"]))
    assert client.get(url).context["page"].paginator.count == 15
    client.logout()
    assert client.get(url).status_code == 302  # login required


@pytest.mark.parametrize("formula, expected", [("mean", 73.33), ("pooled", 71.11)])
def test_the_campaigns_formula_is_used(formula, expected):
    """Two respondents satisfied with everything incl. feedback (16 items), one dissatisfied
    with the 13 items shown to him: mean = (4 × 2/3 + 1) ÷ 5 = 73.33 %; pooled = 32 ÷ 45 =
    71.11 %."""
    home = factories.unit("Sở Nội vụ", code="000.00.01.H99")
    unit = factories.unit("Phường An Khánh", home, code="000.00.31.H99")
    campaign = make.campaign(home, [unit], formula=formula, minimum_responses=1)
    for _n in range(2):
        make.response(campaign, unit, make.sipas_answers(5, feedback=True))
    make.response(campaign, unit, make.sipas_answers(1))
    row = results.campaign_results(campaign).rows[0]
    assert results.percent(row.index) == expected and row.rank == 1


def test_a_campaign_without_units_or_responses_has_no_rows():
    home = factories.unit("Sở Nội vụ", code="000.00.01.H99")
    campaign = make.campaign(home, [], status=CampaignStatus.DRAFT)
    found = results.campaign_results(campaign)
    assert found.rows == [] and results.payload(found) == {"campaign": "sipas-thu", "units": []}


def test_a_unit_without_any_response_has_no_index_and_no_rank():
    home = factories.unit("Sở Nội vụ", code="000.00.01.H99")
    unit = factories.unit("Phường An Khánh", home, code="000.00.31.H99")
    row = results.campaign_results(make.campaign(home, [unit])).rows[0]
    assert (row.responses, row.index, row.ci_low, row.rank) == (0, None, None, None)
    assert [f.index for f in row.factors] == [None] * 5


def test_pages_of_a_campaign_without_answers_render(client):
    home = factories.unit("Sở Nội vụ", code="000.00.01.H99")
    unit = factories.unit("Phường An Khánh", home, code="000.00.31.H99")
    campaign = make.campaign(home, [unit], status=CampaignStatus.PUBLISHED)
    client.force_login(staff(Role.REFORM_STAFF, home))
    page = client.get(reverse("surveys:results_campaign", args=[campaign.code]))
    assert page.status_code == 200 and page.context["chosen"] is None
    assert client.get(reverse("surveys:results_pdf", args=[campaign.code])).status_code == 200
    client.logout()
    assert client.get(reverse("surveys:public_campaign", args=[campaign.code])).status_code == 200
