"""The fast text pass: one pypdfium2 read of every page, before camelot sees anything.

It gives each page's text (for document detection and page classification) and the number of
vector paths on it (ruled tables are drawn with many), so camelot only runs on the few pages
that can hold a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from etl.layout import table_page_terms
from etl.turkish import casefold_tr

# A ruled table of even two rows is drawn with well over this many path objects; page
# borders, logos and underlines stay below it.
MIN_PATHS_FOR_RULED_TABLE = 12


class UnreadablePdf(Exception):
    """The file cannot be opened as a PDF; the message says what to do."""


@dataclass
class PageInfo:
    """What the text pass learned about one page (``number`` is 1-based)."""

    number: int
    text: str
    n_paths: int
    n_images: int

    @property
    def n_chars(self) -> int:
        return len(self.text.strip())

    @property
    def has_ruled_lines(self) -> bool:
        return self.n_paths >= MIN_PATHS_FOR_RULED_TABLE

    def mentions_table_terms(self) -> bool:
        """True when the page's text carries a header term of a table we extract."""
        folded = casefold_tr(self.text)
        return any(term in folded for term in table_page_terms())


def read_pages(path: Path, password: str | None = None) -> list[PageInfo]:
    """Read every page's text and count its vector paths and images.

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
            page = pdf[i]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                n_paths = sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2))
                n_images = sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
            finally:
                page.close()
            pages.append(PageInfo(i + 1, text.replace("\r\n", "\n").replace("\r", "\n"), n_paths, n_images))
    finally:
        pdf.close()
    return pages


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
    return (f"{path.name}: the PDF is damaged or truncated and cannot be opened ({exc}). "
            "Download the document again.")
