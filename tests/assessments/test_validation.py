"""Validation of answers: raw input in, typed values and every problem out, never an exception."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tahub.assessments.spec import (
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    QuestionType,
    SectionSpec,
)
from tahub.assessments.validation import (
    LONG_TEXT_MAX_LENGTH,
    MATRIX_COMMENT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Problem,
    ValidationResult,
    clean_answer,
    progress,
    questionnaire_problems,
    validate_response,
)

MODALITIES = [
    ChoiceSpec(value, {"en": value}) for value in ("online", "workshop", "exchange", "none")
]
KINDS = {"training", "legal_advice", "equipment"}
THEMES = {"tracking", "esm", "illegal_traffic"}


def question(code, type_, **options):
    return QuestionSpec(code=code, type=QuestionType(type_), labels={"en": code.title()}, **options)


def clean(type_, raw, **options):
    return clean_answer(question("q", type_, **options), raw, choices=MODALITIES)


def errors(problems):
    return [problem.error for problem in problems]


# ---------------------------------------------------------------------------- blank input


@pytest.mark.parametrize("type_", list(QuestionType))
@pytest.mark.parametrize("raw", [None, "", "   ", [], [""], {}])
def test_a_blank_answer_is_no_value_and_no_problem_for_every_type(type_, raw):
    assert clean(type_, raw) == (None, [])


# ---------------------------------------------------------------------------- choices


def test_a_single_choice_must_be_one_of_the_lists_values():
    assert clean("select_one", " online ") == ("online", [])
    assert clean("select_one", ["workshop"]) == ("workshop", [])

    value, problems = clean("select_one", "Online")

    assert value is None
    assert problems == [Problem("q", "not_a_choice", "“Online” is not one of the choices.")]


def test_a_long_wrong_choice_is_echoed_cut_short():
    value, problems = clean("select_one", "x" * 5000)

    assert value is None
    assert problems[0].message == "“" + "x" * 59 + "…” is not one of the choices."


def test_a_single_choice_with_two_values_is_refused():
    assert errors(clean("select_one", ["online", "workshop"])[1]) == ["not_a_choice"]


def test_a_choice_without_a_choice_list_is_never_valid():
    value, problems = clean_answer(question("q", "select_one"), "online", choices=None)

    assert value is None and errors(problems) == ["not_a_choice"]


def test_a_numeric_spreadsheet_cell_matches_a_numeric_choice_value():
    choices = [ChoiceSpec("1", {"en": "One"}), ChoiceSpec("2", {"en": "Two"})]

    assert clean_answer(question("q", "select_one"), 2.0, choices=choices) == ("2", [])
    assert clean_answer(question("q", "select_one"), 1, choices=["1", "2"]) == ("1", [])


@pytest.mark.parametrize(
    "raw",
    [
        ["exchange", "online"],
        "exchange online",
        "exchange, online",
        "exchange;online",
        " online\nexchange online ",
    ],
)
def test_multiple_choices_come_as_a_list_or_separated_text_and_return_in_list_order(raw):
    assert clean("select_multiple", raw) == (["online", "exchange"], [])


def test_every_unknown_multiple_choice_is_named():
    value, problems = clean("select_multiple", "online radio tv")

    assert value is None
    assert problems == [Problem("q", "not_a_choice", "“radio”, “tv” are not among the choices.")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", "yes"), (" No ", "no"), ("YES", "yes"), (True, "yes"), (False, "no")],
)
def test_yes_no_accepts_yes_and_no_in_any_case(raw, expected):
    assert clean("yes_no", raw) == (expected, [])


@pytest.mark.parametrize("raw", ["maybe", "oui", "1", "y"])
def test_yes_no_refuses_anything_else(raw):
    value, problems = clean("yes_no", raw)

    assert value is None and errors(problems) == ["not_a_choice"]


# ---------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (" -5 ", -5), ("+7", 7), ("1 000", 1000), ("1\u202f000", 1000), ("3.0", 3), ("3,0", 3),
     (12, 12), (4.0, 4), (Decimal("8"), 8), ("١٢", 12), ("\u22123", -3), ("1,000,000", 1000000)],
)  # fmt: skip
def test_an_integer_is_read_from_what_people_type_and_spreadsheets_hold(raw, expected):
    value, problems = clean("integer", raw)

    assert (value, problems) == (expected, [])
    assert type(value) is int


@pytest.mark.parametrize(
    "raw",
    ["12.5", "twelve", "1e3", "=1+1", "@5", "NaN", "inf", "0x10", "12 apples", "10 20", "1 0000",
     2.5, True, "9" * 41],
)  # fmt: skip
def test_anything_but_a_whole_number_is_not_an_integer(raw):
    value, problems = clean("integer", raw)

    assert value is None
    assert errors(problems) == ["not_a_number"]
    assert problems[0].message == "Enter a whole number, for example 12."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.5", "12.5"), ("12,5", "12.5"), (" -0,25 ", "-0.25"), ("1,234.5", "1234.5"), ("1.234,5", "1234.5"),
     ("1 234,5", "1234.5"), ("٣٫٥", "3.5"), (".5", "0.5"), (7, "7"), (0.1, "0.1"), (Decimal("2.50"), "2.50")],
)  # fmt: skip
def test_a_decimal_accepts_a_comma_or_a_point_as_decimal_separator(raw, expected):
    value, problems = clean("decimal", raw)

    assert (value, problems) == (Decimal(expected), [])
    assert isinstance(value, Decimal)


@pytest.mark.parametrize(
    "raw",
    [
        "1,2,3.4",
        "1.2.3",
        "12,5,1",
        "NaN",
        "Infinity",
        "1e5",
        "--1",
        "-",
        ",",
        float("nan"),
        float("inf"),
    ],
)
def test_ambiguous_or_special_numbers_are_not_decimals(raw):
    value, problems = clean("decimal", raw)

    assert value is None and errors(problems) == ["not_a_number"]


@pytest.mark.parametrize(
    ("options", "raw", "message"),
    [
        ({"min_value": 0, "max_value": 100}, "101", "Enter a number from 0 to 100."),
        ({"min_value": 0, "max_value": 100}, "-1", "Enter a number from 0 to 100."),
        ({"min_value": 1.5}, "1", "Enter a number of at least 1.5."),
        ({"max_value": Decimal("2.50")}, "3", "Enter a number of at most 2.5."),
    ],
)
def test_a_number_outside_its_range_is_out_of_range(options, raw, message):
    for type_ in ("integer", "decimal"):
        value, problems = clean(type_, raw, **options)

        assert value is None
        assert problems == [Problem("q", "out_of_range", message)]


def test_the_range_limits_themselves_are_accepted():
    assert clean("integer", "0", min_value=0, max_value=10) == (0, [])
    assert clean("decimal", "10,0", min_value=0, max_value=10) == (Decimal("10.0"), [])


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-31", datetime.date(2025, 3, 31)),
        (" 2024-02-29 ", datetime.date(2024, 2, 29)),
        ("2025-03-31 00:00:00", datetime.date(2025, 3, 31)),
        ("2025-03-31T10:20", datetime.date(2025, 3, 31)),
        (datetime.date(2025, 1, 2), datetime.date(2025, 1, 2)),
        (datetime.datetime(2025, 1, 2, 0, 0), datetime.date(2025, 1, 2)),
    ],
)
def test_a_date_is_iso_text_or_a_spreadsheet_date(raw, expected):
    value, problems = clean("date", raw)

    assert (value, problems) == (expected, [])
    assert type(value) is datetime.date


@pytest.mark.parametrize(
    "raw", ["2025-02-29", "31/03/2025", "2025-3-31", "20250331", "yesterday", 45000, "2025-13-01"]
)
def test_anything_else_is_an_invalid_date(raw):
    value, problems = clean("date", raw)

    assert value is None
    assert errors(problems) == ["invalid_date"]


# ---------------------------------------------------------------------------- text


def test_a_short_text_is_one_line_without_surrounding_spaces():
    assert clean("text", "  Ministry of\r\nEnvironment  ") == ("Ministry of Environment", [])


def test_a_long_text_keeps_its_line_breaks():
    assert clean("long_text", " First line\r\nSecond\vline ") == ("First line\nSecond\nline", [])


def test_control_characters_such_as_nul_are_dropped_from_text():
    assert clean("text", "abc\x00def\x07") == ("abcdef", [])


@pytest.mark.parametrize(
    "raw", ["=SUM(A1:A3)", "+41 22 917 82 18", "-not a number", "@mention", "=cmd|' /C calc'!A0"]
)
def test_values_that_look_like_formulas_are_plain_text(raw):
    assert clean("text", raw) == (raw, [])
    assert clean("long_text", raw) == (raw, [])


@pytest.mark.parametrize(
    ("type_", "options", "limit"),
    [
        ("text", {}, TEXT_MAX_LENGTH),
        ("long_text", {}, LONG_TEXT_MAX_LENGTH),
        ("text", {"max_length": 20}, 20),
    ],
)
def test_a_text_longer_than_its_limit_is_too_long(type_, options, limit):
    assert clean(type_, "x" * limit, **options) == ("x" * limit, [])

    value, problems = clean(type_, "x" * (limit + 1), **options)

    assert value is None
    assert problems == [
        Problem(
            "q", "too_long", f"Shorten this to {limit} characters or fewer (it has {limit + 1})."
        )
    ]


def test_an_unknown_question_type_is_a_problem_not_a_crash():
    broken = QuestionSpec(code="q", type="slider", labels={"en": "Q"})

    value, problems = clean_answer(broken, "5")

    assert value is None and errors(problems) == ["unknown_type"]


# ---------------------------------------------------------------------------- theme matrix


def matrix(**options):
    return question(
        "needs", "theme_matrix", themes=["tracking", "esm", "illegal_traffic"], **options
    )


def clean_matrix(raw, q=None, **context):
    context = {"allowed_kinds": KINDS, "allowed_themes": THEMES, **context}
    return clean_answer(q or matrix(), raw, **context)


def test_a_theme_matrix_keeps_answered_rows_in_theme_order():
    raw = {
        "illegal_traffic": {
            "level": "High",
            "kinds": ["training", "equipment", "training"],
            "comment": " Ports ",
        },
        "esm": {"level": "", "kinds": [], "comment": ""},
        "tracking": {"level": "none", "kinds": "legal_advice training", "comment": ""},
    }

    value, problems = clean_matrix(raw)

    assert problems == []
    assert value == {
        "tracking": {"level": "none", "kinds": ["legal_advice", "training"], "comment": ""},
        "illegal_traffic": {
            "level": "high",
            "kinds": ["equipment", "training"],
            "comment": "Ports",
        },
    }
    assert list(value) == ["tracking", "illegal_traffic"]


def test_every_bad_matrix_row_is_reported_with_its_theme():
    raw = {
        "tracking": {"level": "urgent"},
        "esm": {"level": "low", "kinds": ["training", "money"]},
        "chemicals": {"level": "low"},
        "illegal_traffic": {"level": "low", "comment": "x" * (MATRIX_COMMENT_MAX_LENGTH + 1)},
    }

    value, problems = clean_matrix(raw)

    assert value is None
    assert [(problem.error, problem.theme) for problem in problems] == [
        ("invalid_level", "tracking"),
        ("unknown_kind", "esm"),
        ("unknown_theme", "chemicals"),
        ("too_long", "illegal_traffic"),
    ]
    assert problems[1].message == "“money” is not a known kind of help."


def test_a_matrix_without_its_own_themes_accepts_the_allowed_themes():
    open_matrix = question("needs", "theme_matrix")

    value, problems = clean_matrix({"esm": {"level": "low"}}, open_matrix)

    assert problems == [] and value == {"esm": {"level": "low", "kinds": [], "comment": ""}}
    assert errors(
        clean_matrix({"esm": {"level": "low"}}, open_matrix, allowed_themes=set())[1]
    ) == ["unknown_theme"]


def test_kinds_of_help_are_refused_when_no_kind_is_allowed():
    value, problems = clean_matrix(
        {"esm": {"level": "low", "kinds": ["training"]}}, allowed_kinds=set()
    )

    assert value is None and errors(problems) == ["unknown_kind"]


@pytest.mark.parametrize("raw", ["high", ["esm"], {"esm": "high"}, 5])
def test_a_matrix_that_is_not_a_table_of_rows_is_invalid(raw):
    value, problems = clean_matrix(raw)

    assert value is None and errors(problems) == ["invalid_matrix"]


# ---------------------------------------------------------------------------- never raises

RAW_VALUES = st.one_of(
    st.text(),
    st.text(alphabet="0123456789,.-+ eE\u00a0\u202f٫٬١٢٣", max_size=30),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=10), max_size=4),
    st.dictionaries(
        st.text(max_size=12),
        st.one_of(
            st.text(max_size=5),
            st.dictionaries(
                st.sampled_from(["level", "kinds", "comment", "x"]),
                st.one_of(st.text(), st.lists(st.text()), st.integers()),
            ),
        ),
        max_size=4,
    ),
)


@settings(max_examples=150, deadline=None)
@given(type_=st.sampled_from(list(QuestionType)), raw=st.text())
def test_cleaning_any_text_as_any_type_never_raises(type_, raw):
    value, problems = clean(type_, raw, min_value=-10, max_value=10**6)

    assert all(isinstance(problem, Problem) and problem.message for problem in problems)
    assert value is None or not problems


@settings(max_examples=300, deadline=None)
@given(type_=st.sampled_from(list(QuestionType)), raw=RAW_VALUES)
def test_cleaning_any_raw_value_as_any_type_never_raises(type_, raw):
    value, problems = clean_answer(
        question("q", type_, themes=["tracking"]), raw, choices=MODALITIES, allowed_kinds=KINDS
    )

    assert value is None or not problems


# ---------------------------------------------------------------------------- whole responses


def questionnaire():
    """A small needs questionnaire exercising skip logic, constraints and every kind of check."""
    general = SectionSpec(
        "general",
        {"en": "General"},
        [
            question("has_strategy", "yes_no", required=True),
            question("strategy_year", "integer", required=True, relevant="${has_strategy} = 'yes'",
                     min_value=1990, max_value=2030),
            question("staff", "integer", constraint=". >= 0 and . <= 1000",
                     constraint_messages={"en": "Between 0 and 1000 staff.", "fr": "Entre 0 et 1000 agents."}),
            question("inspectors", "integer", constraint=". <= ${staff}"),
            question("modalities", "select_multiple", choice_list="modalities",
                     constraint="not(selected(., 'none')) or count-selected(.) = 1"),
            question("online_detail", "text", required=True,
                     relevant="selected(${modalities}, 'online') and ${staff} > 2"),
        ],
    )  # fmt: skip
    capacity = SectionSpec(
        "capacity",
        {"en": "Capacity"},
        [
            question("obstacles", "long_text", required=True),
            question("acronym", "text", constraint="string-length(.) <= 5"),
            question(
                "needs",
                "theme_matrix",
                themes=["tracking", "esm", "illegal_traffic"],
                required=True,
            ),
        ],
        relevant="${has_strategy} != ''",
    )
    return QuestionnaireSpec(sections=[general, capacity], choice_lists={"modalities": MODALITIES})


def validate(raw, *, for_submission=False):
    return validate_response(
        questionnaire(),
        raw,
        allowed_kinds=KINDS,
        allowed_themes=THEMES,
        for_submission=for_submission,
    )


COMPLETE = {
    "has_strategy": "yes",
    "strategy_year": "2019",
    "staff": "12",
    "inspectors": "4",
    "modalities": ["online", "workshop"],
    "online_detail": "Webinars in French",
    "obstacles": "Few trained inspectors.",
    "acronym": "MEDD",
    "needs": {"esm": {"level": "high", "kinds": ["training"], "comment": ""}},
}


def test_a_complete_response_validates_for_submission_with_typed_values():
    result = validate(COMPLETE, for_submission=True)

    assert result.problems == [] and result.is_valid
    assert result.values["strategy_year"] == 2019
    assert result.values["staff"] == 12
    assert result.values["modalities"] == ["online", "workshop"]
    assert result.values["needs"] == {
        "esm": {"level": "high", "kinds": ["training"], "comment": ""}
    }
    assert result.relevant == set(COMPLETE)


def test_a_question_whose_condition_fails_is_hidden_and_its_answer_ignored():
    # Given a Party without a strategy that left an invalid year from an earlier attempt
    raw = {**COMPLETE, "has_strategy": "no", "strategy_year": "last year"}

    # When the response is validated for submission
    result = validate(raw, for_submission=True)

    # Then the year is neither shown, nor required, nor checked, nor kept
    assert "strategy_year" not in result.relevant
    assert "strategy_year" not in result.values
    assert result.problems == []


def test_conditions_read_cleaned_values_of_earlier_answers():
    # "staff" arrives as text from the form; the condition compares it as a number
    shown = validate({**COMPLETE, "staff": " 3 "})
    hidden = validate({**COMPLETE, "staff": "2"})

    assert "online_detail" in shown.relevant
    assert "online_detail" not in hidden.relevant


def test_an_invalid_earlier_answer_counts_as_unanswered_for_later_conditions():
    result = validate({**COMPLETE, "staff": "many", "inspectors": ""})

    assert "online_detail" not in result.relevant
    assert errors(result.problems) == ["not_a_number"]


def test_a_sections_condition_hides_all_its_questions():
    result = validate({"obstacles": "Nothing", "acronym": "much too long"}, for_submission=True)

    assert not {"obstacles", "acronym", "needs"} & result.relevant
    assert [(problem.code, problem.error) for problem in result.problems] == [
        ("has_strategy", "required")
    ]


def test_a_draft_may_be_incomplete_but_still_reports_type_errors():
    # Given a draft with one answer mistyped and most questions unanswered
    raw = {"has_strategy": "yes", "strategy_year": "2019.5"}

    # When it is saved as a draft
    result = validate(raw, for_submission=False)

    # Then only the mistyped answer is a problem; nothing is required yet
    assert [(problem.code, problem.error) for problem in result.problems] == [
        ("strategy_year", "not_a_number")
    ]
    assert result.values == {"has_strategy": "yes"}


def test_submission_lists_every_missing_required_answer_in_questionnaire_order():
    result = validate(
        {"has_strategy": "yes", "staff": "5", "modalities": "online"}, for_submission=True
    )

    assert [(problem.code, problem.error) for problem in result.problems] == [
        ("strategy_year", "required"),
        ("online_detail", "required"),
        ("obstacles", "required"),
        ("needs", "required"),
    ]
    assert result.problems_for("obstacles")[0].message == "This question requires an answer."


def test_a_failed_constraint_gives_the_questions_message_in_the_active_language():
    raw = {**COMPLETE, "staff": "5000"}

    assert validate(raw).problems_for("staff") == [
        Problem("staff", "constraint", "Between 0 and 1000 staff.")
    ]
    with translation.override("fr"):
        assert validate(raw).problems_for("staff")[0].message == "Entre 0 et 1000 agents."
    with translation.override("es"):
        assert validate(raw).problems_for("staff")[0].message == "Between 0 and 1000 staff."


def test_a_failed_constraint_without_a_message_gets_a_generic_one():
    result = validate({**COMPLETE, "acronym": "TOOLONG"})

    assert result.problems == [
        Problem(
            "acronym",
            "constraint",
            "This answer does not meet the condition set for this question.",
        )
    ]
    assert "acronym" not in result.values


def test_a_constraint_may_compare_with_an_earlier_answer():
    assert validate({**COMPLETE, "staff": "10", "inspectors": "10"}).problems == []
    assert errors(validate({**COMPLETE, "staff": "10", "inspectors": "11"}).problems) == [
        "constraint"
    ]
    # as in ODK, a comparison with an unanswered question is false, so the constraint fails
    assert errors(validate({**COMPLETE, "staff": "", "inspectors": "1"}).problems) == ["constraint"]


def test_a_multiple_choice_constraint_sees_the_list_of_choices():
    assert errors(validate({**COMPLETE, "modalities": "none online"}).problems) == ["constraint"]
    assert validate({**COMPLETE, "modalities": "none"}).problems == []


def test_range_problems_are_reported_before_the_constraint_is_tried():
    result = validate({**COMPLETE, "strategy_year": "1980"})

    assert [(problem.code, problem.error) for problem in result.problems] == [
        ("strategy_year", "out_of_range")
    ]


def test_a_required_matrix_needs_a_level_on_at_least_one_row_and_every_row_with_content():
    # Given a matrix whose only row has kinds of help but no level
    raw = {**COMPLETE, "needs": {"tracking": {"level": "", "kinds": ["training"]}}}

    # When submitted
    result = validate(raw, for_submission=True)

    # Then the matrix and the row are both flagged
    assert [(problem.error, problem.theme) for problem in result.problems] == [
        ("required", ""),
        ("required", "tracking"),
    ]
    # And as a draft the incomplete row is kept without complaint
    assert validate(raw).problems == []


def test_a_broken_condition_in_the_definition_shows_the_question_rather_than_losing_it():
    spec = QuestionnaireSpec(
        sections=[
            SectionSpec(
                "s",
                {"en": "S"},
                [question("a", "integer", relevant="${x} = = 1", constraint="oops(.)")],
            )
        ]
    )

    result = validate_response(spec, {"a": "5"}, for_submission=True)

    assert result.relevant == {"a"} and result.values == {"a": 5} and result.problems == []


def test_answers_to_unknown_questions_are_ignored():
    result = validate({**COMPLETE, "not_a_question": "x"}, for_submission=True)

    assert result.problems == [] and "not_a_question" not in result.values


def test_progress_counts_valid_answers_among_the_questions_shown():
    spec = questionnaire()

    assert progress(spec, validate({})) == (0, 4)
    assert progress(spec, validate({"has_strategy": "no", "staff": "x"})) == (1, 7)
    assert progress(spec, validate(COMPLETE)) == (9, 9)


def test_a_validation_result_starts_empty():
    result = ValidationResult()

    assert (result.values, result.problems, result.relevant, result.is_valid) == (
        {},
        [],
        set(),
        True,
    )


@settings(max_examples=100, deadline=None)
@given(
    raw=st.dictionaries(st.sampled_from([*COMPLETE, "other"]), RAW_VALUES, max_size=10),
    for_submission=st.booleans(),
)
def test_validating_any_answers_never_raises_and_keeps_problems_to_shown_questions(
    raw, for_submission
):
    result = validate(raw, for_submission=for_submission)

    assert {problem.code for problem in result.problems} <= result.relevant
    assert set(result.values) <= result.relevant
    assert not {problem.code for problem in result.problems} & set(result.values)


# ---------------------------------------------------------------------------- definitions


def test_a_sound_definition_has_no_problems():
    assert questionnaire_problems(questionnaire()) == []


def test_definition_mistakes_are_each_reported():
    spec = QuestionnaireSpec(
        sections=[
            SectionSpec(
                "s",
                {"en": "S"},
                [
                    question("a", "integer", relevant="${b} = 1"),
                    question("b", "integer", relevant=". > 1", constraint=". < ${a} and ${c} = 1"),
                    question("b", "select_one", choice_list="missing"),
                    QuestionSpec(code="c", type="slider", labels={"en": "C"}),
                    question("d", "text", relevant="${a} = = 1"),
                ],
                relevant="${a} = 1",
            )
        ]
    )

    problems = questionnaire_problems(spec)

    assert [(problem.code, problem.error) for problem in problems] == [
        ("s", "unknown_reference"),
        ("a", "unknown_reference"),
        ("b", "misplaced_current"),
        ("b", "unknown_reference"),
        ("b", "duplicate_code"),
        ("b", "unknown_choice_list"),
        ("c", "unknown_type"),
        ("d", "invalid_expression"),
    ]
    assert "${c}" in problems[3].message
