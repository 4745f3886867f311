"""The questionnaire definition as an XLSForm-style spreadsheet, and back.

Sheets: ``survey`` (one row per question; ``begin_group``/``end_group`` rows delimit the
sections), ``choices`` (the choice lists) and an optional ``settings`` row (``form_title``,
``form_id``, ``version``). The same sheets saved as CSV files in one folder read the same way.

Reading checks every row and collects every problem before giving up, so whoever edits the
workbook sees all of them at once, each as ``sheet!R<row> (column): message`` with the row
numbered as the spreadsheet shows it (header = 1). No database access here: bytes or rows in,
``spec.QuestionnaireSpec`` out, and back.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tahub.assessments.spec import (
    CHOICE_TYPES,
    LANGUAGE_NAMES,
    LANGUAGES,
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    QuestionType,
    SectionSpec,
)


def _translated(base):
    return tuple(f"{base}::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES)


SURVEY_COLUMNS = (
    "type", "name", *_translated("label"), *_translated("hint"), "relevant", "required",
    "constraint", *_translated("constraint_message"), "themes", "min", "max", "max_length",
)  # fmt: skip
CHOICES_COLUMNS = ("list_name", "name", *_translated("label"))
SETTINGS_COLUMNS = ("form_title", "form_id", "version")
LAYOUTS = {"survey": SURVEY_COLUMNS, "choices": CHOICES_COLUMNS, "settings": SETTINGS_COLUMNS}
ENGLISH_LABEL = "label::English"

# Codes become database keys and ``${code}`` references; 60 is the models' column width.
MAX_CODE_LENGTH = 60
CODE_RE = re.compile(r"[a-z][a-z0-9_]{0,59}")
CODE_RULE = "a lower-case letter, then lower-case letters, digits or _ (at most 60)"
LIST_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,59}")
# select_multiple answers are space-separated and expressions quote values: neither may appear.
CHOICE_VALUE_RE = re.compile(r"[A-Za-z0-9_.\-]{1,60}")
FORM_ID_RE = re.compile(r"[A-Za-z0-9_\-]{1,60}")
MAX_VERSION_LENGTH = 40
MAX_TEXT_LENGTH = 1_000_000
MAX_CELL_LENGTH = 32_767  # the spreadsheet limit, so whatever is read can be written back
MAX_ROWS = 1_048_576  # the spreadsheet limit
MAX_UNPACKED_BYTES = 20 * 10**6  # a questionnaire unpacks to well under 1 MB
# Characters an XLSX file cannot hold (and PostgreSQL refuses NUL).
INVALID_TEXT_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

GROUP_TYPES = ("begin_group", "end_group")
TYPE_ALIASES = {"string": "text", "int": "integer", "begin group": "begin_group", "end group": "end_group"}
EXPECTED_TYPES = ", ".join(
    ["begin_group", "end_group", "select_one <list>", "select_multiple <list>"]
    + [kind.value for kind in QuestionType if kind not in CHOICE_TYPES]
)
TRUE_WORDS = {"yes", "true", "1", "true()"}
FALSE_WORDS = {"no", "false", "0", "false()", ""}
NUMBER_TYPES = {QuestionType.INTEGER, QuestionType.DECIMAL}
# The row types each optional column means something for; anything else is reported, not dropped.
APPLIES = {
    "label": {"begin_group", *QuestionType},
    "relevant": {"begin_group", *QuestionType},
    "hint": set(QuestionType),
    "required": set(QuestionType),
    "constraint": set(QuestionType),
    "constraint_message": set(QuestionType),
    "themes": {QuestionType.THEME_MATRIX},
    "min": NUMBER_TYPES,
    "max": NUMBER_TYPES,
    "max_length": {QuestionType.TEXT, QuestionType.LONG_TEXT},
}


@dataclass(frozen=True)
class Problem:
    """One fault in a definition; ``row`` is the spreadsheet row (header = 1) or None."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self):
        place = f"{self.sheet}!R{self.row}" if self.sheet and self.row else self.sheet
        if self.column:
            place = f"{place} ({self.column})".strip()
        return f"{place}: {self.message}" if place else self.message


class DefinitionError(ValueError):
    """The definition has problems; ``problems`` lists them all, ``str()`` one per line."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _refuse(message, sheet=""):
    """A fault that stops reading at once (the file itself, not a row in it)."""
    return DefinitionError([Problem(sheet, None, "", message)])


class _Problems(list):
    def add(self, sheet, row, column, message):
        self.append(Problem(sheet, row, column, message))

    def raise_if_any(self):
        """Raise them all, in reading order: sheet, row, then column as laid out."""
        sheets = ("", *LAYOUTS)

        def position(problem):
            columns = LAYOUTS.get(problem.sheet, ())
            column = columns.index(problem.column) if problem.column in columns else len(columns)
            return sheets.index(problem.sheet), problem.row or 0, column

        if self:
            raise DefinitionError(sorted(self, key=position))


# ---------------------------------------------------------------------------- entry points


def read_rows(survey_rows, choices_rows, settings_rows=None, *, known_themes=None):
    """The pure core: sheets as lists of dicts (column -> cell; item 0 is spreadsheet row 2,
    empty rows included so the numbers stay right). Returns ``(spec, settings)`` or raises
    ``DefinitionError`` listing every problem. ``known_themes``: the theme codes a theme
    matrix may list (None skips that check)."""
    problems = _Problems()
    sheets = {"survey": survey_rows, "choices": choices_rows, "settings": settings_rows}
    tables = {name: _table(name, rows or [], problems) for name, rows in sheets.items()}
    return _read(tables, known_themes, problems)


def read_workbook(data, *, known_themes=None):
    """Read an XLSForm workbook (bytes): ``(spec, settings)``, or ``DefinitionError``."""
    problems = _Problems()
    sheet_names, grids = _workbook_grids(data)
    if "survey" not in grids:
        names = ", ".join(sheet_names) or "none"
        raise _refuse(f"the workbook has no sheet named 'survey' (its sheets: {names})")
    return _read(_tables_from_grids(grids, problems), known_themes, problems)


def read_csv_folder(path, *, known_themes=None):
    """Read ``survey.csv``, ``choices.csv`` and optionally ``settings.csv`` (UTF-8) from a
    folder; rows are counted as records, as a spreadsheet shows them."""
    problems, grids = _Problems(), {}
    for sheet in LAYOUTS:
        file = Path(path) / f"{sheet}.csv"
        if not file.is_file():
            if sheet == "survey":
                problems.add(sheet, None, "", f"no file {file.name} in the folder")
            continue
        try:
            text = file.read_text(encoding="utf-8-sig")
            grids[sheet] = list(csv.reader(io.StringIO(text, newline="")))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.add(sheet, None, "", f"{file.name} cannot be read as UTF-8 CSV ({exc})")
    problems.raise_if_any()
    return _read(_tables_from_grids(grids, problems), known_themes, problems)


def write_rows(spec, settings=None):
    """The inverse of ``read_rows``: ``(survey_rows, choices_rows, settings_rows)`` as dicts."""
    survey = []
    for section in spec.sections:
        survey.append({"type": "begin_group", "name": section.code,
                       **_label_cells("label", section.labels), "relevant": section.relevant})
        for question in section.questions:
            kind = question.type.value
            survey.append({
                "type": f"{kind} {question.choice_list}" if question.type in CHOICE_TYPES else kind,
                "name": question.code,
                **_label_cells("label", question.labels),
                **_label_cells("hint", question.hints),
                "relevant": question.relevant,
                "required": "yes" if question.required else "",
                "constraint": question.constraint,
                **_label_cells("constraint_message", question.constraint_messages),
                "themes": " ".join(question.themes),
                "min": _number_cell(question.min_value),
                "max": _number_cell(question.max_value),
                "max_length": question.max_length,
            })
        survey.append({"type": "end_group", "name": section.code})
    choices = [
        {"list_name": name, "name": choice.value, **_label_cells("label", choice.labels)}
        for name, choice_list in spec.choice_lists.items()
        for choice in choice_list
    ]
    settings = {column: str((settings or {}).get(column) or "") for column in SETTINGS_COLUMNS}
    return survey, choices, [settings] if any(settings.values()) else []


def write_workbook(spec, settings=None):
    """The definition as an XLSX workbook (bytes), in the layout ``read_workbook`` reads:
    bold header row, frozen with the type and name columns, widths to fit (capped)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for (name, columns), rows in zip(LAYOUTS.items(), write_rows(spec, settings), strict=True):
        sheet = workbook.create_sheet(name)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(column) for column in columns]
        for row in rows:
            values = [row.get(column) for column in columns]
            sheet.append([None if value == "" else value for value in values])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # text that starts with = stays text, never a formula
                    cell.data_type = "s"
            widths = [max(width, len(_text(value))) for width, value in zip(widths, values, strict=True)]
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[_column_letter(index)].width = min(max(width, 8), 50) + 2
        sheet.freeze_panes = "C2" if name != "settings" else "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _label_cells(base, labels):
    return {f"{base}::{LANGUAGE_NAMES[lang]}": labels[lang] for lang in LANGUAGES if labels.get(lang)}


def _number_cell(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


# ---------------------------------------------------------------------------- files


def _workbook_grids(data):
    """``(sheet names, {sheet: rows of cell values})``; whatever keeps the bytes from being
    read as a workbook is one clear problem."""
    from openpyxl import load_workbook

    if not data:
        raise _refuse("the file is empty")
    if not data.startswith(b"PK\x03\x04"):
        if b"\x00" not in data[:4096] and _decodes(data[:4096]):
            raise _refuse("the file is not an XLSX workbook (it looks like CSV or other text; save it in Excel format, .xlsx)")
        raise _refuse("the file is not an XLSX workbook")
    damaged = _refuse("the file is damaged or is not an XLSX workbook")
    try:
        # The archive's declared sizes bound what unpacking yields: refuse a bomb before reading.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refuse(f"the workbook is too large: over {MAX_UNPACKED_BYTES // 10**6} MB unpacked")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except DefinitionError:
        raise
    except Exception as exc:  # untrusted bytes: whatever the reader trips on, the answer is the same
        raise damaged from exc
    try:
        sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
        grids = {name: _sheet_values(name, sheets[name]) for name in LAYOUTS if name in sheets}
        return [sheet.title for sheet in workbook.worksheets], grids
    except DefinitionError:
        raise
    except Exception as exc:  # a sheet's XML is read lazily, so damage can surface only here
        raise damaged from exc
    finally:
        workbook.close()


def _sheet_values(name, sheet):
    sheet.reset_dimensions()  # the declared size may be wrong or hostile; read what is there
    rows = []
    for values in sheet.iter_rows(values_only=True):
        # A row element may claim any row number; the rows it skips come back empty.
        if len(rows) == MAX_ROWS:
            raise _refuse(f"the sheet has more than {MAX_ROWS:,} rows", sheet=name)
        rows.append(values)
    return rows


def _decodes(sample):
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(sample) - 4  # only a character cut at the sample's end
    return True


def _tables_from_grids(grids, problems):
    tables = {}
    for sheet in LAYOUTS:
        header, rows = _rows_from_grid(sheet, grids.get(sheet) or [], problems)
        tables[sheet] = _table(sheet, rows, problems, header=header)
    return tables


def _rows_from_grid(sheet, grid, problems):
    """A sheet as ``(header, rows)``: row 1 names the columns, each later row becomes a dict."""
    header = [_text(cell) for cell in grid[0]] if grid else []
    kept = {}
    for index, name in enumerate(header):
        if name and name in kept.values():
            problems.add(sheet, 1, name, "the column appears twice")
        elif name:
            kept[index] = name
    rows = []
    for number, values in enumerate(grid[1:], start=2):
        rows.append({kept[index]: value for index, value in enumerate(values) if index in kept})
        for index, value in enumerate(values):
            if _text(value) and (index >= len(header) or not header[index]):
                problems.add(sheet, number, _column_letter(index + 1), "a value in a column without a header")
    return list(kept.values()), rows


def _column_letter(number):
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# ---------------------------------------------------------------------------- cells and tables


@dataclass
class _Table:
    sheet: str
    columns: set
    rows: list  # [(row number, {column: text})], fully empty rows left out


def _text(value):
    """A cell as stripped text with ``\n`` line ends (as XML gives them back); whole numbers
    without ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _canonical(header, layout):
    """The layout column a header names: ``label::english``, ``label::English (en)``,
    ``label::en`` and a bare ``label`` all mean ``label::English``."""
    base, separator, language = header.partition("::")
    base = base.strip().lower()
    if not separator:
        name = f"{base}::English" if f"{base}::English" in layout else base
        return name if name in layout else None
    language = re.sub(r"\s*\([^)]*\)\s*$", "", language).strip().lower()
    for code, language_name in LANGUAGE_NAMES.items():
        if language in (code, language_name.lower()):
            name = f"{base}::{language_name}"
            return name if name in layout else None
    return None


def _table(sheet, rows, problems, header=None):
    """Rows (dicts, the first being spreadsheet row 2) checked against the sheet's layout."""
    if header is None:
        header = list(dict.fromkeys(key for row in rows for key in row))
    names, first = {}, {}
    for key in header:
        text = _text(key)
        name = _canonical(text, LAYOUTS[sheet]) if text else None
        if text and name is None:
            problems.add(sheet, 1, text, "unknown column")
        elif name in first:
            problems.add(sheet, 1, text, f"the same column as {_q(first[name])}")
            name = None
        elif name:
            first[name] = text
        names[key] = name
    table = _Table(sheet, set(first), [])
    for number, row in enumerate(rows, start=2):
        values = {}
        for key, value in row.items():
            text, name = _text(value), names.get(key)
            if not text or name is None:
                continue
            if INVALID_TEXT_RE.search(text):
                problems.add(sheet, number, name, "contains a control character or other character a spreadsheet cannot hold")
            elif len(text) > MAX_CELL_LENGTH:
                problems.add(sheet, number, name, f"is longer than {MAX_CELL_LENGTH:,} characters")
            else:
                values[name] = text
        if values:
            table.rows.append((number, values))
    return table


def _q(text):
    """``text`` quoted for a message, shortened: a message must stay readable."""
    return repr(text if len(text) <= 40 else f"{text[:40]}…")


def _labels(row, base):
    return {lang: row[f"{base}::{name}"] for lang, name in LANGUAGE_NAMES.items() if row.get(f"{base}::{name}")}


# ---------------------------------------------------------------------------- checking


def _read(tables, known_themes, problems):
    lists = _choice_lists(tables["choices"], problems)
    sections = _Survey(tables["survey"], lists, known_themes, problems).read()
    settings = _settings(tables["settings"], problems)
    problems.raise_if_any()
    return QuestionnaireSpec(sections=sections, choice_lists=lists), settings


def _choice_lists(table, problems):
    def report(row, column, message):
        problems.add(table.sheet, row, column, message)

    for column in ("list_name", "name", ENGLISH_LABEL):
        if table.rows and column not in table.columns:
            report(1, column, "missing column")
    lists, seen = {}, {}
    for number, row in table.rows:
        list_name, value = row.get("list_name", ""), row.get("name", "")
        if not list_name:
            report(number, "list_name", "empty; every choice belongs to a list")
        elif not LIST_NAME_RE.fullmatch(list_name):
            report(number, "list_name", f"{_q(list_name)} is not a valid list name (letters, digits and _, at most 60)")
        if not value:
            report(number, "name", "empty; every choice needs a value")
        elif not CHOICE_VALUE_RE.fullmatch(value):
            report(number, "name", f"{_q(value)} is not a valid choice value (letters, digits, _ . -, at most 60)")
        elif (list_name, value) in seen:
            report(number, "name", f"{_q(value)} appears twice in list {_q(list_name)} (first on row {seen[list_name, value]})")
        else:
            seen[list_name, value] = number
        if ENGLISH_LABEL in table.columns and not row.get(ENGLISH_LABEL):
            report(number, ENGLISH_LABEL, "missing English label")
        if list_name:
            lists.setdefault(list_name, []).append(ChoiceSpec(value, _labels(row, "label")))
    return lists


def _settings(table, problems):
    settings = dict.fromkeys(SETTINGS_COLUMNS, "")
    for number, _row in table.rows[1:]:
        problems.add(table.sheet, number, "", "the settings sheet has one row of values, below its header")
    if table.rows:
        number, row = table.rows[0]
        settings.update({column: row.get(column, "") for column in SETTINGS_COLUMNS})
        if settings["form_id"] and not FORM_ID_RE.fullmatch(settings["form_id"]):
            problems.add(table.sheet, number, "form_id", f"{_q(settings['form_id'])} is not a valid form id (letters, digits, _ and -, at most 60)")
        if len(settings["version"]) > MAX_VERSION_LENGTH:
            problems.add(table.sheet, number, "version", f"longer than {MAX_VERSION_LENGTH} characters")
    return settings


def _parse_type(text):
    """``(kind, list name, problem)``: kind is a QuestionType or a GROUP_TYPES word."""
    words = text.split()
    if not words:
        return None, "", "empty; every row needs a type"
    if " ".join(words[:2]).lower() in TYPE_ALIASES:
        words = [TYPE_ALIASES[" ".join(words[:2]).lower()], *words[2:]]
    kind = TYPE_ALIASES.get(words[0].lower(), words[0].lower())
    if kind.endswith("_from_file"):
        plain = kind.removesuffix("_from_file")
        return None, "", f"{kind} is not supported; list the choices on the choices sheet and use {plain}"
    if kind in {choice_type.value for choice_type in CHOICE_TYPES}:
        if len(words) != 2:
            return None, "", f"expected '{kind} <list name>', found {_q(text)}"
        return QuestionType(kind), words[1], ""
    if kind in GROUP_TYPES or kind in set(QuestionType):
        if len(words) > 1:
            return None, "", f"unexpected text after {kind}: {_q(' '.join(words[1:]))}"
        return (kind if kind in GROUP_TYPES else QuestionType(kind)), "", ""
    return None, "", f"unknown type {_q(text)}; expected one of {EXPECTED_TYPES}"


class _Survey:
    """The survey sheet, row by row, into sections; every fault goes to ``problems``."""

    def __init__(self, table, lists, known_themes, problems):
        self.table, self.lists, self.known_themes, self.problems = table, lists, known_themes, problems
        self.parsed = [(number, row, *_parse_type(row.get("type", ""))) for number, row in table.rows]
        # Every name with its first row, so a reference to a later row can say where it is.
        self.first_row, self.groups = {}, set()
        for number, row, kind, _list, _fault in self.parsed:
            if row.get("name") and kind not in (None, "end_group"):
                self.first_row.setdefault(row["name"], number)
                if kind == "begin_group":
                    self.groups.add(row["name"])
        self.above = set()  # question codes defined so far

    def report(self, row, column, message):
        self.problems.add(self.table.sheet, row, column, message)

    def read(self):
        if not self.table.columns:
            self.report(1, "", "the sheet is empty; row 1 names the columns (type, name, label::English, …)")
            return []
        missing = [column for column in ("type", "name", ENGLISH_LABEL) if column not in self.table.columns]
        for column in missing:
            self.report(1, column, "missing column")
        if "type" in missing or "name" in missing:
            return []
        if not self.table.rows:
            self.report(None, "", "the sheet has no rows below its header: the form has no questions")
        sections, section, opened_on, rows_inside = [], None, None, 0
        for number, row, kind, list_name, fault in self.parsed:
            if fault:
                self.report(number, "type", fault)
                rows_inside += 1  # the group holds this row: report the bad type, not an empty group
            elif kind == "begin_group":
                if section is not None:
                    self.report(number, "type", f"begin_group inside group {_q(section.code)} (opened on row {opened_on}); groups cannot be nested")
                    self._close(section, opened_on, rows_inside)
                section, opened_on, rows_inside = self._section(number, row), number, 0
                sections.append(section)
            elif kind == "end_group":
                self._end(number, row, section)
                if section is not None:
                    self._close(section, opened_on, rows_inside)
                section = None
            else:
                question = self._question(number, row, kind, list_name)
                rows_inside += 1
                if section is None:
                    self.report(number, "type", "question outside a group; put it between begin_group and end_group rows")
                else:
                    section.questions.append(question)
        if section is not None:
            self.report(opened_on, "type", f"group {_q(section.code)} has no end_group")
            self._close(section, opened_on, rows_inside)
        return sections

    def _close(self, section, opened_on, rows_inside):
        if not rows_inside:
            self.report(opened_on, "type", f"group {_q(section.code)} has no questions")

    def _section(self, number, row):
        self._not_applicable(number, row, "begin_group")
        return SectionSpec(
            code=self._name(number, row),
            labels=self._labels(number, row),
            questions=[],
            relevant=self._expression(number, row, "relevant"),
        )

    def _end(self, number, row, section):
        if section is None:
            self.report(number, "type", "end_group without a matching begin_group")
        elif row.get("name", section.code) != section.code:
            self.report(number, "name", f"end_group names {_q(row['name'])}, but the open group is {_q(section.code)}")
        self._not_applicable(number, row, "end_group")

    def _question(self, number, row, kind, list_name):
        self._not_applicable(number, row, kind)
        if kind in CHOICE_TYPES and list_name not in self.lists:
            self.report(number, "type", f"unknown choice list {_q(list_name)}: no rows with that list_name on the choices sheet")
        whole = kind == QuestionType.INTEGER
        question = QuestionSpec(
            code=self._name(number, row),
            type=kind,
            labels=self._labels(number, row),
            hints=_labels(row, "hint"),
            required=self._flag(number, row, "required"),
            relevant=self._expression(number, row, "relevant"),
            constraint=self._expression(number, row, "constraint"),
            constraint_messages=_labels(row, "constraint_message"),
            choice_list=list_name,
            themes=self._themes(number, row),
            min_value=self._number(number, row, "min", whole),
            max_value=self._number(number, row, "max", whole),
            max_length=self._max_length(number, row),
        )
        if question.constraint_messages and not question.constraint:
            self.report(number, "constraint", "constraint_message is given but there is no constraint")
        if None not in (question.min_value, question.max_value) and question.min_value > question.max_value:
            self.report(number, "max", "max is below min")
        self.above.add(question.code)
        return question

    def _not_applicable(self, number, row, kind):
        where = f"{kind} rows" if kind in GROUP_TYPES else f"a {kind} question"
        for column in row:
            base = column.partition("::")[0]
            if base not in ("type", "name") and kind not in APPLIES[base]:
                self.report(number, column, f"does not apply to {where}")

    def _name(self, number, row):
        name = row.get("name", "")
        if not name:
            self.report(number, "name", "empty; every question and group needs a name (its code)")
        elif not CODE_RE.fullmatch(name):
            self.report(number, "name", f"{_q(name)} is not a valid code: {CODE_RULE}")
        elif self.first_row[name] != number:
            self.report(number, "name", f"{_q(name)} is already used on row {self.first_row[name]}")
        return name

    def _labels(self, number, row):
        labels = _labels(row, "label")
        if "en" not in labels and ENGLISH_LABEL in self.table.columns:
            self.report(number, ENGLISH_LABEL, "missing English label")
        return labels

    def _expression(self, number, row, column):
        """The expression as written, its syntax checked by the one evaluator (``logic``)
        and each ``${code}`` checked to be a question above this row."""
        from tahub.assessments.logic import ExpressionError, parse

        text = row.get(column, "")
        if not text:
            return ""
        try:
            references = parse(text).references
        except ExpressionError as exc:
            self.report(number, column, str(exc))
            return text
        for code in sorted(references - self.above):
            if code in self.groups:
                message = f"${{{code}}} is a group; refer to a question"
            elif code not in self.first_row:
                message = f"${{{code}}} is not a question in this form"
            elif self.first_row[code] == number:
                own = "; use . for the question's own value" if column == "constraint" else ""
                message = f"${{{code}}} is this row itself{own}"
            else:
                message = f"${{{code}}} is defined below (row {self.first_row[code]}); refer only to questions above"
            self.report(number, column, message)
        return text

    def _flag(self, number, row, column):
        value = row.get(column, "").lower()
        if value not in TRUE_WORDS | FALSE_WORDS:
            self.report(number, column, f"{_q(row[column])}; expected yes or no")
        return value in TRUE_WORDS

    def _number(self, number, row, column, whole):
        text = row.get(column, "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.report(number, column, f"{_q(text)}; expected a number")
        elif whole and value != value.to_integral_value():
            self.report(number, column, f"{_q(text)}; expected a whole number for an integer question")
        # The models keep 14 digits before the decimal point and 4 after.
        elif abs(value) >= 10**14 or value.quantize(Decimal("0.0001")) != value:
            self.report(number, column, f"{_q(text)}; at most 14 digits before and 4 after the decimal point")
        else:
            return float(value)
        return None

    def _max_length(self, number, row):
        text = row.get("max_length", "")
        if text and not (text.isdecimal() and len(text) <= 7 and 0 < int(text) <= MAX_TEXT_LENGTH):
            self.report(number, "max_length", f"{_q(text)}; expected a whole number from 1 to {MAX_TEXT_LENGTH:,}")
            return None
        return int(text) if text else None

    def _themes(self, number, row):
        themes = row.get("themes", "").split()
        for index, code in enumerate(themes):
            if code in themes[:index]:
                self.report(number, "themes", f"theme {_q(code)} is listed twice")
            elif self.known_themes is not None and code not in self.known_themes:
                self.report(number, "themes", f"unknown theme {_q(code)}")
        return themes
