"""Helpers for the criteria-set tests: sheets built in memory, small valid trees."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from cchc.parindex import engine

HEADER = ["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm", "Tài liệu kiểm chứng"]
EXTRA = ["Phương pháp", "Không áp dụng được", "Đơn vị chủ trì", "Khối", "Cộng dồn"]

# A small valid set: 1 (6) = 1.1 (4: 1.1.1 + 1.1.2) + 1.2 (2); 2 (4); bonus 3 (2).
ROWS = [
    ["1", "Công tác chỉ đạo, điều hành CCHC", 6, "", ""],
    ["1.1", "Kế hoạch CCHC năm", 4, "", ""],
    [
        "1.1.1",
        "Ban hành kế hoạch",
        "2",
        "Ban hành kịp thời: 2 / không kịp thời: 1 / không ban hành: 0",
        "Quyết định ban hành",
    ],
    ["1.1.2", "Mức độ thực hiện", 2, "trên 90%: 2; 70%–90%: 1; dưới 70%: 0", "Báo cáo năm"],
    ["1.2", "Báo cáo CCHC", 2, "Có: 2; Không: 0", "Báo cáo quý"],
    ["2", "Sự hài lòng", 4, "Điều tra xã hội học", ""],
    ["3", "Điểm thưởng", 2, "", ""],
    ["3.1", "Sáng kiến CCHC", "2", "Có: 2; Không: 0", "Quyết định công nhận"],
    ["", "Tổng cộng", 10, "", ""],
]


def workbook_bytes(rows, header=HEADER, title=("BỘ TIÊU CHÍ THỬ NGHIỆM", "")) -> bytes:
    """An XLSX with ``title`` rows, the header, then ``rows`` (header on line len(title)+1)."""
    book = Workbook()
    sheet = book.active
    for line in title:
        sheet.append([line])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def header_line(title=("BỘ TIÊU CHÍ THỬ NGHIỆM", "")) -> int:
    return len(title) + 1


def small_tree() -> list[engine.Node]:
    """A valid tree worth 10 (main) plus a 2-point bonus block."""
    levels = {
        "levels": [
            {"key": "co", "label": "Có", "points": "2"},
            {"key": "khong", "label": "Không", "points": "0"},
        ]
    }
    bands = {
        "bands": [
            {"above": "90", "inclusive": False, "points": "2"},
            {"above": "70", "inclusive": True, "points": "1"},
            {"above": None, "points": "0"},
        ]
    }
    return [
        engine.Node(
            "1",
            "Chỉ đạo điều hành",
            Decimal(6),
            children=[
                engine.Node(
                    "1.1",
                    "Kế hoạch",
                    Decimal(4),
                    children=[
                        engine.Node("1.1.1", "Ban hành", Decimal(2), method="levels", spec=levels),
                        engine.Node("1.1.2", "Thực hiện", Decimal(2), method="bands", spec=bands),
                    ],
                ),
                engine.Node(
                    "1.2",
                    "Báo cáo",
                    Decimal(2),
                    method="levels",
                    spec=levels,
                    may_be_not_applicable=True,
                ),
            ],
        ),
        engine.Node("2", "Hài lòng", Decimal(4), method="survey"),
        engine.Node(
            "3",
            "Điểm thưởng",
            Decimal(2),
            block="bonus",
            children=[engine.Node("3.1", "Sáng kiến", Decimal(2), method="levels", spec=levels)],
        ),
    ]
