"""``GET /api/v1/surveys/campaigns/<code>/results/``: the CLI's JSON, scope, 404s, the schema."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cchc.common.tests.test_api_fuzz import keep_connection  # noqa: F401  (fixture)
from cchc.organisations.models import Role
from cchc.surveys.models import CampaignStatus
from cchc.surveys.tests import factories
from cchc.surveys.tests.test_results import build_case
from cchc.surveys.tests.test_results_cli import FACTOR_KEYS, UNIT_KEYS

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/campaigns/{}/results/"


@pytest.fixture
def case():
    return build_case()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_organisers_staff_get_the_same_json_as_the_cli(case):
    user = factories.user_with(Role.REFORM_STAFF, case["home"])
    answer = api(user).get(URL.format("sipas-thu"))
    assert answer.status_code == 200
    out = StringIO()
    call_command("sipas-results", "--campaign", "sipas-thu", "--json", stdout=out)
    assert answer.json() == json.loads(out.getvalue())
    data = answer.json()
    assert list(data) == ["campaign", "units"]
    assert all(list(unit) == UNIT_KEYS for unit in data["units"])
    assert all(list(f) == FACTOR_KEYS for unit in data["units"] for f in unit["factors"])
    assert [u["rank"] for u in data["units"]] == [1, 2, None]


def test_a_surveyed_units_staff_get_only_its_row(case):
    user = factories.user_with(Role.LEADER, case["a"])
    data = api(user).get(URL.format("sipas-thu")).json()
    assert [u["unit"] for u in data["units"]] == ["000.00.31.H99"]
    assert data["units"][0]["rank"] == 2


def test_unknown_or_unseen_campaigns_are_404(case):
    assert api().get(URL.format("khong-co")).status_code == 404
    assert api().get(URL.format("sipas-thu")).status_code == 404  # anonymous, not published
    outsider = factories.unit("Sở Tài chính", case["province"], code="000.00.09.H99")
    user = factories.user_with(Role.REFORM_STAFF, outsider)
    answer = api(user).get(URL.format("sipas-thu"))
    assert answer.status_code == 404 and "detail" in answer.json()


def test_a_published_campaign_is_public(case):
    campaign = case["campaign"]
    campaign.status = CampaignStatus.PUBLISHED
    campaign.save()
    data = api().get(URL.format("sipas-thu")).json()
    assert len(data["units"]) == 3 and data["units"][1]["index"] == 66.67


def test_the_endpoint_is_in_the_schema():
    schema = api().get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    operation = paths["/api/v1/surveys/campaigns/{code}/results/"]["get"]
    assert set(operation["responses"]) >= {"200", "404"}


@pytest.mark.usefixtures("keep_connection")
@pytest.mark.parametrize("published", [False, True])
def test_the_endpoint_never_fails_under_the_fuzzer(case, published):
    """The project's Schemathesis harness (common/tests/test_api_fuzz.py) on this operation
    alone, anonymously and as the organiser's staff, before and after publication."""
    import schemathesis
    from rest_framework.authtoken.models import Token

    from cchc.common.tests.test_api_fuzz import EXAMPLES, _fuzz_operation
    from cchc.wsgi import application

    if published:
        case["campaign"].status = CampaignStatus.PUBLISHED
        case["campaign"].save()
    staff = factories.user_with(Role.REFORM_STAFF, case["home"])
    token = Token.objects.get_or_create(user=staff)[0].key
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures: list[str] = []
    found = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if "/surveys/campaigns/" not in operation.label:
            continue
        found += 1
        for headers in ({}, {"Authorization": f"Token {token}"}):
            for mode in EXAMPLES:
                _fuzz_operation(operation, headers, mode, failures)
    assert found == 1
    assert not failures, "\n\n".join(failures)
