"""Catalog test fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _search_synonyms(request):
    """The seeded citizens' synonyms (catalog migration 0004) in every database test: a
    transactional test elsewhere flushes the tables migrations filled."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction") or (len(marker.args) > 0 and marker.args[0])
    request.getfixturevalue("transactional_db" if transactional else "db")
    from cchc.catalog.models import SearchSynonym
    from cchc.catalog.synonyms import seed

    seed(SearchSynonym)
