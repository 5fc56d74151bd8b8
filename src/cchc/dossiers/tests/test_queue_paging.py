"""Queue pages read as merged index slices show exactly what one ordered query would show."""

import pytest
from django.contrib.auth import get_user_model

from cchc.demo import province as demo
from cchc.demo.generate import generate
from cchc.dossiers import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    units = demo.load_units()
    demo.load_users(units)
    demo.load_catalog(units)
    generate(500, units=6, years=0.3, events=False, seed=11)
    return get_user_model().objects.get(username="lanhdao.dongthanh")


@pytest.mark.parametrize(
    "slug",
    ["tat-ca", "can-xu-ly", "dang-xu-ly", "sap-den-han", "qua-han", "cho-tra", "cho-bo-sung"],
)
def test_merged_pages_equal_the_single_query(leader, slug):
    ordering = selectors.queue_ordering(slug)
    dossiers = selectors.queue(leader, slug).order_by(*ordering)
    splits = selectors.queue_splits(leader, slug)
    assert splits, "a commune leader's scope is split by unit"
    merged = selectors.MergedPaginator(dossiers, 7, splits, ordering)
    plain = selectors.CappedPaginator(dossiers, 7)
    assert merged.count == plain.count
    for number in plain.page_range:
        assert [d.pk for d in merged.page(number)] == [d.pk for d in plain.page(number)]
    if slug == "tat-ca":
        assert plain.count > 7, "several pages are compared"
    # Counted from the slices, the total stops at the cap exactly as one capped COUNT does.
    for cap in (1, 3, plain.count - 1, plain.count, plain.count + 5):
        if cap >= 1:
            capped = selectors.MergedPaginator(dossiers, 7, splits, ordering, cap=cap)
            assert capped.count == selectors.CappedPaginator(dossiers, 7, cap=cap).count


def test_everything_in_scope_is_not_split(django_user_model):
    admin = django_user_model.objects.create_superuser("root-q", password="x")
    assert selectors.queue_splits(admin, "tat-ca") is None
