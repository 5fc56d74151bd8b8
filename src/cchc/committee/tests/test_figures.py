"""The dashboard tile of open conclusions and the periodic report's committee section."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document

from cchc.common.report_sections import SectionScope, report_sections
from cchc.common.tiles import TileScope, tiles

from .. import figures
from .factories import conclude, hold, make_world, mark_done, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with time_machine.travel(date(2026, 4, 20), tick=False):
        world = make_world()
        meeting = plan(world, date(2026, 4, 10))
        hold(world, meeting)
        conclusions = conclude(
            world,
            meeting,
            [
                ("Rà soát TTHC", world.justice, date(2026, 5, 31)),
                ("Số hóa hồ sơ", world.justice, date(2026, 5, 31)),
                ("Báo cáo chỉ số", world.home_affairs, date(2026, 9, 30)),
            ],
        )
        plan(world, date(2026, 7, 15))  # planned: not counted as held
    mark_done(conclusions[0].task, date(2026, 5, 30))
    world.conclusions = conclusions
    return world


def _tile_scope(ids, today=date(2026, 6, 10)):
    now = timezone.make_aware(datetime(2026, 6, 10, 9))
    return TileScope(unit=None, ids=ids, start=today, end=today, now=now, today=today)


def test_the_tile_counts_open_and_overdue_conclusions_in_scope(world):
    assert figures.tile_data(_tile_scope(None)) == {"open": 2, "overdue": 1}
    assert figures.tile_data(_tile_scope([world.province.pk])) == {"open": 2, "overdue": 1}
    # the standing body's subtree sees its committee's conclusions too
    assert figures.tile_data(_tile_scope([world.home_affairs.pk])) == {"open": 2, "overdue": 1}
    assert figures.tile_data(_tile_scope([world.other.pk])) == {"open": 0, "overdue": 0}
    tile = next(item for item in tiles if item.key == "committee-conclusions")
    html = render_to_string(
        tile.template, {"value": {"open": 2, "overdue": 1}, "unit_query": "don_vi=X"}
    )
    assert 'id="tile-committee-conclusions"' in html
    assert 'href="/ban-chi-dao/ket-luan-chua-hoan-thanh/?don_vi=X"' in html
    assert "trong đó 1 quá hạn" in html


def test_the_report_section(world):
    section = next(item for item in report_sections if item.key == "committee")
    scope = SectionScope(
        unit=world.province,
        ids=[world.province.pk, world.home_affairs.pk, world.justice.pk],
        start=date(2026, 3, 15),
        end=date(2026, 6, 14),
        year=2026,
    )
    value = section.compute(scope)
    assert value["meetings_held"] == 1
    assert value["meetings"][0]["number"] == 1 and value["meetings"][0]["conclusions"] == 3
    assert (value["conclusions_total"], value["conclusions_done"]) == (3, 1)
    assert (value["conclusions_overdue"], value["conclusions_open"]) == (1, 2)
    html = render_to_string(section.template, {"section": section, "value": value})
    assert "Số phiên họp Ban chỉ đạo đã tổ chức trong kỳ: 1." in html
    assert "Kết luận: 1/3 đã hoàn thành (1 đúng hạn, 0 trễ hạn); 2 chưa hoàn thành" in html
    document = Document()
    section.docx(document, value)
    buffer = io.BytesIO()
    document.save(buffer)
    text = "\n".join(p.text for p in Document(io.BytesIO(buffer.getvalue())).paragraphs)
    assert "Số phiên họp Ban chỉ đạo đã tổ chức trong kỳ: 1." in text
    assert "Kết luận: 1/3 đã hoàn thành (1 đúng hạn, 0 trễ hạn)" in text
    assert document.tables[0].rows[1].cells[2].text == "10/04/2026"
    earlier = SectionScope(
        unit=world.province, ids=scope.ids, start=date(2026, 1, 1), end=date(2026, 3, 14), year=2026
    )
    assert section.compute(earlier)["meetings_held"] == 0
    assert section.compute(earlier)["conclusions_total"] == 0
