"""Tables without ruling lines, read from the text layer by header-anchored columns.

Camelot's lattice reads ruled tables exactly; a table drawn with only horizontal rules,
shaded header cells or no rules at all leaves it to guess columns from text gaps, which
goes wrong as soon as headers are centred or cells wrap. Here the page's text runs
(pdfium's rectangles: one per cell line) are grouped into bands (a band is one table row:
the lines of wrapped cells overlap or nearly touch), a band whose runs name columns of a
known table kind is a header, and its runs give the columns; every band below it is cut
into cells at the midpoints between those columns. A new header starts a new table.
Bands before any header are key/value rows (a label, then its value).

Output: :class:`etl.tables.Table` objects with ``flavor="text"``, classified like the
others.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from etl.classify import is_header_row, is_prose, year_columns
from etl.layout import table_kinds, text_layer
from etl.tables import Table
from etl.turkish import clean_text, match_key, term_in


@dataclass
class Run:
    """One run of text on a page (pdfium text rectangle), PDF points, origin bottom-left."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    # x of every space inside the run (where a run that spans columns may be cut)
    spaces: tuple[float, ...] = ()
    # the width of each of those spaces (0 for a no-break space: never a column gap)
    gaps: tuple[float, ...] = ()

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


def page_runs(page) -> list[Run]:
    """Text runs of a pypdfium2 page: glyphs of one line with no column gap between them."""
    geometry = text_layer()
    tp = page.get_textpage()
    try:
        runs: list[Run] = []
        cur: list = []  # [x0, y0, x1, y1, chars, space positions, space widths]

        def close() -> None:
            if cur and cur[4].strip():
                text = cur[4].rstrip()
                n = text.count(" ")
                runs.append(Run(cur[0], cur[1], cur[2], cur[3], text, tuple(cur[5][:n]), tuple(cur[6][:n])))

        last_box = (None, None)
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if ch in ("\r", "\n", "\x02"):
                continue
            x0, y0, x1, y1 = tp.get_charbox(i, loose=True)
            h = max(y1 - y0, 1.0)
            if ch.isspace() or ch in "\u00a0\u202f\u2009":
                if cur and not cur[4].endswith(" "):
                    cur[4] += " "
                    cur[5].append(cur[2])
                    cur[6].append(None if ch not in "\u00a0\u202f\u2009" else 0.0)
                continue
            if cur and (x1 - x0 < 0.05 * h or (x0, x1) == last_box):
                cur[4] += ch  # the second letter of a ligature ("ﬁ"): no width, or the first one's box
                continue
            last_box = (x0, x1)
            if cur and abs(cur[1] - y0) < 0.5 * h and -0.5 * h < x0 - cur[2] < geometry.run_gap * h:
                gap = x0 - cur[2]
                if cur[4].endswith(" ") and cur[6] and cur[6][-1] is None:
                    cur[6][-1] = gap / h
                glued = cur[4][-1:].isalnum() and ch.isalnum()
                if (gap > 0.25 * h or (glued and gap > 0.1 * h)) and not cur[4].endswith(" "):
                    cur[4] += " "  # a gap the producer drew without a space character
                    cur[5].append(cur[2])
                    cur[6].append(gap / h)
                cur[2], cur[3] = max(cur[2], x1), max(cur[3], y1)
                cur[4] += ch
            else:
                close()
                cur = [x0, y0, x1, y1, ch, [], []]
        close()
    finally:
        tp.close()
    return runs


def bands(runs: list[Run]) -> list[list[Run]]:
    """Group runs into rows, top to bottom: runs whose vertical extents overlap or nearly touch.

    A new line in another type size starts a band of its own although it touches: a caption or
    a heading set right under a table ("Faaliyet Maliyetleri", "PH2.1.2: …") is not a wrapped
    line of its last row, whose lines share one size."""
    if not runs:
        return []
    h = statistics.median(r.height for r in runs)
    gap, ratio = text_layer().band_gap, text_layer().other_size
    ordered = sorted(runs, key=lambda r: -r.y1)
    out: list[list[Run]] = []
    low = None
    for r in ordered:
        if out and r.y1 >= low - gap * h and not _new_line_in_other_size(r, out[-1], low, ratio):
            out[-1].append(r)
            low = min(low, r.y0)
        else:
            out.append([r])
            low = r.y0
    return out


def _new_line_in_other_size(r: Run, band: list[Run], low: float, ratio: float) -> bool:
    if r.y1 > low + 0.3 * r.height:  # it shares the band's last line
        return False
    size = statistics.median(o.height for o in band)
    return not size / ratio <= r.height <= size * ratio


def _header_kinds(doc_type: str | None):
    return [k for k in table_kinds() if not k.key_value and (not doc_type or doc_type in k.doc_types)]


def _names_columns(band: list[Run], kinds) -> int:
    """How many runs of the band name a column of the best-fitting kind (years count too).

    A two-column kind (a goal list: Kod | Amaç / Hedef) counts as three when every run of
    the band names one of its columns."""
    if any(_is_figure(r.text) and not year_columns([[r.text]]) for r in band):
        return 0
    from etl.classify import map_columns, starts_with_code

    if any(starts_with_code([r.text]) for r in band):
        return 0  # "AMAÇ 01 …", "PG1.1.1 …": a body row
    years = sum(1 for r in band if year_columns([[r.text]]))
    best = 0
    for k in kinds:
        syns = [s for ss in k.columns.values() for s in ss]
        n = sum(1 for r in band if any(term_in(match_key(r.text), s) for s in syns))
        if n == len(band) == 2 and len(k.columns) <= 2 and \
                len(map_columns([match_key(r.text) for r in band], k.columns)) == 2:
            n = text_layer().min_header_columns
        best = max(best, n + (years if k.year_columns or years >= 2 else 0))
    return best


def _is_figure(text: str) -> bool:
    from etl.turkish import is_number

    return is_number(text)


@dataclass
class _Column:
    x0: float
    x1: float
    label: list[str]


def _columns(header: list[Run]) -> list[_Column]:
    """Columns from a header band: the lowest line's runs are the leaves; a run above that
    covers several leaves labels all of them ("Kaynak İhtiyacı (TL)" over Bütçe | Bütçe Dışı).
    Captions inside the band ("Tablo 2: …") label nothing."""
    from etl.layout import caption_patterns

    def caption(text: str) -> bool:
        key = match_key(text)
        return not key.isdigit() and any(p.search(key) for p in caption_patterns())

    header = [r for r in header if not caption(r.text)] or header
    h = statistics.median(r.height for r in header)
    lines: list[list[Run]] = []
    for r in sorted(header, key=lambda r: r.y0):
        if lines and abs(lines[-1][0].y0 - r.y0) < 0.5 * h:
            lines[-1].append(r)
        else:
            lines.append([r])
    cols: list[_Column] = []
    for line in lines:  # bottom line first
        for r in sorted(line, key=lambda r: r.x0):
            over = [c for c in cols if min(c.x1, r.x1) - max(c.x0, r.x0) > 0]
            if not over:
                cols.append(_Column(r.x0, r.x1, [r.text]))
            elif len(over) == 1 and (r.x1 - r.x0) > 2 * (over[0].x1 - over[0].x0) and \
                    any(o.x1 <= over[0].x0 for o in cols) and any(o.x0 >= over[0].x1 for o in cols):
                # A parent centred over several leaves that touches only the middle one's label
                # ("Kaynak İhtiyacı (TL)" over Bütçe | Bütçe Dışı | Toplam): it labels, the
                # leaf keeps its place.
                over[0].label.insert(0, r.text)
            elif len(over) == 1:
                # The upper line of a wrapped header, or a parent over one leaf: the leaf
                # grows with it, but never over its neighbours.
                c = over[0]
                left = max((o.x1 for o in cols if o.x1 <= c.x0), default=-1e9)
                right = min((o.x0 for o in cols if o.x0 >= c.x1), default=1e9)
                c.x0, c.x1 = max(min(c.x0, r.x0), left + 1), min(max(c.x1, r.x1), right - 1)
                c.label.insert(0, r.text)
            else:
                for c in over:
                    c.label.insert(0, r.text)
    return sorted(cols, key=lambda c: c.x0)


_CURRENCY = {"TL", "₺", "TRY", "-TL"}


def _is_sign(text: str) -> bool:
    """A currency or percent sign on its own (a wrapped "TL", a "%" cell)."""
    return text.upper().strip(" .") in _CURRENCY or text.strip() == "%"


_GROUP_HEAD = re.compile(r"^(?:₺|-)?\d{1,3}$")
_GROUP_TAIL = re.compile(r"^\d{3}(?:,\d+)?(?:TL|₺)?$")


def _narrow(r: Run, i: int) -> bool:
    """The i-th space of a run is a word space (or a no-break one), not a column gap."""
    g = r.gaps[i] if i < len(r.gaps) else None
    return g is None or g < 0.4


def _groups_one_number(words: list[str], i: int) -> bool:
    """Words i and i+1 are thousands groups of one figure ("2 986 000,00")."""
    if not (_GROUP_HEAD.match(words[i]) or re.fullmatch(r"\d{3}", words[i])) or not _GROUP_TAIL.match(words[i + 1]):
        return False
    j = i
    while j > 0 and re.fullmatch(r"\d{3}", words[j]):
        j -= 1  # back to the group that starts the figure
    return bool(_GROUP_HEAD.match(words[j]))


def _numeric_only(text: str) -> bool:
    from etl.turkish import is_number

    return all(is_number(t) or t in ("-", "%", "TL", "₺") for t in text.split(" ") if t)


def _split_at_bounds(r: Run, bounds: list[float]) -> list[Run]:
    """Cut a run that spans column boundaries at the spaces nearest to them, when a piece is
    figures only ("adet 9 17 21", "2 999 526,00 0,00 2 999 526,00"); text is never cut."""
    inside = [b for b in bounds if r.x0 < b < r.x1]
    if not inside or not r.spaces:
        return [r]
    words = r.text.split(" ")
    # Never between a figure and its currency or percent sign: "1.377.809,60 TL", "₺ 1.234", "% 40";
    # a sign goes with the figure on its side, after it unless the run starts with a sign
    # ("6.767.000,00 TL 158.775.576,20 TL" is cut after the first TL, "₺ 1.234 ₺ 5.678" before the second ₺).
    # Only where figures meet text or figures: a name is never cut.
    signs_first = words[0].upper().rstrip(".") in _CURRENCY
    allowed = [i for i in range(min(len(r.spaces), len(words) - 1))
               if _sign_cut_allowed(words, i, signs_first)
               and "%" not in (words[i], words[i + 1])
               and (_numeric_only(words[i]) or _numeric_only(words[i + 1]))
               and not (_groups_one_number(words, i) and _narrow(r, i))]
    if not allowed:
        return [r]
    cuts: set[int] = set()
    for b in inside:
        cuts.add(min(allowed, key=lambda i: abs(r.spaces[i] - b)))
    pieces, start, x_start = [], 0, r.x0
    for k in sorted(cuts):
        pieces.append((" ".join(words[start:k + 1]), x_start, r.spaces[k]))
        start, x_start = k + 1, r.spaces[k]
    pieces.append((" ".join(words[start:]), x_start, r.x1))
    if sum(1 for t, _, _ in pieces if _numeric_only(t)) < len(pieces) - 1:
        return [r]
    return [Run(a, r.y0, b, r.y1, t) for t, a, b in pieces if t]


def _sign_cut_allowed(words: list[str], i: int, signs_first: bool) -> bool:
    """Whether a run may be cut between words i and i+1 as far as currency signs go."""
    here, after = words[i].upper().rstrip("."), words[i + 1].upper().rstrip(".")
    if after in _CURRENCY:  # a sign that opens the next figure, in a run whose figures open with one
        return signs_first and here not in _CURRENCY and _numeric_only(words[i])
    if here in _CURRENCY:  # a sign that closes the figure before it
        return not signs_first and i > 0 and _numeric_only(words[i - 1]) and _numeric_only(words[i + 1])
    return True


def _label_bounds(cols: list[_Column]) -> list[float]:
    """Column boundaries halfway between neighbouring header labels."""
    return [(a.x1 + b.x0) / 2 for a, b in zip(cols, cols[1:], strict=False)]


def _body_bounds(cols: list[_Column], body: list[list[Run]]) -> list[float]:
    """Column boundaries moved into the white space the body leaves between two columns.

    Halfway between labels is wrong where a short label is centred over a column whose
    figures are right-aligned ("Bütçe" over "1.998.271,40": the figure's middle is past the
    midpoint; "Düşülen" beside "Toplam Ödenek": its dashes are). The rows show where a
    column really ends: a stretch no run covers, with runs on both sides. The midpoint
    stays when it lies in such a stretch; otherwise the nearest one is taken, looked for
    between the left column's centre and the start of the label after the right one.
    """
    bounds = _label_bounds(cols)
    centres = [(c.x0 + c.x1) / 2 for c in cols]
    min_gap = text_layer().min_column_gap_pt
    # A text run reaching over another column's label (a caption row inside the table) says
    # nothing of where columns end.
    # Figures run together are left out too: the pieces they are cut into end at spaces, not
    # where their glyphs do.
    spans = sorted((r.x0, r.x1) for band in body for r in band
                   if len(_split_at_bounds(r, bounds)) == 1
                   and (_numeric_only(r.text) or sum(1 for c in centres if r.x0 < c < r.x1) <= 1))
    figures = [(r.x0, r.x1) for band in body for r in band if _numeric_only(r.text) and not _is_sign(r.text)]
    out = []
    for j, mid in enumerate(bounds):
        lo = centres[j]
        hi = cols[j + 2].x0 if j + 2 < len(cols) else float("inf")
        gaps, edge = [], None  # (start, end) of the stretches no run covers
        for x0, x1 in spans:
            if x1 <= lo or x0 >= hi:
                continue
            if edge is not None and x0 - edge >= min_gap:
                gaps.append((edge, x0))
            edge = x1 if edge is None else max(edge, x1)
        if not gaps and j + 1 < len(cols):
            # No white space to go by (the column to the right is empty): figures the midpoint
            # cuts, most of them on its left, end their column there ("%112,61" right-aligned
            # under a short "Gerçekleşme Oranı (%)"; a "-" beside them belongs with them).
            cut = [x1 for x0, x1 in figures if x0 < mid < x1 and x0 + x1 < 2 * mid]
            if cut and max(cut) + min_gap / 2 < cols[j + 1].x0:
                out.append(max(cut) + min_gap / 2)
                continue
        if not gaps or any(a <= mid <= b for a, b in gaps) or edge is None or mid > edge:
            out.append(mid)
            continue
        # The boundary stays between the two labels' centres.
        inside = [g for g in gaps if centres[j] < (g[0] + g[1]) / 2 < centres[j + 1]]
        if not inside:
            out.append(mid)
            continue
        a, b = min(inside, key=lambda g: min(abs(g[0] - mid), abs(g[1] - mid)))
        out.append((a + b) / 2)
    return out



def _cut(band: list[Run], cols: list[_Column], bounds: list[float] | None = None) -> list[str]:
    """Cells of a body band: each run goes to the column its position falls in."""
    labels = _label_bounds(cols)
    bounds = bounds if bounds is not None else labels
    cells: list[list[Run]] = [[] for _ in cols]
    # Figures run together are cut where the header says a column changes; the pieces
    # then go where the body's white space says.
    pieces = [r for whole in band for r in _split_at_bounds(whole, sorted(set(labels) | set(bounds)))]
    placed = [_column_of(r, cols, bounds) for r in pieces]
    for k, r in enumerate(pieces):
        # A wrapped line of a name under no label ("erkek sayısı" below "Gıda yardımından
        # yararlanan kadın /") starts where the cell's first line does: it goes with that line.
        if not _numeric_only(r.text) and not any(min(c.x1, r.x1) > max(c.x0, r.x0) for c in cols):
            mates = [placed[i] for i, o in enumerate(pieces) if i != k and abs(o.x0 - r.x0) < 1.0
                     and not _numeric_only(o.text) and any(min(c.x1, o.x1) > max(c.x0, o.x0) for c in cols)]
            if mates:
                placed[k] = mates[0]
        cells[placed[k]].append(r)
    return [_reading_order(c) for c in cells]


def _ends_header(band: list[Run], cols: list[_Column]) -> bool:
    """A band of text only, each run under one column's label, short as labels are: the rest
    of a header the page break cut."""
    return bool(band) and len(band) < len(cols) and all(
        not _numeric_only(r.text) and not _is_figure(r.text) and len(r.text.split(" ")) <= 3
        and sum(1 for c in cols if min(c.x1, r.x1) > max(c.x0, r.x0)) == 1 for r in band)


def _columns_by_order(band: list[Run], cols: list[_Column]) -> list[_Column] | None:
    """The columns of ``cols`` as this band draws them, when its runs stack into exactly as
    many columns, left to right: a page can lay the same table out at other widths."""
    clusters: list[list[float]] = []
    for r in sorted(band, key=lambda r: r.x0):
        if clusters and r.x0 < clusters[-1][1]:
            clusters[-1][1] = max(clusters[-1][1], r.x1)
        else:
            clusters.append([r.x0, r.x1])
    if len(clusters) != len(cols) or not any(_numeric_only(r.text) for r in band):
        return None
    return [_Column(x0, x1, list(c.label)) for (x0, x1), c in zip(clusters, cols, strict=True)]


def _is_tail(above: str, cell: str) -> bool:
    """``cell`` ends the figure ``above`` it: the rest of a figure cut at its decimal mark or
    at a space between its groups ("1 217 454" over "638,33"), or its currency sign on a line
    of its own."""
    if not cell:
        return True
    if _is_sign(cell):
        return bool(above)
    if _cut_between_groups(above, cell):
        return True
    return _cut_figure(above) and cell[:1].isdigit() and _numeric_only(above + cell)


def _cut_between_groups(above: str, cell: str) -> bool:
    """A figure grouped by spaces that a narrow column wrapped between two groups."""
    return bool(re.fullmatch(r"\d{1,3}(?: \d{3})+", above) and re.fullmatch(r"\d{3}(?:,\d{1,2})?", cell))


def _cut_figure(text: str) -> bool:
    """A figure that ends at or one digit after its decimal mark ("461.244.419,", "10.116.878,0"),
    or inside a group of thousands ("252.00" over "0")."""
    return bool(re.search(r"\d,\d?$|\d\.\d{0,2}$", text))


def _join_tails(rows: list[list[str]], body: list[int]) -> None:
    """Join into the row above every body row that only holds the tails of its figures (and
    of its code, cut at a dot: "PG2.2." over "1" beside "252.00" over "0")."""
    for i in sorted(body, reverse=True):
        if i == 0 or (i - 1) not in body or not any(rows[i]):
            continue
        above, row = rows[i - 1], rows[i]
        if len(above) == len(row) and all(_is_tail(a, c) or _cut_code(a, c) for a, c in zip(above, row, strict=True)):
            rows[i - 1] = [a + c if _cut_figure(a) and c[:1].isdigit() else f"{a} {c}".strip()
                           for a, c in zip(above, row, strict=True)]
            rows[i] = []
    rows[:] = [r for j, r in enumerate(rows) if r or j not in body]


def _join_wrapped(rows: list[list[str]], body: list[int]) -> None:
    """Join into the row above every body row without figures that goes on with it: its
    first cell empty or the rest of a code cut at a dot ("PG1.1." / "2"), in a table whose
    rows hold figures (a row of a goal list without figures is a row of its own)."""
    from etl.turkish import is_number

    def figures(r: list[str]) -> bool:
        # A dash is a value too (a zero, or no value): "Bütçe Dışı Kaynak | - | - | -" is a row.
        return any(is_number(c) or c in ("-", "–", "—") for c in r)

    if sum(1 for i in body if figures(rows[i])) < 0.5 * max(len(body), 1):
        return
    # Judged on the rows as read: a row joined below would no longer read as figures
    # ("65.526.616,70 ₺ -") and would be joined upwards in turn.
    filled = {i: (figures(rows[i]), figures(rows[i][1:])) for i in body}
    for i in sorted(body, reverse=True):
        if i == 0 or (i - 1) not in body or not any(rows[i]):
            continue
        above, row = rows[i - 1], rows[i]
        if len(above) != len(row) or not filled[i - 1][0] or filled[i][1]:
            continue
        if row[0] and not _cut_code(above[0], row[0]):
            continue
        rows[i - 1] = [a + c if _cut_code(a, c) else f"{a} {c}".strip() for a, c in zip(above, row, strict=True)]
        rows[i] = []
    rows[:] = [r for j, r in enumerate(rows) if r or j not in body]


def _column_of(r: Run, cols: list[_Column], bounds: list[float]) -> int:
    """The column a run belongs to. A short run or a figure (centred or right-aligned) sits
    where its middle is. A name lies under its own header most: left-aligned
    under a centred label ("Hedef İnsan kaynaklarını …" under "Kod | Amaç / Hedef") it starts
    left of the midpoint between the labels; under no label it goes by where it starts."""
    width = r.x1 - r.x0
    col_width = min((c.x1 - c.x0 for c in cols), default=width)
    if width <= 2.5 * max(col_width, 1) or _numeric_only(r.text):
        x = (r.x0 + r.x1) / 2
    elif r.x0 <= cols[0].x0:
        # Starting left of the first label, at the table's edge, it is the first cell (a heading
        # line right under the table, "PH2.1.2: …", overlaps a wide second column most).
        return 0
    else:
        overlaps = [min(c.x1, r.x1) - max(c.x0, r.x0) for c in cols]
        best = max(range(len(cols)), key=overlaps.__getitem__)
        if overlaps[best] > 0:
            return best
        x = r.x0 + 1
    return sum(1 for b in bounds if x > b)


def _reading_order(runs: list[Run]) -> str:
    """Runs of one cell as text: lines top to bottom (runs that overlap vertically are one
    line, whatever their exact baselines), left to right within a line. A code the cell's
    width cut at a dot ("PG1.1." / "2") is joined again, and so is a figure cut at its decimal
    mark or inside a group ("4 944 275 432," / "10", "252.00" / "0")."""
    text = ""
    for line in _lines(runs):
        part = " ".join(r.text for r in sorted(line, key=lambda r: r.x0))
        cut = _cut_code(text, part) or (part[:1].isdigit() and _cut_figure(text) and _is_tail(text, part))
        text = text + ("" if cut else " ") + part if text else part
    return clean_text(text)


def _cut_code(upper: str, lower: str) -> bool:
    """``lower`` continues a code ``upper`` ends with, cut after a dot: "PG1.1." / "2"."""
    return bool(re.search(r"\d\.$", upper) and re.match(r"\d", lower)
                and re.search(r"[A-Za-zÇĞİÖŞÜçğıöşü]+ ?\d+(?:\.\d+)*\.$|^\d+(?:\.\d+)+\.$", upper.split(" ")[-1]))


def _kv_cells(band: list[Run]) -> list[str]:
    """A band outside any header: first run is the label, the rest its value."""
    rs = sorted(band, key=lambda r: (r.x0, -r.y1))
    left = rs[0].x0
    label = [r for r in rs if r.x0 - left < 2 * r.height]
    rest = [r for r in rs if r not in label]
    txt = _reading_order
    if rest:
        return [txt(label), txt(rest)]
    # Label and value in one run ("Sorumlu Birim Fen İşleri Müdürlüğü"): cut after a known label.
    from etl.records.labels import split_label_prefix

    head, tail = split_label_prefix(txt(label))
    return [head, tail] if tail else [head]


def read_page(page, number: int, doc_type: str | None) -> list[Table]:
    """Tables of one unruled page, or [] when no header band is found."""
    return _read_page(page, number, doc_type, None)[0]


def _read_page(page, number: int, doc_type: str | None, carried: list[_Column] | None,
               runs: list[Run] | None = None,
               running_keys: frozenset[str] = frozenset()) -> tuple[list[Table], list[_Column] | None]:
    """Tables of one unruled page and the columns of a table still open at its foot.

    ``carried`` are the columns of the table the page before ended in: rows at the top of
    this page that fit them continue it without a repeated header (a headerless table the
    page joins attach to the one before). ``running_keys`` are the :func:`_running_key` of
    lines that open or close several pages of the document (a running head or foot).
    """
    geometry = text_layer()
    runs = page_runs(page) if runs is None else runs
    bs = bands(runs)
    kinds = _header_kinds(doc_type)
    width = page.get_width()
    tables: list[Table] = []
    rows: list[list[str]] = []
    box: list[Run] = []
    cols: list[_Column] | None = None
    found_header = carried is not None

    pending: list[tuple[int, list[Run]]] = []  # body bands under ``cols``, cut when the table ends

    def flush() -> None:
        nonlocal rows, box
        if pending and cols is not None:
            bounds = _body_bounds(cols, [b for _, b in pending])
            for i, b in pending:
                rows[i] = _cut(b, cols, bounds)
            _join_tails(rows, [i for i, _ in pending])
            _join_wrapped(rows, [i for i, r in enumerate(rows) if i >= pending[0][0]])
        pending.clear()
        if rows:
            x0, y0 = min(r.x0 for r in box), min(r.y0 for r in box)
            x1, y1 = max(r.x1 for r in box), max(r.y1 for r in box)
            tables.append(Table(page=number, order=len(tables) + 1, rows=rows, row_pages=[number] * len(rows),
                                flavor="text", confidence=None, regions=[(number, x0, y0, x1, y1)]))
        rows, box = [], []

    height = page.get_height()
    # Running headers and footers (a title line, "Sayfa 4") are never table rows.
    # A table's upper header line at the top of a page ("Faaliyetler | Kaynak İhtiyacı (TL)"),
    # right above a line that names columns, stays.
    def running(i: int, b: list[Run]) -> bool:
        below = bs[i + 1] if i + 1 < len(bs) else None
        if below and _close(b, below) and _names_columns(below, kinds) >= geometry.min_header_columns:
            return False
        if (i == 0 or i == len(bs) - 1) and _running_key(b) in running_keys and \
                _names_columns(b, kinds) < geometry.min_header_columns and \
                sum(1 for r in b if _numeric_only(r.text)) <= 1 and not _starts_with_label(b, doc_type, coded=True):
            # The line every page opens (or closes) with, wherever the margins put it; never a
            # row of figures ("GENEL TOPLAM" closing each page of a long table) nor a card label.
            return True
        # A card's label row at the very top ("Sorumlu Birim | …" carried over) is no running head.
        return len(b) <= 2 and (min(r.y0 for r in b) > (1 - geometry.running_head) * height
                                or max(r.y1 for r in b) < geometry.running_foot * height) \
            and not _starts_with_label(b, doc_type, coded=True)

    bs = [b for i, b in enumerate(bs) if not running(i, b)]
    prev_band = None
    queue = list(bs)
    while queue:
        band = queue.pop(0)
        parts = _split_rows(band, cols, doc_type, width, kinds)
        if len(parts) > 1:
            queue[:0] = parts
            continue
        text = " ".join(r.text for r in band)
        if carried is not None and not rows and _ends_header(band, carried) and queue and \
                _close(band, queue[0]) and any(_numeric_only(r.text) for r in queue[0]) and \
                _names_columns(queue[0], kinds) < geometry.min_header_columns:
            # The page break cut the header: its last line ("Birimi | Sıklığı | Sıklığı") opens
            # this page, and the rows come right after it (an upper line of a new header, above
            # a line naming columns, is not; nor a title above prose, "KAYNAK İHTİYACI").
            for r in band:
                col = next(c for c in carried if min(c.x1, r.x1) > max(c.x0, r.x0))
                col.label.append(r.text)
            continue
        if carried is not None:
            # The first band decides whether the page goes on with the table of the page before.
            cols, carried = (_columns_by_order(band, carried) if not rows else None), None
        if _names_columns(band, kinds) >= geometry.min_header_columns:
            if prev_band is not None and rows and _names_columns(prev_band, kinds) >= 1 and \
                    not is_prose(" ".join(r.text for r in prev_band)) and \
                    not any(_is_figure(r.text) for r in prev_band) and _close(prev_band, band) and \
                    not _starts_with_label(prev_band, doc_type, coded=True):
                # "Faaliyetler | Kaynak İhtiyacı (TL)" above "Bütçe | Bütçe Dışı | Toplam": one header.
                rows.pop()
                pending[:] = [(i, b) for i, b in pending if i < len(rows)]
                box[:] = [r for r in box if r not in prev_band]
                band = prev_band + band
            flush()
            cols = _columns(band)
            found_header = True
            rows.append([" ".join(c.label) for c in cols])
            box.extend(band)
            prev_band = None
            continue
        # A paragraph: one wide run, or lines of one run each that read as prose.
        paragraph = (len(band) == 1 and (band[0].x1 - band[0].x0) > 0.6 * width and len(text) > 60) or (
            is_prose(text) and all(len(line) == 1 for line in _lines(band))
            and any(r.x1 - r.x0 > 0.6 * width for r in band))
        if paragraph:
            flush()
            cols = None
            continue
        if cols is not None and _starts_with_label(band, doc_type):
            flush()  # a card's label rows after its table: "Sorumlu Birim", "İdare Adı"
            cols = None
        if cols is not None and _fits(band, cols):
            pending.append((len(rows), band))
            rows.append([])
        else:
            if cols is not None:
                flush()
                cols = None
            rows.append(_kv_cells(band))
        box.extend(band)
        prev_band = band
    # A table whose header (or rows) reach the page's foot goes on at the next page; a header
    # alone there is kept, for the rows the next page continues it with.
    still_open = cols
    flush()
    if not found_header:
        return [], None
    # One row of text alone is a caption, unless it is a card's label row (its "Sorumlu Birim |
    # …" set at the page's foot, the card's other rows on the next page).
    return [t for k, t in enumerate(tables) if len(t.rows) >= 2 or not is_header_row(t.rows[0])
            or _is_label_row(t.rows[0], doc_type)
            or (still_open is not None and k == len(tables) - 1)], still_open


def _is_label_row(row: list[str], doc_type: str | None) -> bool:
    """The row's first text is a card label of this document type ("Sorumlu Birim")."""
    from etl.records.labels import read_label

    first = next((c for c in row if c), "")
    return any(read_label(first, k).field not in (None, "indicators_header") for k in _label_kinds(doc_type))


def _lines(band: list[Run]) -> list[list[Run]]:
    """The text lines of a band, top to bottom (runs that overlap vertically share a line)."""
    lines: list[list[Run]] = []
    for r in sorted(band, key=lambda r: -(r.y0 + r.y1)):
        # A run shares a line with the run of the last line it overlaps most: a dash drawn
        # lower than the figures beside it joins them, and so do the lines of a cell centred
        # vertically beside a one-line cell (lines of one cell never overlap each other).
        best = max((min(o.y1, r.y1) - max(o.y0, r.y0) - 0.3 * min(o.height, r.height)
                    for o in lines[-1]), default=-1.0) if lines else -1.0
        if best >= 0:
            lines[-1].append(r)
        else:
            lines.append([r])
    return lines


def _label_kinds(doc_type: str | None) -> list[str]:
    """The key/value kinds whose labels are card rows here. A report has no cards of its own,
    but prints their labels ("Sorumlu Birim: …") above its tables: all kinds' labels count."""
    every = [k.name for k in table_kinds() if k.key_value]
    return [k.name for k in table_kinds() if k.key_value and (not doc_type or doc_type in k.doc_types)] or every


def _opens_row(run: Run, doc_type: str | None) -> bool:
    """A line starting with this run starts a row of its own: a code, a card label, a total."""
    from etl.classify import starts_with_code
    from etl.records.pp import total_line

    return starts_with_code([run.text]) or bool(total_line(run.text)) or _is_label_row([run.text], doc_type)


def _split_rows(band: list[Run], cols: list[_Column] | None, doc_type: str | None, width: float,
                kinds=()) -> list[list[Run]]:
    """Rows that touch (a table drawn without cell padding) share a band: cut it before a
    line that opens a row (a code, a label, a total at the left edge), a paragraph line,
    or, under a header, a line that puts a second figure into a column."""
    from etl.classify import starts_with_code

    lines = _lines(band)
    if len(lines) < 2:
        return [band]
    left = min(r.x0 for r in band)
    bounds = _label_bounds(cols) if cols else None
    filled: set[int] = set()

    def col_of(r: Run) -> int:
        return sum(1 for b in bounds if (r.x0 + r.x1) / 2 > b)

    def figure_cols(line: list[Run]) -> set[int]:
        if bounds is None:
            return set()
        return {col_of(r) for r in line if _numeric_only(r.text) and not _is_sign(r.text)}

    filled |= figure_cols(lines[0])
    # Each line opens a row, continues one (figures, a wrapped code), or is loose text of a
    # name cell: loose lines are given to a row only when all lines are known (below).
    def names_header(line: list[Run]) -> bool:
        need = text_layer().min_header_columns
        return bool(kinds) and len(line) >= need and _names_columns(line, kinds) >= need

    opens_at = [0]
    fixed = {0} if names_header(lines[0]) else set()  # rows whose lines stay: a header, a paragraph
    top = min(lines[0], key=lambda r: r.x0)
    loose = [not figure_cols(lines[0]) and not fixed
             and not (top.x0 - left < top.height and _opens_row(top, doc_type))]
    prev_first, prev_line = min(lines[0], key=lambda r: r.x0), lines[0]
    for line in lines[1:]:
        first = min(line, key=lambda r: r.x0)
        at_left = first.x0 - left < first.height
        # "Stratejik" / "Amaç 2": a code wrapped over two lines continues its cell.
        # So does a code whose prefix word sits on the line above ("Hedef" / "1.1").
        joined = prev_first.text + ("" if _cut_code(prev_first.text, first.text) else " ") + first.text
        wrapped = abs(prev_first.x0 - first.x0) < first.height and (
            (_opens_row(Run(0, 0, 0, 0, joined), doc_type) and not _opens_row(prev_first, doc_type))
            or (starts_with_code([joined]) and not starts_with_code([prev_first.text])))
        opens = at_left and _opens_row(first, doc_type) and not wrapped
        paragraph = len(line) == 1 and (first.x1 - first.x0) > 0.6 * width
        header = names_header(line)
        # The rest of a figure cut at its decimal mark ("461.244.419," / "00 TL"), or a
        # currency sign wrapped under its figure, continues the row above.
        cut_cols = {col_of(r) for r in prev_line if r.text.endswith((",", "."))} if bounds else set()
        tails = [r for r in line if _is_sign(r.text)
                 or (bounds and col_of(r) in cut_cols and _numeric_only(r.text))]
        figs = figure_cols([r for r in line if r not in tails])
        # A header's lines hold no figures: a line of figures under one is the first row.
        under_header = any(_numeric_only(r.text) and not _is_sign(r.text) for r in line) and names_header(prev_line)
        prev_first, prev_line = first, line
        if opens or paragraph or header or under_header or (figs & filled):
            if paragraph or header:
                fixed.add(len(loose))
            opens_at.append(len(loose))
            filled = set(figs)
            loose.append(False)
        else:
            filled |= figs
            loose.append(not figs and not wrapped and len(tails) < len(line))
    return [[r for i in part for r in lines[i]] for part in _home_loose_lines(lines, opens_at, loose, fixed)]


def _home_loose_lines(lines: list[list[Run]], opens_at: list[int], loose: list[bool],
                      fixed: set[int]) -> list[list[int]]:
    """Line indices of each row. Loose lines between a row's last figure line and the next
    row's first line are split at the widest vertical gap between them: a name cell centred
    vertically beside its figures ("Sosyal Güvenlik" above the line "02 … figures") belongs
    to the row below, the tail of a name wrapped under its figures to the row above. On a tie
    the lines stay with the row above; a first row of loose lines only joins the next. A
    header's or a paragraph's lines (rows opened at an index in ``fixed``) never move."""
    def gap(i: int) -> float:  # between line i and line i + 1
        return min(r.y0 for r in lines[i]) - max(r.y1 for r in lines[i + 1])

    starts = list(opens_at) + [len(lines)]
    parts = [list(range(a, b)) for a, b in zip(starts, starts[1:], strict=False)]
    for k in range(len(parts) - 1):
        part = parts[k]
        if part and part[0] in fixed:
            continue
        kept = [i for i in part if not loose[i]]
        if not kept:
            parts[k + 1][:0] = part
            parts[k] = []
            continue
        last = kept[-1]
        nxt = parts[k + 1][0]
        if last + 1 >= nxt:
            continue
        # Gaps within a tenth of a line of the widest count as ties (a line with digits or a
        # "%" reaches a little higher than one of lower-case words): a name wrapped under its
        # figures stays with them unless a clearly wider gap (a cell's padding) parts them.
        widest = max(gap(i) for i in range(last, nxt))
        tie = 0.1 * statistics.median(r.height for i in range(last, nxt + 1) for r in lines[i])
        cut = max(i for i in range(last, nxt) if gap(i) >= widest - tie)
        # A code opens its cell: a loose line set where the next row's code starts ("sürdürmek"
        # above "PH 5.1.1: …") ends the cell above.
        cut = max([cut] + [i for i in range(last + 1, nxt) if _above_a_code(lines[i], lines[nxt])])
        move = [i for i in part if i > cut]
        parts[k] = [i for i in part if i <= cut]
        parts[k + 1][:0] = move
    return [p for p in parts if p]


def _above_a_code(line: list[Run], below: list[Run]) -> bool:
    """The line starts where a run of the line below starts, and that run opens with a code."""
    from etl.classify import starts_with_code

    x0 = min(r.x0 for r in line)
    return any(abs(r.x0 - x0) < r.height and starts_with_code([r.text]) for r in below)


def _close(upper: list[Run], lower: list[Run]) -> bool:
    """Two bands of one header: the gap between them is under two line heights."""
    h = statistics.median(r.height for r in upper + lower)
    return min(r.y0 for r in upper) - max(r.y1 for r in lower) < text_layer().header_merge * h


def _fits(band: list[Run], cols: list[_Column]) -> bool:
    """A band belongs under the header unless it lies wholly outside the table's columns."""
    left, right = cols[0].x0, cols[-1].x1
    span = right - left
    # Where a run starts, not where it ends: a long title runs on past a centred last label.
    return all(left - 0.6 * span <= r.x0 <= right + 0.3 * span for r in band)


def _starts_with_label(band: list[Run], doc_type: str | None, coded: bool = False) -> bool:
    """The band's first run is a label of a key/value kind of this document type. A label
    with a code ("Stratejik Hedef 1.1") is a goal-list row unless ``coded``: a card's
    "Stratejik Hedef (H1.1) | title" row above its indicator header is never header text."""
    from etl.records.labels import read_label, split_label_prefix

    # The first cell's text over all its lines: "Hedef" above "1.1" is a code, not a label.
    left = min(band, key=lambda r: (r.x0, -r.y1))
    first = " ".join(r.text for r in sorted(band, key=lambda r: -r.y1) if abs(r.x0 - left.x0) < left.height)
    for kind in _label_kinds(doc_type):
        lab = read_label(first, kind)
        if lab.code:
            return coded and lab.field not in (None, "indicators_header")  # "AMAÇ 01", "Stratejik Hedef 1.1": rows of a goal list, not card labels
        if lab.field and lab.field != "indicators_header":
            return True
        head, tail = split_label_prefix(first, (kind,))
        if tail and read_label(head, kind).field not in (None, "indicators_header"):
            return True
    return False


def read_pages(path: Path, pages: list[int], doc_type: str | None, password: str | None = None) -> dict[int, list[Table]]:
    """{page: tables} for the given 1-based pages."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path), password=password)
    try:
        laid_out = {}
        for p in pages:
            page = pdf[p - 1]
            try:
                laid_out[p] = PageLayout(page_runs(page), page.get_width(), page.get_height())
            finally:
                page.close()
    finally:
        pdf.close()
    return read_layouts(laid_out, doc_type)


@dataclass
class PageLayout:
    """What the text-layer reader needs of a page: its runs and its size in points."""

    runs: list[Run]
    width: float
    height: float

    def get_width(self) -> float:
        return self.width

    def get_height(self) -> float:
        return self.height


def read_layouts(pages: dict[int, PageLayout], doc_type: str | None) -> dict[int, list[Table]]:
    """{page: tables} of pages in page order: a table still open at a page's foot goes on at
    the next page."""
    out: dict[int, list[Table]] = {}
    open_cols, last = None, None
    keys = running_keys(layout.runs for layout in pages.values())
    for p in sorted(pages):
        carried = open_cols if last == p - 1 else None
        labels = [list(c.label) for c in carried] if carried is not None else None
        out[p], open_cols = _read_page(pages[p], p, doc_type, carried, runs=pages[p].runs, running_keys=keys)
        last = p
        if carried is not None and out.get(p - 1) and labels != [c.label for c in carried]:
            # The rest of a header cut by the page break ("Birimi | Etkisi (%)" under
            # "Ölçü | Hedefe") went into the carried columns: the header row of the table
            # the page before ended with says it too, so the table is recognised whole.
            header = out[p - 1][-1].rows
            if header and len(header[0]) == len(carried):
                header[0] = [" ".join(c.label) for c in carried]
    return out


def _running_key(band: list[Run]) -> str:
    """A line's text without its figures: "… Stratejik Planı · Sayfa 4" and "… Sayfa 5" are one line."""
    return re.sub(r"\d+", "#", match_key(" ".join(r.text for r in sorted(band, key=lambda r: r.x0))))


def running_keys(pages: Iterable[list[Run]]) -> frozenset[str]:
    """The lines that open or close at least two of the pages, and half of them: running heads and feet."""
    seen: Counter[str] = Counter()
    n = 0
    for runs in pages:
        bs = bands(runs)
        n += 1
        seen.update({_running_key(bs[0]), _running_key(bs[-1])} if bs else set())
    return frozenset(k for k, c in seen.items() if k and c >= 2 and c >= n / 2)
