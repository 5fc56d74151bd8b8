"""XLSForm import and export (issue 12): our forms go out and come back unchanged, pyxform accepts
them, Kobo/ODK forms come in, and a refused workbook names every problem at once."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from cchc.surveys.engine.form import (
    KINDS,
    LIKERT5_LABELS,
    OPERATORS,
    Choice,
    Condition,
    Factor,
    FormSpec,
    MatrixItem,
    Question,
    Section,
)
from cchc.surveys.xlsform import (
    RelevantExpressionError,
    SheetRowError,
    XLSFormError,
    default_choices,
    parse_relevant,
    read_xlsform,
    relevant_expression,
    validate_with_pyxform,
    write_xlsform,
)

LIKERT = [Choice(str(value), label) for value, label in enumerate(LIKERT5_LABELS, start=1)]


def every_kind_spec() -> FormSpec:
    """A questionnaire with every kind, a matrix, each skip operator, a conditional section and
    factors: what the round trip must keep."""
    return FormSpec(
        code="sipas_test",
        title="Phiếu khảo sát thử",
        version="2",
        language="vi",
        source="QĐ 1001/QĐ-BNV (11/12/2023)",
        factors=[
            Factor("access", "Tiếp cận dịch vụ", 1),
            Factor("procedures", "Thủ tục hành chính", 2),
        ],
        sections=[
            Section(
                "info",
                "Thông tin chung",
                [
                    Question("intro", "Xin cảm ơn ông/bà đã tham gia.", "note"),
                    Question("age", "Tuổi", "number", required=True, hint="Số năm tròn"),
                    Question(
                        "gender",
                        "Giới tính",
                        "single",
                        choices=[Choice("male", "Nam"), Choice("female", "Nữ")],
                    ),
                    Question("visit_date", "Ngày đến giao dịch", "date"),
                    Question(
                        "channels",
                        "Ông/bà nộp hồ sơ qua",
                        "multiple",
                        required=True,
                        choices=[
                            Choice("counter", "Bộ phận một cửa"),
                            Choice("online", "Dịch vụ công trực tuyến"),
                            Choice("post", "Bưu chính công ích"),
                        ],
                    ),
                ],
            ),
            Section(
                "service",
                "Đánh giá dịch vụ",
                [
                    Question("used_online", "Ông/bà có dùng dịch vụ trực tuyến?", "yes_no"),
                    Question(
                        "online_ease",
                        "Mức độ dễ dùng",
                        "likert5",
                        factor="access",
                        show_when=[Condition("used_online", "=", "yes")],
                    ),
                    Question(
                        "waiting",
                        "Thời gian chờ",
                        "scale4",
                        choices=[
                            Choice("1", "Rất lâu"),
                            Choice("2", "Lâu"),
                            Choice("3", "Nhanh"),
                            Choice("4", "Rất nhanh"),
                        ],
                        show_when=[Condition("channels", "selected", "counter")],
                    ),
                    Question(
                        "access",
                        "Tiếp cận dịch vụ",
                        "matrix",
                        required=True,
                        hint="Chọn một mức cho mỗi dòng",
                        choices=LIKERT,
                        items=[
                            MatrixItem("access_1", "Nơi ngồi chờ có đủ chỗ ngồi", "access"),
                            MatrixItem("access_2", "Trang thiết bị đầy đủ", "access"),
                            MatrixItem("access_3", "Trang thiết bị dễ sử dụng", ""),
                        ],
                        factor="access",
                        show_when=[Condition("gender", "!=", "female")],
                    ),
                    Question(
                        "procedure_clear",
                        "Thủ tục được niêm yết công khai",
                        "likert5",
                        factor="procedures",
                        choices=[Choice(str(value), f"Mức {value}") for value in range(1, 6)],
                    ),
                ],
                show_when=[Condition("age", ">=", "18")],
            ),
            Section(
                "opinion",
                "Ý kiến",
                [
                    Question(
                        "comments",
                        "Ý kiến khác",
                        "text",
                        show_when=[
                            Condition("age", ">", "17"),
                            Condition("age", "<", "100"),
                            Condition("age", "<=", "99.5"),
                            Condition("access_1", "=", "5"),
                        ],
                    ),
                ],
            ),
        ],
    )


def build_workbook(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(content: bytes, name: str) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def error_places(refusal: pytest.ExceptionInfo[XLSFormError]) -> set[tuple[str, int, str]]:
    return {(error.sheet, error.line, error.column) for error in refusal.value.errors}


# -- export and round trip ----------------------------------------------------------------------
def test_round_trip_keeps_every_kind_skip_logic_sections_and_factors():
    spec = every_kind_spec()
    content = write_xlsform(spec)
    assert validate_with_pyxform(content) == []
    assert read_xlsform(content, filename="sipas_test.xlsx") == spec


def test_export_follows_the_xlsform_layout():
    content = write_xlsform(every_kind_spec())
    assert load_workbook(io.BytesIO(content)).sheetnames == [
        "survey",
        "choices",
        "settings",
        "factors",
    ]
    survey = {row["name"]: row for row in sheet_rows(content, "survey") if row["name"]}
    assert survey["service"]["type"] == "begin_group"
    assert survey["service"]["relevant"] == "${age} >= 18"
    assert survey["age"]["type"] == "decimal"
    assert survey["age"]["required"] == "yes"
    assert survey["visit_date"]["type"] == "date"
    assert survey["intro"]["type"] == "note"
    assert survey["channels"]["type"] == "select_multiple channels"
    assert survey["used_online"]["type"] == "select_one yes_no"
    assert survey["waiting"]["type"] == "select_one scale4"
    assert survey["waiting"]["relevant"] == "selected(${channels}, 'counter')"
    assert survey["comments"]["relevant"] == (
        "${age} > 17 and ${age} < 100 and ${age} <= 99.5 and ${access_1} = '5'"
    )
    # The matrix: a field-list group, a header row showing the scale, one row per item.
    assert survey["access"]["type"] == "begin_group"
    assert survey["access"]["appearance"] == "field-list"
    assert survey["access"]["relevant"] == "${gender} != 'female'"
    assert survey["access_header"]["appearance"] == "label"
    assert survey["access_1"]["type"] == "select_one likert5"
    assert survey["access_1"]["appearance"] == "list-nolabel"
    assert survey["access_1"]["factor"] == "access"
    assert survey["access_1"]["required"] == "yes"
    # The default 5-point scale is written once and shared by the likert5 question and the
    # matrix; the custom one gets its own list.
    assert survey["online_ease"]["type"] == "select_one likert5"
    assert survey["procedure_clear"]["type"] == "select_one likert5_2"
    choices = sheet_rows(content, "choices")
    assert [row["label"] for row in choices if row["list_name"] == "likert5"] == list(
        LIKERT5_LABELS
    )
    assert [row["name"] for row in choices if row["list_name"] == "yes_no"] == ["yes", "no"]
    assert sheet_rows(content, "settings") == [
        {
            "form_title": "Phiếu khảo sát thử",
            "form_id": "sipas_test",
            "version": "2",
            "default_language": "Vietnamese (vi)",
            "source": "QĐ 1001/QĐ-BNV (11/12/2023)",
        }
    ]
    assert sheet_rows(content, "factors")[0] == {
        "code": "access",
        "name": "Tiếp cận dịch vụ",
        "order": 1,
    }


def test_pyxform_passes_over_our_extra_columns_and_sheets_without_a_warning():
    warnings: list[str] = []
    result = convert(write_xlsform(every_kind_spec()), warnings=warnings, file_type=".xlsx")
    assert warnings == []
    assert 'appearance="list-nolabel"' in result.xform
    assert "Tiếp cận dịch vụ" in result.xform  # the matrix group's label
    assert "procedures" not in result.xform  # the factors sheet is ours only


def test_likert5_choices_equal_to_the_default_scale_come_back_as_the_default():
    spec = FormSpec(
        code="f",
        title="F",
        sections=[Section("s", "S", [Question("q", "Q", "likert5", choices=list(LIKERT))])],
    )
    assert read_xlsform(write_xlsform(spec)).question("q").choices == []


def test_a_text_starting_with_an_equals_sign_stays_a_text_not_a_formula():
    spec = FormSpec(
        code="f",
        title="=1+1",
        sections=[
            Section(
                "s",
                "=SUM(A1:A3)",
                [Question("q", '=HYPERLINK("http://x")', "single", choices=[Choice("a", "=2")])],
            )
        ],
    )
    content = write_xlsform(spec)
    survey = load_workbook(io.BytesIO(content))["survey"]
    assert all(cell.data_type != "f" for row in survey.iter_rows() for cell in row)
    assert read_xlsform(content) == spec


def test_characters_a_worksheet_cannot_hold_are_left_out():
    spec = FormSpec(
        code="f",
        title="F",
        sections=[Section("s", "S", [Question("q", "Dán\x0btừ Word\uffff", "text")])],
    )
    assert read_xlsform(write_xlsform(spec)).question("q").label == "Dán\ntừ Word"


def test_export_refuses_what_no_xlsform_can_hold():
    no_choices = FormSpec("f", "F", sections=[Section("s", "S", [Question("q", "Q", "single")])])
    with pytest.raises(ValueError, match="no choices"):
        write_xlsform(no_choices)
    text_comparison = FormSpec(
        "f",
        "F",
        sections=[
            Section("s", "S", [Question("q", "Q", "text", show_when=[Condition("a", ">", "many")])])
        ],
    )
    with pytest.raises(ValueError, match="number"):
        write_xlsform(text_comparison)


# -- import of a Kobo/ODK form ------------------------------------------------------------------
SATISFACTION_CHOICES = [
    ["sat", str(value), f"Level {value}", label] for value, label in enumerate(LIKERT5_LABELS, 1)
]


def kobo_workbook() -> bytes:
    header = [
        "type",
        "name",
        "label::English (en)",
        "label::Vietnamese (vi)",
        "hint::English (en)",
        "relevant",
        "appearance",
        "required",
        "calculation",
    ]
    survey = [
        header,
        ["start", "start", "", "", "", "", "", "", ""],
        ["end", "end", "", "", "", "", "", "", ""],
        ["today", "today", "", "", "", "", "", "", ""],
        ["deviceid", "deviceid", "", "", "", "", "", "", ""],
        ["note", "intro", "Welcome", "Xin chào", "", "", "", "", ""],
        ["integer", "age", "Age", "", "In years", "", "", "TRUE", ""],
        ["begin_group", "household", "Household", "Hộ gia đình", "", "${age} >= 18", "", "", ""],
        ["text", "full_name", "Name", "Họ tên", "", "", "", "", ""],
        ["select_multiple ch", "channels", "Channels", "Kênh", "", "", "", "", ""],
        ["begin group", "services", "Services", "Dịch vụ", "", "", "", "", ""],
        ["select_one sat", "q_sat", "Satisfied?", "Hài lòng?", "", "", "", "yes", ""],
        ["select_one yn", "used", "Used?", "Đã dùng?", "", "", "", "", ""],
        ["end group", "", "", "", "", "", "", "", ""],
        ["calculate", "total", "", "", "", "", "", "", "${age} * 2"],
        ["decimal", "spend", "Spend", "Chi phí", "", "${used} = 'yes'", "", "", ""],
        ["end_group", "", "", "", "", "", "", "", ""],
        ["begin_group", "grid", "Grid", "Bảng", "", "", "field-list", "", ""],
        ["select_one sat", "grid_header", "", "", "", "", "label", "", ""],
        ["select_one sat", "g1", "Row 1", "Dòng 1", "", "", "list-nolabel", "yes", ""],
        ["select_one sat", "g2", "Row 2", "Dòng 2", "", "", "list-nolabel", "yes", ""],
        ["end_group", "", "", "", "", "", "", "", ""],
        ["date", "when", "When", "Khi nào", "", "", "", "", ""],
    ]
    # the services group is shown only to those who chose "online"
    survey[10][5] = "selected(${channels}, 'online')"
    choices = [
        ["list_name", "name", "label::English (en)", "label::Vietnamese (vi)"],
        ["ch", "counter", "Counter", "Một cửa"],
        ["ch", "online", "Online", ""],
        *SATISFACTION_CHOICES,
        ["yn", "yes", "Yes", "Có"],
        ["yn", "no", "No", "Không"],
    ]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        ["Kobo form", "kobo_form", "vKobo123", "English (en)"],
    ]
    return build_workbook({"survey": survey, "choices": choices, "settings": settings})


def test_import_of_a_kobo_form_with_languages_metadata_and_nested_groups():
    spec = read_xlsform(kobo_workbook(), filename="kobo.xlsx")
    assert (spec.code, spec.title, spec.version, spec.language) == (
        "kobo_form",
        "Kobo form",
        "vKobo123",
        "vi",
    )
    assert spec.factors == []
    # Sections: ungrouped rows in "main" (titled by the form), a nested group as its own section
    # under both groups' conditions, the rest of the outer group after it as "household_2".
    assert [(s.code, s.title, [q.code for q in s.questions]) for s in spec.sections] == [
        ("main", "Kobo form", ["intro", "age"]),
        ("household", "Hộ gia đình", ["full_name", "channels"]),
        ("services", "Dịch vụ", ["q_sat", "used"]),
        ("household_2", "Hộ gia đình", ["spend"]),
        ("main_2", "Kobo form", ["grid", "when"]),
    ]
    adult = Condition("age", ">=", "18")
    services = spec.sections[2]
    assert services.show_when == [adult, Condition("channels", "selected", "online")]
    assert spec.sections[3].show_when == [adult]
    # Vietnamese preferred, the default language (English) when a Vietnamese cell is empty.
    assert spec.question("intro").label == "Xin chào"
    assert spec.question("intro").kind == "note"
    age = spec.question("age")
    assert (age.label, age.kind, age.required, age.hint) == ("Age", "number", True, "In years")
    assert spec.question("channels").choices == [
        Choice("counter", "Một cửa"),
        Choice("online", "Online"),
    ]
    # A 5-level list worded as the satisfaction scale is the 5-point scale; yes/no is yes_no.
    assert spec.question("q_sat").kind == "likert5"
    assert spec.question("q_sat").choices == []
    assert spec.question("q_sat").required is True
    assert spec.question("used").kind == "yes_no"
    assert spec.question("used").choices == []
    assert spec.question("spend").show_when == [Condition("used", "=", "yes")]
    grid = spec.question("grid")
    assert grid.kind == "matrix"
    assert grid.required is True
    assert grid.choices == LIKERT
    assert grid.items == [MatrixItem("g1", "Dòng 1"), MatrixItem("g2", "Dòng 2")]
    assert spec.question("when").kind == "date"
    with pytest.raises(KeyError):
        spec.question("total")  # calculate rows are left out


def test_an_imported_form_goes_back_out_and_pyxform_accepts_it():
    spec = read_xlsform(kobo_workbook())
    exported = write_xlsform(spec)
    assert validate_with_pyxform(exported) == []
    assert read_xlsform(exported) == spec


def test_labels_fall_back_to_the_default_language_then_the_first():
    def workbook(default_language: str) -> bytes:
        return build_workbook(
            {
                "survey": [
                    ["type", "name", "label::French (fr)", "label::English (en)"],
                    ["text", "q", "Nom", "Name"],
                ],
                "settings": [
                    ["form_title", "form_id", "default_language"],
                    ["T", "t", default_language],
                ],
            }
        )

    assert read_xlsform(workbook("English (en)")).question("q").label == "Name"
    english = read_xlsform(workbook("English (en)"))
    assert english.language == "en"
    french = read_xlsform(workbook(""))
    assert (french.question("q").label, french.language) == ("Nom", "fr")


def test_a_select_one_not_worded_as_the_scale_is_single_choice():
    content = build_workbook(
        {
            "survey": [["type", "name", "label"], ["select_one five", "q", "Q"]],
            "choices": [["list_name", "name", "label"]]
            + [["five", str(value), f"Option {value}"] for value in range(1, 6)],
        }
    )
    spec = read_xlsform(content, filename="five.xlsx")
    assert spec.code == "five"  # no settings sheet: the file's name
    assert spec.question("q").kind == "single"
    assert len(spec.question("q").choices) == 5


# -- refusals -----------------------------------------------------------------------------------
def test_every_error_of_a_workbook_is_reported_at_once():
    content = build_workbook(
        {
            "survey": [
                ["type", "name", "label", "relevant", "required", "factor"],
                ["select_one nolist", "q1", "Q1", "", "", ""],
                ["geopoint", "where", "Where", "", "", ""],
                ["text", "q3", "Q3", "${q1} = 'a' or ${q1} = 'b'", "", ""],
                ["text", "q3", "Q3 again", "", "", ""],
                ["select_one_from_file places.csv", "q5", "Q5", "", "", ""],
                ["text", "q6", "Q6", "", "${q1} = 'a'", ""],
                ["text", "q7", "Q7", "${nowhere} = '1'", "", ""],
                ["text", "q8", "Q8", "", "", "unknown_factor"],
                ["begin_repeat", "people", "People", "", "", ""],
                ["end_repeat", "", "", "", "", ""],
            ],
            "choices": [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "yes", "Có"]],
            "factors": [["code", "name", "order"], ["access", "Tiếp cận", "first"]],
        }
    )
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(content)
    assert error_places(refusal) == {
        ("survey", 2, "type"),  # unknown list
        ("survey", 3, "type"),  # geopoint
        ("survey", 4, "relevant"),  # "or"
        ("survey", 5, "name"),  # duplicate
        ("survey", 6, "type"),  # select_one_from_file
        ("survey", 7, "required"),  # an expression
        ("survey", 8, "relevant"),  # unknown question
        ("survey", 9, "factor"),  # not in the factors sheet
        ("survey", 10, "type"),  # repeat
        ("choices", 3, "name"),  # duplicate choice
        ("factors", 2, "order"),  # not a number
    }
    messages = {(error.line, error.column): error.message for error in refusal.value.errors}
    assert "geopoint" in messages[3, "type"]
    assert "select_one_from_file places.csv" in messages[6, "type"]
    assert "nolist" in messages[2, "type"]
    assert "dòng 4" in messages[5, "name"]
    assert "nowhere" in messages[8, "relevant"]


def test_an_error_names_its_sheet_line_and_column():
    error = SheetRowError(4, "relevant", "Bad.", sheet="survey")
    assert str(error) == "Trang tính “survey”, dòng 4, cột “relevant”: Bad."
    assert (
        str(SheetRowError(3, "", "Bad.", sheet="choices")) == "Trang tính “choices”, dòng 3: Bad."
    )
    assert str(SheetRowError(0, "", "Bad.", sheet="")) == "Bad."


def test_groups_must_be_opened_and_closed():
    content = build_workbook(
        {
            "survey": [
                ["type", "name", "label"],
                ["end_group", "", ""],
                ["begin_group", "g", "G"],
                ["text", "q", "Q"],
            ]
        }
    )
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(content)
    assert error_places(refusal) == {("survey", 2, "type"), ("survey", 3, "type")}


def test_a_group_marked_matrix_must_have_the_table_layout():
    content = build_workbook(
        {
            "survey": [
                ["type", "name", "label", "appearance", "kind"],
                ["begin_group", "m", "M", "field-list", "matrix"],
                ["text", "t", "T", "", ""],
                ["end_group", "", "", "", ""],
            ]
        }
    )
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(content)
    assert error_places(refusal) == {("survey", 2, "kind")}


def test_a_field_list_group_of_other_questions_is_a_section():
    content = build_workbook(
        {
            "survey": [
                ["type", "name", "label::vi", "label", "appearance"],
                ["begin_group", "page", "Trang", "Page", "field-list"],
                ["text", "t", "Văn bản", "Text", ""],
                ["integer", "n", "", "Number", ""],
                ["end_group", "", "", "", ""],
            ]
        }
    )
    spec = read_xlsform(content)
    assert [(section.code, section.title) for section in spec.sections] == [("page", "Trang")]
    assert [(q.code, q.label, q.kind) for q in spec.sections[0].questions] == [
        ("t", "Văn bản", "text"),
        ("n", "Number", "number"),
    ]


def test_or_other_is_refused():
    content = build_workbook(
        {
            "survey": [["type", "name", "label"], ["select_one yn or_other", "q", "Q"]],
            "choices": [["list_name", "name", "label"], ["yn", "yes", "Có"]],
        }
    )
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(content)
    assert error_places(refusal) == {("survey", 2, "type")}


def test_a_kind_that_does_not_fit_the_type_is_refused():
    content = build_workbook(
        {"survey": [["type", "name", "label", "kind"], ["text", "q", "Q", "likert5"]]}
    )
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(content)
    assert error_places(refusal) == {("survey", 2, "kind")}


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"type,name,label\ntext,q,Q\n", "form.csv"),
        (b"not a zip at all", "form.xlsx"),
        (b"", ""),
        (write_xlsform(FormSpec("f", "F")), "form.xls"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused(content, filename):
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(content, filename=filename)
    assert len(refusal.value.errors) == 1
    assert refusal.value.errors[0].line == 0


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with translation.override("en"), pytest.raises(XLSFormError, match="cannot be read"):
        read_xlsform(buffer.getvalue())


def test_a_too_large_file_is_refused(settings):
    content = write_xlsform(every_kind_spec())
    settings.CCHC_UPLOAD_MAX_BYTES = len(content) - 1
    with translation.override("en"), pytest.raises(XLSFormError, match="larger"):
        read_xlsform(content)


def test_an_empty_survey_sheet_is_refused():
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(
            build_workbook({"survey": [["type", "name", "label"], ["start", "start", ""]]})
        )
    assert [(error.sheet, error.line) for error in refusal.value.errors] == [("survey", 0)]
    with pytest.raises(XLSFormError, match="không có trang tính “survey”"):
        read_xlsform(build_workbook({"questions": [["type"]]}))
    with pytest.raises(XLSFormError, match="không có cột “type”"):
        read_xlsform(build_workbook({"survey": [["name", "label"], ["q", "Q"]]}))


def test_a_form_pyxform_refuses_is_refused_with_its_reason():
    # A name XML cannot hold passes our checks; pyxform refuses it.
    content = build_workbook({"survey": [["type", "name", "label"], ["text", "1st", "Q"]]})
    with pytest.raises(XLSFormError) as refusal:
        read_xlsform(content)
    (error,) = refusal.value.errors
    assert error.message.startswith("Biểu mẫu không hợp lệ theo pyxform: ")
    assert "Names must begin with a letter" in error.message


# -- skip logic ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expression", "conditions"),
    [
        ("${a}='1'", [Condition("a", "=", "1")]),
        ('${a} != "x y"', [Condition("a", "!=", "x y")]),
        ("${a} = 3", [Condition("a", "=", "3")]),
        ("selected( ${b} , 'online' )", [Condition("b", "selected", "online")]),
        ("${n} >= '2.5'", [Condition("n", ">=", "2.5")]),
        (
            "${n} < -1 and selected(${b}, 'a and b') and ${c}='or'",
            [
                Condition("n", "<", "-1"),
                Condition("b", "selected", "a and b"),
                Condition("c", "=", "or"),
            ],
        ),
        ("  ", []),
    ],
)
def test_simple_relevant_expressions_are_read(expression, conditions):
    assert parse_relevant(expression) == conditions


@pytest.mark.parametrize(
    "expression",
    [
        "${a} = '1' or ${b} = '2'",
        "not(${a} = '1')",
        "(${a} = '1')",
        "${a} > 'many'",
        "count-selected(${a}) > 1",
        "${a} = '1' and",
        "${a} = '1' ${b} = '2'",
        "${a} = ${b}",
    ],
)
def test_other_relevant_expressions_are_refused(expression):
    with pytest.raises(RelevantExpressionError):
        parse_relevant(expression)


NAME_CHARACTERS = "abcxyzABCXYZ_0189.-"
names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("aZ_"),
    st.text(NAME_CHARACTERS, max_size=12),
)
numbers = st.builds(
    lambda whole, fraction, negative: ("-" if negative else "") + str(whole) + fraction,
    st.integers(0, 10**6),
    st.sampled_from(["", ".5", ".25", ".0"]),
    st.booleans(),
)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=20).filter(
    lambda value: not ("'" in value and '"' in value)
)


@st.composite
def conditions(draw, values=texts):
    operator = draw(st.sampled_from(OPERATORS))
    value = draw(numbers if operator in (">", ">=", "<", "<=") else st.one_of(values, numbers))
    return Condition(draw(names), operator, value)


@given(st.lists(conditions(), max_size=5))
def test_relevant_expressions_read_back_as_the_conditions_written(condition_list):
    assert parse_relevant(relevant_expression(condition_list)) == condition_list


# -- a property: any questionnaire XLSForm can hold comes back unchanged -------------------------
labels = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), exclude_characters="$"),
    min_size=1,
    max_size=15,
).filter(lambda text: text == text.strip() and text)


@st.composite
def questions(draw, code):
    kind = draw(st.sampled_from(KINDS))
    question = Question(code, draw(labels), kind, hint=draw(st.one_of(st.just(""), labels)))
    question.required = kind != "note" and draw(st.booleans())
    question.factor = draw(st.sampled_from(["", "access"]))
    if kind in ("single", "multiple", "scale4", "matrix") or (
        kind in ("likert5", "yes_no") and draw(st.booleans())
    ):
        values = draw(st.lists(names, min_size=1, max_size=4, unique=True))
        question.choices = [Choice(value, draw(labels)) for value in values]
    if kind == "matrix":
        question.items = [
            MatrixItem(f"{code}_{number}", draw(labels), draw(st.sampled_from(["", "access"])))
            for number in range(draw(st.integers(1, 3)))
        ]
    return question


#: Condition values a worksheet and pyxform take: no control characters, no "${" reference.
sheet_texts = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Cn"), exclude_characters="$"), max_size=12
).filter(lambda value: not ("'" in value and '"' in value))


@st.composite
def skip_logic(draw, earlier: list[str]):
    if not earlier:
        return []
    chosen = draw(st.lists(conditions(sheet_texts), max_size=2))
    return [
        Condition(draw(st.sampled_from(earlier)), condition.operator, condition.value)
        for condition in chosen
    ]


@st.composite
def specs(draw):
    sections = []
    earlier: list[str] = []
    for section_number in range(draw(st.integers(1, 3))):
        section_conditions = draw(skip_logic(earlier))
        section_questions = []
        for number in range(draw(st.integers(1, 3))):
            question = draw(questions(f"q{section_number}_{number}"))
            question.show_when = draw(skip_logic(earlier))
            section_questions.append(question)
            earlier.append(question.code)
        sections.append(
            Section(f"s{section_number}", draw(labels), section_questions, section_conditions)
        )
    return FormSpec(
        code=draw(names),
        title=draw(labels),
        version=draw(st.sampled_from(["1", "2026.1", "v3"])),
        source=draw(st.one_of(st.just(""), labels)),
        factors=[Factor("access", draw(labels), 1)],
        sections=sections,
    )


@hypothesis_settings(max_examples=25, deadline=None)
@given(specs())
def test_any_questionnaire_comes_back_from_its_xlsform_unchanged(spec):
    for question in spec.questions():
        if question.kind in ("likert5", "yes_no") and question.choices == default_choices(
            question.kind
        ):
            question.choices = []  # the canonical form of the default scale
    assert read_xlsform(write_xlsform(spec)) == spec
