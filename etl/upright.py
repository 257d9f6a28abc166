"""Pages stored turned (``/Rotate``) made upright for the table readers.

A landscape table is often stored on a portrait page with its content drawn turned and the
page's ``/Rotate`` (90, 180, 270) turning it back for the viewer: printers to PDF and
Acrobat do this. pdfium's text comes out in reading order either way, but camelot's lines
and the text layer's positions are in the stored page's space, where the table's rows run
up the page. :func:`upright_copy` writes a copy of the document in which those pages are
drawn as they are shown (the page's content as a form, turned back, on a page of the shown
size); every other page is copied as it is, so page numbers stay the same and the readers
see every table upright, with positions in the shown page's space (as the page images the
dashboard draws).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2 as pdfium

log = logging.getLogger(__name__)


def upright_copy(path: Path, turned: dict[int, int], out: Path, password: str | None = None) -> Path:
    """Write ``out``: ``path`` with the pages of ``turned`` ({1-based page: rotation}) drawn
    upright and every other page as it is; returns ``out``."""
    src = pdfium.PdfDocument(str(path), password=password)
    dst = pdfium.PdfDocument.new()
    try:
        for i in range(len(src)):
            rotation = turned.get(i + 1, 0) % 360
            if not rotation:
                dst.import_pages(src, [i])
                continue
            page = src[i]
            w, h = page.get_size()  # as shown
            page.close()
            # pdfium's page-as-form already draws the page as it is shown (its /Rotate applied).
            form = src.page_as_xobject(i, dst).as_pageobject()
            shown = dst.new_page(w, h)
            shown.insert_obj(form)
            shown.gen_content()
            shown.close()
        dst.save(str(out))
    finally:
        dst.close()
        src.close()
    return out


def reading_copy(path: Path, turned: dict[int, int], out: Path, password: str | None = None) -> Path:
    """The file the table readers should read: an upright copy when pages are stored turned,
    else (or when pdfium cannot write the copy) ``path`` itself; those pages' tables then show
    as not recognised in the document's findings, nothing else is lost."""
    if not turned:
        return path
    try:
        return upright_copy(path, turned, out, password)
    except (pdfium.PdfiumError, OSError) as exc:
        log.warning("%s: no upright copy of its turned pages (%s); reading them as stored", path.name, exc)
        return path
