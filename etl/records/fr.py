"""Activity report tables → actuals, reported targets, budget execution, activity costs.

Reads the Bütçe Giderleri table by economic code, the Performans Sonuçları table (indicator
rows and TL activity-cost rows can be mixed; performance-goal headings can span the table)
and the activity cost table (planned vs spent).
"""

from __future__ import annotations

from etl.layout import tl_units
from etl.records.common import Context, Records, indicator_code, money, number, raw_value
from etl.records.pp import check_sum, economic_code, total_line
from etl.tables import Table
from etl.turkish import clean_text, is_number, match_key, split_code, split_leading_code

_PHASES = {"appropriation": "appropriation", "spent": "spent", "initial_appropriation": "initial_appropriation",
           "added": "added", "reduced": "reduced"}


def _cell(t: Table, row: list[str], col: str) -> str:
    j = t.columns.get(col)
    return row[j] if j is not None and j < len(row) else ""


def parse(tables: list[Table], ctx: Context) -> Records:
    """Turn an activity report's tables into records."""
    rec = Records()
    state = {"performance_goal_code": None}
    for t in tables:
        if t.unusable:
            continue
        if t.kind == "fr_economic":
            _economic(t, ctx, rec)
        elif t.kind == "fr_results":
            _results(t, ctx, rec, state)
        elif t.kind == "fr_activity_costs":
            _activity_costs(t, ctx, rec, state)
    return rec


def _economic(t: Table, ctx: Context, rec: Records) -> None:
    code_col = t.columns.get("economic_code", 0)
    spent_sum, n_lines, printed = 0.0, 0, None
    for page, row in t.data_rows():
        code = economic_code(row[code_col]) if code_col < len(row) else None
        label = clean_text(_cell(t, row, "label")) or None
        if code is None:
            if printed is None and total_line(label or " ".join(c for c in row if c and not is_number(c))):
                printed = money(_cell(t, row, "spent"), ctx, page) if "spent" in t.columns else None
            continue
        n_lines += 1
        for col, phase in _PHASES.items():
            if col in t.columns:
                raw = _cell(t, row, col)
                amount = money(raw, ctx, page, row_has_figures=True)
                if col == "spent":
                    spent_sum += amount or 0.0
                rec.add("budget_lines", ctx.yearly(phase=phase, economic_code=code, label=label,
                                                   amount=amount, raw=raw_value(raw), source_page=page))
    check_sum(ctx, t.page, "spending by economic code", spent_sum, printed, n_lines)


def _results(t: Table, ctx: Context, rec: Records, state: dict) -> None:
    value_cols = [t.columns[c] for c in ("target", "actual", "rate_pct") if c in t.columns]
    for page, row in t.data_rows():
        filled = [c for c in row if c]
        code_cell, name_cell = _cell(t, row, "code"), _cell(t, row, "name")
        if len(filled) == 1 and not any(row[j] for j in value_cols if j < len(row)):
            # A heading row spanning the table: "PH1 <title> (<unit>)" starts a performance goal.
            _, ph, _ = split_code(filled[0], "performance_goal")
            if ph:
                state["performance_goal_code"] = ph
            continue
        printed, code, name = indicator_code(code_cell, name_cell)
        name = clean_text(name)
        if not name or total_line(name):
            continue  # a summary line (Toplam, Genel Toplam, …) is the sum of results, never one
        unit = clean_text(_cell(t, row, "unit")) or None
        target_raw, actual_raw, rate_raw = _cell(t, row, "target"), _cell(t, row, "actual"), _cell(t, row, "rate_pct")
        if not code and not any(is_number(x) for x in (target_raw, actual_raw)):
            continue
        row_type = "indicator" if code or match_key(unit or "") not in tl_units() else "activity_cost"
        target = number(target_raw, ctx, page, "target")
        actual = number(actual_raw, ctx, page, "actual")
        rate = number(rate_raw, ctx, page, "rate")
        rec.add("report_results", ctx.yearly(
            row_type=row_type, performance_goal_code=state["performance_goal_code"], indicator_code=code,
            printed_code=printed, name=name, unit=unit, target=target, actual=actual, published_rate_pct=rate,
            target_raw=raw_value(target_raw), actual_raw=raw_value(actual_raw), rate_raw=raw_value(rate_raw),
            deviation_reason=clean_text(_cell(t, row, "deviation_reason")) or None, source_page=page))
        if row_type != "indicator" or not code:
            continue
        for kind, value, raw in (("reported_target", target, target_raw), ("actual", actual, actual_raw)):
            rec.add("indicator_values", ctx.value(
                indicator_code=code, indicator_name=name, year=ctx.year_start, kind=kind, value=value,
                raw=raw_value(raw), unit=unit, performance_goal_code=state["performance_goal_code"],
                objective_code=None, source_page=page))


def _activity_costs(t: Table, ctx: Context, rec: Records, state: dict) -> None:
    ph = None
    for page, row in t.data_rows():
        name_cell = _cell(t, row, "name")
        if not name_cell or total_line(name_cell):
            continue
        ph = split_code(_cell(t, row, "performance_goal"), "performance_goal")[1] or ph or state["performance_goal_code"]
        _, name = split_leading_code(name_cell)
        rec.add("activity_results", ctx.yearly(
            performance_goal_code=ph, activity_name=clean_text(name),
            planned=number(_cell(t, row, "planned"), ctx, page), spent=number(_cell(t, row, "spent"), ctx, page),
            published_rate_pct=number(_cell(t, row, "rate_pct"), ctx, page), source_page=page))
