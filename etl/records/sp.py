"""Strategic plan tables → goal, objective, indicator, plan-target and cost records.

Reads the goal list (Amaç ve Hedefler), the scorecards (Hedef Kartı) and the Tahmini Maliyet
table. Scorecards are read as one stream of rows in page order, not table by table: a card is
opened by a Hedef row with a new code and closed by the next one, so several cards in one
table or on one page, a card continued on the next page with or without its header, and a
continuation that repeats its Amaç/Hedef rows all come out as one objective each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from etl.classify import header_labels, map_columns, year_columns
from etl.layout import card_title_words, known_units, table_kinds
from etl.records.common import Context, Records, indicator_code, number, raw_value
from etl.records.labels import Label, read_label, strip_lost_code
from etl.records.pp import total_line
from etl.tables import Table
from etl.turkish import (
    canonical_code,
    casefold_tr,
    clean_text,
    code_levels,
    is_number,
    match_key,
    split_code,
    split_leading_code,
    split_trailing_unit,
)


def _scorecard_columns() -> dict[str, tuple[str, ...]]:
    """The indicator block's column synonyms (tables.toml, plus the layout file in force)."""
    return next(k for k in table_kinds() if k.name == "sp_scorecard").columns

_WEIGHT_CELL = re.compile(r"^(?:%\s*\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s*%)$")
# A title found in the goal list is taken for a card without a printed code at this similarity.
_TITLE_MATCH = 90



@dataclass
class _Card:
    objective_code: str | None = None
    printed_code: str | None = None
    goal_code: str | None = None
    title: str | None = None
    page: int | None = None
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    indicators: list[dict] = field(default_factory=list)


@dataclass
class _PlanList:
    """What the goal list (Amaç ve Hedefler) promises: every goal and objective with its title."""

    goals: dict[str, tuple[str | None, str, int]] = field(default_factory=dict)
    objectives: dict[str, tuple[str | None, str, int, str | None]] = field(default_factory=dict)

    def code_for_title(self, title: str, kind: str) -> str | None:
        items = self.objectives if kind == "objective" else self.goals
        key = match_key(title)
        best, best_score = None, 0.0
        for code, entry in items.items():
            s = fuzz.ratio(key, match_key(entry[1]))
            if s > best_score:
                best, best_score = code, s
        return best if best_score >= _TITLE_MATCH else None


def parse(tables: list[Table], ctx: Context) -> Records:
    """Turn a strategic plan's tables into records."""
    rec = Records()
    plan = _PlanList()
    reader = _ScorecardReader(ctx, plan)
    for t in tables:
        if t.unusable:
            reader.close()
        elif t.kind == "sp_goal_list":
            reader.close()
            _goal_list(t, plan, ctx)
        elif t.kind == "sp_cost":
            reader.close()
            _cost_table(t, ctx, rec)
        elif t.kind == "sp_scorecard" or (t.kind is None and (reader.continues(t) or _opens_card(t))):
            t.consumed = t.kind is None
            reader.feed(t)
        else:
            reader.close()
    goals = dict(plan.goals)
    for code, entry in reader.goals.items():
        goals.setdefault(code, entry)
    for code, (printed, title, page) in goals.items():
        rec.add("goals", ctx.plan(goal_code=code, printed_code=printed, goal_title=title or None, source_page=page))
    seen: set[str] = set()
    for c in reader.cards:
        if c.objective_code and c.objective_code in seen:
            continue
        _emit_card(c, ctx, rec, plan)
        if c.objective_code:
            seen.add(c.objective_code)
    _promised_objectives(plan, seen, ctx, rec)
    return rec


def _opens_card(t: Table) -> bool:
    """An unclassified table that holds a card's Hedef row (the Amaç/Hedef rows above an
    indicator header that the text reader cut into a table of their own)."""
    return any(read_label(next((c for c in r if c), ""), "sp_scorecard").field == "objective" for r in t.rows)


def _promised_objectives(plan: _PlanList, read: set[str], ctx: Context, rec: Records) -> None:
    """Objectives of the goal list without a scorecard read: still objectives of the plan
    (the left-out answer needs them), loaded from the list and reported."""
    missing = [c for c in plan.objectives if c not in read]
    for code in missing:
        printed, title, page, goal = plan.objectives[code]
        rec.add("objectives", ctx.plan(
            objective_code=code, printed_code=printed, goal_code=goal, objective_title=title or None,
            responsible_unit=None, cooperating_units=None, cost_estimate=None, cost_estimate_raw=None,
            risks=None, strategies=None, findings=None, needs=None, gender_marker=None, source_page=page))
    if missing and plan.objectives:
        pages = sorted({plan.objectives[c][2] for c in missing})
        ctx.issue("error", "objectives_without_scorecard",
                  f"{len(missing)} of {len(plan.objectives)} objectives of the goal list (page "
                  f"{', '.join(map(str, pages))}) have no scorecard read: {', '.join(missing[:12])}"
                  f"{' …' if len(missing) > 12 else ''}. They were loaded from the goal list without "
                  "indicators; check the tables not recognised (validation_issues) or pin them in a layout file",
                  pages[0])


def _code_of(cell: str, kinds: tuple[str, ...]) -> tuple[str | None, str | None, str | None, str]:
    """(kind, printed, canonical, rest) of a cell that is or starts with a goal/objective code;
    a bare number is read by its levels: "1" a goal, "1.1" an objective."""
    for kind in kinds:
        printed, code, rest = split_code(cell, kind)
        if code:
            return kind, printed, code, rest
    head, _, rest = clean_text(cell).partition(" ")
    levels = code_levels(head)
    kind = {1: "goal", 2: "objective"}.get(levels)
    if kind in kinds:
        return kind, head.rstrip("."), canonical_code(head, kind), rest.lstrip("-–:. ")
    return None, None, None, clean_text(cell)


def _goal_list(t: Table, plan: _PlanList, ctx: Context) -> None:
    code_col = t.columns.get("code", 0)
    title_col = t.columns.get("title", 1 if t.n_cols > 1 else 0)
    goal: str | None = None
    last: tuple[str, str] | None = None
    implicit = _objectives_unnumbered(t, code_col, title_col)
    n_under: dict[str, int] = {}
    for page, row in t.data_rows():
        cell = row[code_col] if code_col < len(row) else ""
        title = row[title_col] if title_col < len(row) and title_col != code_col else ""
        if implicit and goal and not cell and title:
            # Objective codes the text layer does not hold (a font without those glyphs):
            # the k-th objective under goal A{g} is H{g}.{k}, as the numbering scheme has it.
            n_under[goal] = n_under.get(goal, 0) + 1
            code = f"H{goal[1:]}.{n_under[goal]}"
            plan.objectives.setdefault(code, (None, clean_text(title), page, goal))
            last = ("objective", code)
            if sum(n_under.values()) == 1:
                ctx.issue("warning", "objective_codes_inferred",
                          f"page {page}: the goal list prints no objective codes (or its font does not give them "
                          "to the text layer); objectives were numbered H1.1, H1.2 … in order under their goals. "
                          "Check them against the printed plan", page)
            continue
        if not cell and title and last is None:
            cell, title = title, ""
        kind, printed, code, rest = _code_of(cell, ("objective", "goal"))
        if not code and not cell and title and last:
            # The rest of a title that wrapped onto a row of its own.
            store = plan.goals if last[0] == "goal" else plan.objectives
            entry = store[last[1]]
            store[last[1]] = (entry[0], clean_text(entry[1] + " " + title), *entry[2:])
            continue
        if not code:
            last = None
            continue
        text = clean_text(title or rest)
        if kind == "goal":
            goal = code
            plan.goals.setdefault(code, (printed, text, page))
        else:
            plan.objectives.setdefault(code, (printed, text, page, goal or "A" + code[1:].split(".")[0]))
        last = (kind, code)


def _objectives_unnumbered(t: Table, code_col: int, title_col: int) -> bool:
    """A goal list whose goals carry codes but whose objective rows carry none at all, each
    on its own row with a title that starts a sentence (a wrapped title goes on in lower case)."""
    goals = objectives = bare = 0
    for _, row in t.data_rows():
        cell = row[code_col] if code_col < len(row) else ""
        title = row[title_col] if title_col < len(row) and title_col != code_col else ""
        kind = _code_of(cell, ("objective", "goal"))[0] if cell else None
        goals += kind == "goal"
        objectives += kind == "objective"
        bare += not cell and bool(title) and title[:1].isupper()
    return goals >= 1 and objectives == 0 and bare >= goals


def _cost_table(t: Table, ctx: Context, rec: Records) -> None:
    code_col = t.columns.get("code", 0)
    for page, row in t.data_rows():
        _, _, code, _ = _code_of(row[code_col] if code_col < len(row) else "", ("objective", "goal"))
        if not code:
            continue
        for year, j in t.year_columns.items():
            if j < len(row):
                rec.add("objective_costs", ctx.plan_short(code=code, year=year, amount=number(row[j], ctx, page),
                                                          raw=row[j], source_page=page))
        if "total" in t.columns and t.columns["total"] < len(row):
            rec.add("objective_costs", ctx.plan_short(code=code, year=None, amount=number(row[t.columns["total"]], ctx, page),
                                                      raw=row[t.columns["total"]], source_page=page))


class _ScorecardReader:
    """Reads scorecard rows in page order and opens a card at each new objective."""

    def __init__(self, ctx: Context, plan: _PlanList) -> None:
        self.ctx, self.plan = ctx, plan
        self.cards: list[_Card] = []
        self.goals: dict[str, tuple[str | None, str, int]] = {}
        self.card: _Card | None = None
        self.goal: str | None = None
        self.cols: dict[str, int] = {}
        self.years: dict[int, int] = {}
        self.n_cols = 0
        self.last_page: int | None = None
        self.pending_header: list[str] | None = None
        self.last_field: str | None = None
        self.after_indicator = False
        self.name_carried = False  # the row after a header repeated on a new page may end a name

    # ------------------------------------------------------------------ stream control

    def close(self) -> None:
        self.card = None
        self.last_page = None

    def continues(self, t: Table) -> bool:
        """A table no kind claimed continues the open card when it follows it (same or next
        page) and its rows read as scorecard rows: known labels or indicator rows."""
        if self.card is None or self.last_page is None or t.page not in (self.last_page, self.last_page + 1):
            return False
        if any(self._header(r) for r in t.rows[:2]):
            return True  # the card's indicator block, cut off from its Amaç/Hedef rows
        useful = sum(1 for r in t.rows if self._row_type(r) != "unknown")
        return useful >= max(1, len(t.rows) // 2)

    def feed(self, t: Table) -> None:
        if t.n_cols != self.n_cols:
            # Another drawing of the card: its indicator columns are found again.
            self.cols, self.years, self.n_cols = {}, {}, t.n_cols
        for i, row in enumerate(t.rows):
            if any(row):
                self._row(row, t.row_pages[i])
        self.last_page = t.row_pages[-1] if t.row_pages else t.page

    # ------------------------------------------------------------------ rows

    def _header(self, row: list[str]) -> tuple[dict[str, int], dict[int, int]] | None:
        """The indicator block's column map when ``row`` is its header."""
        if any(is_number(c) and not re.fullmatch(r"(19|20)\d{2}", c.strip()) for c in row if c):
            return None
        labels_ = [match_key(c) for c in row]
        cols = map_columns(labels_, _scorecard_columns())
        years = {y: j for y, j in year_columns([row]).items() if self._in_plan(y) and j not in cols.values()}
        names_block = "name" in cols and len(set(cols) - {"name", "code", "unit"}) >= 1
        if names_block or (len(years) >= 2 and ("name" in cols or self.cols)):
            return cols, years
        if len(years) >= 2 and self.pending_header:
            return {}, years
        return None

    def _in_plan(self, year: int) -> bool:
        ys, ye = self.ctx.year_start, self.ctx.year_end
        return ys is None or ye is None or ys <= year <= ye

    def _row_type(self, row: list[str]) -> str:
        if self._header(row):
            return "header"
        if _row_label(row)[0].field:
            return "label"
        if self.years and any(is_number(row[j]) for j in self.years.values() if j < len(row)):
            return "indicator"
        return "unknown"

    def _row(self, row: list[str], page: int) -> None:
        was_indicator, self.after_indicator = self.after_indicator, False
        carried, self.name_carried = self.name_carried, False
        header = self._header(row)
        if header:
            # A card that goes on at the next page repeats its header there; the first row
            # below it may be the rest of the last indicator's name, cut by the page break.
            self.name_carried = bool(self.card and self.card.indicators and
                                     (self.card.indicators[-1]["source_page"] or 0) < page)
            cols, years = header
            if self.pending_header is not None and not cols:
                # Two header rows: names above, years below ("Plan Dönemi Hedefleri" over 2020 … 2024).
                merged = header_labels([self.pending_header, row], 2)
                cols = map_columns(merged, _scorecard_columns())
            self.pending_header = row if not years else None
            self.cols, self.years, self.n_cols = cols, years, len(row)
            self.last_field = None
            return
        lab, first_idx, used = _row_label(row)
        value = " ".join(c for c in row[first_idx + used:] if c).strip()
        if lab.field in ("goal", "objective"):
            self._code_row(lab, value, page)
            self.last_field = None
            return
        if lab.field == "indicators_header":
            return
        if lab.field:
            if self.card is not None:
                text = lab.rest or value
                if lab.field in self.card.fields and self.card.fields[lab.field][0]:
                    if text and text not in self.card.fields[lab.field][0]:
                        old, p = self.card.fields[lab.field]
                        self.card.fields[lab.field] = (old + " " + text, p)
                else:
                    self.card.fields[lab.field] = (text, page)
            self.last_field = lab.field
            return
        if self.card is None:
            return
        if self.cols or self.years:
            # Carried over a page break, only a name's lower-case rest ("yararlanan çocuk sayısı").
            carried = carried and next((c for c in row if c), "")[:1].islower()
            self.after_indicator = self._indicator(row, page, was_indicator or carried)
        elif self.last_field and not any(is_number(c) for c in row):
            old, p = self.card.fields[self.last_field]
            self.card.fields[self.last_field] = (clean_text(old + " " + " ".join(c for c in row if c)), p)

    def _code_row(self, lab, value: str, page: int) -> None:
        kind = lab.field
        printed, code, rest = lab.printed, lab.code, lab.rest
        if not code:
            printed, code, rest = split_code(value, kind)
            if not code:
                _, printed, code, rest = _code_of(value, (kind,))
            if not code:
                # "HEDEF | 1.3: Mali kaynakları …": the label says what the bare number is.
                num, tail = split_leading_code(value)
                if num and code_levels(num) == _LEVELS[kind]:
                    printed, code, rest = num, canonical_code(num, kind), tail
            if not code:
                # A card's title row: "Hedef Kartı – Stratejik Hedef 1.1" (a few words, then the code),
                # or "Hedef Kartı – 1.1", whose bare number the title word vouches for.
                words = value.split(" ")
                titled = match_key(words[0]) in card_title_words()
                for k in range(1, min(4, len(words))):
                    found = split_code(" ".join(words[k:]), kind)
                    if not found[1] and titled and code_levels(words[k].rstrip(":")) == _LEVELS[kind]:
                        num = words[k].rstrip(":")
                        found = (num, canonical_code(num, kind), " ".join(words[k + 1:]))
                    if found[1]:
                        printed, code, rest = found
                        break
        elif value:
            rest = clean_text(f"{rest} {value}")
        title = strip_lost_code(rest or ("" if code else value))
        if not code and title:
            code = self.plan.code_for_title(title, kind)
        if kind == "goal":
            self.goal = code
            if code:
                self.goals.setdefault(code, (printed, title, page))
            if self.card is not None and not self.card.indicators and self.card.goal_code is None:
                self.card.goal_code = code
            return
        if not code and len(title.split(" ")) < 3:
            return  # a heading such as "HEDEF KARTLARI", not a card
        if self.card is not None and code and self.card.objective_code == code:
            # The card repeats its Amaç / Hedef rows on the next page, or its title row named it.
            if title and not self.card.title:
                # Opened by its title row ("Hedef Kartı – H3.1", perhaps at the foot of the page
                # before): the objective is where its Hedef row is.
                self.card.title = title
                self.card.page = page
            return
        goal = self.goal
        if code and (goal is None or not code[1:].startswith(goal[1:] + ".")):
            # The Amaç row was not read (or belongs to an earlier card): the code's first level is its goal.
            goal = self.plan.objectives.get(code, (None, None, None, None))[3] or "A" + code[1:].split(".")[0]
        self.card = _Card(objective_code=code, printed_code=printed, goal_code=goal, title=title or None, page=page)
        self.cards.append(self.card)
        self.last_field = None
        if not code:
            self.ctx.issue("warning", "scorecard_without_code",
                           f"page {page}: a scorecard's Hedef row '{clean_text(value)[:80]}' carries no code and "
                           "its title is not in the goal list", page)

    def _indicator(self, row: list[str], page: int, follows_indicator: bool) -> bool:
        """Read an indicator row; True when the row was (part of) an indicator."""
        card, cols = self.card, self.cols
        if "weight_pct" not in cols:
            for j, c in enumerate(row):
                if j not in cols.values() and j not in self.years.values() and _WEIGHT_CELL.match(clean_text(c)):
                    cols["weight_pct"] = j  # a column of %25 beside the names is the weight
                    break
        name_cell = _cell(row, cols.get("name")) or next((c for c in row if c and not is_number(c)), "")
        code_cell = _cell(row, cols.get("code"))
        printed, code, name = indicator_code(code_cell, name_cell)
        if not code and total_line(name):
            return True  # the weights' "Toplam %100" line: read, and no indicator
        has_numbers = any(is_number(row[j]) for j in self.years.values() if j < len(row))
        if not code and not has_numbers:
            filled = [c for c in row if c]
            if card.indicators and follows_indicator and len(filled) == 1 and name and not _BULLET.match(name):
                # The rest of a name split by a page break or a forced line; a unit in brackets
                # at its end ("denetim sayısı (adet)") is the indicator's unit, as on one line.
                last = card.indicators[-1]
                last["indicator_name"], bracket_unit = split_trailing_unit(
                    clean_text(last["indicator_name"] + " " + name), None if "unit" not in cols else known_units())
                last["unit"] = last["unit"] or bracket_unit
                return True
            return False
        unit = _cell(row, cols.get("unit"))
        name, bracket_unit = split_trailing_unit(clean_text(name), None if "unit" not in cols else known_units())
        card.indicators.append({
            "indicator_code": code, "printed_code": printed, "indicator_name": name,
            "unit": clean_text(unit) or bracket_unit,
            "weight_raw": _cell(row, cols.get("weight_pct")), "baseline_raw": _cell(row, cols.get("baseline")),
            "monitoring_frequency": _cell(row, cols.get("monitoring_frequency")),
            "reporting_frequency": _cell(row, cols.get("reporting_frequency")),
            "targets": {y: row[j] for y, j in self.years.items() if j < len(row)},
            "source_page": page,
        })
        return True


# "- Mülkiyet sorunları …": a line of a card field's list (risks, strategies), never a name's rest.
_BULLET = re.compile(r"^[-–•*]\s")


# How many levels a bare printed number of each code kind has ("1" a goal, "1.3" an objective).
_LEVELS = {"goal": 1, "objective": 2}


def _cell(row: list[str], j: int | None) -> str | None:
    return (clean_text(row[j]) or None) if j is not None and j < len(row) else None


def _split_units(value: str) -> str:
    """Cooperating units as "a; b; c", whether printed with separators or one per line."""
    from etl.layout import vocabulary

    suffixes = {casefold_tr(w) for w in vocabulary()["units"]["suffixes"]}
    parts: list[str] = []
    for chunk in re.split(r"[,;\n]|•", value):
        words, cur = clean_text(chunk).split(" "), []
        for w in words:
            if w:
                cur.append(w)
            if cur and casefold_tr(w).strip(".") in suffixes:
                parts.append(" ".join(cur))
                cur = []
        if cur:
            if parts and len(cur) <= 2 and not any(casefold_tr(x) in suffixes for x in cur):
                parts[-1] += " " + " ".join(cur)  # "… Müdürlüğü (Kadın Birimi)"-like tails stay with their unit
            else:
                parts.append(" ".join(cur))
    return "; ".join(p for p in parts if p)


def _emit_card(c: _Card, ctx: Context, rec: Records, plan: _PlanList) -> None:
    if not c.objective_code:
        ctx.issue("warning", "scorecard_without_objective",
                  f"a scorecard on page {c.page or '?'} has no readable Hedef code; its "
                  f"{len(c.indicators)} indicators were skipped", c.page)
        return
    cost_raw, cost_page = c.fields.get("cost_estimate", (None, None))
    listed = plan.objectives.get(c.objective_code)
    title = c.title or (listed[1] if listed else None)
    rec.add("objectives", ctx.plan(
        objective_code=c.objective_code, printed_code=c.printed_code, goal_code=c.goal_code,
        objective_title=title,
        responsible_unit=clean_text(c.fields.get("responsible_unit", ("",))[0]) or None,
        cooperating_units=_split_units(c.fields.get("cooperating_units", ("",))[0]) or None,
        cost_estimate=number(cost_raw, ctx, cost_page) if cost_raw else None,
        cost_estimate_raw=cost_raw,
        risks=c.fields.get("risks", (None,))[0], strategies=c.fields.get("strategies", (None,))[0],
        findings=c.fields.get("findings", (None,))[0], needs=c.fields.get("needs", (None,))[0],
        gender_marker=None, source_page=c.page))
    obj_num = c.objective_code[1:]
    for n, ind in enumerate(c.indicators, start=1):
        code = ind["indicator_code"] or f"PG{obj_num}.{n}"
        page = ind["source_page"]
        if ind["indicator_code"] and not code[2:].startswith(obj_num + "."):
            ctx.issue("warning", "indicator_code_mismatch",
                      f"page {page}: indicator {code} is printed on the scorecard of {c.objective_code}", page)
        rec.add("indicators", ctx.plan(
            indicator_code=code, printed_code=ind["printed_code"], objective_code=c.objective_code,
            indicator_name=ind["indicator_name"], unit=ind["unit"],
            weight_pct=number(ind["weight_raw"], ctx, page) if ind["weight_raw"] else None,
            baseline_value=number(ind["baseline_raw"], ctx, page) if ind["baseline_raw"] else None,
            monitoring_frequency=ind["monitoring_frequency"], reporting_frequency=ind["reporting_frequency"],
            gender_marker=None, source_page=page))
        for year, raw in ind["targets"].items():
            rec.add("indicator_values", ctx.value(
                indicator_code=code, indicator_name=ind["indicator_name"], year=year, kind="plan_target",
                value=number(raw, ctx, page), raw=raw_value(raw), unit=ind["unit"],
                performance_goal_code=None, objective_code=c.objective_code, source_page=page))
    if not c.indicators:
        ctx.issue("warning", "scorecard_without_indicators",
                  f"page {c.page}: the scorecard of {c.objective_code} has no indicator rows read", c.page)


def _row_label(row: list[str]) -> tuple[Label, int, int]:
    """The card label a row opens with, the index of its first cell and how many cells it
    takes: one, or two when a label cell's lines were read into two cells, in either order
    ("Tahmini" / "Maliyet" as "Maliyet | Tahmini")."""
    first_idx = next((j for j, c in enumerate(row) if c), 0)
    first = row[first_idx] if row else ""
    lab = read_label(first, "sp_scorecard")
    second = row[first_idx + 1] if first_idx + 1 < len(row) else ""
    if lab.field or not second or is_number(second) or len(second.split()) > 2:
        return lab, first_idx, 1
    for text in (f"{first} {second}", f"{second} {first}"):
        two = read_label(text, "sp_scorecard")
        if two.field and two.field not in ("goal", "objective", "indicators_header"):
            return two, first_idx, 2
    return lab, first_idx, 1

