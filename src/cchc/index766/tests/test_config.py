"""Overrides in the database: rules per day, the combined check, services and the admin."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cchc.index766 import config, services
from cchc.index766.engine import CONFIGURED, DEFAULT_RULES, RuleSetError
from cchc.index766.models import IndicatorOverride
from cchc.organisations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D1 = date(2024, 1, 1)
D2 = date(2025, 1, 1)
ADD_URL = reverse("admin:index766_indicatoroverride_add")


def row(day, indicator, max_points=None, threshold=None):
    return IndicatorOverride(
        effective_from=day, indicator=indicator, max_points=max_points, threshold=threshold
    )


def move_online_points(day=D1):
    """3.1 → 5 and 3.2 → 3: the online services group keeps its 12 points."""
    return services.add_overrides(
        day, {"3.1": {"max_points": Decimal(5)}, "3.2": {"max_points": Decimal(3)}}, "CV 1/VPCP"
    )


def test_rules_without_overrides_are_the_engine_defaults():
    rules = config.rules_for(D1)
    assert [(i.id, i.max_points, i.threshold) for i in rules.indicators] == [
        (i.id, i.max_points, i.threshold) for i in DEFAULT_RULES.indicators
    ]


def test_overrides_apply_from_their_date():
    user = UserFactory()
    rows = services.add_overrides(
        D1,
        {"3.1": {"max_points": Decimal(5)}, "3.2": {"max_points": Decimal(3)}},
        "Công văn 1/VPCP",
        user,
    )
    assert [r.created_by for r in rows] == [user, user]
    assert config.rules_for(date(2023, 12, 31)).indicator("3.1").max_points == 4
    after = config.rules_for(D1)
    assert after.indicator("3.1").max_points == 5
    assert after.indicator("3.1").points_status == CONFIGURED
    assert after.indicator("3.2").max_points == 3
    result = config.compute({"3.1": (8, 10), "3.2": (1, 1)}, date(2024, 6, 1))
    assert result.group("online_services").points == 8  # 5 + 3


def test_latest_value_per_setting_wins():
    services.add_overrides(D1, {"3.3": {"threshold": Decimal("0.6")}})
    move_online_points(D2)
    rules = config.rules_for(date(2025, 3, 1))
    assert rules.indicator("3.3").threshold == Decimal("0.6")  # from D1, still in force
    assert rules.indicator("3.1").max_points == 5  # from D2
    services.add_overrides(date(2025, 6, 1), {"3.3": {"threshold": Decimal("0.7")}})
    assert config.rules_for(date(2025, 6, 1)).indicator("3.3").threshold == Decimal("0.7")
    assert config.rules_for(date(2025, 5, 31)).indicator("3.3").threshold == Decimal("0.6")


def test_a_newer_engine_rule_set_starts_without_older_overrides():
    rows = [row(D1, "3.1", Decimal(5)), row(D1, "3.2", Decimal(3))]
    newer = replace(DEFAULT_RULES, effective_from=D2)
    versions = (DEFAULT_RULES, newer)
    assert config.rules_from_rows(rows, date(2024, 6, 1), versions).indicator("3.1").max_points == 5
    assert config.rules_from_rows(rows, date(2025, 6, 1), versions).indicator("3.1").max_points == 4


def test_model_clean_refuses_an_override_that_breaks_a_group_total():
    override = row(D1, "3.1", Decimal(5))
    with pytest.raises(ValidationError) as caught:
        override.full_clean()
    message = " ".join(caught.value.messages)
    assert "01/01/2024" in message
    assert "Dịch vụ công trực tuyến" in message
    assert "13" in message and "12" in message


def test_model_clean_accepts_a_threshold_change_alone():
    override = row(D1, "3.3", threshold=Decimal("0.6"))
    override.full_clean()
    services.save_override(override)
    assert config.rules_for(D1).indicator("3.3").threshold == Decimal("0.6")


def test_model_clean_refuses_empty_early_or_out_of_range_values():
    with pytest.raises(ValidationError, match="cả hai"):  # "… or both", in Vietnamese
        row(D1, "3.3").full_clean()
    with pytest.raises(ValidationError) as caught:
        row(date(2022, 7, 31), "3.3", threshold=Decimal("0.6")).full_clean()
    assert "effective_from" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        row(D1, "3.3", threshold=Decimal("1.5")).full_clean()
    assert "threshold" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        row(D1, "2.2", max_points=Decimal(0)).full_clean()  # display-only: not a choice
    assert "indicator" in caught.value.message_dict


def test_an_edit_is_checked_at_every_later_date():
    move_online_points(D1)
    # Alone at D2, 3.1 back to 4 would leave 4 + 3 + 4 = 11 from D2 on.
    with pytest.raises(ValidationError) as caught:
        row(D2, "3.1", Decimal(4)).full_clean()
    assert "01/01/2025" in " ".join(caught.value.messages)
    # Editing the D1 row of 3.2 breaks D1 and everything after.
    second = IndicatorOverride.objects.get(indicator="3.2")
    second.max_points = Decimal(4)
    with pytest.raises(ValidationError):
        services.save_override(second)
    assert IndicatorOverride.objects.get(indicator="3.2").max_points == 3


def test_check_rows_reports_each_bad_date():
    rows = [row(D1, "3.1", Decimal(5)), row(D1, "3.2", Decimal(3)), row(D2, "3.1", Decimal(4))]
    failures = config.check_rows(rows)
    assert [day for day, _ in failures] == [D2]
    assert failures[0][1][0].code == "group_total"


def test_add_overrides_writes_nothing_when_the_set_is_invalid():
    with pytest.raises(ValidationError):
        services.add_overrides(D1, {"3.1": {"max_points": Decimal(5)}})
    with pytest.raises(ValidationError):
        services.add_overrides(D1, {})
    assert not IndicatorOverride.objects.exists()


def test_add_overrides_updates_a_row_of_the_same_day():
    move_online_points(D1)
    services.add_overrides(
        D1, {"3.1": {"max_points": Decimal(6)}, "3.2": {"max_points": Decimal(2)}}
    )
    assert IndicatorOverride.objects.count() == 2
    assert config.rules_for(D1).indicator("3.1").max_points == 6


def test_deleting_half_of_a_move_is_refused():
    first, second = move_online_points()
    with pytest.raises(ValidationError):
        services.delete_overrides([first.pk])
    assert IndicatorOverride.objects.count() == 2
    assert services.delete_overrides([first.pk, second.pk]) == 2


def test_rules_for_reports_a_table_edited_around_the_checks():
    IndicatorOverride.objects.create(effective_from=D1, indicator="3.1", max_points=5)
    with pytest.raises(RuleSetError):
        config.rules_for(D1)
    with pytest.raises(ValueError, match="01/08/2022"):
        config.rules_for(date(2020, 1, 1))


def test_problem_messages_are_translated(settings):
    settings.LANGUAGE_CODE = "en"
    failures = config.check_rows([row(D1, "3.1", Decimal(5))])
    (message,) = config.failure_messages(failures)
    assert message.startswith("From 01/01/2024: ")
    assert "Group “Dịch vụ công trực tuyến”" in message


# --- admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_add_page_lists_every_overridable_indicator(admin_client):
    response = admin_client.get(ADD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="max_points_3_1"' in html
    assert 'name="threshold_5_4"' in html
    assert 'name="max_points_2_2"' not in html  # display-only


def test_admin_batch_moves_points_in_one_save(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "effective_from": "01/01/2024",
            "note": "Công văn 1/VPCP",
            "max_points_3_1": "5",
            "max_points_3_2": "3",
            "threshold_3_3": "0,6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert IndicatorOverride.objects.count() == 3
    rules = config.rules_for(D1)
    assert rules.indicator("3.3").threshold == Decimal("0.6")
    assert rules.indicator("3.1").max_points == 5
    assert set(IndicatorOverride.objects.values_list("note", flat=True)) == {"Công văn 1/VPCP"}


def test_admin_batch_breaking_a_group_shows_the_reason(admin_client):
    response = admin_client.post(ADD_URL, {"effective_from": "01/01/2024", "max_points_3_1": "5"})
    assert response.status_code == 200
    assert "Dịch vụ công trực tuyến" in response.content.decode()
    assert not IndicatorOverride.objects.exists()


def test_admin_batch_needs_a_change_and_a_valid_date(admin_client):
    response = admin_client.post(ADD_URL, {"effective_from": "01/01/2024"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    response = admin_client.post(ADD_URL, {"effective_from": "01/01/2020", "threshold_3_3": "0,6"})
    assert response.status_code == 200
    assert "effective_from" in response.context["adminform"].form.errors
    assert not IndicatorOverride.objects.exists()


def test_admin_edit_is_checked(admin_client):
    first, _second = move_online_points()
    url = reverse("admin:index766_indicatoroverride_change", args=[first.pk])
    assert admin_client.get(url).status_code == 200
    data = {"effective_from": "01/01/2024", "indicator": "3.1", "max_points": "6", "note": ""}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Dịch vụ công trực tuyến" in response.content.decode()
    first.refresh_from_db()
    assert first.max_points == 5


def test_admin_delete_that_breaks_a_group_is_refused(admin_client):
    first, second = move_online_points()
    url = reverse("admin:index766_indicatoroverride_delete", args=[first.pk])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert IndicatorOverride.objects.count() == 2
    assert "Dịch vụ công trực tuyến" in response.content.decode()
    changelist = reverse("admin:index766_indicatoroverride_changelist")
    response = admin_client.post(
        changelist,
        {"action": "delete_checked", "_selected_action": [first.pk], "post": "yes"},
        follow=True,
    )
    assert IndicatorOverride.objects.count() == 2
    response = admin_client.post(
        changelist,
        {"action": "delete_checked", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not IndicatorOverride.objects.exists()


def test_admin_changelist_renders(admin_client):
    move_online_points()
    response = admin_client.get(reverse("admin:index766_indicatoroverride_changelist"))
    assert response.status_code == 200


def test_admin_edit_takes_vietnamese_decimals(admin_client):
    override = services.save_override(row(D1, "3.3", threshold=Decimal("0.6")))
    url = reverse("admin:index766_indicatoroverride_change", args=[override.pk])
    assert "0,6" in admin_client.get(url).content.decode()
    data = {"effective_from": "01/01/2024", "indicator": "3.3", "threshold": "0,65", "note": ""}
    response = admin_client.post(url, data)
    assert response.status_code == 302
    override.refresh_from_db()
    assert override.threshold == Decimal("0.65")
    assert config.rules_for(D1).indicator("3.3").threshold == Decimal("0.65")


def test_closed_rule_for_2_1_is_versioned_by_date(settings):
    from datetime import date

    from django.core.exceptions import ImproperlyConfigured

    from cchc.index766.config import closed_rule

    assert closed_rule(date(2026, 1, 1)) == "on_time"  # the default: [TD] terminal statuses
    settings.CCHC_INDEX766_CLOSED_WITHOUT_RESULT = {
        "2025-01-01": "excluded",
        "2026-01-01": "on_time",
    }
    assert closed_rule(date(2024, 12, 31)) == "on_time"
    assert closed_rule(date(2025, 6, 30)) == "excluded"
    assert closed_rule(date(2026, 6, 30)) == "on_time"
    settings.CCHC_INDEX766_CLOSED_WITHOUT_RESULT = {"2025-01-01": "late"}
    with pytest.raises(ImproperlyConfigured):
        closed_rule(date(2025, 6, 30))
    settings.CCHC_INDEX766_CLOSED_WITHOUT_RESULT = {"01/01/2025": "excluded"}
    with pytest.raises(ImproperlyConfigured):
        closed_rule(date(2025, 6, 30))
