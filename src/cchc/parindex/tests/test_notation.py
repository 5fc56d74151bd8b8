"""The officers' "cách chấm" text read into a scoring method and written back (round trip)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.parindex.engine import score_leaf, validate_spec
from cchc.parindex.engine.notation import (
    NotationError,
    canonical,
    format_spec,
    method_from_text,
    parse,
    slug,
)

CA_MAU_BANDS = "trên 90%: 2; 70%–90%: 1; dưới 70%: 0"


def test_levels_with_vietnamese_decimal_comma():
    method, spec = parse("Ban hành kịp thời: 1 / không kịp thời: 0,5 / Không ban hành: 0")
    assert method == "levels"
    assert spec["levels"] == [
        {"key": "ban_hanh_kip_thoi", "label": "Ban hành kịp thời", "points": "1"},
        {"key": "khong_kip_thoi", "label": "không kịp thời", "points": "0.5"},
        {"key": "khong_ban_hanh", "label": "Không ban hành", "points": "0"},
    ]
    assert score_leaf(method, spec, Decimal(1), "khong_kip_thoi") == Decimal("0.50")


def test_a_label_that_mentions_deduction_is_still_a_level():
    method, spec = parse("Không bị trừ điểm: 1; Bị trừ điểm: 0")
    assert method == "levels"
    assert [level["key"] for level in spec["levels"]] == ["khong_bi_tru_diem", "bi_tru_diem"]


def test_yes_no_levels_and_maximum_words():
    assert parse("Có: 1; Không: 0")[1]["levels"][0] == {"key": "co", "label": "Có", "points": "1"}
    _, spec = parse("Có ban hành: điểm tối đa\nKhông: 0", max_points=Decimal("0.5"))
    assert spec["levels"][0]["points"] == "0.5"
    _, spec = parse("Xuất sắc: điểm tối đa; tốt: 75%; hoàn thành: 50%", max_points=4)
    assert [level["points"] for level in spec["levels"]] == ["4", "3", "2"]


def test_bands_boundaries_follow_the_words():
    method, spec = parse(CA_MAU_BANDS)
    assert method == "bands"
    score = lambda value: score_leaf(method, spec, Decimal(2), value)  # noqa: E731
    assert score("90,01") == 2  # "trên 90%" is strictly above
    assert score("90") == 1  # a range includes both ends
    assert score("89,99") == 1
    assert score("70") == 1
    assert score("69,99") == 0  # "dưới" catches the rest


def test_bands_inclusive_words_and_any_order():
    for text in (
        "từ 90% trở lên: 2; từ 70% đến dưới 90%: 1; dưới 70%: 0",
        "≥ 90%: 2; ≥70%: 1; còn lại: 0",
        "dưới 70%: 0; từ 70% đến dưới 90%: 1; từ 90% trở lên: 2",
    ):
        method, spec = parse(text)
        assert method == "bands", text
        assert score_leaf(method, spec, 2, "90") == 2, text
        assert score_leaf(method, spec, 2, "70") == 1, text
        assert score_leaf(method, spec, 2, "69,9") == 0, text


def test_a_gap_between_bands_is_an_error_naming_the_band():
    with pytest.raises(NotationError) as error:
        parse("trên 90%: 2; 60%–80%: 1; dưới 60%: 0")
    assert error.value.code == "band_gap"
    assert error.value.part == "60%–80%: 1"


def test_deduction():
    method, spec = parse("Không vi phạm: 0%; vi phạm nhẹ: trừ 50%; nghiêm trọng: trừ 100%")
    assert method == "deduction"
    assert [item["percent"] for item in spec["deductions"]] == ["0", "50", "100"]
    assert score_leaf(method, spec, 2, "vi_pham_nhe") == 1
    _, spec = parse("vi phạm nhẹ: trừ 50% điểm; nghiêm trọng: 0")
    assert spec["deductions"][1]["percent"] == "100"


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("Nhập điểm", "number"),
        ("Tự chấm từ 0 đến tối đa", "number"),
        ("Điều tra xã hội học", "survey"),
        ("Điều tra XHH", "survey"),
    ],
)
def test_number_and_survey(text, method):
    assert parse(text) == (method, {})


def test_computed_with_bands_or_proportional():
    method, spec = parse("Tự động từ dữ liệu: dossiers.on_time_rate; " + CA_MAU_BANDS)
    assert method == "computed"
    assert spec["metric"] == "dossiers.on_time_rate"
    assert spec["bands"] == parse(CA_MAU_BANDS)[1]["bands"]
    method, spec = parse("Tự động từ dữ liệu: index766.score\ntỷ lệ thuận")
    assert spec == {"metric": "index766.score", "proportional": True}
    with pytest.raises(NotationError) as error:
        parse("Tự động từ dữ liệu: index766.score")
    assert error.value.code == "computed_rule"


@pytest.mark.parametrize("text", ["Đạt yêu cầu", "Có: một điểm", "trên chín mươi %: 2"])
def test_unreadable_text_names_the_part(text):
    with pytest.raises(NotationError) as error:
        parse(text)
    assert error.value.part


def test_method_column():
    assert method_from_text("Chọn mức") == "levels"
    assert method_from_text("computed") == "computed"
    assert method_from_text("Điều tra XHH") == "survey"
    assert method_from_text("") == ""
    with pytest.raises(NotationError):
        method_from_text("bốc thăm")


# -- round trip: spec → text → spec ------------------------------------------------------------
LABEL_CHARS = "abcdeghiklmnopqrstuvxyĐđăâêôơưáàảãạếềểễệóòỏõọúùủũụíìỉĩị "
labels = st.text(alphabet=LABEL_CHARS, min_size=1, max_size=20).map(str.strip).filter(bool)
points = st.decimals(min_value=0, max_value=10, places=2).map(canonical)
percents = st.decimals(min_value=0, max_value=100, places=2).map(canonical)
keys = st.one_of(st.none(), st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True))


@st.composite
def level_specs(draw):
    items = draw(st.lists(st.tuples(labels, keys, points), min_size=1, max_size=6))
    result, seen = [], set()
    for label, key, value in items:
        key = key or slug(label) or "muc"
        if key in seen:
            continue
        seen.add(key)
        result.append({"key": key, "label": label, "points": value})
    return result


@st.composite
def band_specs(draw):
    thresholds = draw(st.lists(percents, min_size=0, max_size=5, unique=True))
    thresholds.sort(key=Decimal, reverse=True)
    bands = [
        {"above": t, "inclusive": draw(st.booleans()), "points": draw(points)} for t in thresholds
    ]
    if not bands or draw(st.booleans()):
        bands.append({"above": None, "points": draw(points)})
    return bands


specs = st.one_of(
    level_specs().map(lambda items: ("levels", {"levels": items})),
    band_specs().map(lambda bands: ("bands", {"bands": bands})),
    st.lists(st.tuples(labels, keys, percents), min_size=1, max_size=5).map(
        lambda items: ("deduction", {"deductions": level_specs_from(items, "percent")})
    ),
    st.just(("number", {})),
    st.just(("survey", {})),
    st.tuples(st.from_regex(r"[a-z]+\.[a-z_]+", fullmatch=True), band_specs()).map(
        lambda pair: ("computed", {"metric": pair[0], "bands": pair[1]})
    ),
    st.from_regex(r"[a-z]+\.[a-z_]+", fullmatch=True).map(
        lambda metric: ("computed", {"metric": metric, "proportional": True})
    ),
)


def level_specs_from(items, name):
    result, seen = [], set()
    for label, key, value in items:
        key = key or slug(label) or "muc"
        if key not in seen:
            seen.add(key)
            result.append({"key": key, "label": label, name: value})
    return result


@given(specs)
def test_round_trip_spec_text_spec(pair):
    method, spec = pair
    text = format_spec(method, spec)
    assert parse(text, method) == (method, spec)


@given(band_specs())
def test_bands_read_back_without_the_method_column(bands):
    text = format_spec("bands", {"bands": bands})
    assert parse(text) == ("bands", {"bands": bands})


def test_formatted_specs_are_valid_engine_specs():
    method, spec = parse(CA_MAU_BANDS)
    validate_spec(method, spec, Decimal(2))
