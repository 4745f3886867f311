"""Skip logic and constraints: the one evaluator of XLSForm-style expressions.

The pages, the XLSX import and the API all decide "is this question shown?" and "is this
answer acceptable?" here, so the three can never disagree. The language is a small subset of
XLSForm/XPath:

- ``${code}`` is another question's answer, ``.`` the current question's own value;
- literals: ``'text'``, ``"text"``, ``12``, ``3.5``, ``true()``, ``false()``;
- ``=  !=  <  <=  >  >=``, ``+  -``, ``and``, ``or``, parentheses;
- ``not(x)``, ``selected(x, 'value')``, ``count-selected(x)``, ``string-length(x)``,
  ``regex(x, 'pattern')``, ``today()``, ``date('YYYY-MM-DD')``.

Semantics follow ODK: an unanswered reference is empty; ``=`` is true with empty only against
another empty value (``${x} = ''``) and ``!=`` is its negation; ordering comparisons with empty
are false; a number-like string compares numerically with a number; dates compare as dates.
"""

import contextlib
import datetime
import decimal
import functools
import re
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext, ngettext

MAX_EXPRESSION_LENGTH = 2000
MAX_NESTING = 32
MAX_PATTERN_LENGTH = 200
# regex() gives false on longer input rather than risk slow matching.
MAX_REGEX_INPUT_LENGTH = 2000

EPOCH = datetime.date(1970, 1, 1)
# Arithmetic never raises: overflow and invalid operations give NaN, which compares false.
_ARITHMETIC = decimal.Context(prec=34, traps=[])


class ExpressionError(ValueError):
    """A syntax error in an expression; ``position`` is the 0-based character offset."""

    def __init__(self, message, position=0):
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self):
        return gettext("%(message)s (at character %(position)d)") % {
            "message": self.message,
            "position": self.position + 1,
        }


# ---------------------------------------------------------------------------- values


def _is_empty(value):
    if value is None:
        return True
    if isinstance(value, str | list | tuple | set | frozenset | dict):
        return len(value) == 0
    return False


def _to_boolean(value):
    if isinstance(value, bool):
        return value
    if _is_number(value):
        number = _to_number(value)
        return number is not None and number != 0
    return not _is_empty(value)


_NUMBER_TEXT = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")


def _to_number(value):
    """A finite Decimal, or None when the value is not a number (NaN in XPath)."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | Decimal):
        # repr: 0.1 is "0.1", not the binary fraction's 55 digits.
        number = Decimal(repr(value)) if isinstance(value, float) else value
        return number if number.is_finite() else None
    if isinstance(value, datetime.date):
        return Decimal((_as_date(value) - EPOCH).days)
    if isinstance(value, str) and len(value) <= 100 and _NUMBER_TEXT.fullmatch(value):
        return Decimal(value.strip())
    return None


_DATE_TEXT = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ][0-9:.+\-Z]*)?\s*")


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _to_date(value):
    """A date, or None. Numbers count days since 1970-01-01, as in ODK."""
    if isinstance(value, datetime.date):
        return _as_date(value)
    if isinstance(value, str):
        match = _DATE_TEXT.fullmatch(value) if len(value) <= 40 else None
        if match:
            try:
                return datetime.date.fromisoformat(match.group(1))
            except ValueError:
                return None
        return None
    number = _to_number(value) if not isinstance(value, bool) else None
    if number is not None and abs(number) < 3_000_000:
        try:
            return EPOCH + datetime.timedelta(
                days=int(number.to_integral_value(decimal.ROUND_FLOOR))
            )
        except OverflowError:
            return None
    return None


def _number_to_string(number):
    """``3``, ``2.5``, ``-0.01`` (no exponent, no trailing zeros), as XPath's string()."""
    if not number.is_finite() or abs(number.adjusted()) > 40:
        return str(number)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _to_string(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        number = _to_number(value)
        return _number_to_string(number) if number is not None else "NaN"
    if isinstance(value, datetime.date):
        return _as_date(value).isoformat()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return " ".join(_to_string(item) for item in value)
    return str(value)


def _selected_values(value):
    """The values of a select answer: a list's items, or a space-separated string's words."""
    if isinstance(value, list | tuple | set | frozenset | dict):
        return [_to_string(item) for item in value]
    return _to_string(value).split()


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _equal(left, right):
    left_empty, right_empty = _is_empty(left), _is_empty(right)
    if left_empty or right_empty:
        return left_empty and right_empty
    if isinstance(left, bool) or isinstance(right, bool):
        return _to_boolean(left) == _to_boolean(right)
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        if _is_number(left) or _is_number(right):
            return _numbers_compare(left, right, lambda a, b: a == b)
        left_date, right_date = _to_date(left), _to_date(right)
        return left_date is not None and left_date == right_date
    if _is_number(left) or _is_number(right):
        return _numbers_compare(left, right, lambda a, b: a == b)
    return _to_string(left) == _to_string(right)


def _numbers_compare(left, right, test):
    left_number, right_number = _to_number(left), _to_number(right)
    if left_number is None or right_number is None:
        return False
    return test(left_number, right_number)


_ORDER_TESTS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _order(operator, left, right):
    if _is_empty(left) or _is_empty(right):
        return False
    test = _ORDER_TESTS[operator]
    dated = isinstance(left, datetime.date) or isinstance(right, datetime.date)
    if dated and not (_is_number(left) or _is_number(right)):
        left_date, right_date = _to_date(left), _to_date(right)
        return left_date is not None and right_date is not None and test(left_date, right_date)
    return _numbers_compare(left, right, test)


# ---------------------------------------------------------------------------- syntax tree
# Nodes are tuples: ("literal", value), ("reference", code), ("current",), ("negative", node),
# ("sum", first, [(sign, node)]), ("compare", operator, left, right), ("and" | "or", [nodes]),
# ("call", function, [nodes]), ("regex", node, compiled pattern). Sums and logical chains are
# flat, so a long ``a + b + c …`` never deepens the evaluation stack.


class _Environment(NamedTuple):
    answers: dict
    current: object
    today: datetime.date | None


def _evaluate(node, env):
    match node:
        case ("literal", value):
            return value
        case ("reference", code):
            return env.answers.get(code)
        case ("current",):
            return env.current
        case ("negative", operand):
            number = _to_number(_evaluate(operand, env))
            return _ARITHMETIC.minus(number) if number is not None else Decimal("NaN")
        case ("sum", first, rest):
            total = _to_number(_evaluate(first, env))
            for sign, operand in rest:
                number = _to_number(_evaluate(operand, env))
                if total is not None and number is not None:
                    total = _ARITHMETIC.add(total, number if sign == "+" else -number)
                    total = total if total.is_finite() else None
                else:
                    total = None
            return total if total is not None else Decimal("NaN")
        case ("compare", "=", left, right):
            return _equal(_evaluate(left, env), _evaluate(right, env))
        case ("compare", "!=", left, right):
            return not _equal(_evaluate(left, env), _evaluate(right, env))
        case ("compare", operator, left, right):
            return _order(operator, _evaluate(left, env), _evaluate(right, env))
        case ("and", operands):
            return all(_to_boolean(_evaluate(operand, env)) for operand in operands)
        case ("or", operands):
            return any(_to_boolean(_evaluate(operand, env)) for operand in operands)
        case ("call", function, arguments):
            return function(env, *(_evaluate(argument, env) for argument in arguments))
        case ("regex", subject, pattern):
            text = _to_string(_evaluate(subject, env))
            return len(text) <= MAX_REGEX_INPUT_LENGTH and pattern.fullmatch(text) is not None
    raise AssertionError(node)


def _selected(env, value, wanted):
    wanted = _to_string(wanted)
    return _to_string(value) == wanted or wanted in _selected_values(value)


# name -> (implementation, number of arguments)
_FUNCTIONS = {
    "not": (lambda env, value: not _to_boolean(value), 1),
    "selected": (_selected, 2),
    "count-selected": (lambda env, value: Decimal(len(_selected_values(value))), 1),
    "string-length": (lambda env, value: Decimal(len(_to_string(value))), 1),
    "regex": (None, 2),  # a ("regex", …) node: its pattern is a literal, compiled when parsed
    "today": (lambda env: env.today or timezone.localdate(), 0),
    "date": (lambda env, value: _to_date(value), 1),
    "true": (lambda env: True, 0),
    "false": (lambda env: False, 0),
}


class Expression:
    """A parsed expression: parse once (``parse``), evaluate many times. Immutable, so the
    cached instance is shared safely."""

    def __init__(self, text, root, references, uses_current):
        self.text = text
        self._root = root
        self._references = frozenset(references)
        self._uses_current = uses_current

    def __repr__(self):
        return f"Expression({self.text!r})"

    @property
    def references(self):
        """The question codes the expression reads (``${code}``)."""
        return set(self._references)

    @property
    def uses_current(self):
        """Whether the expression reads ``.`` (meaningful in constraints only)."""
        return self._uses_current

    def evaluate(self, answers, current=None, *, today=None):
        """The value for ``answers`` (code -> cleaned value; missing = empty) with ``current``
        as ``.``; ``today`` stands in for ``today()`` (tests, reproducible checks)."""
        return _evaluate(self._root, _Environment(answers or {}, current, today))


# ---------------------------------------------------------------------------- tokenizer

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<reference>\$\{)
  | (?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
  | (?P<current>\.)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<operator>!=|<=|>=|=|<|>|\+|-)
  | (?P<punctuation>[(),])
  | (?P<name>[^\W\d]\w*(?:-[^\W\d]\w*)*)
    """,
    re.VERBOSE,
)
_REFERENCE_NAME = re.compile(r"[^\W\d][\w.\-]*\}")


class _Token:
    __slots__ = ("kind", "text", "position")

    def __init__(self, kind, text, position):
        self.kind = kind
        self.text = text
        self.position = position


def _tokenize(text):
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position] in "'\"":
                raise ExpressionError(gettext("This text has no closing quote."), position)
            raise ExpressionError(
                gettext("Unexpected character “%(character)s”.") % {"character": text[position]},
                position,
            )
        kind = match.lastgroup
        if kind == "reference":
            name = _REFERENCE_NAME.match(text, match.end())
            if name is None:
                raise ExpressionError(
                    gettext(
                        "A reference is written ${code}, with a question code between the braces."
                    ),
                    position,
                )
            tokens.append(_Token("reference", name.group()[:-1], position))
            position = name.end()
            continue
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# ---------------------------------------------------------------------------- parser


class _Parser:
    """Recursive descent; precedence from loosest: or, and, comparison, + -, unary -."""

    def __init__(self, text):
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.references = set()
        self.uses_current = False

    @property
    def token(self):
        return self.tokens[self.index]

    def advance(self):
        token = self.token
        self.index += 1
        return token

    def is_word(self, word):
        return self.token.kind == "name" and self.token.text == word

    def at(self, kind, text):
        return self.token.kind == kind and self.token.text == text

    def expect_closing(self, message):
        if not self.at("punctuation", ")"):
            raise ExpressionError(message, self.token.position)
        self.advance()

    @contextlib.contextmanager
    def nested(self):
        """Bound the nesting of parentheses, calls and signs, so recursion stays shallow."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(
                gettext("The expression is nested too deeply."), self.token.position
            )
        yield
        self.depth -= 1

    def parse(self):
        if self.token.kind == "end":
            raise ExpressionError(gettext("The expression is empty."), 0)
        root = self.parse_or()
        if self.token.kind != "end":
            raise ExpressionError(
                gettext(
                    "Unexpected “%(token)s”: an operator such as and, or, = is missing before it."
                )
                % {"token": self.token.text},
                self.token.position,
            )
        return root

    def parse_or(self):
        return self.parse_logical("or", self.parse_and)

    def parse_and(self):
        return self.parse_logical("and", self.parse_comparison)

    def parse_logical(self, word, parse_operand):
        operands = [parse_operand()]
        while self.is_word(word):
            self.advance()
            operands.append(parse_operand())
        return operands[0] if len(operands) == 1 else (word, operands)

    def parse_comparison(self):
        left = self.parse_sum()
        if not self.at_comparison():
            return left
        operator = self.advance().text
        node = ("compare", operator, left, self.parse_sum())
        if self.at_comparison():
            raise ExpressionError(
                gettext("Comparisons cannot be chained; join them with “and”."), self.token.position
            )
        return node

    def at_comparison(self):
        return self.token.kind == "operator" and self.token.text not in ("+", "-")

    def parse_sum(self):
        first = self.parse_unary()
        rest = []
        while self.at("operator", "+") or self.at("operator", "-"):
            operator = self.advance().text
            rest.append((operator, self.parse_unary()))
        return ("sum", first, rest) if rest else first

    def parse_unary(self):
        if self.at("operator", "-"):
            self.advance()
            with self.nested():
                return ("negative", self.parse_unary())
        return self.parse_primary()

    def parse_primary(self):
        token = self.token
        if token.kind == "reference":
            self.advance()
            self.references.add(token.text)
            return ("reference", token.text)
        if token.kind == "current":
            self.advance()
            self.uses_current = True
            return ("current",)
        if token.kind == "string":
            self.advance()
            return ("literal", token.text[1:-1])
        if token.kind == "number":
            self.advance()
            return ("literal", Decimal(token.text))
        if self.at("punctuation", "("):
            self.advance()
            with self.nested():
                node = self.parse_or()
            self.expect_closing(gettext("A closing parenthesis “)” is missing."))
            return node
        if token.kind == "name":
            return self.parse_call()
        if token.kind == "end":
            raise ExpressionError(
                gettext("The expression ends too early: a value is missing."), token.position
            )
        raise ExpressionError(
            gettext("A value is expected where “%(token)s” is.") % {"token": token.text},
            token.position,
        )

    def parse_call(self):
        name = self.advance()
        if not self.at("punctuation", "("):
            if name.text in ("and", "or"):
                message = gettext("A value is expected before “%(token)s”.")
            elif name.text in _FUNCTIONS:
                message = gettext("The function “%(token)s” needs parentheses, e.g. %(token)s().")
            else:
                message = gettext(
                    "Unknown word “%(token)s”: write text in quotes ('text') and refer to a question as ${code}."
                )
            raise ExpressionError(message % {"token": name.text}, name.position)
        if name.text not in _FUNCTIONS:
            raise ExpressionError(
                gettext("Unknown function “%(name)s”; the functions available are %(functions)s.")
                % {"name": name.text, "functions": ", ".join(f"{known}()" for known in _FUNCTIONS)},
                name.position,
            )
        self.advance()
        arguments = []
        with self.nested():
            if not self.at("punctuation", ")"):
                arguments.append(self.parse_or())
                while self.at("punctuation", ","):
                    self.advance()
                    arguments.append(self.parse_or())
        self.expect_closing(gettext("A closing parenthesis “)” or a comma is missing."))
        function, arity = _FUNCTIONS[name.text]
        if len(arguments) != arity:
            raise ExpressionError(
                ngettext(
                    "The function “%(name)s” takes %(expected)d argument, not %(given)d.",
                    "The function “%(name)s” takes %(expected)d arguments, not %(given)d.",
                    arity,
                )
                % {"name": name.text, "expected": arity, "given": len(arguments)},
                name.position,
            )
        if name.text == "regex":
            return ("regex", arguments[0], _compile_pattern(arguments[1], name.position))
        if (
            name.text == "date"
            and arguments[0][0] == "literal"
            and _to_date(arguments[0][1]) is None
        ):
            raise ExpressionError(
                gettext("“%(value)s” is not a date; write it as 'YYYY-MM-DD'.")
                % {"value": _to_string(arguments[0][1])},
                name.position,
            )
        return ("call", function, arguments)


def _compile_pattern(node, position):
    if not (node[0] == "literal" and isinstance(node[1], str)):
        raise ExpressionError(gettext("The pattern of regex() must be text in quotes."), position)
    pattern = node[1]
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ExpressionError(
            gettext("The pattern of regex() is too long (at most %(limit)d characters).")
            % {"limit": MAX_PATTERN_LENGTH},
            position,
        )
    if _has_nested_repetition(pattern):
        raise ExpressionError(
            gettext(
                "The pattern of regex() repeats a group that itself repeats, which can be very slow."
            ),
            position,
        )
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as error:
        raise ExpressionError(
            gettext("The pattern of regex() is not valid: %(reason)s") % {"reason": error}, position
        ) from None


def _has_nested_repetition(pattern):
    """True for patterns like ``(a+)+`` or ``(\\w*x)*`` whose backtracking can explode."""
    repeats = "*+{"
    groups = [False]  # per open group: does it contain a repetition?
    index = 0
    while index < len(pattern):
        character = pattern[index]
        if character == "\\":
            index += 2
            continue
        if character == "[":
            index += 1
            if index < len(pattern) and pattern[index] == "^":
                index += 1
            if index < len(pattern) and pattern[index] == "]":
                index += 1
            while index < len(pattern) and pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
        elif character == "(":
            groups.append(False)
            if index + 1 < len(pattern) and pattern[index + 1] == "?":
                index += 1
        elif character == ")" and len(groups) > 1:
            inner = groups.pop()
            repeated = index + 1 < len(pattern) and pattern[index + 1] in repeats
            if inner and repeated:
                return True
            groups[-1] = groups[-1] or inner or repeated
        elif character in repeats:
            groups[-1] = True
        index += 1
    return False


# ---------------------------------------------------------------------------- entry points


def parse(expression):
    """Parse ``expression`` into an ``Expression``; any syntax error raises ``ExpressionError``."""
    if not isinstance(expression, str):
        raise ExpressionError(gettext("An expression must be text."), 0)
    return _parse_cached(expression)


@functools.lru_cache(maxsize=2048)
def _parse_cached(expression):
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            gettext("The expression is too long (at most %(limit)d characters).")
            % {"limit": MAX_EXPRESSION_LENGTH},
            MAX_EXPRESSION_LENGTH,
        )
    parser = _Parser(expression)
    root = parser.parse()
    return Expression(expression, root, parser.references, parser.uses_current)


def truth(value):
    """The XPath boolean of a value: empty, zero, NaN and false are false."""
    return _to_boolean(value)


def is_relevant(expression_text, answers, *, today=None):
    """Whether a question (or section) with this ``relevant`` expression is shown."""
    if not expression_text or not expression_text.strip():
        return True
    return truth(parse(expression_text).evaluate(answers, today=today))


def satisfies(expression_text, value, answers, *, today=None):
    """Whether ``value`` (as ``.``) meets this ``constraint`` expression, given ``answers``."""
    if not expression_text or not expression_text.strip():
        return True
    return truth(parse(expression_text).evaluate(answers, current=value, today=today))
