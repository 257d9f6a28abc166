"""A small page-layout engine on the reportlab canvas.

Platypus would split tables for us, but the ground truth needs the exact page of every
printed row, so rows are placed by hand and each ``table`` call returns their pages.
Tables are drawn with real vector ruling lines so camelot's lattice mode can find them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVuSansCondensed"
FONT_BOLD = "DejaVuSansCondensed-Bold"
SYNTHETIC = "Örnek veri / synthetic sample"

PAGE_W, PAGE_H = A4
MARGIN_L = 40.0
MARGIN_R = 40.0
TOP = PAGE_H - 52.0
BOTTOM = 48.0
CONTENT_W = PAGE_W - MARGIN_L - MARGIN_R
HEADER_FILL = (0.86, 0.89, 0.93)
GROUP_FILL = (0.94, 0.94, 0.94)
NAVY = (0.12, 0.2, 0.38)

_fonts_ready = False


def register_fonts() -> None:
    """Register DejaVu Sans Condensed (the standard Type1 fonts cannot encode ı, ş, ğ, İ)."""
    global _fonts_ready
    if _fonts_ready:
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSansCondensed.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSansCondensed-Bold.ttf")))
    _fonts_ready = True


@dataclass
class Cell:
    """A table cell; ``span`` columns wide. A ``None`` in a row continues the cell above."""

    text: str = ""
    span: int = 1
    bold: bool = False
    align: str = "L"  # L, R or C
    fill: tuple[float, float, float] | None = None


@dataclass
class Row:
    cells: list[Cell | None]
    fill: tuple[float, float, float] | None = None
    bold: bool = False
    keep_with_next: bool = False
    break_before: bool = False  # force a page break before this row (simulated spill)
    pages: list[int] = field(default_factory=list)


def header_row(*texts: str | Cell | None) -> Row:
    """A bold, shaded header row from strings, cells or ``None`` (continued from above)."""
    cells: list[Cell | None] = []
    for t in texts:
        if t is None:
            cells.append(None)
        elif isinstance(t, Cell):
            t.bold = True
            cells.append(t)
        else:
            cells.append(Cell(t, bold=True, align="C"))
    return Row(cells, fill=HEADER_FILL)


class Pdf:
    """One PDF under construction, with a running header on every page but the first."""

    def __init__(self, path: Path, running: str, title: str) -> None:
        register_fonts()
        path.parent.mkdir(parents=True, exist_ok=True)
        # invariant=1 drops timestamps and random ids so regenerating gives identical bytes
        self.c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("İzlek synthetic sample generator")
        self.c.setSubject(SYNTHETIC)
        self.running = running
        self.page = 0
        self.y = TOP
        self.open = False

    # -- pages -------------------------------------------------------------------------------
    def new_page(self, header: bool = True) -> None:
        """Finish the current page (if any) and start a new one."""
        if self.open:
            self.c.showPage()
        self.page += 1
        self.open = True
        self.y = TOP
        if header:
            c = self.c
            c.setFillColorRGB(0.35, 0.35, 0.35)
            c.setFont(FONT, 7)
            c.drawString(MARGIN_L, PAGE_H - 30, self.running)
            c.drawCentredString(PAGE_W / 2 + 90, PAGE_H - 30, SYNTHETIC)
            c.drawRightString(PAGE_W - MARGIN_R, PAGE_H - 30, f"Sayfa {self.page}")
            c.setStrokeColorRGB(0.6, 0.6, 0.6)
            c.setLineWidth(0.4)
            c.line(MARGIN_L, PAGE_H - 35, PAGE_W - MARGIN_R, PAGE_H - 35)
            c.setFillColorRGB(0, 0, 0)
            c.setStrokeColorRGB(0, 0, 0)

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` points still fit."""
        if self.y - height < BOTTOM:
            self.new_page()

    def finish(self) -> int:
        """Save the file and return its page count."""
        self.c.showPage()
        self.c.save()
        return self.page

    # -- text ---------------------------------------------------------------------------------
    def title_page(self, lines: list[tuple[str, float, bool]], foot: str) -> None:
        """A cover page with centred lines (text, size, bold) and a footer line."""
        self.new_page(header=False)
        c = self.c
        c.setFillColorRGB(*NAVY)
        c.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        y = PAGE_H * 0.62
        for text, size, bold in lines:
            c.setFont(FONT_BOLD if bold else FONT, size)
            for part in simpleSplit(text, FONT_BOLD if bold else FONT, size, PAGE_W - 120):
                c.drawCentredString(PAGE_W / 2, y, part)
                y -= size * 1.35
            y -= size * 0.5
        c.setFont(FONT, 10)
        c.drawCentredString(PAGE_W / 2, 90, foot)
        c.setFillColorRGB(0, 0, 0)

    def heading(self, text: str, size: float = 13, color: tuple[float, float, float] = NAVY) -> None:
        """A section heading; kept with at least a few lines of what follows."""
        self.ensure(size * 1.6 + 60)
        self.c.setFillColorRGB(*color)
        self.c.setFont(FONT_BOLD, size)
        self.y -= size
        self.c.drawString(MARGIN_L, self.y, text)
        self.y -= size * 0.7
        self.c.setFillColorRGB(0, 0, 0)

    def caption(self, text: str) -> None:
        """A bold table caption ("Tablo 3: ...")."""
        self.heading(text, size=9.5, color=(0, 0, 0))

    def paragraph(self, text: str, size: float = 9.0, bold: bool = False) -> None:
        """A wrapped paragraph that may continue on the next page."""
        font = FONT_BOLD if bold else FONT
        lead = size * 1.38
        self.c.setFont(font, size)
        for line in simpleSplit(text, font, size, CONTENT_W):
            if self.y - lead < BOTTOM:
                self.new_page()
                self.c.setFont(font, size)
            self.y -= lead
            self.c.drawString(MARGIN_L, self.y, line)
        self.y -= size * 0.7

    def space(self, h: float) -> None:
        """Leave `h` points of vertical space."""
        self.y -= h

    # -- tables ---------------------------------------------------------------------------------
    def table(
        self,
        widths: list[float],
        rows: list[Row],
        repeat: list[Row] | None = None,
        size: float = 7.0,
        continued_note: str | None = None,
    ) -> None:
        """Draw rows as a ruled grid, breaking pages between rows.

        `widths` are relative column widths (scaled to the text width). After a page break
        the `repeat` rows (usually the column header) are drawn again; if `continued_note`
        is given it is printed above the continuation. Every row gets ``row.pages``.
        """
        scale = CONTENT_W / sum(widths)
        w = [x * scale for x in widths]
        pad = 2.4
        lead = size * 1.22

        def layout(row: Row) -> tuple[float, list[tuple[Cell | None, float, float, list[str]]]]:
            items = []
            x = MARGIN_L
            col = 0
            h = lead + 2 * pad
            for cell in row.cells:
                if cell is None:
                    items.append((None, x, w[col], []))
                    x += w[col]
                    col += 1
                    continue
                cw = sum(w[col : col + cell.span])
                font = FONT_BOLD if (cell.bold or row.bold) else FONT
                lines: list[str] = []
                for para in cell.text.split("\n"):
                    lines.extend(simpleSplit(para, font, size, cw - 2 * pad) or [""])
                h = max(h, len(lines) * lead + 2 * pad)
                items.append((cell, x, cw, lines))
                x += cw
                col += cell.span
            if col != len(w):
                raise ValueError(f"row spans {col} columns, table has {len(w)}: {row.cells}")
            return h, items

        def draw(row: Row, top: float) -> float:
            h, items = layout(row)
            c = self.c
            for cell, x, cw, _lines in items:
                fill = (cell.fill if cell else None) or row.fill
                if fill:
                    c.setFillColorRGB(*fill)
                    c.rect(x, top - h, cw, h, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            for cell, x, cw, lines in items:
                if cell is None:
                    continue
                font = FONT_BOLD if (cell.bold or row.bold) else FONT
                c.setFont(font, size)
                ty = top - pad - size * 0.95
                for line in lines:
                    if cell.align == "R":
                        c.drawRightString(x + cw - pad, ty, line)
                    elif cell.align == "C":
                        c.drawCentredString(x + cw / 2, ty, line)
                    else:
                        c.drawString(x + pad, ty, line)
                    ty -= lead
            c.setLineWidth(0.5)
            for cell, x, cw, _lines in items:
                if cell is not None:  # a continued cell has no rule above it
                    c.line(x, top, x + cw, top)
                c.line(x, top, x, top - h)
                c.line(x + cw, top, x + cw, top - h)
            return h

        def close(bottom_y: float) -> None:
            self.c.setLineWidth(0.5)
            self.c.line(MARGIN_L, bottom_y, MARGIN_L + CONTENT_W, bottom_y)

        repeat = repeat or []
        for i, row in enumerate(rows):
            h, _ = layout(row)
            need = h
            if row.keep_with_next and i + 1 < len(rows):
                need += layout(rows[i + 1])[0]
            if row.break_before or self.y - need < BOTTOM:
                if i > 0:
                    close(self.y)
                self.new_page()
                if continued_note and i > 0:
                    self.caption(continued_note)
                if i > 0:
                    for rr in repeat:
                        self.y -= draw(rr, self.y)
            self.y -= draw(row, self.y)
            row.pages.append(self.page)
        close(self.y)
        self.y -= 10
