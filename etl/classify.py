"""Which kind of table is this, where does its header start, and which column plays which role.

Every table is scored against every kind of ``layouts/tables.toml`` for its document type:
header rows only (captions above them skipped), terms compared stem- and abbreviation-aware
through :func:`etl.turkish.term_in`, plus what the body shows (a column of economic codes,
year columns). The best complete match wins; a tie, a near miss or a column the kind needs
but the header does not name is written down as a finding, never resolved silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.layout import TableKind, caption_patterns, economic_code_names, labels, max_label_words, table_kinds
from etl.turkish import clean_text, is_number, match_key, term_in

_YEAR_HEADER = re.compile(r"(?<!\d)(19[5-9]\d|20\d{2})(?!\d)")
# "01", "1", "01 - Personel", "1. Personel"; never a figure like "1.537".
_ECONOMIC_CODE = re.compile(r"^0?([1-9])(?:$|\s*[-–:.)]?\s*[^\d\s.,])")
_MAX_HEADER_ROWS = 4
_MAX_CAPTION_ROWS = 4
# A runner-up this close to the winner makes the choice ambiguous (recorded as a finding).
_AMBIGUOUS = 0.9


@dataclass
class Finding:
    """Something the reader could not understand about a table, for ``validation_issues``."""

    severity: str
    check: str
    message: str
    page: int
    # The table it is about: a record builder that reads it after all (a card's continuation)
    # marks it consumed and the finding is dropped.
    table: object = field(default=None, compare=False, repr=False)


@dataclass
class Verdict:
    """How well a table matches one kind."""

    kind: TableKind
    complete: bool
    matched: int
    groups: int
    specificity: float
    start: int = 0
    missing: list[str] = field(default_factory=list)


def has_term(text: str, term: str) -> bool:
    """Whole-word containment of a folded term in folded text ("no" must not match "ekonomik")."""
    return bool(term) and f" {term} " in f" {text} "


def is_header_row(row: list[str]) -> bool:
    """A header row holds text only: no figures except years and percent signs."""
    cells = [c for c in row if c]
    if not cells:
        return False
    return not any(is_number(c) and not _YEAR_HEADER.fullmatch(c.strip()) for c in cells)


def starts_with_code(row: list[str]) -> bool:
    """A row whose first cell is a code ("AMAÇ 02", "H1.1", "PG1.1.1", "01", "1.1") is data,
    never header, even when it holds no figures (a goal list)."""
    from etl.turkish import any_code, code_levels, split_leading_code

    first = next((c for c in row if c), "")
    if not first or _YEAR_HEADER.fullmatch(first.strip()):
        return False
    return bool(any_code(first)[0] or code_levels(first) or split_leading_code(first)[0])


def is_prose(cell: str) -> bool:
    """A cell too long to be a header label: a sentence of an explanation box."""
    return cell.count(" ") >= max_label_words()


def is_caption_row(row: list[str], n_cols: int) -> bool:
    """A row camelot picked up above the header: "Tablo 4: …", "(TL)", a title in one cell."""
    cells = [c for c in row if c]
    if not cells:
        return True
    key = match_key(" ".join(cells))
    if any(p.search(key) for p in caption_patterns()):
        return True
    return n_cols >= 3 and len(cells) == 1


def year_columns(rows: list[list[str]]) -> dict[int, int]:
    """{year: column} of the year headers in ``rows`` (header rows only)."""
    years: dict[int, int] = {}
    for row in rows:
        if not is_header_row(row):
            break
        for j, c in enumerate(row):
            m = _YEAR_HEADER.search(c)
            if m and len(c) <= 30 and j not in years.values():
                years.setdefault(int(m.group(1)), j)
    return years


def economic_code_column(rows: list[list[str]]) -> int | None:
    """The column whose cells are economic codes (01 … 09, "1", "01 - Personel"), if any."""
    n_cols = max((len(r) for r in rows), default=0)
    best, best_hits = None, 0
    for j in range(min(n_cols, 3)):
        cells = [clean_text(r[j]) for r in rows if j < len(r) and clean_text(r[j])]
        codes = [int(m.group(1)) for c in cells if len(c) <= 60 and (m := _ECONOMIC_CODE.match(c))]
        # Codes are distinct and printed in order (01 … 09); a column of counts is not.
        ordered = codes == sorted(set(codes))
        hits = len(codes)
        if hits >= 3 and ordered and hits >= 0.5 * len(cells) and hits > best_hits and _names_economic(rows):
            best, best_hits = j, hits
    return best


def _names_economic(rows: list[list[str]]) -> bool:
    """At least two rows name a level-1 economic code (Personel Giderleri, Faiz Giderleri …)."""
    names = economic_code_names()
    hits = sum(1 for r in rows if any(term_in(match_key(" ".join(r[:3])), n) for n in names))
    return hits >= 2


def _header_span(rows: list[list[str]], start: int) -> int:
    n = start
    while n < len(rows) and n < start + _MAX_HEADER_ROWS and is_header_row(rows[n]):
        n += 1
    return n


def _content_token(token: str, table_rows: list[list[str]], start: int, kind: TableKind) -> bool:
    body = table_rows[_header_span(table_rows, start):] if not kind.key_value else table_rows
    if token == "@economic_codes":
        return economic_code_column(body) is not None
    if token == "@year_columns":
        return len(year_columns(table_rows[start:start + _MAX_HEADER_ROWS])) >= max(kind.min_year_columns, 2)
    if token == "@plan_codes":
        from etl.turkish import any_code, code_levels

        firsts = [r[0] for r in body if r and r[0]]
        hits = sum(1 for c in firsts if any_code(c, ("objective", "goal"))[0] or code_levels(c) in (1, 2))
        return hits >= 2 and hits >= 0.5 * len(firsts)
    raise ValueError(f"tables.toml: unknown content token {token!r}")


def _score_groups(kind: TableKind, text: str, rows: list[list[str]], start: int) -> tuple[int, float, list[str]]:
    matched, specificity, missing = 0, 0.0, []
    for group in kind.all_of:
        best = 0
        for term in group:
            if term.startswith("@"):
                if _content_token(term, rows, start, kind):
                    best = max(best, 20)  # what the cells show outweighs a word
            elif term_in(text, term):
                best = max(best, len(term))
        if best:
            matched += 1
            specificity += best
        else:
            missing.append(" / ".join(group))
    return matched, specificity, missing


def label_column_text(rows: list[list[str]]) -> tuple[str, list[str]]:
    """The folded label cells of a key/value table (first non-empty cell of each row)."""
    cells = []
    for r in rows[:40]:
        first = next((c for c in r if c), "")
        if first and len(first) <= 80:
            cells.append(first)
    return " | ".join(match_key(c) for c in cells), cells


def score(table_rows: list[list[str]], kind: TableKind) -> Verdict:
    """How well the rows match ``kind``: complete when every group matched and nothing vetoed."""
    n_cols = max((len(r) for r in table_rows), default=0)
    if kind.key_value:
        from etl.records.labels import label_of

        text, cells = label_column_text(table_rows)
        matched, spec, missing = _score_groups(kind, text, table_rows, 0)
        known = {label_of(c, kind.name) for c in cells} - {None}
        vetoed = any(has_term(text, t) for t in kind.none_of)
        complete = (n_cols >= 2 and matched == len(kind.all_of) and not vetoed and len(known) >= kind.min_labels)
        return Verdict(kind, complete, matched, len(kind.all_of), spec + 10 * len(known), 0, missing)
    # The header is the block of text-only rows above the first row of figures; captions
    # ("Tablo 4: …", "(TL)", a title) may sit on top of it. Every start inside the block is
    # tried and the tightest one that matches best wins.
    end = 0
    while (end < len(table_rows) and end < _MAX_CAPTION_ROWS + _MAX_HEADER_ROWS and is_header_row(table_rows[end])
           and not starts_with_code(table_rows[end])):
        end += 1
    if end == len(table_rows) and end > 1:
        end = min(end, _MAX_HEADER_ROWS)  # no figures at all: judge the top rows
    best: Verdict | None = None
    best_caption = False
    for start in range(end):
        if end - start > _MAX_HEADER_ROWS:
            continue
        # Row by row, and column by column (a label split over two header rows: "Ekonomik" / "Kod").
        head = [[c if c and not is_prose(c) else "" for c in r] for r in table_rows[start:end]]
        text = " | ".join([match_key(c) for r in head for c in r if c]
                          + [c for c in header_labels(head, end - start) if c])
        matched, spec, missing = _score_groups(kind, text, table_rows, start)
        vetoed = any(term_in(text, t) for t in kind.none_of)
        years = len(year_columns(table_rows[start:end]))
        years_ok = kind.min_year_columns <= years and (kind.max_year_columns is None or years <= kind.max_year_columns)
        complete = matched == len(kind.all_of) and not vetoed and years_ok
        v = Verdict(kind, complete, matched, len(kind.all_of), spec, start, missing)
        # A caption row ("Tablo 1: … Bütçe Giderleri", "(TL)") may share the kind's words, but
        # a header that completes without it starts below it.
        caption = is_caption_row(table_rows[start], n_cols)
        if best is None or (v.complete, v.complete and not caption, v.matched, v.specificity) >= \
                (best.complete, best.complete and not best_caption, best.matched, best.specificity):
            best, best_caption = v, caption
    return best or Verdict(kind, False, 0, len(kind.all_of), 0.0, 0, [" / ".join(g) for g in kind.all_of])


def header_labels(rows: list[list[str]], n_header: int) -> list[str]:
    """Combine multi-row headers into one folded label per column.

    A cell spanning several columns (camelot leaves the others empty) is carried right onto
    the empty cells below which a lower header row has text: "Kaynak İhtiyacı (TL)" over
    "Bütçe | Bütçe Dışı | Toplam" gives "kaynak ihtiyacı tl bütçe dışı" for the middle one.
    """
    n_cols = max((len(r) for r in rows[:n_header]), default=0)
    out = [""] * n_cols
    for i in range(n_header):
        row = rows[i] + [""] * (n_cols - len(rows[i]))
        below = rows[i + 1] if i + 1 < n_header else []
        carried = ""
        for j in range(n_cols):
            cell = row[j]
            if cell:
                carried = cell
            elif carried and j < len(below) and below[j]:
                cell = carried
            else:
                carried = ""
            if cell:
                out[j] = (out[j] + " " + match_key(cell)).strip()
    return out


def map_columns(labels_: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Assign each header label to the canonical column with the longest matching synonym.

    The longest match wins so that "bütçe dışı" beats "bütçe" and "toplam kaynak içindeki
    pay" beats "toplam"; a canonical column keeps the first label that claims it.
    """
    best: list[tuple[int, str | None]] = []
    for label in labels_:
        top, chosen = 0, None
        for col, syns in synonyms.items():
            for s in syns:
                if len(s) > top and term_in(label, s):
                    top, chosen = len(s), col
        best.append((top, chosen))
    # Two labels claiming one column: the one the synonym covers most wins ("Toplam" over a
    # caption "Toplam Kaynak İhtiyacı Tablosu … Kod"); on a tie the first keeps it.
    mapping: dict[str, int] = {}
    cover: dict[str, float] = {}
    for j, (top, col) in enumerate(best):
        if not col:
            continue
        c = top / max(len(labels_[j]), 1)
        if col not in mapping or c > cover[col] + 0.25:
            mapping[col], cover[col] = j, c
    return mapping


def _names_a_column(row: list[str], kind: TableKind) -> bool:
    keys = [match_key(c) for c in row if c]
    return any(term_in(k, s) for k in keys for syns in kind.columns.values() for s in syns) or \
        any(_YEAR_HEADER.search(c) for c in row if c)


def rebuild_header(table, kind: TableKind, start: int = 0) -> list[Finding]:
    """Find the header rows from ``start``, map canonical columns to positions and check the
    roles against the cells below. Caption rows above ``start`` are dropped from the table."""
    if start:
        del table.rows[:start]
        del table.row_pages[:start]
    n = 0
    while (n < len(table.rows) and n < _MAX_HEADER_ROWS and is_header_row(table.rows[n])
           and not starts_with_code(table.rows[n]) and _names_a_column(table.rows[n], kind)):
        n += 1
    table.header_rows = n
    table.columns = map_columns(header_labels(table.rows[:n], n), kind.columns)
    table.year_columns = year_columns(table.rows[:n]) if kind.year_columns else {}
    return check_roles(table, kind)


def check_roles(table, kind: TableKind) -> list[Finding]:
    """Cells must agree with the roles the header gave their columns.

    A column of economic codes is the code column whatever its header says ("Kod", none),
    and never an amount; a money column whose cells are mostly text is unmapped; a column
    the kind needs but nobody maps is reported, and the table is not read.
    """
    findings: list[Finding] = []
    body = [r for _, r in table.data_rows()]
    if "economic_code" in kind.columns:
        j = economic_code_column(body)
        if j is not None:
            for col, k in list(table.columns.items()):
                if k == j and col != "economic_code":
                    del table.columns[col]
            table.columns["economic_code"] = j
    for col in kind.numeric_columns:
        j = table.columns.get(col)
        if j is None:
            continue
        cells = [clean_text(r[j]) for r in body if j < len(r) and clean_text(r[j]) not in ("", "-", "–", "—")]
        if cells and sum(1 for c in cells if is_number(c)) < 0.5 * len(cells):
            del table.columns[col]
            findings.append(Finding("warning", "column_not_numeric",
                                    f"page {table.page}: {kind.name} column '{col}' (column {j + 1}) holds text, "
                                    "not figures; it was not read", table.page))
    missing = [c for c in kind.required_columns if c not in table.columns]
    if missing:
        header = " | ".join(c for r in table.rows[: max(table.header_rows, 1)] for c in r if c)[:160]
        findings.append(Finding("error", "column_not_found",
                                f"page {table.page}: a {kind.name} table was recognised but its header "
                                f"'{header}' names no column for {', '.join(missing)}; the table was not read. "
                                "Map the header in the layout file (see README: Fixing a new layout)", table.page))
        table.unusable = True
    return findings


def classify(table, doc_type: str | None, pinned: str | None = None,
             header_start: int | None = None) -> list[Finding]:
    """Set ``table.kind`` (the best complete match, or ``pinned`` by a layout file, whose header
    then starts at row ``header_start`` when given), rebuild its header and return what could
    not be understood."""
    kinds = [k for k in table_kinds() if not doc_type or not k.doc_types or doc_type in k.doc_types]
    header = " | ".join(c for r in table.rows[:3] for c in r if c)[:160]
    if pinned:
        chosen = next((k for k in table_kinds() if k.name == pinned), None)
        if chosen is None:
            return [Finding("error", "layout_file", f"page {table.page}: the layout file pins unknown table kind "
                                                    f"'{pinned}'", table.page)]
        verdict = score(table.rows, chosen)
        if header_start is not None:
            verdict.start = min(header_start, max(len(table.rows) - 1, 0))
        return _assign(table, verdict)
    verdicts = sorted((score(table.rows, k) for k in kinds), key=lambda v: (v.complete, v.specificity), reverse=True)
    complete = [v for v in verdicts if v.complete]
    findings: list[Finding] = []
    if not complete:
        near = [v for v in verdicts if v.matched >= 2 and v.matched >= v.groups - 1]
        if near:
            v = near[0]
            findings.append(Finding("warning", "table_not_recognised",
                                    f"page {table.page}: a table headed '{header}' looks like {v.kind.name} but its "
                                    f"header lacks {'; '.join(v.missing) or 'a required word'}; it was not read", table.page,
                                    table))
        elif len(table.rows) >= 2 and any(is_number(c) for r in table.rows for c in r):
            findings.append(Finding("info", "table_not_recognised",
                                    f"page {table.page}: a table headed '{header}' is none of the kinds İzlek "
                                    "reads; it was not read", table.page, table))
        return findings
    # A kind whose required columns the header cannot give loses to one whose columns it gives.
    usable = [v for v in complete if _maps_required(table, v)]
    if usable:
        complete = usable + [v for v in complete if v not in usable]
    best = complete[0]
    if len(complete) > 1 and complete[1].specificity >= _AMBIGUOUS * best.specificity and \
            (not usable or complete[1] in usable):
        findings.append(Finding("warning", "table_ambiguous",
                                f"page {table.page}: a table headed '{header}' matches both {best.kind.name} and "
                                f"{complete[1].kind.name}; read as {best.kind.name}. Pin the kind in the layout "
                                "file if that is wrong", table.page))
    return findings + _assign(table, best)


def _maps_required(table, verdict: Verdict) -> bool:
    if verdict.kind.key_value:
        return True
    import copy

    trial = copy.copy(table)
    trial.rows, trial.row_pages, trial.columns = list(table.rows), list(table.row_pages), {}
    rebuild_header(trial, verdict.kind, verdict.start)
    return not getattr(trial, "unusable", False)


def _assign(table, verdict: Verdict) -> list[Finding]:
    table.kind = verdict.kind.name
    if verdict.kind.key_value:
        return []
    return rebuild_header(table, verdict.kind, verdict.start)


def kind_labels(kind: str) -> dict[str, tuple[str, ...]]:
    """Row labels of a key/value kind (layouts/labels.toml)."""
    return labels().get(kind, {})
