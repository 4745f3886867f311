"""Skip logic and constraints: the expression language shared by pages, XLSX import and API."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tahub.assessments.logic import (
    MAX_EXPRESSION_LENGTH,
    MAX_REGEX_INPUT_LENGTH,
    Expression,
    ExpressionError,
    is_relevant,
    parse,
    satisfies,
)

TODAY = datetime.date(2025, 6, 15)


def evaluate(text, answers=None, current=None):
    return parse(text).evaluate(answers or {}, current, today=TODAY)


# ---------------------------------------------------------------------------- XLSForm examples


@pytest.mark.parametrize(
    ("answers", "shown"),
    [({"has_strategy": "yes"}, True), ({"has_strategy": "no"}, False), ({}, False)],
)
def test_a_follow_up_question_is_shown_only_after_yes(answers, shown):
    assert is_relevant("${has_strategy} = 'yes'", answers) is shown


@pytest.mark.parametrize(
    ("modalities", "staff", "shown"),
    [
        (["online", "workshop"], 3, True),
        (["online"], 2, False),
        (["workshop"], 5, False),
        (None, 5, False),
        (["online"], None, False),
    ],
)
def test_selected_and_a_number_combine_with_and(modalities, staff, shown):
    answers = {"modalities": modalities, "staff": staff}

    assert is_relevant("selected(${modalities}, 'online') and ${staff} > 2", answers) is shown


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (Decimal("0"), True),
        (Decimal("1000"), True),
        (Decimal("500.5"), True),
        (Decimal("-1"), False),
        (1001, False),
    ],
)
def test_a_range_constraint_reads_the_questions_own_value_as_dot(value, ok):
    assert satisfies(". >= 0 and . <= 1000", value, {}) is ok


def test_string_length_counts_characters_not_bytes():
    assert satisfies("string-length(.) <= 20", "Ministère de l'Environnement"[:20], {})
    assert satisfies("string-length(.) <= 5", "环境保护部", {})
    assert not satisfies("string-length(.) <= 20", "x" * 21, {})


@pytest.mark.parametrize(
    ("x", "shown"),
    [(["none"], False), (["training", "none"], False), (["training"], True), (None, True)],
)
def test_not_selected_none_hides_the_question_when_none_is_ticked(x, shown):
    assert is_relevant("not(selected(${x}, 'none'))", {"x": x}) is shown


# ---------------------------------------------------------------------------- empty answers


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${x} = ''", True),
        ("${x} != ''", False),
        ("${x} = 'yes'", False),
        ("${x} != 'yes'", True),
        ("${x} > 2", False),
        ("${x} < 2", False),
        ("${x} <= 0", False),
        ("${x} >= date('2000-01-01')", False),
        ("${x} = 0", False),
        ("selected(${x}, 'a')", False),
        ("count-selected(${x}) = 0", True),
        ("string-length(${x}) = 0", True),
    ],
)
def test_an_unanswered_question_is_empty_and_compares_false_except_with_empty(expression, expected):
    assert evaluate(expression, {}) is expected
    assert evaluate(expression, {"x": None}) is expected
    assert evaluate(expression, {"x": ""}) is expected


def test_an_empty_multiple_choice_counts_as_unanswered():
    assert evaluate("${x} = ''", {"x": []}) is True
    assert evaluate("count-selected(${x})", {"x": []}) == 0


# ---------------------------------------------------------------------------- numbers, text, dates


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("${n} = 5", {"n": "5"}, True),
        ("${n} = 5", {"n": "5.0"}, True),
        ("${n} > 9", {"n": "10"}, True),  # numerically, not "10" < "9" as text
        ("${n} < ${m}", {"n": "9", "m": "10"}, True),
        ("${n} = 5", {"n": "five"}, False),
        ("${n} != 5", {"n": "five"}, True),
        ("${n} > 2", {"n": Decimal("2.5")}, True),
        ("${n} > 2", {"n": 3}, True),
        ("${n} >= 2.5", {"n": 2.5}, True),
        ("${code} = '5'", {"code": "5.0"}, False),  # two texts compare as text
        ("0.1 + 0.2 = 0.3", {}, True),
        ("${a} + ${b} = 5", {"a": 2, "b": "3"}, True),
        ("${a} - ${b} < 0", {"a": 2, "b": 3}, True),
        ("${a} + ${b} > 0", {"a": 2, "b": None}, False),
        ("-${a} = -2", {"a": "2"}, True),
        ("- - 2 = 2", {}, True),
    ],
)
def test_numbers_and_number_like_text_compare_numerically(expression, answers, expected):
    assert evaluate(expression, answers) is expected


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("${d} > date('2020-01-01')", {"d": datetime.date(2021, 1, 1)}, True),
        ("${d} > date('2020-01-01')", {"d": "2019-12-31"}, False),
        ("${d} = '2024-02-29'", {"d": datetime.date(2024, 2, 29)}, True),
        ("${d} = date('2024-02-29')", {"d": datetime.datetime(2024, 2, 29, 10, 30)}, True),
        ("${d} < today()", {"d": datetime.date(2025, 6, 14)}, True),
        ("${d} <= today()", {"d": datetime.date(2025, 6, 16)}, False),
        ("${d} >= today() - 30", {"d": datetime.date(2025, 5, 20)}, True),
        ("${d} >= today() - 30", {"d": datetime.date(2025, 5, 1)}, False),
        ("${d} > date('2020-01-01')", {"d": "not a date"}, False),
    ],
)
def test_dates_compare_as_dates(expression, answers, expected):
    assert evaluate(expression, answers) is expected


def test_today_is_the_local_date_unless_given():
    value = parse("today()").evaluate({})

    assert isinstance(value, datetime.date)
    assert abs((value - datetime.date.today()).days) <= 1


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("selected(${one}, 'b')", {"one": "b"}, True),
        ("selected(${one}, 'b')", {"one": "c"}, False),
        ("selected(${many}, 'b')", {"many": ["a", "b"]}, True),
        ("selected(${many}, 'b')", {"many": "a b"}, True),
        ("selected(${many}, 'b')", {"many": ["ab"]}, False),
        ("count-selected(${many}) = 3", {"many": ["a", "b", "c"]}, True),
        ("count-selected(${many}) = 2", {"many": "a b"}, True),
        ("${many} = 'a b'", {"many": ["a", "b"]}, True),
    ],
)
def test_selected_works_for_single_and_multiple_choice(expression, answers, expected):
    assert evaluate(expression, answers) is expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("+41 22 917 82 18", True),
        ("41229178218", True),
        ("call me", False),
        ("+41 22 917 82 18 ext", False),
    ],
)
def test_regex_must_match_the_whole_value(value, ok):
    assert satisfies(r"regex(., '\+?[0-9 ]+')", value, {}) is ok


def test_regex_is_false_on_overlong_input_instead_of_slow():
    assert satisfies("regex(., '[a-z]+')", "a" * MAX_REGEX_INPUT_LENGTH, {})
    assert not satisfies("regex(., '[a-z]+')", "a" * (MAX_REGEX_INPUT_LENGTH + 1), {})


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("true() or false() and false()", True),  # and binds tighter than or
        ("(true() or false()) and false()", False),
        ("1 + 2 = 3", True),
        ("1 = 1 and 2 > 1 or 1 > 2", True),
        ("not(false()) and not(0)", True),
        ("not('')", True),
        ("not('no')", False),  # a non-empty text is true, as in XPath
    ],
)
def test_operators_follow_xpath_precedence_and_truth(expression, expected):
    assert evaluate(expression) is expected


def test_text_literals_take_either_quote_and_keep_the_other():
    assert evaluate('${x} = "it\'s"', {"x": "it's"}) is True
    assert evaluate("${x} = 'say \"hi\"'", {"x": 'say "hi"'}) is True


def test_a_value_that_looks_like_a_spreadsheet_formula_is_plain_text():
    assert evaluate("${x} = '=SUM(A1:A3)'", {"x": "=SUM(A1:A3)"}) is True
    assert evaluate("string-length(${x})", {"x": "@cmd"}) == 4


# ---------------------------------------------------------------------------- the API


def test_references_name_every_question_read_and_dot_is_noted_separately():
    expression = parse("selected(${modalities}, 'online') and ${staff} > 2 or . = ${staff}")

    assert expression.references == {"modalities", "staff"}
    assert expression.uses_current is True
    assert parse("${a} = 1").uses_current is False


def test_references_cannot_be_changed_through_the_returned_set():
    expression = parse("${a} = 1")
    expression.references.add("b")

    assert expression.references == {"a"}


def test_parsing_is_cached_per_text():
    assert parse("${a} = 'cached'") is parse("${a} = 'cached'")
    assert isinstance(parse("${a} = 'cached'"), Expression)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_condition_shows_the_question_and_accepts_any_value(text):
    assert is_relevant(text, {}) is True
    assert satisfies(text, "anything", {}) is True


def test_the_same_question_code_may_contain_dots_hyphens_and_digits():
    assert parse("${q1.b-2_c} = 1").references == {"q1.b-2_c"}


# ---------------------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("", 0, "empty"),
        ("${a} = ", 7, "ends too early"),
        ("${a} and", 8, "ends too early"),
        ("${a", 0, "${code}"),
        ("${} = 1", 0, "${code}"),
        ("${a} = 'yes", 7, "closing quote"),
        ("1 * 2", 2, "“*”"),
        ("${a} = 1 = 2", 9, "chained"),
        ("(${a} = 1", 9, "“)”"),
        ("${a} = 1)", 8, "“)”"),
        ("selected(${a} 'x')", 14, "comma"),
        ("foo(1)", 0, "Unknown function “foo”"),
        ("if(${a}, 1, 2)", 0, "Unknown function “if”"),
        ("yes", 0, "Unknown word “yes”"),
        ("${a} = yes", 7, "Unknown word “yes”"),
        ("today", 0, "needs parentheses"),
        ("and ${a}", 0, "before “and”"),
        ("not(1, 2)", 0, "takes 1 argument, not 2"),
        ("selected(${a})", 0, "takes 2 arguments, not 1"),
        ("today(1)", 0, "takes 0 arguments, not 1"),
        ("date('2024-02-30')", 0, "not a date"),
        ("regex(., ${pattern})", 0, "text in quotes"),
        ("regex(., '[a-')", 0, "not valid"),
        ("regex(., '(a+)+b')", 0, "repeats a group"),
        ("regex(., '(\\w*x)*')", 0, "repeats a group"),
        ("${a} = ,", 7, "value is expected"),
        ("${a} ${b}", 5, "operator"),
    ],
)
def test_a_syntax_error_says_what_is_wrong_and_where(text, position, words):
    with pytest.raises(ExpressionError) as raised:
        parse(text)

    assert raised.value.position == position
    assert words in raised.value.message
    assert f"(at character {position + 1})" in str(raised.value)


def test_safe_regex_patterns_with_single_repetitions_are_accepted():
    for pattern in [
        r"[0-9]{4}",
        r"(ab)+",
        r"[a-z]+@[a-z]+\.[a-z]{2,}",
        r"(?:[A-Z][a-z]*)",
        r"[(]+",
    ]:
        assert parse(f"regex(., '{pattern}')")


def test_deep_nesting_and_long_texts_are_refused_not_crashing():
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("(" * 200 + "1" + ")" * 200)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("not(" * 200 + "1" + ")" * 200)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("-" * 200 + "1")
    with pytest.raises(ExpressionError, match="too long"):
        parse("1" + " + 1" * MAX_EXPRESSION_LENGTH)


def test_a_long_flat_chain_parses_and_evaluates():
    text = " + ".join(["${a}"] * 250) + " = 250"

    assert len(text) < MAX_EXPRESSION_LENGTH
    assert evaluate(text, {"a": 1}) is True


@pytest.mark.parametrize("not_text", [None, 3, b"${a} = 1", ["${a}"]])
def test_parse_refuses_anything_but_text_with_an_expression_error(not_text):
    with pytest.raises(ExpressionError):
        parse(not_text)


def test_an_expression_error_is_a_value_error():
    assert issubclass(ExpressionError, ValueError)


# ---------------------------------------------------------------------------- properties

TOKENS = [
    "${a}", "${b}", "${c}", ".", "'yes'", '"no"', "''", "1", "2.5", "0", "-", "+", "=", "!=", "<",
    "<=", ">", ">=", "and", "or", "(", ")", ",", "not(", "selected(", "count-selected(",
    "string-length(", "regex(", "'[a-z]+'", "today()", "date(", "'2024-01-31'", "true()",
    "false()", "${", "}", "'", "*", "$", "..",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parsing_arbitrary_text_raises_only_expression_errors(text):
    try:
        parse(text)
    except ExpressionError as error:
        assert 0 <= error.position <= len(text)
        assert error.message


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_parsing_token_soup_raises_only_expression_errors(text):
    try:
        parse(text)
    except ExpressionError as error:
        assert 0 <= error.position <= len(text)


def _expressions():
    """Expressions generated from the grammar: every one of them must parse."""
    leaves = st.sampled_from(
        [
            "${a}",
            "${b}",
            "${c}",
            ".",
            "'yes'",
            "''",
            "1",
            "2.5",
            "today()",
            "date('2024-01-31')",
            "true()",
        ]
    )

    def extend(inner):
        binary = st.sampled_from(["=", "!=", "<", "<=", ">", ">=", "+", "-", "and", "or"])
        return st.one_of(
            st.tuples(inner, binary, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"not({e})"),
            inner.map(lambda e: f"-({e})"),
            inner.map(lambda e: f"selected({e}, 'x')"),
            inner.map(lambda e: f"count-selected({e})"),
            inner.map(lambda e: f"string-length({e})"),
            inner.map(lambda e: f"regex({e}, '[a-z]+')"),
            st.sampled_from(["date(${a})", "date(.)", "date(1 + ${b})"]),
        )

    return st.recursive(leaves, extend, max_leaves=10)


ANSWER_VALUES = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=8), max_size=4),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(
    expression=_expressions(),
    answers=st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), ANSWER_VALUES),
    current=ANSWER_VALUES,
)
def test_grammar_expressions_parse_and_evaluate_on_any_answers_without_raising(
    expression, answers, current
):
    parse(expression).evaluate(answers, current)

    assert is_relevant(expression, answers) in (True, False)
    assert satisfies(expression, current, answers) in (True, False)
