"""Indicators, groups, rating bands and the dated rule sets of the Decision 766 index.

Quyết định 766/QĐ-TTg ngày 23/6/2022 (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ
người dân, doanh nghiệp … theo thời gian thực trên môi trường điện tử) sets five groups worth
18 + 20 + 22 + 22 + 18 = 100 points (``sources.NAMDINH``, ``sources.BAOCAOTAICHINH``). The DVCQG
dashboard shows group 4 (cung cấp dịch vụ trực tuyến, 22) as online services 12 + online payment
10 (``sources.BENCAT``; the 12/10 split is not stated by a source), so this module has six display
groups. Indicator ids follow the VPCP technical document ("Mô tả công thức tính chỉ số 766").

Only three indicator maxima are stated by a source: 1.2 = 4, 2.1 = 20, 5.4 = 6. Every other maximum
is a documented default whose sum per group equals the group maximum (docs/index766.md explains
each); administrators override them per date (``RuleSet.with_overrides``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from . import sources

# Points and thresholds status.
VERIFIED = "verified"  # stated by the cited source
DEFAULT = "default"  # chosen by this project, explained in docs/index766.md
CONFIGURED = "configured"  # set by an administrator (override)

# What a value is: a share of a denominator (0–1) or an average (indicator 2.2).
RATE = "rate"
AVERAGE = "average"

# Whose data computes the indicator (documentation and UI hints only).
PLATFORM = "platform"  # the platform's own dossiers, catalogue and feedback
PARTIAL = "partial"  # partly: the national definition also needs CSDLQG/DVCQG data
NATIONAL = "national"  # only the national systems hold the data (CSDLQG, DVCQG sync)

ONE = Decimal(1)
ZERO = Decimal(0)
# The index runs officially from 01/8/2022 (sources.NAMDINH).
OFFICIAL_START = date(2022, 8, 1)
OVERRIDABLE = ("max_points", "threshold")


@dataclass(frozen=True)
class Problem:
    """One reason a rule set is invalid; ``code`` and ``params`` let a UI translate it."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


class RuleSetError(ValueError):
    """A rule set (usually after overrides) breaks the Decision's totals or ranges."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


@dataclass(frozen=True)
class Group:
    key: str
    name: str  # Vietnamese, as on the DVCQG dashboard
    max_points: Decimal
    legal_group: int  # group number in the Decision (3 = số hóa, 4 = dịch vụ trực tuyến)
    legal_name: str
    max_status: str = VERIFIED
    max_source: str = sources.NAMDINH


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str  # Vietnamese
    group: str  # Group.key
    numerator: str  # what is counted (Vietnamese)
    denominator: str
    threshold: Decimal  # rate at which full points are reached, in (0, 1]
    max_points: Decimal
    points_status: str = DEFAULT
    points_source: str = ""
    threshold_status: str = DEFAULT
    threshold_source: str = ""
    formula_source: str = sources.TECHNICAL_DOCUMENT
    display_only: bool = False  # shown for information, never scored (2.2, 5.1)
    value_kind: str = RATE
    data: str = PLATFORM
    note: str = ""

    @property
    def formula(self) -> str:
        return f"{self.numerator} / {self.denominator}"

    @property
    def scored(self) -> bool:
        """Whether the indicator carries points (4.4 and 4.5 carry none by default)."""
        return not self.display_only and self.max_points > 0


@dataclass(frozen=True)
class RatingBand:
    minimum: Decimal  # inclusive lower bound of the score
    code: str
    name: str  # Vietnamese
    status: str = DEFAULT
    source: str = ""


def _problem(code: str, message: str, **params: Any) -> Problem:
    return Problem(code=code, message=message, params=params)


def _as_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        # Through str so that 0.8 stays 0.8, not 0.8000000000000000444…
        value = str(value)
    result = Decimal(value)
    if not result.is_finite():
        raise InvalidOperation("not a finite number")
    return result


@dataclass(frozen=True)
class RuleSet:
    """The rules in force from ``effective_from`` until the next rule set.

    Creating one validates it; an invalid combination raises :class:`RuleSetError`.
    """

    effective_from: date
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    bands: tuple[RatingBand, ...]
    note: str = ""

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise RuleSetError(problems)

    # --- look-ups -------------------------------------------------------------------------

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def group(self, key: str) -> Group:
        for group in self.groups:
            if group.key == key:
                return group
        raise KeyError(key)

    def indicators_of(self, key: str) -> tuple[Indicator, ...]:
        return tuple(indicator for indicator in self.indicators if indicator.group == key)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(indicator.id for indicator in self.indicators)

    @property
    def max_points(self) -> Decimal:
        return sum((group.max_points for group in self.groups), ZERO)

    def rating(self, score: Decimal | None) -> RatingBand | None:
        if score is None:
            return None
        for band in self.bands:
            if score >= band.minimum:
                return band
        return self.bands[-1]

    # --- validation -----------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        problems: list[Problem] = []
        group_keys = [group.key for group in self.groups]
        if len(set(group_keys)) != len(group_keys):
            problems.append(_problem("duplicate_group", "Two groups have the same key."))
        ids = [indicator.id for indicator in self.indicators]
        for indicator_id in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(
                _problem(
                    "duplicate_indicator",
                    f"Indicator {indicator_id} is defined twice.",
                    indicator=indicator_id,
                )
            )
        for indicator in self.indicators:
            problems.extend(self._indicator_problems(indicator, set(group_keys)))
        for group in self.groups:
            total = sum((i.max_points for i in self.indicators_of(group.key)), ZERO)
            if total != group.max_points:
                problems.append(
                    _problem(
                        "group_total",
                        f"Group “{group.name}”: the indicators' maximum points add up to "
                        f"{_plain(total)}, but the group maximum is {_plain(group.max_points)}.",
                        group=group.key,
                        name=group.name,
                        total=total,
                        maximum=group.max_points,
                    )
                )
        if self.max_points != 100:
            problems.append(
                _problem(
                    "index_total",
                    f"The group maxima add up to {_plain(self.max_points)}, not 100.",
                    total=self.max_points,
                )
            )
        problems.extend(self._band_problems())
        return problems

    @staticmethod
    def _indicator_problems(indicator: Indicator, group_keys: set[str]) -> list[Problem]:
        problems = []
        ident = indicator.id
        if indicator.group not in group_keys:
            problems.append(
                _problem(
                    "unknown_group",
                    f"Indicator {ident} belongs to an unknown group “{indicator.group}”.",
                    indicator=ident,
                    group=indicator.group,
                )
            )
        if not (ZERO < indicator.threshold <= ONE):
            problems.append(
                _problem(
                    "threshold_range",
                    f"Indicator {ident}: the full-points threshold {_plain(indicator.threshold)} "
                    "must be above 0 and at most 1 (100%).",
                    indicator=ident,
                    threshold=indicator.threshold,
                )
            )
        if indicator.max_points < 0:
            problems.append(
                _problem(
                    "negative_points",
                    f"Indicator {ident}: the maximum points {_plain(indicator.max_points)} must "
                    "not be negative.",
                    indicator=ident,
                    points=indicator.max_points,
                )
            )
        elif indicator.max_points != indicator.max_points.quantize(Decimal("0.01")):
            # Two decimals keep every rounded score within its maximum (see scoring.round_half_up).
            problems.append(
                _problem(
                    "points_precision",
                    f"Indicator {ident}: the maximum points {_plain(indicator.max_points)} must "
                    "have at most 2 decimal places.",
                    indicator=ident,
                    points=indicator.max_points,
                )
            )
        if indicator.display_only and indicator.max_points != 0:
            problems.append(
                _problem(
                    "display_only_points",
                    f"Indicator {ident} is shown for information only and cannot carry points.",
                    indicator=ident,
                )
            )
        return problems

    def _band_problems(self) -> list[Problem]:
        minimums = [band.minimum for band in self.bands]
        valid = (
            bool(minimums)
            and all(a > b for a, b in pairwise(minimums))
            and minimums[-1] == 0
            and minimums[0] <= 100
            and len({band.code for band in self.bands}) == len(self.bands)
        )
        if valid:
            return []
        return [
            _problem(
                "bands",
                "Rating bands must have distinct codes and strictly decreasing lower bounds "
                "from at most 100 down to 0.",
            )
        ]

    # --- changes --------------------------------------------------------------------------

    def with_overrides(self, overrides: Mapping[str, Mapping[str, Any]] | None) -> RuleSet:
        """A new, validated rule set with some indicators' ``max_points``/``threshold`` replaced.

        ``overrides`` maps an indicator id to ``{"max_points": x, "threshold": y}`` (either key
        may be left out). Raises :class:`RuleSetError` listing every problem found.
        """
        if not overrides:
            return self
        known = set(self.ids)
        problems: list[Problem] = []
        changed: dict[str, Indicator] = {}
        for indicator_id, values in overrides.items():
            if indicator_id not in known:
                problems.append(
                    _problem(
                        "unknown_indicator",
                        f"Unknown indicator “{indicator_id}”.",
                        indicator=indicator_id,
                    )
                )
                continue
            indicator = self.indicator(indicator_id)
            updates: dict[str, Any] = {}
            for name, raw in (values or {}).items():
                if name not in OVERRIDABLE:
                    problems.append(
                        _problem(
                            "unknown_setting",
                            f"Indicator {indicator_id}: unknown setting “{name}” "
                            "(use max_points or threshold).",
                            indicator=indicator_id,
                            setting=name,
                        )
                    )
                    continue
                if raw is None:
                    continue
                try:
                    updates[name] = _as_decimal(raw)
                except (InvalidOperation, TypeError, ValueError):
                    problems.append(
                        _problem(
                            "not_a_number",
                            f"Indicator {indicator_id}: {name} “{raw}” is not a number.",
                            indicator=indicator_id,
                            setting=name,
                            value=str(raw),
                        )
                    )
            if "max_points" in updates:
                updates["points_status"] = CONFIGURED
                updates["points_source"] = ""
            if "threshold" in updates:
                updates["threshold_status"] = CONFIGURED
                updates["threshold_source"] = ""
            if updates:
                changed[indicator_id] = replace(indicator, **updates)
        if problems:
            raise RuleSetError(problems)
        indicators = tuple(changed.get(i.id, i) for i in self.indicators)
        return replace(self, indicators=indicators)


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros, for messages ("4", "0.8")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- the default rules (index766.md §2.2–2.5) ---------------------------------------------


def _d(text: str) -> Decimal:
    return Decimal(text)


GROUPS: tuple[Group, ...] = (
    Group("public_disclosure", "Công khai, minh bạch", _d("18"), 1, "Công khai, minh bạch"),
    Group("progress", "Tiến độ, kết quả giải quyết", _d("20"), 2, "Tiến độ, kết quả giải quyết"),
    # Group 4 of the Decision (22 points), split as on the DVCQG dashboard (12 + 10, not stated
    # by a source: the split itself is a default).
    Group(
        "online_services",
        "Dịch vụ công trực tuyến",
        _d("12"),
        4,
        "Cung cấp dịch vụ trực tuyến",
        max_status=DEFAULT,
        max_source=sources.BENCAT,
    ),
    Group(
        "online_payment",
        "Thanh toán trực tuyến",
        _d("10"),
        4,
        "Cung cấp dịch vụ trực tuyến",
        max_status=DEFAULT,
        max_source=sources.BENCAT,
    ),
    Group(
        "satisfaction",
        "Mức độ hài lòng",
        _d("18"),
        5,
        "Mức độ hài lòng",
        max_source=sources.NAMDINH + " ; " + sources.VIETJACK,
    ),
    Group("digitisation", "Số hóa hồ sơ", _d("22"), 3, "Số hóa hồ sơ"),
)

# Xuất sắc ≥ 90 and tốt 80–<90 match published ratings (Lâm Đồng 2024, Bến Cát 2024); the lower
# bands are customary and unverified (index766.md §2.5).
BANDS: tuple[RatingBand, ...] = (
    RatingBand(_d("90"), "excellent", "Xuất sắc", VERIFIED, sources.BAOLAMDONG),
    RatingBand(_d("80"), "good", "Tốt", VERIFIED, sources.BAOLAMDONG + " ; " + sources.BENCAT),
    RatingBand(_d("70"), "fair", "Khá"),
    RatingBand(_d("50"), "average", "Trung bình"),
    RatingBand(_d("0"), "weak", "Yếu"),
)

_TECH = sources.TECHNICAL_DOCUMENT
_PROPORTIONAL = "No threshold stated: points proportional to the rate (threshold 100%)."

INDICATORS: tuple[Indicator, ...] = (
    # 1. Công khai, minh bạch (18)
    Indicator(
        "1.1",
        "Tỷ lệ TTHC công bố đúng hạn",
        "public_disclosure",
        "Số TTHC có quyết định công bố đúng hạn (Bộ: ngày QĐCB ≤ ngày hiệu lực của văn bản "
        "quy định − 20 ngày làm việc; tỉnh: − 5 ngày làm việc; Điều 15 Nghị định 63/2010/NĐ-CP)",
        "Số TTHC công bố (thêm mới, sửa đổi, bãi bỏ) trong kỳ, mỗi TTHC tính một lần",
        ONE,
        _d("4"),
        formula_source=sources.AITA + " ; " + _TECH,
        data=NATIONAL,
        note=_PROPORTIONAL,
    ),
    Indicator(
        "1.2",
        "Tỷ lệ TTHC được cập nhật, công khai đúng hạn trên CSDLQG về TTHC",
        "public_disclosure",
        "Số TTHC được công khai trên CSDLQG trong 10 ngày làm việc (Bộ) hoặc 5 ngày làm việc "
        "(tỉnh) kể từ ngày quyết định công bố",
        "Số TTHC phải cập nhật, công khai trên CSDLQG về TTHC trong kỳ",
        ONE,
        _d("4"),
        points_status=VERIFIED,
        points_source=sources.BAOCAOTAICHINH,
        data=NATIONAL,
        note=_PROPORTIONAL,
    ),
    Indicator(
        "1.3",
        "Tỷ lệ TTHC công khai đầy đủ các bộ phận tạo thành",
        "public_disclosure",
        "Số TTHC có đủ các bộ phận tạo thành theo khoản 2 Điều 8 Nghị định 63/2010/NĐ-CP",
        "Số TTHC đang công khai trên CSDLQG về TTHC (tại thời điểm tính)",
        ONE,
        _d("4"),
        formula_source=sources.DINTE + " ; " + _TECH,
        data=PARTIAL,
        note=_PROPORTIONAL,
    ),
    Indicator(
        "1.4",
        "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        "public_disclosure",
        "Số hồ sơ đã đồng bộ (kể cả một chiều) có ngày tiếp nhận trong kỳ",
        "Số hồ sơ tiếp nhận trong kỳ (số lớn hơn giữa thống kê trên Cổng DVCQG và Hệ thống "
        "báo cáo quốc gia)",
        ONE,
        _d("6"),
        data=NATIONAL,
        note=_PROPORTIONAL,
    ),
    # 2. Tiến độ, kết quả giải quyết (20)
    Indicator(
        "2.1",
        "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
        "progress",
        "Số hồ sơ đã và đang xử lý trước hạn, đúng hạn hoặc trong hạn",
        "Số hồ sơ tiếp nhận, xử lý trong kỳ",
        ONE,
        _d("20"),
        points_status=VERIFIED,
        points_source=sources.BAOCAOTAICHINH,
        note=_PROPORTIONAL,
    ),
    Indicator(
        "2.2",
        "Thời gian giải quyết TTHC trung bình theo từng TTHC",
        "progress",
        "Tổng thời gian giải quyết của các hồ sơ đã xử lý xong hoặc đã trả kết quả có ngày bắt "
        "đầu xử lý trong kỳ (theo đơn vị tính thời hạn của TTHC)",
        "Số hồ sơ đó",
        ONE,
        ZERO,
        # 2.1 alone carries the group's 20 points (verified), so 2.2 carries none.
        points_status=VERIFIED,
        points_source=sources.BAOCAOTAICHINH,
        display_only=True,
        value_kind=AVERAGE,
        note="Shown when one procedure is selected; no points.",
    ),
    # 4. Cung cấp dịch vụ trực tuyến (22) = dịch vụ công trực tuyến (12) + thanh toán (10)
    Indicator(
        "3.1",
        "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến",
        "online_services",
        "Số TTHC có dịch vụ công trực tuyến một phần hoặc toàn trình (tính mức cao nhất)",
        "Số TTHC thuộc thẩm quyền giải quyết",
        _d("0.8"),
        _d("4"),
        threshold_status=VERIFIED,
        threshold_source=_TECH,
    ),
    Indicator(
        "3.2",
        "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ",
        "online_services",
        "Số dịch vụ công có ít nhất một hồ sơ tiếp nhận trực tuyến trong kỳ",
        "Số dịch vụ công của đơn vị (đang công khai, chờ dừng công khai, đang kiểm thử)",
        ONE,
        _d("4"),
        note=_PROPORTIONAL,
    ),
    Indicator(
        "3.3",
        "Tỷ lệ hồ sơ TTHC nộp trực tuyến",
        "online_services",
        "Số hồ sơ tiếp nhận trực tuyến trong kỳ (có kết quả điện tử nếu TTHC yêu cầu trả kết "
        "quả bằng văn bản giấy)",
        "Số hồ sơ tiếp nhận trong kỳ",
        _d("0.5"),
        _d("4"),
        threshold_status=VERIFIED,
        threshold_source=_TECH,
        note="The national formula also multiplies by the sync rate (1.4); locally it is 1.",
    ),
    Indicator(
        "3.5",
        "Tỷ lệ TTHC có nghĩa vụ tài chính được tích hợp thanh toán trực tuyến",
        "online_payment",
        "Số TTHC có hồ sơ trong kỳ mang dữ liệu phí, lệ phí (khác 0)",
        "Số TTHC có thông tin phí, lệ phí (khác 0) trên CSDLQG về TTHC",
        _d("0.8"),
        _d("5"),
        threshold_status=VERIFIED,
        threshold_source=_TECH,
        data=PARTIAL,
    ),
    Indicator(
        "3.6",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        "online_payment",
        "Số hồ sơ được thanh toán trực tuyến (trên Cổng DVCQG hoặc cổng thanh toán của Bộ, "
        "tỉnh) có ngày bắt đầu xử lý trong kỳ",
        "Số hồ sơ của các TTHC có phí, lệ phí, trừ hồ sơ có mọi khoản phí bằng 0",
        ONE,
        _d("5"),
        note=_PROPORTIONAL,
    ),
    # 3. Số hóa hồ sơ (22)
    Indicator(
        "4.1",
        "Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử",
        "digitisation",
        "Số hồ sơ có tệp kết quả điện tử, thuộc TTHC yêu cầu trả kết quả bằng văn bản, giấy tờ",
        "Số hồ sơ của các TTHC yêu cầu trả kết quả bằng văn bản, giấy tờ",
        ONE,
        _d("7"),
        note=_PROPORTIONAL,
    ),
    Indicator(
        "4.2",
        "Tỷ lệ hồ sơ thực hiện số hóa",
        "digitisation",
        "Số hồ sơ có thành phần hồ sơ được số hóa và có kết quả điện tử (khi TTHC yêu cầu trả "
        "kết quả bằng văn bản, giấy tờ)",
        "Số hồ sơ thuộc thẩm quyền giải quyết",
        _d("0.8"),
        _d("8"),
        threshold_status=VERIFIED,
        threshold_source=_TECH,
    ),
    Indicator(
        "4.3",
        "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa",
        "digitisation",
        "Số hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần dùng lại dữ liệu đã số hóa",
        "Số hồ sơ tiếp nhận trong kỳ",
        _d("0.8"),
        _d("7"),
        threshold_status=VERIFIED,
        threshold_source=_TECH,
        data=PARTIAL,
    ),
    Indicator(
        "4.4",
        "Tỷ lệ hồ sơ số hóa có kết nối, chia sẻ dữ liệu với kho dữ liệu trên Cổng DVCQG",
        "digitisation",
        "Số hồ sơ có tệp lấy từ kho dữ liệu cá nhân, tổ chức trên Cổng DVCQG hoặc đồng bộ kết "
        "quả điện tử lên kho",
        "Số hồ sơ tiếp nhận trong kỳ",
        ONE,
        ZERO,
        data=NATIONAL,
        note="Monitoring indicator: no points unless an administrator assigns some.",
    ),
    Indicator(
        "4.5",
        "Ứng dụng dữ liệu dân cư trong giải quyết TTHC",
        "digitisation",
        "Số TTHC có hồ sơ dùng tài khoản định danh VNeID hoặc dữ liệu từ CSDL quốc gia về dân cư",
        "Số TTHC có đối tượng thực hiện là công dân",
        ONE,
        ZERO,
        data=NATIONAL,
        note="Monitoring indicator: no points unless an administrator assigns some.",
    ),
    # 5. Mức độ hài lòng (18)
    Indicator(
        "5.1",
        "Tỷ lệ phản ánh, kiến nghị theo phân loại",
        "satisfaction",
        "Số PAKN đã tiếp nhận được phân loại (quy định, chính sách, thủ tục hoặc hành vi của "
        "cán bộ, công chức)",
        "Số PAKN trong kỳ",
        ONE,
        ZERO,
        display_only=True,
        note="Shown for information; no points (the group's 18 go to 5.2–5.4).",
    ),
    Indicator(
        "5.2",
        "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",
        "satisfaction",
        "Số PAKN xử lý đúng hạn (từ chối ≤ 2, yêu cầu bổ sung ≤ 5, xử lý ≤ 15, công khai ≤ 2 "
        "ngày làm việc)",
        "Số PAKN thuộc thẩm quyền được tiếp nhận, xử lý trong kỳ",
        ONE,
        _d("6"),
        formula_source=sources.VIETJACK + " ; " + _TECH,
        note=_PROPORTIONAL,
    ),
    Indicator(
        "5.3",
        "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị",
        "satisfaction",
        "Số PAKN trừ số PAKN bị đánh giá không hài lòng (dislike nhiều hơn like), bị phản ánh "
        "lại về kết quả hoặc quá hạn",
        "Số PAKN có ngày tiếp nhận đầu tiên trong kỳ",
        ONE,
        _d("6"),
        formula_source=sources.VIETJACK + " ; " + sources.LAMDONG + " ; " + _TECH,
        note=_PROPORTIONAL,
    ),
    Indicator(
        "5.4",
        "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
        "satisfaction",
        "Số hồ sơ trừ hồ sơ quá hạn và hồ sơ có PAKN hoặc đánh giá không hài lòng "
        "(100% − tỷ lệ quá hạn − tỷ lệ có PAKN hoặc đánh giá dislike)",
        "Số hồ sơ thuộc thẩm quyền giải quyết trong kỳ",
        _d("0.9"),
        _d("6"),
        points_status=VERIFIED,
        points_source=sources.LAMDONG + " ; " + sources.BAOCAOTAICHINH,
        threshold_status=VERIFIED,
        threshold_source=_TECH,
        formula_source=sources.LAMDONG + " ; " + _TECH,
    ),
)

DEFAULT_RULES = RuleSet(
    effective_from=OFFICIAL_START,
    indicators=INDICATORS,
    groups=GROUPS,
    bands=BANDS,
    note="Decision 766/QĐ-TTg, official operation from 01/8/2022.",
)

# Every rule set, oldest first. A new version of the national rules is added here with its date.
RULE_SETS: tuple[RuleSet, ...] = (DEFAULT_RULES,)


def rules_on(day: date, rule_sets: tuple[RuleSet, ...] = RULE_SETS) -> RuleSet:
    """The latest rule set whose ``effective_from`` is on or before ``day``.

    Raises ``ValueError`` for a day before the first rule set (the index did not exist).
    """
    if isinstance(day, datetime):
        day = day.date()
    chosen = None
    for rule_set in rule_sets:
        if rule_set.effective_from <= day and (
            chosen is None or rule_set.effective_from >= chosen.effective_from
        ):
            chosen = rule_set
    if chosen is None:
        first = min(rule_set.effective_from for rule_set in rule_sets)
        raise ValueError(
            f"No Decision 766 rules before {first:%d/%m/%Y}: the index is computed from that day."
        )
    return chosen
