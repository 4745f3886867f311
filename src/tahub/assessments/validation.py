"""From raw input to typed answers, with every problem listed: the one validator of responses.

Raw input is what a person typed or a spreadsheet cell held (text, or a number or date from
openpyxl, or a list from a multi-select field); a theme matrix arrives as a dict. Nothing here
raises on bad input: an invalid answer gives the value ``None`` and problems, and the caller
keeps the raw text so nothing typed is lost.

Problem codes (``Problem.error``) are stable, for pages, the XLSX import and the API to key on:
``required``, ``not_a_number``, ``out_of_range``, ``too_long``, ``not_a_choice``,
``invalid_date``, ``constraint``, ``invalid_matrix``, ``invalid_level``, ``unknown_theme``,
``unknown_kind``, ``unknown_type``; for definitions (``questionnaire_problems``) also ``duplicate_code``,
``unknown_choice_list``, ``invalid_expression``, ``unknown_reference`` and ``misplaced_current``.
"""

import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, ngettext

from tahub.assessments import logic
from tahub.assessments.spec import CHOICE_TYPES, NEED_LEVELS, ChoiceSpec, QuestionType
from tahub.core.i18n import pick

logger = logging.getLogger(__name__)

TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 10000
MATRIX_COMMENT_MAX_LENGTH = 2000
# Longer "numbers" are junk, and converting them would cost time for nothing.
NUMBER_MAX_LENGTH = 40


@dataclass(frozen=True)
class Problem:
    """One problem with one answer: ``code`` is the question's code (for a definition, maybe a
    section's), ``error`` the stable problem code, ``theme`` the theme-matrix row concerned."""

    code: str
    error: str
    message: str
    theme: str = ""


@dataclass
class ValidationResult:
    values: dict = field(default_factory=dict)  # code -> cleaned value: relevant, valid answers
    problems: list = field(default_factory=list)  # in questionnaire order
    relevant: set = field(default_factory=set)  # codes of the questions shown

    @property
    def is_valid(self):
        return not self.problems

    def problems_for(self, code):
        return [problem for problem in self.problems if problem.code == code]


# ---------------------------------------------------------------------------- raw input


def _is_blank(raw):
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set | frozenset):
        return all(_is_blank(item) for item in raw)
    if isinstance(raw, dict):
        return not raw
    return False


def _as_text(raw):
    """A spreadsheet cell or form value as text (Excel gives 3.0 for 3)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw)


_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f]")


def _clean_text(raw, *, single_line):
    # Word's manual line break (\v) is a line break; other control characters (NUL above
    # all, which PostgreSQL cannot store) are dropped.
    text = _as_text(raw).replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    if single_line:
        text = " ".join(text.split())
    return text.strip()


def _split_values(raw):
    """Values of a multiple answer: a list, or text separated by spaces, commas or semicolons."""
    if isinstance(raw, list | tuple | set | frozenset):
        items = [_as_text(item).strip() for item in raw if not _is_blank(item)]
    else:
        items = re.split(r"[\s,;]+", _as_text(raw).strip())
    return list(dict.fromkeys(item for item in items if item))


# A space or apostrophe between digits groups thousands (1 000, 1'000) only before exactly
# three digits, so "10 20" stays two numbers, not 1020.
_GROUP_SEPARATOR = re.compile(r"(?<=[0-9])[\s'’](?=[0-9]{3}(?![0-9]))")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_COMMA_GROUPS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DOT_GROUPS = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")


def _parse_decimal(raw):
    """A finite Decimal from what people type: ``1 234,5``, ``1,234.5``, ``٣٫٥``, ``−2``; else None.

    A lone comma is a decimal separator (``2,5`` is two and a half), as in most of the world."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | Decimal | float):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        return number if number.is_finite() and number.adjusted() < NUMBER_MAX_LENGTH else None
    text = _as_text(raw).strip()
    if len(text) > NUMBER_MAX_LENGTH:
        return None
    text = "".join(_ascii_digit(character) for character in text)
    text = text.replace("\u2212", "-").replace("\u066b", ".").replace("\u066c", ",")
    text = _GROUP_SEPARATOR.sub("", text)
    if "," in text and "." in text:
        if _COMMA_GROUPS.fullmatch(text):
            text = text.replace(",", "")
        elif _DOT_GROUPS.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        else:
            return None
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif _COMMA_GROUPS.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _ascii_digit(character):
    """Arabic-Indic and other decimal digits as 0-9, so every keyboard can enter numbers."""
    if character.isdecimal() and not "0" <= character <= "9":
        digit = unicodedata.decimal(character, None)
        return str(digit) if digit is not None else character
    return character


def _quoted(text, limit=60):
    """Input echoed in a message, cut short: a pasted essay should not fill the error list."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format_number(number):
    number = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------- one answer per type


class _Invalid(Exception):
    def __init__(self, error, message):
        super().__init__(error, message)
        self.error = error
        self.message = message


def _choice_values(choices):
    return [
        choice.value if isinstance(choice, ChoiceSpec) else str(choice) for choice in choices or ()
    ]


def _select_one(question, raw, context):
    if isinstance(raw, list | tuple):
        items = [item for item in raw if not _is_blank(item)]
        if len(items) != 1:
            raise _Invalid("not_a_choice", gettext("Choose one answer only."))
        raw = items[0]
    value = _as_text(raw).strip()
    if value not in _choice_values(context["choices"]):
        raise _Invalid(
            "not_a_choice",
            gettext("“%(value)s” is not one of the choices.") % {"value": _quoted(value)},
        )
    return value


def _select_multiple(question, raw, context):
    allowed = _choice_values(context["choices"])
    values = _split_values(raw)
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise _Invalid(
            "not_a_choice",
            ngettext(
                "“%(values)s” is not one of the choices.",
                "“%(values)s” are not among the choices.",
                len(unknown),
            )
            % {"values": "”, “".join(_quoted(value) for value in unknown)},
        )
    return [value for value in allowed if value in values]


def _yes_no(question, raw, context):
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    value = _as_text(raw).strip().lower()
    if value not in ("yes", "no"):
        raise _Invalid("not_a_choice", gettext("Answer yes or no."))
    return value


def _integer(question, raw, context):
    number = _parse_decimal(raw)
    if number is None or number != number.to_integral_value():
        raise _Invalid("not_a_number", gettext("Enter a whole number, for example 12."))
    value = int(number)
    _check_range(question, value)
    return value


def _decimal(question, raw, context):
    number = _parse_decimal(raw)
    if number is None:
        raise _Invalid("not_a_number", gettext("Enter a number, for example 12.5 or 12,5."))
    _check_range(question, number)
    return number


def _check_range(question, value):
    low, high = question.min_value, question.max_value
    if (low is None or value >= _bound(low)) and (high is None or value <= _bound(high)):
        return
    limits = {
        "min": _format_number(low) if low is not None else "",
        "max": _format_number(high) if high is not None else "",
    }
    if low is not None and high is not None:
        message = gettext("Enter a number from %(min)s to %(max)s.")
    elif low is not None:
        message = gettext("Enter a number of at least %(min)s.")
    else:
        message = gettext("Enter a number of at most %(max)s.")
    raise _Invalid("out_of_range", message % limits)


def _bound(limit):
    return Decimal(repr(limit)) if isinstance(limit, float) else Decimal(limit)


_DATE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)


def _date(question, raw, context):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    match = _DATE.fullmatch(_as_text(raw).strip())
    try:
        if match:
            return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    raise _Invalid("invalid_date", gettext("Enter a date as YYYY-MM-DD, for example 2025-03-31."))


def _text(question, raw, context):
    return _limited(_clean_text(raw, single_line=True), question.max_length or TEXT_MAX_LENGTH)


def _long_text(question, raw, context):
    return _limited(
        _clean_text(raw, single_line=False), question.max_length or LONG_TEXT_MAX_LENGTH
    )


def _limited(text, limit):
    if len(text) > limit:
        raise _Invalid(
            "too_long",
            ngettext(
                "Shorten this to %(limit)d character or fewer (it has %(length)d).",
                "Shorten this to %(limit)d characters or fewer (it has %(length)d).",
                limit,
            )
            % {"limit": limit, "length": len(text)},
        )
    return text


_CLEANERS = {
    QuestionType.SELECT_ONE: _select_one,
    QuestionType.SELECT_MULTIPLE: _select_multiple,
    QuestionType.YES_NO: _yes_no,
    QuestionType.INTEGER: _integer,
    QuestionType.DECIMAL: _decimal,
    QuestionType.DATE: _date,
    QuestionType.TEXT: _text,
    QuestionType.LONG_TEXT: _long_text,
}


def _matrix_themes(question, allowed_themes):
    """The matrix's rows: the question's own theme list, else every allowed theme."""
    return list(question.themes) or sorted(allowed_themes)


def _theme_matrix(question, raw, context):
    """``{theme: {"level", "kinds", "comment"}}`` rows with content, in theme order.

    Returns ``(value, problems)``: each bad row gets its own problems."""
    code = question.code
    if not isinstance(raw, dict):
        message = gettext("This answer should be a table of themes.")
        return None, [Problem(code, "invalid_matrix", message)]
    themes = _matrix_themes(question, context["allowed_themes"])
    allowed_kinds = context["allowed_kinds"]
    rows, problems = {}, []
    for theme, cells in raw.items():
        theme = _as_text(theme).strip()
        if not isinstance(cells, dict):
            message = gettext("This row should give a level, kinds of help and a comment.")
            problems.append(Problem(code, "invalid_matrix", message, theme))
            continue
        level = _as_text(cells.get("level") or "").strip().lower()
        kinds = sorted(_split_values(cells.get("kinds") or ()))
        comment = _clean_text(cells.get("comment") or "", single_line=False)
        if not (level or kinds or comment):
            continue
        if theme not in themes:
            message = gettext("“%(theme)s” is not one of this question's themes.") % {
                "theme": _quoted(theme)
            }
            problems.append(Problem(code, "unknown_theme", message, theme))
            continue
        if level and level not in NEED_LEVELS:
            message = gettext("Choose a level: none, low, medium or high.")
            problems.append(Problem(code, "invalid_level", message, theme))
        unknown = [kind for kind in kinds if kind not in allowed_kinds]
        if unknown:
            message = ngettext(
                "“%(kinds)s” is not a known kind of help.",
                "“%(kinds)s” are not known kinds of help.",
                len(unknown),
            ) % {"kinds": "”, “".join(_quoted(kind) for kind in unknown)}
            problems.append(Problem(code, "unknown_kind", message, theme))
        try:
            comment = _limited(comment, MATRIX_COMMENT_MAX_LENGTH)
        except _Invalid as invalid:
            problems.append(Problem(code, invalid.error, invalid.message, theme))
        rows[theme] = {"level": level, "kinds": kinds, "comment": comment}
    if problems:
        return None, problems
    ordered = {theme: rows[theme] for theme in themes if theme in rows}
    return ordered or None, []


def clean_answer(
    question, raw, *, choices=None, allowed_kinds=frozenset(), allowed_themes=frozenset()
):
    """``(value, problems)`` for one raw answer to ``question`` (a ``spec.QuestionSpec``).

    Blank input is ``(None, [])``: whether an answer is required is ``validate_response``'s
    business. ``choices`` is the question's choice list (``ChoiceSpec`` items or values);
    ``allowed_kinds`` the kind-of-help codes and ``allowed_themes`` the theme codes a theme
    matrix without its own theme list accepts. Never raises."""
    if _is_blank(raw):
        return None, []
    try:
        question_type = QuestionType(question.type)
    except ValueError:
        message = gettext("This question has an unknown type “%(type)s”.") % {"type": question.type}
        return None, [Problem(question.code, "unknown_type", message)]
    context = {"choices": choices, "allowed_kinds": allowed_kinds, "allowed_themes": allowed_themes}
    if question_type == QuestionType.THEME_MATRIX:
        return _theme_matrix(question, raw, context)
    try:
        return _CLEANERS[question_type](question, raw, context), []
    except _Invalid as invalid:
        return None, [Problem(question.code, invalid.error, invalid.message)]


# ---------------------------------------------------------------------------- a whole response


def _shown(owner, expression, values):
    try:
        return logic.is_relevant(expression, values)
    except logic.ExpressionError:
        # A broken definition must not hide questions (and lose answers): show it.
        logger.warning("Invalid relevance expression on %s: %r", owner, expression)
        return True


def _constraint_problems(question, value, values):
    if not question.constraint or not question.constraint.strip():
        return []
    try:
        satisfied = logic.satisfies(question.constraint, value, {**values, question.code: value})
    except logic.ExpressionError:
        logger.warning("Invalid constraint on %s: %r", question.code, question.constraint)
        return []
    if satisfied:
        return []
    message = pick(question.constraint_messages)[0] or gettext(
        "This answer does not meet the condition set for this question."
    )
    return [Problem(question.code, "constraint", message)]


def _required_problems(question, value):
    """Problems of a submission: a required answer missing, a matrix row without a level.

    A required theme matrix needs at least one row with a level (like a required multiple
    choice needs one choice); any row with kinds of help or a comment needs its level."""
    code = question.code
    if question.type != QuestionType.THEME_MATRIX:
        if question.required and value is None:
            return [Problem(code, "required", gettext("This question requires an answer."))]
        return []
    rows = value or {}
    problems = [
        Problem(
            code,
            "required",
            gettext("Choose a level for this theme (none if no help is needed)."),
            theme,
        )
        for theme, row in rows.items()
        if not row["level"]
    ]
    if question.required and len(problems) == len(rows):
        problems.insert(
            0, Problem(code, "required", gettext("Choose a level for at least one theme."))
        )
    return problems


def validate_response(
    spec, raw_answers, *, allowed_kinds=frozenset(), allowed_themes=frozenset(), for_submission
):
    """Clean every answer of a response to ``spec`` (a ``spec.QuestionnaireSpec``).

    Questions are taken in questionnaire order; a question is shown when its section's and its
    own ``relevant`` hold for the valid answers before it. Answers to questions not shown are
    ignored. ``required`` is enforced only ``for_submission``; type, range, length and
    constraint problems are reported for drafts too."""
    result = ValidationResult()
    raw_answers = raw_answers or {}
    for section in spec.sections:
        section_shown = _shown(section.code, section.relevant, result.values)
        for question in section.questions:
            if not (section_shown and _shown(question.code, question.relevant, result.values)):
                continue
            result.relevant.add(question.code)
            value, problems = clean_answer(
                question,
                raw_answers.get(question.code),
                choices=spec.choice_lists.get(question.choice_list),
                allowed_kinds=allowed_kinds,
                allowed_themes=allowed_themes,
            )
            if not problems and value is not None:
                problems = _constraint_problems(question, value, result.values)
            if not problems and for_submission:
                problems = _required_problems(question, value)
            if problems:
                result.problems.extend(problems)
            elif value is not None:
                result.values[question.code] = value
    return result


def progress(spec, result):
    """``(answered, total)`` over the questions shown; an answer with problems does not count."""
    shown = [question.code for question in spec.questions() if question.code in result.relevant]
    return sum(1 for code in shown if code in result.values), len(shown)


# ---------------------------------------------------------------------------- a definition


def questionnaire_problems(spec):
    """Mistakes in a questionnaire definition, for the XLSForm import and the editor to refuse:
    duplicate codes, unknown types or choice lists, expressions that do not parse, ``relevant``
    reading a question that is not before it, ``.`` outside a constraint."""
    problems, earlier = [], set()
    for section in spec.sections:
        problems += _expression_problems(section.code, section.relevant, earlier, constraint=False)
        for question in section.questions:
            code = question.code
            if code in earlier:
                message = gettext("The code “%(code)s” is used twice.") % {"code": code}
                problems.append(Problem(code, "duplicate_code", message))
            try:
                question_type = QuestionType(question.type)
            except ValueError:
                message = gettext("Unknown question type “%(type)s”.") % {"type": question.type}
                problems.append(Problem(code, "unknown_type", message))
                question_type = None
            if question_type in CHOICE_TYPES and not spec.choice_lists.get(question.choice_list):
                message = gettext("The choice list “%(name)s” is missing or empty.") % {
                    "name": question.choice_list
                }
                problems.append(Problem(code, "unknown_choice_list", message))
            problems += _expression_problems(code, question.relevant, earlier, constraint=False)
            earlier.add(code)
            problems += _expression_problems(code, question.constraint, earlier, constraint=True)
    return problems


def _expression_problems(owner, text, known, *, constraint):
    if not text or not text.strip():
        return []
    try:
        expression = logic.parse(text)
    except logic.ExpressionError as error:
        message = gettext("“%(expression)s” cannot be read: %(error)s") % {
            "expression": text,
            "error": error,
        }
        return [Problem(owner, "invalid_expression", message)]
    problems = []
    for reference in sorted(expression.references - known):
        message = gettext(
            "“%(expression)s” refers to ${%(reference)s}, which is not a question before this one."
        ) % {"expression": text, "reference": reference}
        problems.append(Problem(owner, "unknown_reference", message))
    if expression.uses_current and not constraint:
        message = gettext("“.” (this question's own answer) can only be used in a constraint.")
        problems.append(Problem(owner, "misplaced_current", message))
    return problems
