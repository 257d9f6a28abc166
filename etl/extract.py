"""One document, start to finish: text pass → detection → camelot → records.

:func:`extract_document` never raises for a bad input: whatever goes wrong becomes the
document's status and message, so one broken PDF cannot stop the others. It is a plain
function of the file, so a process pool (``--jobs``) can run it.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from etl import lattice_worker
from etl.completeness import page_ranges, promises_economic_table, shortfalls
from etl.detect import detect, other_kind_named
from etl.layout import overlay
from etl.layout_file import load_for
from etl.pages import PageInfo, UnreadablePdf, is_table_page, read_pages
from etl.records import fr, pp, sp
from etl.records.common import Context, Records
from etl.tables import ReaderUnavailable, classify, join_continuations, preload_camelot, run_camelot
from etl.turkish import clean_text
from etl.upright import reading_copy

log = logging.getLogger("izlek.extract")
PARSERS = {"strategic_plan": sp.parse, "performance_program": pp.parse, "activity_report": fr.parse}
EXPECTED_TABLES = {
    "strategic_plan": ("objectives", "Hedef Kartı (scorecard) tables with Amaç / Hedef / Performans Göstergeleri rows"),
    "performance_program": ("activities", "Performans Hedefi tables with Faaliyetler and Kaynak İhtiyacı (TL) columns"),
    "activity_report": ("report_results", "a Performans Sonuçları table (Performans Göstergesi | Hedef | Gerçekleşme)"),
}


@dataclass
class DocumentResult:
    """Everything one document contributes to the warehouse."""

    document: dict
    records: Records = field(default_factory=Records)
    tables: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)
    page_texts: list[dict] = field(default_factory=list)  # the page_texts relation (strategic plans only)


# A dense A4 page holds ~5,000 characters: more is a text layer gone wrong (or hostile), not prose.
MAX_PAGE_TEXT_CHARS = 20_000
# Page text is kept for the document types whose running text an answer reads: the strategic
# plan's participation / stakeholder section (the scorecard). Programs and reports are tables.
PAGE_TEXT_TYPES = ("strategic_plan",)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_document(path: Path, municipality_id: str, sha256: str | None = None) -> DocumentResult:
    """Extract one PDF; the result's ``document`` row says ok / partial / failed and why."""
    t0 = time.perf_counter()
    doc = {"document_id": f"{municipality_id}/{path.name}", "municipality_id": municipality_id,
           "file_name": path.name, "sha256": sha256 or sha256_of(path), "doc_type": None,
           "year_start": None, "year_end": None, "page_count": None, "status": "failed", "message": None,
           "detected_name": None, "detection": None, "table_pages": 0, "tables_found": 0, "rows_loaded": 0}
    result = DocumentResult(doc)
    try:
        _extract_into(path, municipality_id, result)
    except UnreadablePdf as exc:
        doc["message"] = str(exc)
        if exc.__cause__ is not None:  # the library's own words, for the log, not for readers
            doc["detail"] = f"{type(exc.__cause__).__name__}: {exc.__cause__}"[:500]
    except ReaderUnavailable:
        raise  # the machine's fault, not the document's: the sandbox reports a "start" failure
    except Exception as exc:  # a bug or a PDF nobody foresaw: keep going, say what happened
        # Readers get plain words (what file, what is wrong, what to do); the library's exception
        # name and text go to the log and the row's ``detail``, never into the message.
        doc["status"] = "failed"
        doc["message"] = (f"{path.name}: İzlek could not read this file: the PDF reader stopped with an "
                          "unexpected error on it (the file may be damaged or built in an unusual way). Open it "
                          "in a PDF viewer; if it opens, save it again as PDF and put that copy in its place, "
                          "otherwise download it again. If it still fails, please report the file. The other "
                          "documents were loaded.")
        doc["detail"] = f"{type(exc).__name__}: {exc}"[:500]
        doc["traceback"] = traceback.format_exc(limit=5)
        log.warning("%s: extraction failed: %s\n%s", doc["document_id"], doc["detail"], doc["traceback"])
    doc["seconds"] = round(time.perf_counter() - t0, 3)
    doc["rows_loaded"] = result.records.count()
    return result


def _extract_into(path: Path, municipality_id: str, result: DocumentResult) -> None:
    doc = result.document
    ahead = lattice_worker.reading(path)
    if ahead is None:
        preload_camelot()
    table_pages: list[int] = []

    def mark(page: PageInfo) -> None:
        if is_table_page(page):
            table_pages.append(page.number)
            if ahead is not None and not page.rotation:
                ahead.offer(page.number)

    pages = read_pages(path, on_page=mark)
    doc["page_count"] = len(pages)
    if not pages:
        raise UnreadablePdf(f"{path.name}: the PDF has no pages. Download the document again.")
    if sum(p.n_chars for p in pages) < 10 * len(pages):
        raise UnreadablePdf(
            f"{path.name}: scanned document, needs OCR — its {len(pages)} pages have no text layer "
            "(images only). Run OCR (e.g. ocrmypdf -l tur) and put the OCR'd PDF in its place.")
    found = detect(path, pages)
    doc.update(doc_type=found.doc_type, year_start=found.year_start, year_end=found.year_end,
               detected_name=found.municipality_name, detection=found.evidence)
    if found.doc_type is None:
        other = other_kind_named(pages)
        what = f"It looks like a '{other}', which İzlek does not read. " if other else ""
        raise UnreadablePdf(
            f"{path.name}: not recognised as a strategic plan, performance program or activity report. "
            f"{what}Expected a title page saying 'Stratejik Plan', 'Performans Programı' or "
            "'Faaliyet Raporu' with its year(s); remove the file or rename it to name its type and year.")
    if found.year_start is None:
        raise UnreadablePdf(
            f"{path.name}: a {found.doc_type.replace('_', ' ')} without a readable year on its title page. "
            "Put the year (or plan period 2020-2024) in the file name, e.g. "
            f"{municipality_id}_2024_{found.doc_type}.pdf, and build again.")
    if found.doc_type in PAGE_TEXT_TYPES:
        result.page_texts = [{"document_id": doc["document_id"], "page": p.number, "text": _storable(p.text)}
                             for p in pages if p.n_chars]
    doc["table_pages"] = len(table_pages)
    words = {p.number: set(clean_text(p.text).split(" ")) for p in pages if p.number in set(table_pages)}
    # The folder's layout file applies from the text layer on: its [text_layer] geometry and
    # column wordings cut unruled tables, its pins and labels read them.
    user_layout = load_for(path)
    turned = {p.number: p.rotation for p in pages if p.rotation and p.number in set(table_pages)}
    try:
        with overlay(user_layout), tempfile.TemporaryDirectory(prefix="izlek-upright-") as tmp:
            # Table pages stored turned (/Rotate) are read from a copy that draws them as shown.
            reading = reading_copy(path, turned, Path(tmp) / "upright.pdf")
            if ahead is not None:
                ahead.exclude = set(turned)
            tables = run_camelot(reading, table_pages, page_words=words, doc_type=found.doc_type,
                                 page_texts={p.number: p.text for p in pages if p.number in set(table_pages)},
                                 ahead=ahead)
    except Exception as exc:
        if type(exc).__name__ != "PDFTextExtractionNotAllowed":
            raise
        raise UnreadablePdf(
            f"{path.name}: the PDF is protected against copying text (an owner password forbids text "
            "extraction). Ask the municipality for an unprotected copy, or save one with a PDF tool you are "
            "entitled to use (e.g. qpdf --decrypt), then build again.") from exc
    with overlay(user_layout):
        _read_tables(path, tables, found, table_pages, municipality_id, result, pages, user_layout)


def _read_tables(path, tables, found, table_pages, municipality_id, result, pages, user_layout) -> None:
    doc = result.document
    findings = []
    for t in tables:
        pin = user_layout.pin_for(path.name, t.page, t.order) if user_layout else None
        findings.extend(classify(t, found.doc_type, pinned=pin.kind if pin else None,
                                 header_start=pin.header_row - 1 if pin and pin.header_row else None))
    tables = join_continuations(tables)
    doc["tables_found"] = len(tables)
    result.tables = [{
        "document_id": doc["document_id"], "page": t.page, "last_page": t.row_pages[-1] if t.row_pages else t.page,
        "table_order": t.order, "kind": t.kind, "flavor": t.flavor, "confidence": t.confidence,
        "n_rows": len(t.rows), "n_cols": t.n_cols,
        "header": " | ".join(c for r in t.rows[: max(t.header_rows, 1)] for c in r if c)[:300]} for t in tables]
    sizes = {p.number: (p.width, p.height) for p in pages}
    result.regions = [{
        "document_id": doc["document_id"], "page": page, "table_order": t.order, "kind": t.kind,
        "x1": x1, "y1": y1, "x2": x2, "y2": y2, "page_width": sizes.get(page, (None, None))[0],
        "page_height": sizes.get(page, (None, None))[1]} for t in tables for page, x1, y1, x2, y2 in t.regions]
    ctx = Context(municipality_id, doc["document_id"], found.year_start, found.year_end)
    records = PARSERS[found.doc_type](tables, ctx)
    for problem in user_layout.problems if user_layout else []:
        ctx.issue("error", "layout_file", problem)
    for f in findings:
        if not (f.table is not None and getattr(f.table, "consumed", False)):
            ctx.issue(f.severity, f.check, f.message, f.page)
    records["validation_issues"].extend(ctx.issues)
    result.records = records
    relation, expected = EXPECTED_TABLES[found.doc_type]
    not_read = sorted({i["source_page"] for i in ctx.issues
                       if i["check_name"] in ("table_not_recognised", "column_not_found") and i["severity"] != "info"
                       and i["source_page"]})
    where = (f"tables on page{'s' if len(not_read) > 1 else ''} {page_ranges(not_read)} were not recognised "
             "(see validation_issues)") if not_read else ""
    if not records.get(relation):
        doc["status"] = "failed"
        doc["message"] = (f"{path.name}: detected as {found.doc_type.replace('_', ' ')} {found.year_start}"
                          f"{'' if found.year_end == found.year_start else '-' + str(found.year_end)}, but no "
                          f"{relation} could be read: expected {expected}. {len(tables)} tables were found on "
                          f"{len(table_pages)} pages{'; ' + where if where else ''}. If the tables are drawn in a "
                          "way İzlek does not know, "
                          "pin their kind in a layout file (README: Fixing a new layout)"
                          + ("; if they are images, the document needs OCR." if _looks_scanned(pages, table_pages)
                             else "."))
        return
    gaps = shortfalls(found.doc_type, records, ctx.issues,
                      economic_promised=promises_economic_table([p.text for p in pages]))
    errors = sum(1 for i in ctx.issues if i["severity"] == "error")
    doc["status"] = "partial" if gaps or errors else "ok"
    doc["message"] = "; ".join([f"{len(tables)} tables on {len(table_pages)} pages, {records.count()} rows", *gaps]
                               + ([f"{errors} validation errors (see validation_issues)"] if errors else [])
                               + ([where] if where and doc["status"] == "partial" else []))


def _storable(text: str) -> str:
    """Page text as a warehouse cell: capped, without NULs, and valid UTF-8 (a text layer can
    carry lone UTF-16 surrogates, which neither DuckDB nor the JSON cache can write)."""
    text = text.replace("\x00", "").strip()[:MAX_PAGE_TEXT_CHARS]
    return text.encode("utf-8", "replace").decode("utf-8")


def _looks_scanned(pages, table_pages: list[int]) -> bool:
    """The table pages carry (almost) no text: the tables are pictures."""
    chars = [p.n_chars for p in pages if p.number in set(table_pages)]
    return bool(chars) and sum(chars) < 200 * len(chars)
