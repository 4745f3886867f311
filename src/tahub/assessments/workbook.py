"""A Party's response as an XLSX workbook to fill in offline, and that workbook read back.

The workbook has an instructions sheet, one sheet per section (code, question, answer, how to
answer), a ``lists`` sheet with the allowed codes and a very hidden ``meta`` sheet. ``meta``
holds the Party, cycle and questionnaire version and the cell layout (which cell answers which
question), signed with the site's secret key: a workbook that was edited outside its answer
cells' values, or made for another response, is refused.

Every value goes in as text and comes back as text, so ``=1+1`` is never a formula. Reading
collects every problem (``Sheet!C5: reason``) before giving up: an upload either becomes the
draft whole or changes nothing. Judging answers is the validation engine's job
(``validation.validate_response``), the same as online and in the API.
"""

import io
import json
import re
import zipfile
from datetime import date, datetime

from django.core.signing import salted_hmac
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext, override

from tahub.assessments.spec import NEED_LEVELS, QuestionType
from tahub.assessments.validation import validate_response
from tahub.core.i18n import pick

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 10**6  # a filled questionnaire unpacks to well under 1 MB
META_SHEET = "meta"
LISTS_SHEET = "lists"
FORMAT = "tahub-response-workbook/1"
SIGNING_SALT = "tahub.assessments.workbook"
# Sheet names cannot hold these characters and have at most 31 of them.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
MATRIX_FIELDS = ("level", "kinds", "comment")
MATRIX_COLUMNS = {"level": "C", "kinds": "D", "comment": "E"}
ANSWER_COLUMN = "C"
# Which matrix cell a problem of a theme-matrix row points at.
MATRIX_ERROR_FIELDS = {"unknown_kind": "kinds", "too_long": "comment"}
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookError(ValueError):
    """The workbook cannot become the draft; ``problems`` lists every reason (text)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------------------- shared


def theme_codes(question, top_level_codes):
    """The rows of a theme matrix: its own themes, else every top-level theme (as online)."""
    return list(question.themes) or list(top_level_codes)


def _reference():
    """Themes and kinds of help, read once: labels for the sheets, codes for the checks."""
    from tahub.reference.models import KindOfHelp, Theme

    themes = list(Theme.objects.all())
    kinds = list(KindOfHelp.objects.all())
    return themes, kinds


def _signature(meta, layout):
    payload = json.dumps([meta, layout], sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return salted_hmac(SIGNING_SALT, payload, algorithm="sha256").hexdigest()


def _identity(response, spec_version):
    return {
        "format": FORMAT,
        "party": response.country.iso3,
        "cycle": str(response.cycle.pk),
        "version": str(spec_version.pk),
        "version_number": str(spec_version.number),
    }


def _text(value):
    """A cell or stored answer as text: whole numbers without ``.0``, dates as ISO, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value if _text(item))
    # A formula cell read with data_only=False gives its text; array formulas an object with .text.
    return str(getattr(value, "text", value))


def _split(text):
    return [item for item in re.split(r"[\s,;]+", text.strip()) if item]


# ---------------------------------------------------------------------------- writing


def response_workbook(response, spec, *, language):
    """The response as XLSX bytes: ``spec`` is its questionnaire, texts in ``language``."""
    with override(language):
        return _Writer(response, spec, language).write()


class _Writer:
    def __init__(self, response, spec, language):
        from openpyxl import Workbook

        self.response, self.spec, self.language = response, spec, language
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)
        self.themes, self.kinds = _reference()
        self.theme_labels = {theme.code: theme.label for theme in self.themes}
        self.top_level = [theme.code for theme in self.themes if theme.parent_id is None]
        self.layout = []  # [sheet, cell, question code, theme, field]
        self.ranges = {}  # list name -> absolute range on the lists sheet
        self.used_names = {META_SHEET, LISTS_SHEET}

    def write(self):
        from openpyxl.workbook.protection import WorkbookProtection

        instructions = self._sheet(gettext("Instructions"))
        lists = self.workbook.create_sheet(LISTS_SHEET)
        self._lists(lists)
        for section in self.spec.sections:
            self._section(section)
        self._instructions(instructions)
        self._meta()
        for sheet in self.workbook.worksheets:
            sheet.protection.sheet = True
            sheet.protection.formatCells = False
            sheet.protection.formatColumns = False
            sheet.protection.formatRows = False
            if self.language.startswith("ar"):
                sheet.sheet_view.rightToLeft = True
        self.workbook.security = WorkbookProtection(lockStructure=True)
        self.workbook.active = 0
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    # -- cells

    def _sheet(self, title):
        name = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31].strip() or "Section"
        base, number = name, 2
        while name.lower() in {used.lower() for used in self.used_names}:
            suffix = f" ({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        self.used_names.add(name)
        return self.workbook.create_sheet(name)

    @staticmethod
    def _put(sheet, cell, value, *, bold=False, wrap=True):
        from openpyxl.styles import Alignment, Font

        target = sheet[cell]
        target.value = _text(value) if value not in (None, "") else None
        if target.value is not None:
            target.data_type = "s"  # text, even when it starts with =: never a formula
        if bold:
            target.font = Font(bold=True)
        if wrap:
            target.alignment = Alignment(wrap_text=True, vertical="top")
        return target

    def _answer(self, sheet, cell, value, code, theme="", field=""):
        from openpyxl.styles import PatternFill, Protection

        target = self._put(sheet, cell, value)
        target.protection = Protection(locked=False)
        target.number_format = "@"  # what people type stays text, in Excel and LibreOffice
        target.fill = PatternFill("solid", fgColor="FFF8DC")
        self.layout.append([sheet.title, cell, code, theme, field])
        return target

    def _drop_down(self, sheet, cell, formula):
        from openpyxl.worksheet.datavalidation import DataValidation

        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.error = gettext("Choose a value from the list.")
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(cell)

    # -- sheets

    def _instructions(self, sheet):
        sheet.column_dimensions["A"].width = 100
        response = self.response
        lines = [
            (gettext("Offline questionnaire"), True),
            (gettext("Party: %(party)s") % {"party": response.country.name}, False),
            (gettext("Cycle: %(cycle)s") % {"cycle": response.cycle.title}, False),
            ("", False),
            (
                gettext(
                    "Write your answers in the shaded cells of each section's sheet; the other cells are locked."
                ),
                False,
            ),
            (
                gettext(
                    "Where a cell has a drop-down list, choose from it. Where several codes are allowed, separate them with commas; the codes and their meaning are on the “lists” sheet."
                ),
                False,
            ),
            (
                gettext(
                    "Write numbers as digits, dates as YYYY-MM-DD and yes/no answers as yes or no."
                ),
                False,
            ),
            (
                gettext(
                    "Answer a question marked “only if” only when its condition applies; otherwise its answer is ignored."
                ),
                False,
            ),
            (
                gettext(
                    "Do not rename, add or remove sheets, and do not copy answers into another Party's workbook: the upload checks the workbook and refuses it."
                ),
                False,
            ),
            (
                gettext(
                    "When you upload the workbook, every answer is checked. If anything needs correcting, nothing is saved and each problem is listed with its sheet and cell. A good workbook becomes your draft; you still submit it online."
                ),
                False,
            ),
        ]
        for row, (text, bold) in enumerate(lines, start=1):
            self._put(sheet, f"A{row}", text, bold=bold)

    def _lists(self, sheet):
        for column, width in (("A", 18), ("B", 24), ("C", 60)):
            sheet.column_dimensions[column].width = width
        for cell, title in zip(
            ("A1", "B1", "C1"), (gettext("List"), gettext("Code"), gettext("Meaning")), strict=True
        ):
            self._put(sheet, cell, title, bold=True)
        lists = {
            name: [(choice.value, pick(choice.labels)[0]) for choice in choices]
            for name, choices in self.spec.choice_lists.items()
        }
        lists["yes_no"] = [("yes", gettext("Yes")), ("no", gettext("No"))]
        level_labels = {
            "none": gettext("None"),
            "low": gettext("Low"),
            "medium": gettext("Medium"),
            "high": gettext("High"),
        }
        lists["need_levels"] = [(level, level_labels[level]) for level in NEED_LEVELS]
        lists["kinds_of_help"] = [
            (kind.code, kind.label) for kind in self.kinds if kind.parent_id is not None
        ]
        row = 2
        for name, entries in lists.items():
            first = row
            for value, label in entries:
                self._put(sheet, f"A{row}", name, wrap=False)
                self._put(sheet, f"B{row}", value, wrap=False)
                self._put(sheet, f"C{row}", label)
                row += 1
            if entries:
                self.ranges[name] = f"{LISTS_SHEET}!$B${first}:$B${row - 1}"

    def _section(self, section):
        sheet = self._sheet(pick(section.labels)[0] or section.code)
        for column, width in (("A", 18), ("B", 60), ("C", 30), ("D", 30), ("E", 40)):
            sheet.column_dimensions[column].width = width
        self._put(sheet, "A1", pick(section.labels)[0], bold=True)
        headers = (
            gettext("Code"),
            gettext("Question"),
            gettext("Answer"),
            gettext("How to answer"),
        )
        for column, title in zip("ABCD", headers, strict=True):
            self._put(sheet, f"{column}2", title, bold=True)
        sheet.freeze_panes = "A3"
        row = 3
        for question in section.questions:
            row = self._question(sheet, row, question) + 1

    def _question(self, sheet, row, question):
        label, fallback = pick(question.labels)
        if fallback and self.language != "en":
            label = f"{label} [{gettext('English')}]"
        if question.required:
            label = f"{label} *"
        self._put(sheet, f"A{row}", question.code, wrap=False)
        self._put(sheet, f"B{row}", label)
        notes = [pick(question.hints)[0]]
        if question.relevant:
            notes.append(gettext("Only if: %(condition)s") % {"condition": question.relevant})
        raw = self.response.answers.get(question.code)
        if question.type == QuestionType.THEME_MATRIX:
            notes.append(
                gettext(
                    "Give a level for each theme that applies; kinds of help as codes separated by commas (see the “lists” sheet)."
                )
            )
            self._put(sheet, f"D{row}", "\n".join(note for note in notes if note))
            return self._matrix(sheet, row + 1, question, raw if isinstance(raw, dict) else {})
        notes.append(self._how_to(question))
        self._put(sheet, f"D{row}", "\n".join(note for note in notes if note))
        cell = f"{ANSWER_COLUMN}{row}"
        self._answer(sheet, cell, raw, question.code)
        if question.type == QuestionType.SELECT_ONE and question.choice_list in self.ranges:
            self._drop_down(sheet, cell, self.ranges[question.choice_list])
        elif question.type == QuestionType.YES_NO:
            self._drop_down(sheet, cell, self.ranges["yes_no"])
        return row

    def _how_to(self, question):
        kind = question.type
        if kind == QuestionType.SELECT_ONE:
            return gettext("Choose one code from the list.")
        if kind == QuestionType.SELECT_MULTIPLE:
            codes = ", ".join(
                choice.value for choice in self.spec.choice_lists.get(question.choice_list, [])
            )
            return gettext("One or more of these codes, separated by commas: %(codes)s") % {
                "codes": codes
            }
        if kind == QuestionType.YES_NO:
            return gettext("yes or no")
        if kind == QuestionType.INTEGER:
            return gettext("A whole number.")
        if kind == QuestionType.DECIMAL:
            return gettext("A number.")
        if kind == QuestionType.DATE:
            return gettext("A date as YYYY-MM-DD.")
        return ""

    def _matrix(self, sheet, row, question, rows):
        headers = (
            gettext("Theme code"),
            gettext("Theme"),
            gettext("Level"),
            gettext("Kinds of help"),
            gettext("Comment"),
        )
        for column, title in zip("ABCDE", headers, strict=True):
            self._put(sheet, f"{column}{row}", title, bold=True)
        for theme in theme_codes(question, self.top_level):
            if theme not in self.theme_labels:
                continue
            row += 1
            cells = rows.get(theme) if isinstance(rows.get(theme), dict) else {}
            self._put(sheet, f"A{row}", theme, wrap=False)
            self._put(sheet, f"B{row}", self.theme_labels[theme])
            for field in MATRIX_FIELDS:
                cell = f"{MATRIX_COLUMNS[field]}{row}"
                self._answer(sheet, cell, cells.get(field), question.code, theme, field)
            self._drop_down(sheet, f"{MATRIX_COLUMNS['level']}{row}", self.ranges["need_levels"])
        return row

    def _meta(self):
        sheet = self.workbook.create_sheet(META_SHEET)
        sheet.sheet_state = "veryHidden"
        meta = _identity(self.response, self.response.cycle.version)
        meta["language"] = self.language
        meta["checksum"] = _signature(meta, self.layout)
        sheet.append(["key", "value"])
        for key, value in meta.items():
            sheet.append([key, value])
        sheet.append([])
        sheet.append(["sheet", "cell", "question", "theme", "field"])
        for entry in self.layout:
            sheet.append(entry)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cell.data_type = "s"


# ---------------------------------------------------------------------------- reading


def read_response_workbook(data, *, response, spec):
    """The raw answers (question code → value as entered) a workbook for ``response`` holds.

    Raises ``WorkbookError`` listing every problem: with the file, its origin (another Party,
    cycle or questionnaire version, or a changed layout) or any answer cell."""
    workbook = _open(data)
    try:
        meta, layout = _meta(workbook)
        _check_identity(meta, layout, response)
        answers, places = _collect(workbook, layout, spec)
    finally:
        workbook.close()
    themes, kinds = _reference()
    result = validate_response(
        spec,
        answers,
        allowed_kinds={kind.code for kind in kinds},
        allowed_themes={theme.code for theme in themes},
        for_submission=False,
    )
    if result.problems:
        order = {place: index for index, place in enumerate(dict.fromkeys(places.values()))}
        located = []
        for problem in result.problems:
            field = MATRIX_ERROR_FIELDS.get(problem.error, "level") if problem.theme else ""
            place = places.get((problem.code, problem.theme, field)) or places.get(
                (problem.code, "", "")
            )
            if place is None:  # a problem of the whole matrix: its first cell
                place = next((p for key, p in places.items() if key[0] == problem.code), "")
            located.append(
                (
                    order.get(place, len(order)),
                    f"{place}: {problem.message}" if place else problem.message,
                )
            )
        raise WorkbookError([text for _position, text in sorted(located, key=lambda item: item[0])])
    return answers


def _refuse(message):
    return WorkbookError([message])


def _open(data):
    from openpyxl import load_workbook

    if not data:
        raise _refuse(gettext("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(
            gettext(
                "The file is too large (%(size)s MB); a filled-in questionnaire is at most %(limit)s MB."
            )
            % {"size": f"{len(data) / 2**20:.1f}", "limit": MAX_UPLOAD_BYTES // 2**20}
        )
    not_xlsx = gettext(
        "The file is not an XLSX workbook. Upload the workbook downloaded from this page, saved in Excel format (.xlsx)."
    )
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse(not_xlsx)
    damaged = _refuse(gettext("The file is damaged and cannot be read as an XLSX workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise damaged from exc
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse(not_xlsx)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(gettext("The workbook is too large once unpacked."))
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    # Untrusted bytes: whatever the reader trips on, the answer is the same.
    except Exception as exc:
        raise damaged from exc


def _meta(workbook):
    foreign = gettext(
        "This workbook was not downloaded from this response's page (its hidden details are "
        "missing or were changed). Download a new workbook and copy your answers into it."
    )
    if META_SHEET not in workbook.sheetnames:
        raise _refuse(foreign)
    rows = [
        [_text(cell) for cell in row] for row in workbook[META_SHEET].iter_rows(values_only=True)
    ]
    meta, layout, in_layout = {}, [], False
    for row in rows[1:]:
        cells = (row + [""] * 5)[:5]
        if cells[0] == "sheet" and cells[1] == "cell":
            in_layout = True
        elif in_layout and any(cells):
            layout.append(cells)
        elif not in_layout and cells[0]:
            meta[cells[0]] = cells[1]
    checksum = meta.pop("checksum", "")
    if meta.get("format") != FORMAT or not constant_time_compare(
        checksum, _signature(meta, layout)
    ):
        raise _refuse(foreign)
    return meta, layout


def _check_identity(meta, layout, response):
    version = response.cycle.version
    expected = _identity(response, version)
    problems = []
    if meta.get("party") != expected["party"]:
        problems.append(
            gettext("This workbook is for another Party (%(found)s), not %(party)s (%(expected)s).")
            % {
                "found": meta.get("party"),
                "party": response.country.name,
                "expected": expected["party"],
            }
        )
    if meta.get("cycle") != expected["cycle"]:
        problems.append(
            gettext("This workbook is for another needs-assessment cycle, not “%(cycle)s”.")
            % {"cycle": response.cycle.title}
        )
    if meta.get("version") != expected["version"]:
        problems.append(
            gettext(
                "This workbook is for version %(found)s of the questionnaire; this response uses version %(expected)s."
            )
            % {"found": meta.get("version_number"), "expected": expected["version_number"]}
        )
    if problems:
        problems.append(
            gettext(
                "Download the workbook from this response's page and copy your answers into it."
            )
        )
        raise WorkbookError(problems)


def _collect(workbook, layout, spec):
    """Raw answers as entered, and where each one is (``(code, theme, field)`` → ``Sheet!C5``)."""
    questions = {question.code: question for question in spec.questions()}
    answers, places = {}, {}
    for sheet_name, cell, code, theme, field in layout:
        question = questions.get(code)
        if question is None or sheet_name not in workbook.sheetnames:
            raise _refuse(gettext("This workbook does not match this response's questionnaire."))
        text = _text(workbook[sheet_name][cell].value)
        places[(code, theme, field)] = f"{sheet_name}!{cell}"
        if question.type == QuestionType.THEME_MATRIX:
            rows = answers.setdefault(code, {})
            if text.strip():
                entry = rows.setdefault(theme, {"level": "", "kinds": [], "comment": ""})
                entry[field] = (
                    _split(text) if field == "kinds" else text.strip() if field == "level" else text
                )
        elif question.type == QuestionType.SELECT_MULTIPLE:
            answers[code] = _split(text)
        else:
            answers[code] = text
    return answers, places
