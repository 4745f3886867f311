"""A computed report rendered as XLSX (a sheet per table), CSV (one table) and JSON (all of it).

Figures are written as numbers; a withheld figure is an empty cell (``null`` in JSON), and the
first sheet says why. Labels come from the report, already in its language.
"""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from tahub.offers.exports import neutralised
from tahub.reports.definition import AMOUNT, table_data


def headers(table):
    return [table.row_header or _("Row"), *[c.label for c in table.text_columns], *[c.label for c in table.columns]]


def values(table, row):
    return [row.label, *[row.extra.get(c.key, "") for c in table.text_columns], *[row.cells[c.key].value for c in table.columns]]


def _text(value):
    """Text without the control characters a spreadsheet cannot hold; other values as they are."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheet_name(key, taken):
    name = key[:31]
    suffix = 2
    while name in taken:
        name = f"{key[:28]}_{suffix}"
        suffix += 1
    taken.add(name)
    return name


def render_xlsx(report):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    about = workbook.active
    about.title = "about"
    about.sheet_view.rightToLeft = report.language == "ar"
    about.append([_text(report.title)])
    about["A1"].font = Font(bold=True, size=13)
    about.append([report.subtitle])
    about.append([_("Made on %(date)s") % {"date": report.generated_at.strftime("%Y-%m-%d %H:%M UTC")}])
    for note in report.notes:
        about.append([note])
    about.append([])
    about.append([_("Sheet"), _("Table"), _("Description")])
    for cell in about[about.max_row]:
        cell.font = Font(bold=True)
    taken = {"about"}
    names = []
    for table in report.tables():
        name = _sheet_name(table.key, taken)
        names.append((name, table))
        about.append([name, _text(table.title), _text(table.description)])
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 50
    about.column_dimensions["C"].width = 90
    for name, table in names:
        sheet = workbook.create_sheet(name)
        sheet.sheet_view.rightToLeft = report.language == "ar"
        sheet.append(headers(table))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        money = {index for index, c in enumerate(table.columns, start=2 + len(table.text_columns)) if c.kind == AMOUNT}
        for row in table.rows:
            sheet.append([_text(value) for value in values(table, row)])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: a name starting with "=" is never a formula
            for index in money:
                sheet.cell(sheet.max_row, index).number_format = "#,##0.00"
        sheet.freeze_panes = "B2"
        width = len(headers(table))
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{max(sheet.max_row, 1)}"
        sheet.column_dimensions["A"].width = 42
        for index in range(2, width + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_csv(table):
    """One table as CSV: machine names in the first line (see the data dictionary), then rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["key", "label", *[c.key for c in table.text_columns], *[c.key for c in table.columns]])
    for row in table.rows:
        cells = [row.key, *values(table, row)]
        writer.writerow(neutralised(cell) if isinstance(cell, str) else ("" if cell is None else cell) for cell in cells)
    return "\ufeff" + buffer.getvalue()


def render_json(report):
    return json.dumps(report.as_data(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def render_table_json(table):
    return json.dumps(table_data(table), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
