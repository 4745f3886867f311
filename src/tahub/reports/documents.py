"""A computed report as a Word document in the form of a COP information document.

Title block, numbered sections, numbered tables and figures with captions, the notes on how
figures are weighted and withheld, and an annex listing the responding Parties. In Arabic the
whole document runs right to left (paragraphs, runs and tables carry the bidi properties Word
and LibreOffice read). python-docx is imported on first use.
"""

import io

from django.utils import formats
from django.utils.translation import gettext as _

from tahub.reports import charts
from tahub.reports.definition import AMOUNT

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
FONT = "Arial"


def display(cell, column):
    """A figure as the document and the page write it: grouped digits in the reader's language."""
    if cell.suppressed or cell.value is None:
        return "—"
    if column.kind == AMOUNT:
        return formats.number_format(cell.value, 2, use_l10n=True, force_grouping=True)
    return formats.number_format(cell.value, use_l10n=True, force_grouping=True)


class _Writer:
    def __init__(self, language):
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        self.Cm, self.Pt, self.qn, self.OxmlElement = Cm, Pt, qn, OxmlElement
        self.align = WD_ALIGN_PARAGRAPH
        self.rtl = language == "ar"
        self.document = Document()
        self.language = language
        section = self.document.sections[0]
        section.left_margin = section.right_margin = Cm(2.2)
        self._styles()
        self.tables = 0
        self.figures = 0

    def _styles(self):
        qn = self.qn
        lang_tag = {"ar": "ar-SA", "zh-hans": "zh-CN", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU"}.get(self.language, "en-GB")
        for style in self.document.styles:
            if style.type != 1:  # paragraph styles only
                continue
            properties = style.element.get_or_add_rPr()
            fonts = properties.find(qn("w:rFonts"))
            if fonts is None:
                fonts = self.OxmlElement("w:rFonts")
                properties.append(fonts)
            for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attribute), FONT)
            language = self.OxmlElement("w:lang")
            language.set(qn("w:val"), lang_tag)
            language.set(qn("w:bidi"), "ar-SA" if self.rtl else lang_tag)
            language.set(qn("w:eastAsia"), "zh-CN" if self.language == "zh-hans" else lang_tag)
            properties.append(language)
        self.document.styles["Normal"].font.size = self.Pt(10.5)

    def _bidi(self, paragraph):
        if not self.rtl:
            return paragraph
        properties = paragraph._p.get_or_add_pPr()
        properties.insert(0, self.OxmlElement("w:bidi"))
        for run in paragraph.runs:
            run._r.get_or_add_rPr().append(self.OxmlElement("w:rtl"))
        return paragraph

    def paragraph(self, text, *, style=None, bold=False, size=None, align=None):
        paragraph = self.document.add_paragraph(style=style)
        run = paragraph.add_run(str(text))
        run.bold = bold
        if size:
            run.font.size = self.Pt(size)
        if align is not None:
            paragraph.alignment = align
        elif self.rtl:
            paragraph.alignment = self.align.RIGHT
        return self._bidi(paragraph)

    def heading(self, text, level):
        paragraph = self.document.add_heading(str(text), level=level)
        if self.rtl:
            paragraph.alignment = self.align.RIGHT
        return self._bidi(paragraph)

    def caption(self, label, number, text):
        return self.paragraph(f"{label} {number}. {text}", bold=True, size=9.5)

    def table(self, table):
        self.tables += 1
        self.caption(_("Table"), self.tables, table.title)
        if table.description:
            self.paragraph(table.description, size=9)
        head = [table.row_header or _("Row"), *[c.label for c in table.text_columns], *[c.label for c in table.columns]]
        grid = self.document.add_table(rows=1, cols=len(head))
        grid.style = "Table Grid"
        if self.rtl:
            properties = grid._tbl.tblPr
            properties.append(self.OxmlElement("w:bidiVisual"))
        for cell, text in zip(grid.rows[0].cells, head, strict=True):
            self._cell(cell, text, bold=True)
        header_properties = grid.rows[0]._tr.get_or_add_trPr()
        header_properties.append(self.OxmlElement("w:tblHeader"))
        for row in table.rows:
            cells = grid.add_row().cells
            texts = [row.label, *[str(row.extra.get(c.key, "")) for c in table.text_columns],
                     *[display(row.cells[c.key], c) for c in table.columns]]
            numeric_from = 1 + len(table.text_columns)
            for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
                self._cell(cell, text, number=index >= numeric_from)
        if not table.rows:
            self.paragraph(_("Nothing to report."), size=9)
        if table.note:
            self.paragraph(table.note, size=9)
        self.document.add_paragraph()

    def _cell(self, cell, text, *, bold=False, number=False):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(str(text))
        run.bold = bold
        run.font.size = self.Pt(9)
        if number:
            paragraph.alignment = self.align.LEFT if self.rtl else self.align.RIGHT
        self._bidi(paragraph)

    def figure(self, table):
        image = charts.draw(table, image_format="png")
        if image is None:
            return
        self.figures += 1
        self.document.add_picture(io.BytesIO(image), width=self.Cm(15.5))
        self.document.paragraphs[-1].alignment = self.align.CENTER
        self.caption(_("Figure"), self.figures, table.title)
        self.paragraph(_("The figures are those of table %(number)s.") % {"number": self.tables}, size=9)

    def save(self):
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def render_docx(report, *, progress=None):
    """The report as DOCX bytes; ``progress(fraction, step)`` is told as sections are written."""
    writer = _Writer(report.language)
    center = writer.align.CENTER
    writer.paragraph(_("Conference of the Parties to the Basel Convention on the Control of Transboundary "
                       "Movements of Hazardous Wastes and their Disposal"), bold=True, align=center)
    writer.paragraph(_("Information document"), align=center)
    writer.paragraph(formats.date_format(report.generated_at, "DATE_FORMAT"), align=center)
    writer.document.add_paragraph()
    writer.paragraph(report.title, bold=True, size=15, align=center)
    writer.paragraph(report.subtitle, align=center)
    writer.paragraph(_("Note by the Secretariat"), bold=True, align=center)
    writer.document.add_paragraph()
    writer.paragraph(report.intro or _("The Secretariat has the honour to circulate the summary of the technical assistance "
                                       "needs reported by Parties and the assistance available, prepared from the records held in tahub."))
    for note in report.notes:
        writer.paragraph(note, size=9.5)
    total = len(report.sections) + 1
    for index, section in enumerate(report.sections):
        if progress:
            progress(index / total, section.title)
        writer.heading(f"{ROMAN[index]}. {section.title}", 1)
        if section.intro:
            writer.paragraph(section.intro)
        for table in section.tables:
            writer.table(table)
            if table.has_chart:
                writer.figure(table)
    if report.annex is not None:
        if progress:
            progress((total - 1) / total, report.annex.title)
        writer.document.add_page_break()
        writer.heading(_("Annex"), 1)
        writer.table(report.annex)
    if progress:
        progress(1.0, _("Saving"))
    return writer.save()
