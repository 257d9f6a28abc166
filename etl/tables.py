"""Camelot runs, table classification, header rebuild and page joins.

Input: a PDF and the pages the text pass marked. Output: :class:`Table` objects whose cells
are cleaned strings, each row knowing its page, each table knowing its kind (from
layouts/tables.toml) and a map from canonical column names to column positions.
"""

from __future__ import annotations

import importlib
import logging
import re
import sys
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from etl.layout import table_kinds
from etl.mend import CellMender
from etl.turkish import clean_text, is_number, join_wrapped_figures, match_key

if TYPE_CHECKING:
    from etl.lattice_worker import Reading

log = logging.getLogger(__name__)

# Below this camelot confidence a lattice table on a page is retried with the hybrid parser
# and the better of the two is kept.
LOW_CONFIDENCE = 0.25
_YEAR_HEADER = re.compile(r"(?<!\d)(19[5-9]\d|20\d{2})(?!\d)")


@dataclass
class Table:
    """One extracted table; ``rows[i]`` was printed on page ``row_pages[i]``."""

    page: int
    order: int
    rows: list[list[str]]
    row_pages: list[int]
    flavor: str
    confidence: float | None
    kind: str | None = None
    header_rows: int = 0
    columns: dict[str, int] = field(default_factory=dict)
    year_columns: dict[int, int] = field(default_factory=dict)
    continued_from: tuple[int, int] | None = None
    # (page, x1, y1, x2, y2) in PDF points, origin bottom-left: one per page the table spans.
    regions: list[tuple[int, float, float, float, float]] = field(default_factory=list)
    # Recognised, but a column the kind needs is missing: the record builders skip it.
    unusable: bool = False
    # Unclassified, but a record builder read it as the continuation of a card.
    consumed: bool = False

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def data_rows(self) -> list[tuple[int, list[str]]]:
        """(page, cells) of every row below the header."""
        return [(self.row_pages[i], self.rows[i]) for i in range(self.header_rows, len(self.rows))]


class ReaderUnavailable(RuntimeError):
    """camelot cannot be loaded in this process (not installed, or not under its memory limit):
    the machine, not the document, is at fault."""


def _import_camelot():
    if _PRELOAD is not None and _PRELOAD.is_alive():
        # One import at a time: the background import runs camelot's module code; importing it
        # here at the same moment relies on the import system's per-module locks across threads.
        _PRELOAD.join()
    try:
        import camelot
    except (ImportError, MemoryError, OSError) as exc:
        raise ReaderUnavailable(f"the table reader (camelot) cannot be loaded: {type(exc).__name__}: {exc}") \
            from exc
    return camelot


def preload_camelot() -> None:
    """Start importing camelot in a background thread (once per process).

    Importing camelot (pandas, OpenCV, playa) takes about a second; pdfium's text pass, which
    comes first, spends its time in C with the GIL released, so the two overlap on a second core.
    ``run_camelot``'s own import then waits for the thread through Python's module lock.
    """
    global _PRELOAD
    if _PRELOAD is None and "camelot" not in sys.modules:
        _PRELOAD = threading.Thread(target=_import_quietly, args=("camelot",), daemon=True,
                                    name="izlek-camelot-import")
        _PRELOAD.start()


_PRELOAD: threading.Thread | None = None


def _import_quietly(name: str) -> None:
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001  (the caller's own import raises it again, where it is reported)
        log.debug("background import of %s failed", name, exc_info=True)


@dataclass(frozen=True)
class Box:
    """One of camelot's cells: its box in PDF points and which of its edges are ruled."""

    x1: float
    y1: float
    x2: float
    y2: float
    left: bool
    right: bool
    top: bool
    bottom: bool


@dataclass
class CamelotTable:
    """What camelot found, as plain data (it crosses from :mod:`etl.lattice_worker`)."""

    page: int
    order: int
    cells: list[list[str]]
    boxes: list[list[Box]]
    confidence: float | None
    bbox: tuple[float, float, float, float] | None


def read_camelot(path: Path | None, pages: list[int], flavor: str,
                 password: str | None = None) -> list[CamelotTable]:
    """camelot's ``flavor`` tables on ``pages`` (1-based), vector engine, ``split_text`` on.

    ``split_text`` is on because producers often write a code and a name as one text run
    across two ruled cells. With no pages it only loads camelot.
    """
    camelot = _import_camelot()  # here: loading it costs half a second the text pass does not need
    if not pages:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = camelot.read_pdf(str(path), pages=",".join(map(str, pages)), flavor=flavor, engine="vector",
                                 split_text=True, password=password, suppress_stdout=True)
    out = []
    for t in found:
        report = getattr(t, "parsing_report", {}) or {}
        bbox = getattr(t, "_bbox", None)
        out.append(CamelotTable(
            page=int(t.page), order=int(report.get("order", 1) or 1), cells=t.df.values.tolist(),
            boxes=[[Box(float(c.x1), float(c.y1), float(c.x2), float(c.y2), bool(c.left), bool(c.right),
                        bool(c.top), bool(c.bottom)) for c in row] for row in t.cells],
            confidence=report.get("confidence"),
            bbox=tuple(map(float, bbox)) if bbox is not None and len(bbox) == 4 else None))
    return out


def _camelot_pages(path: Path, pages: list[int], flavor: str, password: str | None,
                   ahead: Reading | None) -> list[CamelotTable]:
    """camelot's tables on ``pages``: those the worker read ahead, the rest read here."""
    got = ahead.tables(flavor, pages) if ahead is not None else {}
    missing = [p for p in pages if p not in got]
    found = [t for p in pages if p in got for t in got[p]]
    return found + read_camelot(path, missing, flavor, password) if missing else found


def run_camelot(path: Path, pages: list[int], password: str | None = None,
                page_words: dict[int, set[str]] | None = None, doc_type: str | None = None,
                page_texts: dict[int, str] | None = None, ahead: Reading | None = None) -> list[Table]:
    """Extract tables from ``pages`` (1-based) with camelot.

    Lattice with the vector engine first (no rendering: fast, exact for ruled tables); pages
    where it finds nothing or only low-confidence tables are read from the text layer by
    header-anchored columns (etl.unruled), and where that finds no header, by camelot's
    hybrid parser. ``ahead``: the document's pages the lattice worker reads in its own
    process (:mod:`etl.lattice_worker`); what it did not answer is read here.
    With ``page_texts`` (pdfium's text of each page), cells camelot
    misread are mended from pdfium (:mod:`etl.mend`).
    """
    if not pages:
        return []
    found: dict[int, list[Table]] = {p: [] for p in pages}
    mender = CellMender(path, page_texts, password) if page_texts else None
    for t in _camelot_pages(path, pages, "lattice", password, ahead):
        found.setdefault(t.page, []).append(_from_camelot(t, "lattice", mender))
    retry = [p for p, ts in found.items()
             if not ts or max((t.confidence or 0) for t in ts) < LOW_CONFIDENCE]
    if retry:
        from etl.unruled import read_pages as read_unruled

        text_tables = read_unruled(path, retry, doc_type, password=password)
        for p, ts in text_tables.items():
            if ts:
                found[p] = ts
        retry = [p for p in retry if not text_tables.get(p)]
    if retry:
        by_page: dict[int, list[Table]] = {}
        for t in _camelot_pages(path, retry, "hybrid", password, ahead):
            by_page.setdefault(t.page, []).append(_from_camelot(t, "hybrid", mender))
        for p in retry:
            alt = by_page.get(p, [])
            if _score(alt) > _score(found[p]):
                found[p] = alt
    if mender is not None:
        mender.close()
    tables = [t for p in sorted(found) for t in sorted(found[p], key=lambda t: t.order)]
    if page_words:
        for t in tables:
            words = page_words.get(t.page)
            if words:
                t.rows = [repair_split_words(r, words) for r in t.rows]
    return tables


def repair_split_words(row: list[str], words: set[str]) -> list[str]:
    """Mend words that ``split_text`` cut at a cell border because the text overflowed its cell.

    "sayısı a | det/kümüla | tif %45" becomes "sayısı | adet/kümülatif | %45": a fragment is
    moved when it is not a word of the page's text layer but joined with its neighbour it
    starts one; the longer part keeps the word.
    """
    row = list(row)
    changed = True
    while changed:
        changed = False
        for j in range(len(row) - 1):
            a, b = row[j], row[j + 1]
            if not a or not b:
                continue
            a_last, b_first = a.split(" ")[-1], b.split(" ")[0]
            if b_first in words and a_last in words:
                continue
            joined = a_last + b_first
            if not any(w.startswith(joined) for w in words):
                continue
            if len(a_last) >= len(b_first):
                row[j], row[j + 1] = (a + b_first).strip(), b[len(b_first):].strip()
            else:
                row[j], row[j + 1] = a[: len(a) - len(a_last)].strip(), (a_last + b).strip()
            changed = True
    return row


# "(%) 40%" or "(%)": a unit in brackets, then a figure or nothing.
_UNIT_THEN_FIGURE = re.compile(r"^(\([^()\d]{1,12}\))(?:\s+(\S.*))?$")


def repair_header_overflow(rows: list[list[str]]) -> list[list[str]]:
    """Give back to a header cell the last line its text printed below the cell's rule.

    A producer that sets a three-line label ("Hedefe / Etkisi / (%)") in a two-line cell
    prints the last line over the rule, and camelot gives it to the first row below:
    "(%) 40%", or "(%)" alone over an empty cell. A bracketed unit in front of a figure (or
    of nothing), under a text-only label without brackets, goes back up.
    """
    from etl.classify import is_header_row

    out = [list(r) for r in rows]
    for i in range(len(out) - 1):
        above, below = out[i], out[i + 1]
        if not is_header_row(above):
            continue
        for j, cell in enumerate(below):
            m = _UNIT_THEN_FIGURE.match(cell)
            if m and j < len(above) and above[j] and "(" not in above[j] and \
                    (m.group(2) is None or is_number(m.group(2))):
                above[j], below[j] = f"{above[j]} {m.group(1)}", m.group(2) or ""
    return [r for r in out if any(r)]


def _score(tables: list[Table]) -> float:
    return sum((t.confidence or 0) * sum(1 for r in t.rows if any(r)) for t in tables)


def _from_camelot(t: CamelotTable, flavor: str, mender: CellMender | None = None) -> Table:
    cells = t.cells
    if mender is not None:
        cells = mender.mend(t.page, cells, t.boxes)
    rows = [[clean_text(join_wrapped_figures(c) if isinstance(c, str) else c) for c in row] for row in cells]
    rows = repair_header_overflow([r for r in rows if any(r)])
    regions = [(t.page, *t.bbox)] if t.bbox else []
    return Table(page=t.page, order=t.order, rows=rows, row_pages=[t.page] * len(rows), flavor=flavor,
                 confidence=t.confidence, regions=regions)


# Classification lives in etl.classify; these names stay importable from here.
from etl.classify import (  # noqa: E402
    classify,
    has_term,
    header_labels,
    map_columns,
    rebuild_header,
)

__all__ = ["Table", "classify", "has_term", "header_labels", "join_continuations", "map_columns",
           "rebuild_header", "repair_header_overflow", "repair_split_words", "run_camelot"]


# --------------------------------------------------------------------------- page joins


def join_continuations(tables: list[Table]) -> list[Table]:
    """Join tables that continue on the next page, with or without a repeated header.

    A table continues the previous one when it is the first table on its page, the previous
    table was on the page before (or, read from the text layer, it is right below it on the
    same page), both have the same number of columns, and it either has no
    recognised header or repeats the same header. A first row with an empty first cell and
    no figures is the tail of a row split by the page break: its text is appended to the
    previous row.
    """
    out: list[Table] = []
    for t in tables:
        prev = out[-1] if out else None
        first_on_page = not out or out[-1].page != t.page
        # On an unruled page the text reader may end a table early (a wide row, a gap): a
        # headerless table right below it on the same page goes on with it too.
        next_page = first_on_page and prev is not None and t.page == prev.row_pages[-1] + 1
        same_page = (prev is not None and t.kind is None and t.flavor == prev.flavor == "text"
                     and t.page == prev.row_pages[-1])
        if (prev is not None and (next_page or same_page) and prev.kind and not _kv(prev)
                and t.n_cols == prev.n_cols
                and (t.kind is None or (t.kind == prev.kind and _same_header(prev, t)))
                and (t.kind is not None or _continues_body(prev, t))):
            body = t.rows[t.header_rows:] if t.kind else t.rows
            body_pages = t.row_pages[t.header_rows:] if t.kind else t.row_pages
            if body and _is_split_tail(body[0]) and len(prev.rows) > prev.header_rows:
                prev.rows[-1] = [(a + " " + b).strip() for a, b in zip(prev.rows[-1], body[0], strict=False)]
                body, body_pages = body[1:], body_pages[1:]
            prev.rows.extend(body)
            prev.row_pages.extend(body_pages)
            prev.regions.extend(t.regions)
            continue
        out.append(t)
    return out


def _continues_body(prev: Table, t: Table) -> bool:
    """A headerless table reads as more rows of ``prev``: when prev's rows start with codes
    (a goal list, a results table), so does its first row; its first rows are not the
    labels of a card ("Amaç", "Sorumlu Birim")."""
    from etl.classify import starts_with_code
    from etl.records.labels import read_label

    body = prev.rows[prev.header_rows:]
    first = next((r for r in t.rows if any(r)), None)
    if first is None:
        return False
    for r in t.rows[:3]:
        cell = next((c for c in r if c), "")
        labs = [read_label(cell, k.name) for k in table_kinds() if k.key_value]
        if any(lab.field and not lab.code for lab in labs):
            return False
    coded = sum(1 for r in body if starts_with_code(r))
    if body and coded >= 0.6 * len(body):
        return starts_with_code(first) or _is_split_tail(first)
    return True


def _kv(t: Table) -> bool:
    return any(k.name == t.kind and k.key_value for k in table_kinds())


def _same_header(a: Table, b: Table) -> bool:
    return [match_key(c) for r in a.rows[: a.header_rows] for c in r] == \
           [match_key(c) for r in b.rows[: b.header_rows] for c in r]


def _is_split_tail(row: list[str]) -> bool:
    """A row with text only in a few cells, no figures and no numbering of its own: the rest
    of a row that the page break cut ("… kurulması" / "ve işletilmesi")."""
    from etl.turkish import split_leading_code

    filled = [c for c in row if c]
    if not filled or any(is_number(c) for c in row) or len(filled) > max(1, len(row) // 2):
        return False
    return split_leading_code(filled[0])[0] is None and not _YEAR_HEADER.fullmatch(filled[0])
