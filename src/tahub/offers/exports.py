"""The catalogue download: one column definition rendered as CSV, XLSX and JSON.

Rows come from ``selectors.offer_export_rows_for``: the catalogue page's own read (same filters,
order and visibility, so a download never holds an offer its reader could not see on the page),
as plain values streamed in chunks.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so
text from providers is neutralised: CSV cells get a leading apostrophe; XLSX cells are written as
typed text, which a spreadsheet never evaluates.

The XLSX file is written directly (a handful of XML parts in a zip) rather than through openpyxl:
at 20,000 offers openpyxl's write-only mode alone took over 5 s on the reference machine, this
writer a few tenths of a second. openpyxl reads the files back in the tests.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tahub.accounts.models import Organisation
from tahub.offers.models import LANGUAGES, Offer
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
ELIGIBILITY_FLAGS = ("eligible_developing", "eligible_transition", "eligible_ldc", "eligible_sids")


# Eligibility in words, for the pages and the downloads alike.


def eligibility_flag_labels():
    """``[(field name, label)]`` of the eligibility flags, translated once for a whole list."""
    return [(name, str(Offer._meta.get_field(name).verbose_name)) for name in ELIGIBILITY_FLAGS]


def eligibility_text(flag_labels, groups, countries):
    """E.g. "All developing-country Parties; least developed countries; African States; Peru"."""
    return capfirst(LIST_SEPARATOR.join([*flag_labels, *groups, *countries]))


def _prefetched(offer, attr, relation):
    """A list prefetched by ``selectors.offer_rows_for`` (``attr``), else the prefetched relation."""
    items = getattr(offer, attr, None)
    return items if items is not None else getattr(offer, relation).all()


def eligibility_in_words(offer):
    """``eligibility_text`` of an offer whose eligible groups and countries are prefetched."""
    return eligibility_text(
        [label for name, label in eligibility_flag_labels() if getattr(offer, name)],
        [group.name for group in _prefetched(offer, "eligible_group_list", "eligible_groups")],
        [country.name for country in _prefetched(offer, "eligible_country_list", "eligible_countries")],
    )


# The columns.


@dataclass(frozen=True)
class Column:
    key: str  # the JSON name
    header: Any  # the spreadsheet heading (translated)
    value: Callable  # row -> str, number, date, None or a list of str
    width: int = 16  # in characters, for XLSX


def _labels(choices):
    return {value: str(label) for value, label in choices}


def _names(queryset, attribute):
    """``{pk: translated name}`` of a small reference table, read once per download."""
    return {item.pk: getattr(item, attribute) for item in queryset}


def catalogue_columns(url_of):
    """The catalogue's columns over ``offer_export_rows_for`` rows; ``url_of(row)`` is the offer page's address.

    Labels are looked up once here, not once per cell: at 20,000 offers that was most of the time.
    """
    kinds = _names(KindOfHelp.objects.all(), "label")
    themes = _names(Theme.objects.all(), "label")
    conventions = _names(Convention.objects.all(), "name")
    groups = _names(RegionalGroup.objects.all(), "name")
    countries = _names(Country.objects.all(), "name")
    flags = eligibility_flag_labels()
    provider_types = _labels(Organisation.Type.choices)
    languages = _labels(LANGUAGES)
    modalities = _labels(Offer.Modality.choices)
    visibilities = _labels(Offer.Visibility.choices)
    statuses = _labels(Offer.Status.choices)

    def eligibility(row):
        return eligibility_text(
            [label for name, label in flags if row[name]],
            [groups[pk] for pk in row["eligible_groups"]],
            [countries[pk] for pk in row["eligible_countries"]],
        )

    return [
        Column("id", _("ID"), lambda r: r["pk"], 8),
        Column("title", _("Title"), lambda r: r["title"], 40),
        Column("provider", _("Provider"), lambda r: r["provider__name"], 30),
        Column("provider_type", _("Provider type"), lambda r: provider_types.get(r["provider__type"], r["provider__type"])),
        Column("kinds", _("Kinds of help"), lambda r: [kinds[pk] for pk in r["kinds"]], 30),
        Column("themes", _("Themes"), lambda r: [themes[pk] for pk in r["themes"]], 30),
        Column("conventions", _("Conventions"), lambda r: [conventions[pk] for pk in r["conventions"]]),
        Column("eligibility", _("Eligible"), eligibility, 40),
        Column("languages", _("Languages"), lambda r: [languages.get(code, code) for code in r["languages"]]),
        Column("modality", _("Modality"), lambda r: modalities.get(r["modality"], r["modality"])),
        Column("starts_on", _("From"), lambda r: r["starts_on"], 12),
        Column("ends_on", _("To"), lambda r: r["ends_on"], 12),
        Column("places", _("Places"), lambda r: r["places"], 10),
        Column("expert_days", _("Expert days"), lambda r: r["expert_days"], 10),
        Column("countries_capacity", _("Number of countries"), lambda r: r["countries_capacity"], 10),
        Column("amount", _("Value"), lambda r: r["amount"], 14),
        Column("currency", _("Currency"), lambda r: r["currency"], 10),
        Column("in_kind_days", _("In-kind days"), lambda r: r["in_kind_days"], 10),
        Column("how_to_apply", _("How to apply"), lambda r: r["how_to_apply"], 40),
        Column("contact_name", _("Contact name"), lambda r: r["contact_name"], 20),
        Column("contact_email", _("Contact e-mail"), lambda r: r["contact_email"], 24),
        Column("visibility", _("Visibility"), lambda r: visibilities.get(r["visibility"], r["visibility"])),
        Column("status", _("Status"), lambda r: statuses.get(r["status"], r["status"]), 12),
        Column("published_on", _("Published"), lambda r: r["published_at"] and timezone.localdate(r["published_at"]), 12),
        Column("url", _("Page"), url_of, 30),
        Column("description", _("Description"), lambda r: r["description"], 60),
    ]


def _values(rows, columns):
    for row in rows:
        yield [column.value(row) for column in columns]


def _flat(value):
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else value


# CSV


def neutralised(text):
    """``text`` made safe for a CSV cell: a formula-like start is preceded by an apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def render_csv(rows, columns):
    """CSV lines (UTF-8 with a byte-order mark, so Excel reads the accents), one row at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(column.header) for column in columns])
    for values in _values(rows, columns):
        cells = (_flat(value) for value in values)
        yield writer.writerow(neutralised(cell) if isinstance(cell, str) else cell for cell in cells)


# JSON


def render_json(rows, columns):
    """A JSON list of objects keyed by the columns' names (lists stay lists), in pieces."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    yield "["
    for index, values in enumerate(_values(rows, columns)):
        item = {column.key: value for column, value in zip(columns, values, strict=True)}
        yield ("," if index else "") + "\n" + encoder.encode(item)
    yield "\n]\n"


# XLSX: the smallest package Excel, LibreOffice and openpyxl open — one sheet, three cell styles
# (0 plain, 1 bold heading, 2 date), strings inline. A string is only ever text: this writer has
# no way to write a formula.

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32767  # Excel's limit
EXCEL_EPOCH = date(1899, 12, 30)
BOLD, DATE = 1, 2

XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def _column_letter(index):
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(ref, value, style=0):
    """One ``<c>`` element; None gives nothing (an empty cell)."""
    styled = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"{styled}><v>{value:f}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    text = escape(NOT_XML.sub("", str(value))[:MAX_CELL_TEXT])
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_name(name):
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "Sheet1"


def render_xlsx(rows, columns, sheet_name=None):
    """An XLSX workbook as bytes: a bold heading row, frozen, with an auto filter; numbers and dates typed."""
    letters = [_column_letter(index) for index in range(1, len(columns) + 1)]
    last = letters[-1]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        for path, xml in XLSX_PARTS.items():
            package.writestr(path, XML_HEAD + xml)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            widths = "".join(
                f'<col min="{index}" max="{index}" width="{column.width}" customWidth="1"/>'
                for index, column in enumerate(columns, 1)
            )
            sheet.write((
                f'{XML_HEAD}<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                f'<cols>{widths}</cols><sheetData><row r="1">'
                + "".join(_cell(f"{letter}1", str(column.header), BOLD) for letter, column in zip(letters, columns, strict=True))
                + "</row>"
            ).encode())
            number = 1
            buffer = []
            for values in _values(rows, columns):
                number += 1
                cells = "".join(
                    _cell(f"{letter}{number}", _flat(value)) for letter, value in zip(letters, values, strict=True)
                )
                buffer.append(f'<row r="{number}">{cells}</row>')
                if len(buffer) == 500:  # fewer, larger writes compress faster
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write("".join(buffer).encode())
            sheet.write(f'</sheetData><autoFilter ref="A1:{last}{number}"/></worksheet>'.encode())
        name = _sheet_name(str(sheet_name or _("Offers")))
        reference = "'{}'!$A$1:${}${}".format(name.replace("'", "''"), last, number)
        package.writestr("xl/workbook.xml", (
            f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f'<sheets><sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{escape(reference)}</definedName></definedNames></workbook>"
        ))
    return output.getvalue()


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "json": render_json}
