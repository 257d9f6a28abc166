"""The fast text pass: one pypdfium2 read of every page, before camelot sees anything.

It gives each page's text (for document detection and page classification) and the number of
vector paths on it (ruled tables are drawn with many), so camelot only runs on the few pages
that can hold a table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from etl.layout import table_page_terms, total_line_labels
from etl.turkish import casefold_tr, match_key

# A ruled table of even two rows and two columns is drawn with this many path objects; page
# borders, logos and underlines stay below it.
MIN_PATHS_FOR_RULED_TABLE = 6
# A figure as tables print them: 1.250.000,00 / 96,8 / %30 / 40 — not part of a code (PG1.1.1).
_FIGURE = re.compile(r"(?<![\w.,])[-−]?%?\s?\d{1,3}(?:\.\d{3})*(?:,\d+)?\s?%?(?![\w.,]\d)(?!\w)")


class UnreadablePdf(Exception):
    """The file cannot be opened as a PDF; the message says what to do."""


@dataclass
class PageInfo:
    """What the text pass learned about one page (``number`` is 1-based)."""

    number: int
    text: str
    n_paths: int
    n_images: int
    width: float = 0.0
    height: float = 0.0
    # The page's /Rotate (0, 90, 180, 270): its content is stored turned (etl.upright).
    rotation: int = 0

    @property
    def n_chars(self) -> int:
        return len(self.text.strip())

    @property
    def has_ruled_lines(self) -> bool:
        return self.n_paths >= MIN_PATHS_FOR_RULED_TABLE

    def looks_tabular(self) -> bool:
        """At least three lines carrying two or more figures, or one carrying four (a card
        with a single indicator row: baseline and five targets): rows of an unruled table.

        Prose that merely names a table term ("kaynak ihtiyacı …") has at most a stray number
        per line, so it does not cost a camelot run. A summary line with its figures ("Genel
        Toplam 124.803.000,00 TL 16.006.000,00 TL …") is a table's too: the last rows of a table
        the page break carried over, which the document's sum checks need.
        """
        rows = 0
        for line in self.text.splitlines():
            n = len(_FIGURE.findall(line))
            if n >= 2:
                rows += 1
                if rows >= 3 or n >= 4 or _is_total_line(line):
                    return True
        return False

    def mentions_table_terms(self) -> bool:
        """True when the page's text carries a header term of a table we extract."""
        folded = casefold_tr(self.text)
        return any(term in folded for term in table_page_terms())


def _is_total_line(line: str) -> bool:
    key = match_key(line)
    return any(key.startswith(label + " ") for label, _ in total_line_labels())


def read_pages(path: Path, password: str | None = None,
               on_page: Callable[[PageInfo], None] | None = None) -> list[PageInfo]:
    """Read every page's text and count its vector paths and images; ``on_page`` is told of
    each page as soon as it is read (the lattice worker starts on table pages meanwhile).

    Raises :class:`UnreadablePdf` with an actionable message for files that are not PDFs,
    are damaged or are encrypted.
    """
    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(_explain_open_error(path, exc)) from exc
    pages: list[PageInfo] = []
    try:
        for i in range(len(pdf)):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as exc:
                # A page list that points at itself or at nothing (a damaged or hostile file).
                raise UnreadablePdf(
                    f"{path.name}: page {i + 1} of {len(pdf)} cannot be read: the file's list of pages is "
                    "damaged. Open it in a PDF viewer; if it opens, save it again as PDF (\"Print to PDF\") "
                    "and put that copy in its place, otherwise download the document again.") from exc
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                n_paths, n_images = _count_paths_and_images(page.raw)
                size = page.get_size()
                rotation = page.get_rotation() % 360
            finally:
                page.close()
            pages.append(PageInfo(i + 1, text.replace("\r\n", "\n").replace("\r", "\n"), n_paths, n_images,
                                  *size, rotation=rotation))
            if on_page is not None:
                on_page(pages[-1])
    finally:
        pdf.close()
    return pages


def is_table_page(p: PageInfo) -> bool:
    """Whether camelot should read the page: ruled tables, or unruled ones (a table term and rows
    of figures)."""
    return bool(p.has_ruled_lines or (p.n_chars and p.mentions_table_terms() and p.looks_tabular()))


def select_table_pages(pages: list[PageInfo]) -> list[int]:
    """The pages camelot should read (:func:`is_table_page`)."""
    return [p.number for p in pages if is_table_page(p)]


def _count_paths_and_images(raw_page) -> tuple[int, int]:
    """Count vector paths (up to what proves a ruled table) and images on a page.

    Uses pdfium's C API directly: the object wrappers of ``get_objects`` cost a Python
    object per glyph run, which made the text pass of a 2,000-page document take minutes.
    One level of form XObjects is looked into, where some producers put their tables.
    """
    paths = images = 0
    stack = [(pdfium_c.FPDFPage_CountObjects(raw_page), lambda i: pdfium_c.FPDFPage_GetObject(raw_page, i))]
    while stack:
        count, get = stack.pop()
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                paths += 1
                if paths >= MIN_PATHS_FOR_RULED_TABLE and images:
                    return paths, images
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and len(stack) < 64:
                stack.append((pdfium_c.FPDFFormObj_CountObjects(obj),
                              lambda j, form=obj: pdfium_c.FPDFFormObj_GetObject(form, j)))
    return paths, images


def _explain_open_error(path: Path, exc: Exception) -> str:
    head = b""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as os_exc:
        return f"{path.name}: cannot be read ({os_exc}). Check the file's permissions."
    if not head:
        return f"{path.name}: the file is empty (0 bytes). Download the document again."
    if not head.lstrip().startswith(b"%PDF"):
        kind = "a PNG image" if head.startswith(b"\x89PNG") else "a JPEG image" if head.startswith(b"\xff\xd8") else "not a PDF"
        return (f"{path.name}: the file is {kind} although it is named .pdf. "
                "Save the original PDF from the municipality's web site instead.")
    msg = str(exc).lower()
    if "password" in msg:
        return (f"{path.name}: the PDF is encrypted with a password. Open it in a PDF reader with the "
                "password and save an unprotected copy, then run the build again.")
    # PDFium's own words ("Data format error") stay in the row's detail, not in the message.
    return (f"{path.name}: the PDF is damaged or truncated and cannot be opened. "
            "Download the document again.")
