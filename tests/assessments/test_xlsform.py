"""The questionnaire definition as an XLSForm-style workbook (and CSV folder): reading, checking,
writing back, and the default Basel questionnaire shipped in that layout."""

import csv
import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

import tahub.assessments
from tahub.assessments.logic import ExpressionError, is_relevant, parse, satisfies
from tahub.assessments.spec import (
    LANGUAGES,
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    QuestionType,
    SectionSpec,
)
from tahub.assessments.xlsform import (
    SURVEY_COLUMNS,
    DefinitionError,
    read_csv_folder,
    read_rows,
    read_workbook,
    write_workbook,
)
from tahub.reference.loading import DATA_DIR

DEFAULT = Path(tahub.assessments.__file__).parent / "data" / "basel_ta_needs"
THEMES_CSV = DATA_DIR / "themes.csv"


@pytest.fixture(scope="module")
def themes():
    with THEMES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def default(themes):
    return read_csv_folder(DEFAULT, known_themes=set(themes))


def group(name="general", label="General", **extra):
    return {"type": "begin_group", "name": name, "label::English": label, **extra}


def question(type_, name, label=None, **extra):
    return {"type": type_, "name": name, "label::English": label or name.title(), **extra}


END = {"type": "end_group"}
SMALL_WORKBOOK = write_workbook(
    QuestionnaireSpec(
        sections=[
            SectionSpec("s", {"en": "S"}, [QuestionSpec("q", QuestionType.TEXT, {"en": "Q"})])
        ]
    )
)
COLOURS = [
    {"list_name": "colours", "name": "red", "label::English": "Red"},
    {"list_name": "colours", "name": "blue", "label::English": "Blue"},
]


def problems(survey, choices=(), settings_rows=None, **options):
    """The problems read_rows reports, as the user sees them."""
    with pytest.raises(DefinitionError) as caught:
        read_rows(list(survey), list(choices), settings_rows, **options)
    return [str(problem) for problem in caught.value.problems]


def workbook_bytes(build):
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- round trip


def test_the_default_questionnaire_survives_a_workbook_round_trip_exactly(default):
    spec, form_settings = default

    assert read_workbook(write_workbook(spec, form_settings)) == (spec, form_settings)


def test_awkward_text_and_numbers_survive_a_workbook_round_trip():
    spec = QuestionnaireSpec(
        sections=[
            SectionSpec(
                code="s",
                labels={"en": "=SUM(A1:A3)", "ar": "القسم", "zh": "部分"},
                relevant="",
                questions=[
                    QuestionSpec(code="count", type=QuestionType.INTEGER, labels={"en": "+1 (how many)"},
                                 required=True, min_value=-5.0, max_value=1e13, constraint=". != 3",
                                 constraint_messages={"en": "@not three", "ru": "не три"}),
                    QuestionSpec(code="share", type=QuestionType.DECIMAL, labels={"en": "-0.25 share"},
                                 min_value=0.0001, max_value=0.25, relevant="${count} > 0"),
                    QuestionSpec(code="colour", type=QuestionType.SELECT_ONE, labels={"en": "Colour"},
                                 hints={"en": "Two\nlines", "fr": "Deux\nlignes"}, choice_list="colours"),
                    QuestionSpec(code="notes", type=QuestionType.LONG_TEXT, labels={"en": "Notes"}, max_length=500),
                    QuestionSpec(code="matrix", type=QuestionType.THEME_MATRIX, labels={"en": "All themes"}),
                ],
            ),
            SectionSpec(code="t", labels={"en": "Later"}, relevant="${colour} = 'red'",
                        questions=[QuestionSpec(code="when", type=QuestionType.DATE, labels={"en": "When"})]),
        ],
        choice_lists={"colours": [ChoiceSpec("red", {"en": "=red"}), ChoiceSpec("1.5", {"en": "One and a half"})]},
    )  # fmt: skip

    assert read_workbook(write_workbook(spec)) == (
        spec,
        {"form_title": "", "form_id": "", "version": ""},
    )


def test_the_written_workbook_has_a_bold_frozen_header_and_readable_widths(default):
    workbook = load_workbook(io.BytesIO(write_workbook(*default)))

    assert workbook.sheetnames == ["survey", "choices", "settings"]
    survey = workbook["survey"]
    assert [cell.value for cell in survey[1]] == list(SURVEY_COLUMNS)
    assert all(cell.font.bold for cell in survey[1])
    assert survey.freeze_panes == "C2"
    widths = {column: survey.column_dimensions[column].width for column in ("A", "C", "P", "Y")}
    assert widths["C"] == 52  # label::English: long texts, capped
    assert 10 <= widths["A"] < widths["C"]  # type
    assert widths["P"] == widths["Y"] == 10  # required, min: a minimum width
    assert workbook["settings"]["B2"].value == "basel-ta-needs"


def test_text_that_looks_like_a_formula_is_written_as_text():
    spec = QuestionnaireSpec(
        sections=[
            SectionSpec("s", {"en": "=1+1"}, [QuestionSpec("q", QuestionType.TEXT, {"en": "Q"})])
        ]
    )

    cell = load_workbook(io.BytesIO(write_workbook(spec)))["survey"]["C2"]

    assert (cell.value, cell.data_type) == ("=1+1", "s")


# ---------------------------------------------------------------------------- the default questionnaire


def test_the_default_questionnaire_reads_without_problems_and_has_the_expected_outline(default):
    spec, form_settings = default

    assert form_settings == {
        "form_title": "Basel Convention technical assistance needs assessment",
        "form_id": "basel-ta-needs",
        "version": "2026.1",
    }
    assert [section.code for section in spec.sections] == [
        "general", "capacities", "needs", "delivery", "assistance_received", "comments",
    ]  # fmt: skip
    assert 25 <= len(spec.questions()) <= 35
    assert {"fp_name", "fp_position", "fp_institution", "fp_email", "institutions", "legislation",
            "competent_authority", "staff_count", "obstacles", "modalities", "languages", "received",
            "received_usefulness"} <= {q.code for q in spec.questions()}  # fmt: skip


def test_the_default_questionnaire_has_both_theme_matrices(default, themes):
    spec, _settings = default
    matrices = {q.code: q.themes for q in spec.questions() if q.type == QuestionType.THEME_MATRIX}

    top_level = [code for code, row in themes.items() if not row["parent"]]
    waste_streams = [code for code, row in themes.items() if row["parent"] == "waste_management"]
    assert matrices == {"theme_needs": top_level, "waste_stream_needs": waste_streams}
    article_16 = {code for code, row in themes.items() if row["article_16_area"] == "yes"}
    assert article_16 <= set(matrices["theme_needs"])


def test_every_text_of_the_default_questionnaire_is_in_the_six_languages(default):
    spec, _settings = default
    texts = [section.labels for section in spec.sections]
    for q in spec.questions():
        texts += [q.labels, *[t for t in (q.hints, q.constraint_messages) if t]]
    texts += [choice.labels for choices in spec.choice_lists.values() for choice in choices]

    incomplete = [
        t.get("en") for t in texts if sorted(t) != sorted(LANGUAGES) or not all(t.values())
    ]
    assert incomplete == []
    chinese_labels = {q.labels["zh"] for q in spec.questions()}
    assert len(chinese_labels) == len(spec.questions())  # no label copied onto another question


def test_the_default_follow_up_questions_show_only_for_the_answer_they_follow(default):
    spec, _settings = default
    follow_ups = {"institutions_other": ("institutions", ["health", "other"], ["health"]),
                  "languages_other": ("languages", ["fr", "other"], ["fr"]),
                  "received_usefulness": ("received", "yes", "no"),
                  "legislation_planned": ("legislation", "no", "yes")}  # fmt: skip

    for code, (source, shown, hidden) in follow_ups.items():
        relevant = spec.question(code).relevant
        assert is_relevant(relevant, {source: shown}), code
        assert not is_relevant(relevant, {source: hidden}), code

    modalities, email = spec.question("modalities").constraint, spec.question("fp_email").constraint
    assert satisfies(modalities, ["online", "hybrid", "twinning"], {})
    assert not satisfies(modalities, ["online", "hybrid", "twinning", "in_person"], {})
    assert satisfies(email, "focal.point@environment.gov.example", {})
    assert not satisfies(email, "focal point at environment", {})


# ---------------------------------------------------------------------------- problems, precisely placed


def test_an_unknown_type_is_reported_with_the_types_accepted():
    assert problems([group(), question("note", "intro"), END]) == [
        "survey!R3 (type): unknown type 'note'; expected one of begin_group, end_group, "
        "select_one <list>, select_multiple <list>, yes_no, integer, decimal, date, text, "
        "long_text, theme_matrix"
    ]


def test_xlsform_aliases_are_accepted_and_choices_from_files_refused_clearly():
    spec, _settings = read_rows(
        [
            group(type="begin group"),
            question("string", "a"),
            question("int", "b"),
            {"type": "end group"},
        ],
        [],
    )
    assert [q.type for q in spec.questions()] == [QuestionType.TEXT, QuestionType.INTEGER]

    assert problems([group(), question("select_one_from_file countries.csv", "c"), END]) == [
        "survey!R3 (type): select_one_from_file is not supported; list the choices on the "
        "choices sheet and use select_one"
    ]


def test_a_duplicate_name_points_at_the_first_use():
    survey = [group(), question("text", "q1"), question("integer", "q1"), END]

    assert problems(survey) == ["survey!R4 (name): 'q1' is already used on row 3"]


def test_a_name_must_be_a_lower_case_code():
    assert problems([group(), question("text", "Q 1"), END]) == [
        "survey!R3 (name): 'Q 1' is not a valid code: a lower-case letter, then lower-case "
        "letters, digits or _ (at most 60)"
    ]


def test_an_unknown_choice_list_and_a_duplicate_choice_are_reported():
    survey = [
        group(),
        question("select_one sizes", "size"),
        question("select_multiple colours", "c"),
        END,
    ]
    choices = [*COLOURS, {"list_name": "colours", "name": "red", "label::English": "Red again"}]

    assert problems(survey, choices) == [
        "survey!R3 (type): unknown choice list 'sizes': no rows with that list_name on the choices sheet",
        "choices!R4 (name): 'red' appears twice in list 'colours' (first on row 2)",
    ]


def test_a_choice_type_without_a_list_name_is_reported():
    assert problems([group(), question("select_one", "size"), END]) == [
        "survey!R3 (type): expected 'select_one <list name>', found 'select_one'"
    ]


def test_relevant_may_refer_only_to_questions_above():
    survey = [
        group(),
        question("yes_no", "q1", relevant="${q2} = 'yes'"),
        question("yes_no", "q2", relevant="${q2} = 'yes' and ${general} = 1 and ${nowhere} = 1"),
        END,
    ]

    assert problems(survey) == [
        "survey!R3 (relevant): ${q2} is defined below (row 4); refer only to questions above",
        "survey!R4 (relevant): ${general} is a group; refer to a question",
        "survey!R4 (relevant): ${nowhere} is not a question in this form",
        "survey!R4 (relevant): ${q2} is this row itself",
    ]


def test_a_syntax_error_in_an_expression_carries_the_evaluators_message():
    with pytest.raises(ExpressionError) as caught:
        parse(". >")

    assert problems([group(), question("integer", "n", constraint=". >"), END]) == [
        f"survey!R3 (constraint): {caught.value}"
    ]


@pytest.mark.parametrize(
    "survey, expected",
    [
        ([group(), question("text", "q1")], ["survey!R2 (type): group 'general' has no end_group"]),
        ([group(), question("text", "q1"), END, END], ["survey!R5 (type): end_group without a matching begin_group"]),
        (
            [group(), question("text", "q1"), group("inner"), question("text", "q2"), END],
            ["survey!R4 (type): begin_group inside group 'general' (opened on row 2); groups cannot be nested"],
        ),
        ([question("text", "q1"), group(), question("text", "q2"), END],
         ["survey!R2 (type): question outside a group; put it between begin_group and end_group rows"]),
        ([group(), END], ["survey!R2 (type): group 'general' has no questions"]),
        ([group(), question("text", "q1"), {"type": "end_group", "name": "other"}],
         ["survey!R4 (name): end_group names 'other', but the open group is 'general'"]),
    ],
    ids=["missing end", "extra end", "nested", "outside", "empty group", "wrong end name"],
)  # fmt: skip
def test_groups_must_balance_and_hold_every_question(survey, expected):
    assert problems(survey) == expected


def test_a_missing_english_label_is_reported_for_questions_groups_and_choices():
    survey = [
        group(label=""),
        question("select_one colours", "c", **{"label::English": "", "label::Français": "Couleur"}),
        END,
    ]
    choices = [
        {"list_name": "colours", "name": "red", "label::English": "", "label::Français": "Rouge"}
    ]

    assert problems(survey, choices) == [
        "survey!R2 (label::English): missing English label",
        "survey!R3 (label::English): missing English label",
        "choices!R2 (label::English): missing English label",
    ]


def test_an_unknown_theme_is_reported_when_the_known_themes_are_given(themes):
    survey = [group(), question("theme_matrix", "m", themes="legal waste_managment legal"), END]

    assert problems(survey, known_themes=set(themes)) == [
        "survey!R3 (themes): unknown theme 'waste_managment'",
        "survey!R3 (themes): theme 'legal' is listed twice",
    ]
    survey[1]["themes"] = "legal waste_management.plastic"
    assert read_rows(survey, [], known_themes=set(themes))[0].questions()[0].themes == [
        "legal", "waste_management.plastic",
    ]  # fmt: skip


def test_malformed_bounds_and_lengths_are_reported():
    survey = [
        group(),
        question("integer", "a", min="1.5", max="lots"),
        question("decimal", "b", min="10", max="2"),
        question("text", "c", max_length="0"),
        question("decimal", "d", min="0.00001", required="maybe"),
        question("yes_no", "e", max_length="5"),
        END,
    ]

    assert problems(survey) == [
        "survey!R3 (min): '1.5'; expected a whole number for an integer question",
        "survey!R3 (max): 'lots'; expected a number",
        "survey!R4 (max): max is below min",
        "survey!R5 (max_length): '0'; expected a whole number from 1 to 1,000,000",
        "survey!R6 (required): 'maybe'; expected yes or no",
        "survey!R6 (min): '0.00001'; at most 14 digits before and 4 after the decimal point",
        "survey!R7 (max_length): does not apply to a yes_no question",
    ]


def test_unknown_columns_are_reported_rather_than_silently_dropped():
    survey = [group(), {**question("text", "q1"), "relevent": "${x} = 1"}, END]

    assert problems(survey) == ["survey!R1 (relevent): unknown column"]


def test_problems_in_the_first_a_middle_and_the_last_row_are_all_reported_together():
    survey = [
        group("General"),
        question("text", "q1"),
        question("colour", "q2"),
        question("text", "q3"),
        {"type": "end_group", "name": "general"},
    ]

    with pytest.raises(DefinitionError) as caught:
        read_rows(survey, [])

    expected = [
        "survey!R2 (name): 'General' is not a valid code: a lower-case letter, then lower-case "
        "letters, digits or _ (at most 60)",
        "survey!R4 (type): unknown type 'colour'; expected one of begin_group, end_group, "
        "select_one <list>, select_multiple <list>, yes_no, integer, decimal, date, text, "
        "long_text, theme_matrix",
        "survey!R6 (name): end_group names 'general', but the open group is 'General'",
    ]
    assert [str(problem) for problem in caught.value.problems] == expected
    assert str(caught.value) == "\n".join(expected)
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [
        ("survey", 2, "name"), ("survey", 4, "type"), ("survey", 6, "name"),
    ]  # fmt: skip


def test_rows_are_numbered_as_the_spreadsheet_shows_them_empty_rows_included(default):
    spec, form_settings = default
    workbook = load_workbook(io.BytesIO(write_workbook(spec, form_settings)))
    survey = workbook["survey"]
    survey.insert_rows(4, amount=2)
    survey["O9"] = "${nowhere} = 'yes'"  # O: relevant
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(DefinitionError) as caught:
        read_workbook(buffer.getvalue())

    assert str(caught.value) == "survey!R9 (relevant): ${nowhere} is not a question in this form"


def test_a_value_under_no_header_and_extra_settings_rows_are_reported(default):
    workbook = load_workbook(io.BytesIO(write_workbook(*default)))
    workbook["survey"]["AD3"] = "stray"
    workbook["settings"].append(["Another title", "other", "1"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(DefinitionError) as caught:
        read_workbook(buffer.getvalue())

    assert [str(p) for p in caught.value.problems] == [
        "survey!R3 (AD): a value in a column without a header",
        "settings!R3: the settings sheet has one row of values, below its header",
    ]


# ---------------------------------------------------------------------------- files that are not workbooks


def test_random_bytes_are_refused_with_one_clear_problem():
    data = random.Random(3).randbytes(5000)
    assert not data.startswith(b"PK")

    with pytest.raises(DefinitionError) as caught:
        read_workbook(data)

    assert str(caught.value) == "the file is not an XLSX workbook"


def test_a_truncated_workbook_is_refused_as_damaged(default):
    data = write_workbook(*default)

    with pytest.raises(DefinitionError) as caught:
        read_workbook(data[: len(data) // 2])

    assert str(caught.value) == "the file is damaged or is not an XLSX workbook"


def test_a_csv_file_renamed_xlsx_is_refused_with_a_hint():
    data = (DEFAULT / "survey.csv").read_bytes()

    with pytest.raises(DefinitionError) as caught:
        read_workbook(data)

    assert str(caught.value) == (
        "the file is not an XLSX workbook (it looks like CSV or other text; save it in Excel format, .xlsx)"
    )


def test_an_empty_workbook_and_an_empty_file_are_refused():
    with pytest.raises(DefinitionError) as caught:
        read_workbook(workbook_bytes(lambda workbook: None))
    assert str(caught.value) == "the workbook has no sheet named 'survey' (its sheets: Sheet)"

    with pytest.raises(DefinitionError) as caught:
        read_workbook(workbook_bytes(lambda workbook: setattr(workbook.active, "title", "survey")))
    assert str(caught.value) == (
        "survey!R1: the sheet is empty; row 1 names the columns (type, name, label::English, …)"
    )

    with pytest.raises(DefinitionError) as caught:
        read_workbook(b"")
    assert str(caught.value) == "the file is empty"


def test_a_csv_folder_without_a_survey_or_with_bad_encoding_is_refused(tmp_path):
    with pytest.raises(DefinitionError) as caught:
        read_csv_folder(tmp_path)
    assert str(caught.value) == "survey: no file survey.csv in the folder"

    (tmp_path / "survey.csv").write_bytes(
        "type,name,label::English\ntext,q,Qué\n".encode("latin-1")
    )
    with pytest.raises(DefinitionError) as caught:
        read_csv_folder(tmp_path)
    assert str(caught.value).startswith("survey: survey.csv cannot be read as UTF-8 CSV")


def rewritten(data, change):
    """The workbook ``data`` with ``change(name, body) -> body`` applied to each archive member."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
    return buffer.getvalue()


def test_a_row_claiming_a_number_beyond_the_spreadsheet_limit_is_refused():
    far_row = b'<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x</t></is></c></row>'

    def add_far_row(name, body):
        if name == "xl/worksheets/sheet1.xml":
            return body.replace(b"</sheetData>", far_row + b"</sheetData>")
        return body

    with pytest.raises(DefinitionError) as caught:
        read_workbook(rewritten(SMALL_WORKBOOK, add_far_row))

    assert str(caught.value) == "survey: the sheet has more than 1,048,576 rows"


def test_a_workbook_that_unpacks_to_an_enormous_size_is_refused_before_reading():
    def add_padding(name, body):
        return body + b" " * 21_000_000 if name == "xl/styles.xml" else body

    with pytest.raises(DefinitionError) as caught:
        read_workbook(rewritten(SMALL_WORKBOOK, add_padding))

    assert str(caught.value) == "the workbook is too large: over 20 MB unpacked"


# ---------------------------------------------------------------------------- robustness

CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["begin_group", "end_group", "begin group", "end_group x", "select_one colours", "select_multiple",
         "integer", "decimal", "theme_matrix", "yes_no", "text", "q1", "q2", "general", "yes", "maybe",
         "${q1} = 'yes'", "${q1", "selected(${q2}, 'red')", ". >= 0", "1e400", "NaN", "-0", "0.00001",
         "legal nowhere", "\x00", "two\r\nlines", "1" * 40]
    ),
)  # fmt: skip
COLUMNS = st.sampled_from([*SURVEY_COLUMNS, "label", "Label::english (en)", "appearance", ""])


VALID_SURVEY = [
    group(),
    question("yes_no", "q1"),
    question("select_one colours", "q2", relevant="${q1} = 'yes'", required="yes"),
    question("integer", "q3", min="0", max="10", constraint=". != 5"),
    question("theme_matrix", "q4", themes="legal"),
    END,
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, len(VALID_SURVEY) + 1), COLUMNS, CELL), max_size=4))
def test_arbitrary_survey_cells_give_a_spec_or_a_definition_error_and_nothing_else(edits):
    rows = [dict(row) for row in VALID_SURVEY] + [{}, {}]
    for index, column, value in edits:
        rows[index][column] = value

    try:
        spec, _settings = read_rows(rows, COLOURS, known_themes={"legal"})
    except DefinitionError as error:
        assert error.problems
        assert all(problem.sheet == "survey" for problem in error.problems)
    else:
        assert read_workbook(write_workbook(spec))[0] == spec


@settings(max_examples=40, deadline=None)
@given(
    damage=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=4
    )
)
def test_a_workbook_with_damaged_bytes_gives_a_spec_or_a_definition_error(damage):
    data = bytearray(SMALL_WORKBOOK)
    for position, value in damage:
        data[position % len(data)] = value
    try:
        read_workbook(bytes(data))
    except DefinitionError as error:
        assert error.problems
