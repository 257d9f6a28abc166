"""Strategic plan tables → goal, objective, indicator, plan-target and cost records.

Reads the goal list (Amaç ve Hedefler), one scorecard (Hedef Kartı) per objective —
possibly spilling onto the next page, with or without a repeated indicator header — and the
Tahmini Maliyet table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.layout import known_units, labels, table_kinds
from etl.records.common import Context, Records, number, raw_value
from etl.tables import Table, _year_columns, map_columns
from etl.turkish import (
    canonical_code,
    clean_text,
    is_number,
    match_key,
    split_code,
    split_leading_code,
    split_trailing_unit,
)

_KIND = {k.name: k for k in table_kinds()}


def label_of(cell: str, kind: str) -> str | None:
    """The canonical field a key/value row label stands for, or None."""
    key = match_key(cell)
    if not key:
        return None
    for fieldname, syns in labels()[kind].items():
        for s in syns:
            if key == s or (" " in s and key.startswith(s)):
                return fieldname
    return None


@dataclass
class _Card:
    objective_code: str | None = None
    printed_code: str | None = None
    goal_code: str | None = None
    title: str | None = None
    page: int | None = None
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    indicator_cols: dict[str, int] = field(default_factory=dict)
    year_cols: dict[int, int] = field(default_factory=dict)
    n_cols: int = 0
    last_page: int | None = None
    indicators: list[dict] = field(default_factory=list)


def parse(tables: list[Table], ctx: Context) -> Records:
    """Turn a strategic plan's tables into records."""
    rec = Records()
    goal_titles: dict[str, tuple[str, str, int]] = {}
    objective_titles: dict[str, str] = {}
    cards: list[_Card] = []
    card: _Card | None = None
    for t in tables:
        continues_card = (t.kind is None and card is not None and card.last_page is not None
                          and t.page == card.last_page + 1)
        if t.kind == "sp_goal_list":
            card = None
            _goal_list(t, goal_titles, objective_titles)
        elif t.kind == "sp_cost":
            card = None
            _cost_table(t, ctx, rec)
        elif t.kind == "sp_scorecard" or continues_card:
            starts_new = any(label_of(r[0], "sp_scorecard") in ("goal", "objective") for r in t.rows[:3] if r)
            if starts_new or card is None:
                card = _Card()
                cards.append(card)
            _scorecard_rows(t, card, goal_titles)
            card.last_page = t.row_pages[-1] if t.row_pages else t.page
        else:
            card = None
    for code, (printed, title, page) in goal_titles.items():
        rec.add("goals", ctx.plan(goal_code=code, printed_code=printed, goal_title=title, source_page=page))
    for c in cards:
        _emit_card(c, ctx, rec, objective_titles)
    return rec


def _goal_list(t: Table, goals: dict, objective_titles: dict[str, str]) -> None:
    code_col = t.columns.get("code", 0)
    title_col = t.columns.get("title", 1)
    for page, row in t.data_rows():
        cell = row[code_col] if code_col < len(row) else ""
        title = row[title_col] if title_col < len(row) else ""
        if not cell and title:
            cell, title = title, ""
        for kind in ("objective", "goal"):
            printed, code, rest = split_code(cell, kind)
            if code:
                text = clean_text(title or rest)
                if kind == "goal":
                    goals.setdefault(code, (printed, text, page))
                else:
                    objective_titles.setdefault(code, text)
                break


def _cost_table(t: Table, ctx: Context, rec: Records) -> None:
    code_col = t.columns.get("code", 0)
    for page, row in t.data_rows():
        code = None
        for kind in ("objective", "goal"):
            _, code, _ = split_code(row[code_col] if code_col < len(row) else "", kind)
            if code:
                break
        if not code:
            continue
        for year, j in t.year_columns.items():
            if j < len(row):
                rec.add("objective_costs", ctx.plan_short(code=code, year=year, amount=number(row[j], ctx, page),
                                                          raw=row[j], source_page=page))
        if "total" in t.columns and t.columns["total"] < len(row):
            rec.add("objective_costs", ctx.plan_short(code=code, year=None, amount=number(row[t.columns["total"]], ctx, page),
                                                      raw=row[t.columns["total"]], source_page=page))


def _is_indicator_header(row: list[str]) -> bool:
    text = " ".join(match_key(c) for c in row)
    return ("hedefe etkisi" in text or "performans gösterge" in text) and len(_year_columns([row])) >= 2


def _scorecard_rows(t: Table, card: _Card, goal_titles: dict) -> None:
    cols = _KIND["sp_scorecard"].columns
    for i, row in enumerate(t.rows):
        page = t.row_pages[i]
        if not any(row):
            continue
        if _is_indicator_header(row):
            labels_ = [match_key(c) for c in row]
            card.indicator_cols = map_columns(labels_, cols)
            card.year_cols = _year_columns([row])
            card.n_cols = len(row)
            continue
        label = label_of(row[0], "sp_scorecard")
        value = " ".join(c for c in row[1:] if c).strip()
        if label is None:
            # A label that carries the code itself: "Stratejik Hedef 1.1 | <title>".
            for kind, fname in (("objective", "objective"), ("goal", "goal")):
                printed, code, rest = split_code(row[0], kind)
                if code and not rest and value and not is_number(value):
                    label, value = fname, f"{printed} {value}"
                    break
        if label in ("goal", "objective"):
            kind = label
            printed, code, rest = split_code(value, kind)
            if kind == "goal":
                card.goal_code = code
                if code and rest:
                    goal_titles.setdefault(code, (printed, rest, page))
            else:
                card.objective_code, card.printed_code, card.title, card.page = code, printed, rest, page
            continue
        if label and label != "indicators_header":
            card.fields.setdefault(label, (value, page))
            continue
        if card.indicator_cols or card.year_cols:
            _indicator_row(row, page, card)


def _indicator_row(row: list[str], page: int, card: _Card) -> None:
    cols = card.indicator_cols
    name_cell = row[cols["name"]] if "name" in cols and cols["name"] < len(row) else row[0]
    code_cell = row[cols["code"]] if "code" in cols and cols["code"] < len(row) else ""
    printed, code, name = split_code(code_cell or name_cell, "indicator")
    if code_cell and code:
        name = name_cell
    elif not code:
        num, rest = split_leading_code(name_cell)
        printed, name = num, rest
    has_numbers = any(is_number(row[j]) for j in card.year_cols.values() if j < len(row))
    if not code and not has_numbers and card.indicators:
        # The rest of a name split by a page break or a forced line.
        card.indicators[-1]["indicator_name"] = clean_text(card.indicators[-1]["indicator_name"] + " " + name)
        return
    if not name and not has_numbers:
        return
    unit = row[cols["unit"]] if "unit" in cols and cols["unit"] < len(row) else None
    # Without a unit column the unit is printed in brackets after the name: "… sayısı (kişi)".
    name, bracket_unit = split_trailing_unit(clean_text(name), None if "unit" not in cols else known_units())
    card.indicators.append({
        "indicator_code": code, "printed_code": printed, "indicator_name": name,
        "unit": clean_text(unit) or bracket_unit,
        "weight_raw": row[cols["weight_pct"]] if "weight_pct" in cols and cols["weight_pct"] < len(row) else None,
        "baseline_raw": row[cols["baseline"]] if "baseline" in cols and cols["baseline"] < len(row) else None,
        "monitoring_frequency": _cell(row, cols.get("monitoring_frequency")),
        "reporting_frequency": _cell(row, cols.get("reporting_frequency")),
        "targets": {y: row[j] for y, j in card.year_cols.items() if j < len(row)},
        "source_page": page,
    })


def _cell(row: list[str], j: int | None) -> str | None:
    return clean_text(row[j]) or None if j is not None and j < len(row) else None


def _split_units(value: str) -> str:
    parts = [clean_text(p) for p in re.split(r"[,;\n]|•", value) if clean_text(p)]
    return "; ".join(parts)


def _emit_card(c: _Card, ctx: Context, rec: Records, objective_titles: dict[str, str]) -> None:
    if not c.objective_code:
        ctx.issue("warning", "scorecard_without_objective",
                  f"a scorecard on page {c.page or '?'} has no Hedef row; its indicators were skipped", c.page)
        return
    cost_raw, cost_page = c.fields.get("cost_estimate", (None, None))
    title = c.title or objective_titles.get(c.objective_code)
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
    if canonical_code(c.objective_code, "objective") is None:
        ctx.issue("warning", "objective_code", f"objective code {c.objective_code!r} is not canonical", c.page)
