"""Performance program tables → performance goals, activities, program targets, budget lines.

Reads the İdare Performans Tablosu (summary of performance goals with money), each
Performans Hedefi Tablosu (a card naming the goal, then its indicator and activity tables)
and the Toplam Kaynak İhtiyacı table by economic code.
"""

from __future__ import annotations

import re

from etl.records.common import Context, Records, number, raw_value
from etl.records.sp import label_of
from etl.tables import Table
from etl.turkish import clean_text, is_number, match_key, split_code, split_leading_code

# Total lines of the summary and economic tables, recognised by their label.
TOTAL_LINES = {
    "genel yönetim": "general_admin", "diğer idarelere transfer": "transfers", "genel toplam": "grand_total",
    "bütçe toplamı": "budget_total", "bütçe dışı kaynak": "off_budget", "toplam kaynak ihtiyacı": "grand_total",
    "faaliyetler toplamı": "activities", "toplam": "total",
}


def total_line(text: str) -> str | None:
    """The canonical total line a label names ("GENEL TOPLAM" → grand_total), or None."""
    key = match_key(text)
    for label, line in TOTAL_LINES.items():
        if key.startswith(label):
            return line
    return None


def _cell(t: Table, row: list[str], col: str) -> str:
    j = t.columns.get(col)
    return row[j] if j is not None and j < len(row) else ""


def parse(tables: list[Table], ctx: Context) -> Records:
    """Turn a performance program's tables into records."""
    rec = Records()
    summary: dict[str, dict] = {}
    current: dict = {}
    n_activity: dict[str, int] = {}
    for t in tables:
        if t.kind == "pp_summary":
            _summary(t, ctx, rec, summary)
        elif t.kind == "pp_goal_card":
            current = _card(t)
            if current.get("performance_goal_code"):
                summary.setdefault(current["performance_goal_code"], {}).update(
                    {k: v for k, v in current.items() if v is not None})
        elif t.kind == "pp_indicators":
            _indicators(t, ctx, rec, current)
        elif t.kind == "pp_activities":
            _activities(t, ctx, rec, current, n_activity)
        elif t.kind == "pp_economic":
            _economic(t, ctx, rec)
    for code, g in summary.items():
        rec.add("performance_goals", ctx.yearly(
            performance_goal_code=code, printed_code=g.get("printed_code"), objective_code=g.get("objective_code"),
            goal_code=g.get("goal_code"), title=g.get("title"), responsible_unit=g.get("responsible_unit"),
            budget=g.get("budget"), off_budget=g.get("off_budget"), total=g.get("total"), share_pct=g.get("share_pct"),
            source_page=g.get("card_page") or g.get("summary_page")))
    return rec


def _summary(t: Table, ctx: Context, rec: Records, summary: dict[str, dict]) -> None:
    goal = objective = None
    for page, row in t.data_rows():
        ph_cell = _cell(t, row, "performance_goal")
        g_cell, o_cell = _cell(t, row, "goal"), _cell(t, row, "objective")
        line = total_line(g_cell or ph_cell or " ".join(row))
        printed, code, title = split_code(ph_cell, "performance_goal")
        if not code and line:
            rec.add("program_totals", ctx.yearly(
                line=line, label=clean_text(g_cell or ph_cell or row[0]),
                budget=number(_cell(t, row, "budget"), ctx, page), off_budget=number(_cell(t, row, "off_budget"), ctx, page),
                total=number(_cell(t, row, "total"), ctx, page), source_page=page))
            continue
        # Merged Amaç / Hedef cells print once for several rows: carry them down.
        goal = split_code(g_cell, "goal")[1] or goal
        objective = split_code(o_cell, "objective")[1] or objective
        if not code:
            continue
        entry = summary.setdefault(code, {})
        entry.update(printed_code=printed, title=title or None, goal_code=goal, objective_code=objective,
                     budget=number(_cell(t, row, "budget"), ctx, page),
                     off_budget=number(_cell(t, row, "off_budget"), ctx, page),
                     total=number(_cell(t, row, "total"), ctx, page),
                     share_pct=number(_cell(t, row, "share_pct"), ctx, page), summary_page=page)


def _card(t: Table) -> dict:
    card: dict = {}
    for i, row in enumerate(t.rows):
        label = label_of(row[0], "pp_goal_card") if row else None
        value = " ".join(c for c in row[1:] if c)
        if label == "performance_goal":
            printed, code, title = split_code(value, "performance_goal")
            card.update(performance_goal_code=code, printed_code=printed, title=title or None, card_page=t.row_pages[i])
        elif label == "objective":
            card["objective_code"] = split_code(value, "objective")[1]
        elif label == "goal":
            card["goal_code"] = split_code(value, "goal")[1]
        elif label == "responsible_unit":
            card["responsible_unit"] = clean_text(value) or None
    return card


def _header_years(t: Table) -> dict[str, int]:
    """Which year each value column of a PP indicator table refers to (t-2, t-1, t)."""
    years = {}
    for col in ("actual_t2", "estimate_t1", "target"):
        j = t.columns.get(col)
        if j is None:
            continue
        text = " ".join(t.rows[i][j] for i in range(t.header_rows) if j < len(t.rows[i]))
        m = re.search(r"(20\d{2})", text)
        if m:
            years[col] = int(m.group(1))
    return years


def _indicators(t: Table, ctx: Context, rec: Records, current: dict) -> None:
    years = _header_years(t)
    year = years.get("target", ctx.year_start)
    kinds = {"target": ("program_target", year), "actual_t2": ("program_prior_actual", years.get("actual_t2", year - 2)),
             "estimate_t1": ("program_estimate", years.get("estimate_t1", year - 1))}
    for page, row in t.data_rows():
        name_cell = _cell(t, row, "name")
        code_cell = _cell(t, row, "code")
        printed, code, name = split_code(code_cell or name_cell, "indicator")
        if code_cell:
            name = name_cell
        if not code:
            continue
        unit = clean_text(_cell(t, row, "unit")) or None
        for col, (kind, y) in kinds.items():
            raw = _cell(t, row, col)
            if col not in t.columns:
                continue
            rec.add("indicator_values", ctx.value(
                indicator_code=code, indicator_name=clean_text(name), year=y, kind=kind,
                value=number(raw, ctx, page), raw=raw_value(raw), unit=unit,
                performance_goal_code=current.get("performance_goal_code"),
                objective_code=current.get("objective_code"), source_page=page))


def _activities(t: Table, ctx: Context, rec: Records, current: dict, n_activity: dict[str, int]) -> None:
    ph = current.get("performance_goal_code") or "PH?"
    sums = [0.0, 0.0, 0.0]
    for page, row in t.data_rows():
        name_cell = _cell(t, row, "name") or row[0]
        if total_line(name_cell):
            printed_total = number(_cell(t, row, "total"), ctx, page)
            if printed_total is not None and abs(printed_total - sums[2]) > 0.011:
                ctx.issue("error", "activities_sum_to_total",
                          f"page {page}: activities of {ph} sum to {sums[2]:,.2f} TL but the table prints "
                          f"{printed_total:,.2f} TL ({clean_text(name_cell)})", page)
            continue
        printed_code, name = split_leading_code(name_cell)
        if not name or not any(is_number(c) for c in row[1:]):
            continue
        budget = number(_cell(t, row, "budget"), ctx, page)
        off = number(_cell(t, row, "off_budget"), ctx, page)
        total = number(_cell(t, row, "total"), ctx, page)
        for k, v in enumerate((budget, off, total)):
            sums[k] += v or 0.0
        n_activity[ph] = n_activity.get(ph, 0) + 1
        rec.add("activities", ctx.base(
            activity_id=f"{ctx.municipality_id}:{ctx.year_start}:{ph}:{n_activity[ph]}", year=ctx.year_start,
            performance_goal_code=current.get("performance_goal_code"), objective_code=current.get("objective_code"),
            printed_code=printed_code, activity_name=clean_text(name), responsible_unit=current.get("responsible_unit"),
            budget=budget, off_budget=off, total=total, gender_marker=None, source_page=page))


def economic_code(cell: str) -> str | None:
    """"01", "1", "01 - Personel Giderleri" → "01"; anything else → None."""
    m = re.match(r"^\s*0?([1-9])(?:\s|$|[-.–])", clean_text(cell) + " ")
    return f"0{m.group(1)}" if m else None


def _economic(t: Table, ctx: Context, rec: Records) -> None:
    code_col = t.columns.get("economic_code", 0)
    for page, row in t.data_rows():
        code = economic_code(row[code_col]) if code_col < len(row) else None
        label = clean_text(_cell(t, row, "label"))
        if code is None:
            line = total_line(label or " ".join(row))
            if line:
                rec.add("program_totals", ctx.yearly(
                    line=line, label=label, budget=number(_cell(t, row, "total"), ctx, page), off_budget=None,
                    total=number(_cell(t, row, "total"), ctx, page), source_page=page))
            continue
        raw = _cell(t, row, "total")
        rec.add("budget_lines", ctx.yearly(phase="program", economic_code=code, label=label or None,
                                           amount=number(raw, ctx, page), raw=raw_value(raw), source_page=page))
        for part in ("activities", "general_admin", "transfers"):
            if part in t.columns:
                rec.add("program_budget_parts", ctx.yearly(economic_code=code, part=part,
                                                           amount=number(_cell(t, row, part), ctx, page), source_page=page))
