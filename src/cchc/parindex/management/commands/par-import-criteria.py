"""``cchc par-import-criteria FILE --year Y --level LEVEL [--name …] [--legal-basis …] [--sample]
[--json]``: import a criteria set (bộ tiêu chí) from an XLSX sheet (layout:
``cchc.parindex.sheets``).

All or nothing: every line's problem goes to stderr and nothing is saved. When a round already uses
the year's set for that level, the import makes a new version; an unused latest version is
replaced. ``--json`` prints ``{"criteria_set", "year", "level", "version", "leaves", "total"}``.
Exit status: 0 imported, 1 problems in the sheet, 2 unreadable file or bad arguments.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cchc.conf import conf
from cchc.parindex import sheets
from cchc.parindex.engine.notation import canonical
from cchc.parindex.errors import CriteriaSetInvalid
from cchc.parindex.models import Level


class Command(BaseCommand):
    help = (
        "Nhập bộ tiêu chí Chỉ số CCHC từ tệp XLSX (STT | Tiêu chí | Điểm tối đa | Cách chấm | …)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá.")
        parser.add_argument(
            "--level", required=True, choices=Level.values, help="Loại đơn vị được đánh giá."
        )
        parser.add_argument("--name", default="", help="Tên bộ tiêu chí (mặc định: dòng tiêu đề).")
        parser.add_argument("--legal-basis", default="", help="Căn cứ (số quyết định…).")
        parser.add_argument("--sample", action="store_true", help="Đánh dấu là dữ liệu mẫu.")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args, file, year, level, name, legal_basis, sample, json, **options):
        path = Path(file)
        try:
            if path.stat().st_size > conf.IMPORT_MAX_BYTES:
                self.stderr.write("Lỗi: tệp quá lớn.")
                sys.exit(2)
            content = path.read_bytes()
        except OSError as error:
            self.stderr.write(f"Lỗi: không đọc được tệp {file}: {error.strerror}")
            sys.exit(2)
        try:
            criteria_set = sheets.import_sheet(
                content,
                year=year,
                level=level,
                name=name,
                legal_basis=legal_basis,
                is_sample=sample,
            )
        except CriteriaSetInvalid as error:
            for _line, _code, message in error.problems:
                self.stderr.write(message)
            self.stderr.write(f"Không nhập: {len(error.problems)} lỗi; chưa lưu gì.")
            sys.exit(1)
        leaves = criteria_set.criteria.exclude(method="").count()
        result = {
            "criteria_set": criteria_set.pk,
            "year": criteria_set.year,
            "level": criteria_set.level,
            "version": criteria_set.version,
            "leaves": leaves,
            "total": canonical(criteria_set.declared_total),
        }
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.stdout.write(
                f"Đã nhập bộ tiêu chí “{criteria_set.name}” năm {criteria_set.year}, "
                f"phiên bản {criteria_set.version}: {leaves} tiêu chí thành phần, "
                f"tổng {result['total'].replace('.', ',')} điểm."
            )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
