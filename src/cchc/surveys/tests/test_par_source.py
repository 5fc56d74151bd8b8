"""The "sipas" PAR INDEX survey source: which campaign it reads, its rows, and the import that
turns a unit's 86.24 % into 21.56 points on the 25-point survey leaf."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.organisations.models import Role
from cchc.parindex import survey
from cchc.parindex.models import LeafScore, RoundStatus
from cchc.parindex.tests import results_factories as par
from cchc.surveys import par_source
from cchc.surveys.models import CampaignStatus, Response, ResponseChannel
from cchc.surveys.tests import campaign_factories as make

pytestmark = pytest.mark.django_db

YEAR_2025 = {"period_start": date(2025, 1, 1), "period_end": date(2025, 10, 31)}


@pytest.fixture
def setup(django_user_model):
    province = par.province()
    home = par.unit("Sở Nội vụ", province, code="000.00.91.H99")  # explicit codes: the
    # factories' numbering is shared with the PAR INDEX tests, which name 000.00.11/12
    a = par.unit("Sở Xây dựng", province, code="000.00.11.H99")
    b = par.unit("Sở Tư pháp", province, code="000.00.12.H99")
    round_obj = par.round_(par.criteria_set(), home, status=RoundStatus.APPRAISAL)
    par.assess(round_obj, a, {"1.1": 10})
    par.assess(round_obj, b, {"1.1": 12})
    staff = par.staff(django_user_model, "noivu", Role.REFORM_STAFF, home)
    return {"province": province, "home": home, "a": a, "b": b, "round": round_obj, "staff": staff}


def answered(campaign, unit, levels):
    """Responses answering every service item at each of ``levels`` (bulk: 100+ rows)."""
    now = timezone.now()
    Response.objects.bulk_create(
        Response(
            campaign=campaign,
            unit=unit,
            channel=ResponseChannel.QR,
            answers=make.sipas_answers(level),
            submitted_at=now,
        )
        for level in levels
    )


def published(organiser, units, code, **dates):
    values = {**YEAR_2025, **dates}
    return make.campaign(
        organiser,
        units,
        code=code,
        status=CampaignStatus.PUBLISHED,
        published_at=timezone.now(),
        **values,
    )


def test_the_source_is_registered_at_startup():
    entry = survey.survey_sources["sipas"]
    assert entry.rows is par_source.rows and str(entry.label)


def test_rows_of_the_newest_published_campaign_of_an_ancestor_organiser(setup):
    # organised by the province, above the round's organiser (the Department of Home Affairs)
    campaign = published(setup["province"], [setup["a"], setup["b"]], "sipas-2025")
    answered(campaign, setup["a"], [5] * 94 + [2] * 15)  # 94 / 109 = 86.238… → 86.24
    answered(campaign, setup["b"], [4, 4, 1, 1])  # 50.00, under the minimum: still offered
    rows = par_source.rows(setup["round"])
    assert rows == [
        {"unit": "000.00.11.H99", "percent": "86.24"},
        {"unit": "000.00.12.H99", "percent": "50.00"},
    ]


def test_campaigns_not_published_of_another_year_or_organiser_are_ignored(setup):
    closed = make.campaign(setup["home"], [setup["a"]], code="dong", status="closed", **YEAR_2025)
    answered(closed, setup["a"], [5])
    other_year = published(
        setup["home"],
        [setup["a"]],
        "nam-khac",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
    )
    answered(other_year, setup["a"], [5])
    elsewhere = published(
        par.unit("Sở Y tế", setup["province"], code="000.00.92.H99"), [setup["a"]], "so-khac"
    )
    answered(elsewhere, setup["a"], [5])
    assert par_source.source_campaign(setup["round"]) is None
    assert par_source.rows(setup["round"]) == []
    older = published(setup["home"], [setup["a"]], "cu", period_end=date(2025, 6, 30))
    newer = published(setup["home"], [setup["a"]], "moi")
    assert par_source.source_campaign(setup["round"]) == newer != older


def test_import_from_source_converts_the_index_to_points(setup):
    campaign = published(setup["home"], [setup["a"]], "sipas-2025")
    answered(campaign, setup["a"], [5] * 94 + [2] * 15)
    outcome = survey.import_from_source(setup["round"].pk, "sipas", setup["staff"])
    assert outcome.changed == 1
    leaf = LeafScore.objects.get(assessment__unit=setup["a"], criterion__code="2.2")
    assert leaf.survey_score == Decimal("21.56")  # 86.24 ÷ 100 × 25
    assert outcome.changes[0]["percent"] == "86.24"
