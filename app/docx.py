"""Word (DOCX) and plain-text Excel files for the documents a user takes to the municipality.

Every string that comes from a document is data: python-docx writes it as a literal run (never
parsed as markup), characters XML cannot hold are dropped, and in XLSX every text cell is a
string cell, so a name starting with "=" is never a formula.
"""

from __future__ import annotations

import io
import numbers
import re
from collections.abc import Iterable, Sequence

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

# Control characters XML 1.0 cannot hold (PDF text layers carry them now and then).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """A value as text a DOCX or XLSX cell can hold ('' for None / NaN)."""
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return ""
    return _NOT_XML.sub("", str(text))


class Doc:
    """A small builder over python-docx: headings, paragraphs, bullet lists, tables, bytes."""

    def __init__(self, title: str | None = None) -> None:
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "Calibri"
        style.font.size = Pt(11)
        if title:
            self.heading(title, 1)

    def heading(self, text: object, level: int = 2) -> None:
        self.doc.add_heading(clean(text), level=level)

    def para(self, text: object = "", bold: bool = False, right: bool = False) -> None:
        """One paragraph; line breaks inside ``text`` stay line breaks."""
        p = self.doc.add_paragraph()
        lines = clean(text).split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            run.bold = bold
            if i < len(lines) - 1:
                run.add_break()
        if right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def lines(self, text: str) -> None:
        """Paragraphs from a text with blank lines between them."""
        for block in clean(text).split("\n\n"):
            self.para(block)

    def bullets(self, items: Iterable[object]) -> None:
        for item in items:
            self.doc.add_paragraph(clean(item), style="List Bullet")

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        rows = list(rows)
        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(clean(text)).bold = True
        for r in rows:
            cells = t.add_row().cells
            for cell, value in zip(cells, r, strict=True):
                cell.text = clean(value)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def plain_xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """A workbook, one sheet per table (title row, bold header), where no cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet")
        title = ws.cell(1, 1, clean(name))
        title.data_type, title.font = "s", Font(bold=True, size=13)  # the municipality's name: text, never a formula
        for j, col in enumerate(df.columns, start=1):
            header = ws.cell(2, j, clean(col))
            header.data_type, header.font = "s", Font(bold=True)
        for i, row in enumerate(df.itertuples(index=False), start=3):
            for j, v in enumerate(row, start=1):
                cell = ws.cell(i, j)
                if isinstance(v, numbers.Number) and v == v:
                    cell.value = v
                else:
                    cell.value = clean(v)
                    cell.data_type = "s"  # openpyxl reads a leading "=" as a formula: this is text
        ws.freeze_panes = "A3"
    if not wb.sheetnames:
        wb.create_sheet("Boş")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
