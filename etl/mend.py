"""Mend cells whose text camelot misread, from pdfium's text layer.

camelot takes cell text from pdfminer, pdfium (which the text pass uses) reads the same glyphs
through another ToUnicode path. With some embedded fonts pdfminer maps a run of distinct glyphs
to one character: a fullwidth code ``【１．２】`` comes out of camelot as ``【【【【【``. A table's
text is a part of its page's text, so a character camelot gives more often than pdfium finds
on the whole page was invented; only the cells holding such a character are read again, from
pdfium, inside the cell's box. Nothing is re-read on pages where the two readers agree.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

from etl.turkish import clean_text, is_number


def _chars(text: str) -> Counter:
    # After NFKC only: clean_text would drop the control characters (NULs) that are themselves
    # the sign of a misread glyph.
    return Counter(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def invented_chars(cells: list[list[str]], page_text: str | Counter) -> set[str]:
    """Characters the cells hold more often than the page's own text layer does (``page_text``
    or its character counts)."""
    have = _chars("".join(c for row in cells for c in row))
    page = page_text if isinstance(page_text, Counter) else _chars(page_text)
    return {ch for ch, n in have.items() if n > page.get(ch, 0)}


def _spanned_box(boxes, i: int, j: int) -> tuple[float, float, float, float]:
    """The box of camelot's cell (i, j) grown over the cells it spans: camelot keeps a merged
    cell's text in its first cell, whose own box is only the first of the grid's cells; the
    merged ones have no rule between them."""
    row = boxes[i]
    j2 = j
    while j2 + 1 < len(row) and not row[j2].right:
        j2 += 1
    i2 = i
    while i2 + 1 < len(boxes) and j < len(boxes[i2 + 1]) and not boxes[i2][j].bottom:
        i2 += 1
    first, last = row[j], boxes[i2][j2]
    return first.x1, min(first.y1, last.y1), max(first.x2, last.x2), max(first.y2, last.y2)


def _cut_at_right_edge(cells: list[list[str]], words: set[str]) -> set[tuple[int, int]]:
    """Cells of the last column whose text ends inside a word of the page: the table's last
    rule was drawn before the end of its text ("2025 Hed", "6.333.00"), and camelot keeps
    only what lies inside it; and the empty cells of such a column."""
    out = set()
    for i, row in enumerate(cells):
        last = max((j for j, c in enumerate(row) if clean_text(c)), default=None)
        if last is None or last != len(row) - 1:
            continue
        tail = clean_text(row[last]).split(" ")[-1]
        if tail and tail not in words and any(w.startswith(tail) and w != tail for w in words):
            out.add((i, last))
    # Where that column is cut, its empty cells may hold text wholly past the rule.
    for j in {j for _, j in out}:
        out |= {(i, j) for i, row in enumerate(cells) if j < len(row) and not clean_text(row[j])}
    return out


def _empty_last_column(cells: list[list[str]]) -> set[tuple[int, int]]:
    """The body cells of a last column that is empty below its header: a producer that prints
    right-aligned figures past the table's last rule (Calc) leaves camelot nothing inside it."""
    if len(cells) < 3 or not cells[0] or not clean_text(cells[0][-1]):
        return set()
    j = len(cells[0]) - 1
    body = [i for i in range(1, len(cells)) if len(cells[i]) > j]
    if len(body) < 2 or any(clean_text(cells[i][j]) for i in body):
        return set()
    return {(i, j) for i in body}


class CellMender:
    """Re-reads suspicious camelot cells from pdfium; opens the PDF only when one is found."""

    def __init__(self, path: Path, page_texts: dict[int, str], password: str | None = None):
        self.path = path
        self.page_texts = page_texts
        self.password = password
        self._pdf = None
        self._page: dict[int, tuple[Counter, set[str]]] = {}
        self.mended = 0

    def mend(self, page: int, cells: list[list[str]], boxes) -> list[list[str]]:
        """``cells`` with every cell holding an invented character replaced by pdfium's text.

        ``boxes[i][j]`` is camelot's cell (``x1, y1, x2, y2`` in PDF points, and whether each
        edge is ruled), grown over the cells it spans. pdfium's text
        replaces the cell's only when it found text in the box.
        """
        text = self.page_texts.get(page)
        if text is None:
            return cells
        if page not in self._page:  # once per page, however many tables it holds
            self._page[page] = (_chars(text), set(clean_text(text).split(" ")))
        counts, words = self._page[page]
        bad = invented_chars(cells, counts)
        cut = _cut_at_right_edge(cells, words)
        beyond = _empty_last_column(cells) - cut
        cut |= beyond
        if not bad and not cut:
            return cells
        textpage = self._textpage(page)
        out = [list(r) for r in cells]
        for i, row in enumerate(cells):
            for j, cell in enumerate(row):
                if not bad.intersection(cell) and (i, j) not in cut:
                    continue
                try:
                    x1, y1, x2, y2 = _spanned_box(boxes, i, j)
                    if (i, j) in cut:
                        x2 = textpage.page.get_width()
                    fresh = textpage.get_text_bounded(x1, y1, x2, y2)
                except (IndexError, AttributeError):
                    continue
                keep = clean_text(fresh)
                if (i, j) in cut and not keep.replace(" ", "").startswith(clean_text(cell).replace(" ", "")):
                    continue  # more than the rest of this cell's text lies to its right
                if (i, j) in beyond and not is_number(keep):
                    continue  # only a figure printed past the rule is the column's
                if keep:
                    out[i][j] = fresh
                    self.mended += 1
        return out

    def _textpage(self, page: int):
        import pypdfium2 as pdfium

        if self._pdf is None:
            self._pdf = pdfium.PdfDocument(str(self.path), password=self.password)
        return self._pdf[page - 1].get_textpage()

    def close(self) -> None:
        """Release the PDF, if it was opened."""
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None
