"""The dashboard tiles of the plans app: plan completion by unit (worst first) and overdue
tasks, scoped to the dashboard's units; a leader of Sở Tư pháp sees their overdue task."""

import re

from cchc.common.tiles import TileScope, tiles
from cchc.plans import tiles_progress

from . import progress_world
from .progress_world import NOW, TODAY

clock = progress_world.clock  # the fixture
pworld = progress_world.pworld  # the fixture


def scope(ids=None):
    return TileScope(unit=None, ids=ids, start=TODAY, end=TODAY, now=NOW, today=TODAY)


def test_both_tiles_are_registered():
    assert "plan-completion" in tiles and "plan-overdue" in tiles


def test_completion_tile_worst_first(pworld):
    value = tiles_progress.units(scope())
    assert [row["unit"].code for row in value["rows"]] == ["000.00.20.H99", "000.00.15.H99"]
    assert value["rows"][0]["overdue"] == 3
    assert str(value["percent"]) == "84.38"  # (26 + 1) / (28 + 4)


def test_overdue_tile_of_a_unit(pworld):
    value = tiles_progress.overdue(scope([pworld.justice.pk]))
    assert value["count"] == 1
    assert value["tasks"] == [pworld.overdue]
    assert tiles_progress.overdue(scope())["count"] == 4


def test_the_leader_of_the_department_sees_the_overdue_task_on_the_dashboard(client, pworld):
    client.force_login(pworld.leader)
    html = re.sub(r"\s+", " ", client.get("/dieu-hanh/").content.decode())
    assert 'id="tile-plan-overdue"' in html
    assert 'id="plan-overdue-count"' in html and 'data-value="1"' in html
    assert "Rà soát thủ tục hành chính lĩnh vực hộ tịch" in html
    assert 'href="/ke-hoach-cchc/qua-han/?don_vi=000.00.15.H99"' in html
    assert 'id="tile-plan-completion"' in html
    assert "Sở Xây dựng" not in html
