"""The read-replica router: only reads inside a replica block leave the primary; writes, and
every read of the pages officers act on, stay on it (cchc.common.replicas, docs/scale.md)."""

import pytest

from cchc.common import replicas
from cchc.common.replicas import ReplicaRouter, reading_replicas, replica_databases, use_replicas
from cchc.organisations.models import OrganisationUnit


@pytest.fixture
def two_replicas(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1", "replica_2"])


def test_replica_urls_become_mirrored_aliases():
    databases = replica_databases(
        "postgres://reader@10.0.0.2:5432/cchc, postgres://reader@10.0.0.3:5432/cchc", 30
    )
    assert sorted(databases) == ["replica_1", "replica_2"]
    assert databases["replica_2"]["HOST"] == "10.0.0.3"
    assert databases["replica_1"]["CONN_MAX_AGE"] == 30
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert replica_databases("") == {}
    assert replica_databases(" , ") == {}


def test_reads_leave_the_primary_only_inside_a_replica_block(two_replicas):
    router = ReplicaRouter()
    assert router.db_for_read(OrganisationUnit) == "default"
    with reading_replicas() as alias:
        assert alias in ("replica_1", "replica_2")
        assert router.db_for_read(OrganisationUnit) == alias
        assert router.db_for_write(OrganisationUnit) == "default"
    assert router.db_for_read(OrganisationUnit) == "default"


def test_without_replicas_a_block_reads_the_primary():
    router = ReplicaRouter()
    with reading_replicas() as alias:
        assert alias is None
        assert router.db_for_read(OrganisationUnit) == "default"


def test_a_relation_is_read_where_its_row_came_from(two_replicas):
    unit = OrganisationUnit(code="X", name="X")
    unit._state.db = "replica_2"
    assert ReplicaRouter().db_for_read(OrganisationUnit, instance=unit) == "replica_2"


def test_replicas_are_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "dossiers") is True
    assert router.allow_migrate("replica_1", "dossiers") is False


def test_use_replicas_wraps_the_view(two_replicas):
    seen = []

    @use_replicas
    def view(request):
        seen.append(ReplicaRouter().db_for_read(OrganisationUnit))
        return "ok"

    assert view(None) == "ok"
    assert seen[0] in ("replica_1", "replica_2")
    assert ReplicaRouter().db_for_read(OrganisationUnit) == "default"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "module, name",
    [
        ("cchc.dashboard.views", "home"),
        ("cchc.dashboard.views", "live"),
        ("cchc.dashboard.views", "overdue"),
        ("cchc.dashboard.views", "public_index"),
        ("cchc.dashboard.views", "public_unit"),
        ("cchc.reports.views", "report"),
        ("cchc.reports.views", "drill"),
        ("cchc.reports.views", "xlsx"),
        ("cchc.reports.views", "pdf"),
    ],
)
def test_dashboard_and_report_views_read_from_replicas(module, name):
    """Each of these views is wrapped (the wrapper keeps the name of the view it wraps)."""
    import importlib

    view = getattr(importlib.import_module(module), name)
    chain = []
    while view is not None:
        chain.append(view)
        view = getattr(view, "__wrapped__", None)
    assert any(
        getattr(step, "__code__", None) is use_replicas(lambda r: r).__code__ for step in chain
    )


def test_the_dossier_pages_read_the_primary():
    """An officer acts on what the primary holds: the dossier views are not wrapped."""
    import inspect

    from cchc.dossiers import views

    assert "use_replicas" not in inspect.getsource(views)
