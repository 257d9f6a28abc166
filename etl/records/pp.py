"""Performance program tables → performance goals, activities, program targets, budget lines.

Reads the İdare Performans Tablosu (summary of performance goals with money), each
Performans Hedefi Tablosu (a card naming the goal, then its indicator and activity tables)
and the Toplam Kaynak İhtiyacı table by economic code.
"""

from __future__ import annotations

import re

from etl.layout import total_line_labels
from etl.records.common import Context, Records, indicator_code, money, number, raw_value
from etl.records.labels import label_of, strip_lost_code
from etl.tables import Table
from etl.turkish import clean_text, is_number, match_key, split_code, split_leading_code


def total_line(text: str) -> str | None:
    """The canonical total line a label names ("GENEL TOPLAM" → grand_total), or None.

    The labels are in layouts/vocabulary.toml ([total_lines]); summary lines are totals,
    never activities."""
    key = match_key(text)
    for label, line in total_line_labels():
        if key == label or key.startswith(label + " "):
            return line
    return None



def _cell(t: Table, row: list[str], col: str) -> str:
    j = t.columns.get(col)
    return row[j] if j is not None and j < len(row) else ""


def _money(t: Table, row: list[str], col: str, ctx: Context, page: int) -> float | None:
    """A money cell of a row that adds up (see records.common.money); NULL without the column."""
    if col not in t.columns:
        return None
    others = [_cell(t, row, c) for c in _MONEY_COLUMNS if c != col and c in t.columns]
    return money(_cell(t, row, col), ctx, page, row_has_figures=any(is_number(c) for c in others))


_MONEY_COLUMNS = ("budget", "off_budget", "total", "activities", "general_admin", "transfers")


def parse(tables: list[Table], ctx: Context) -> Records:
    """Turn a performance program's tables into records."""
    rec = Records()
    summary: dict[str, dict] = {}
    current: dict = {}
    n_activity: dict[str, int] = {}
    for t in tables:
        if t.unusable:
            continue
        if t.kind == "pp_summary":
            _summary(t, ctx, rec, summary)
        elif t.kind == "pp_goal_card" or (t.kind is None and current and _continues_card(t)):
            part = _card(t)
            if t.kind == "pp_goal_card":
                current = part
            else:  # the rest of a card that the page break cut (Sorumlu Birim, Açıklamalar)
                t.consumed = True
                for k, v in part.items():
                    current.setdefault(k, v)
            if current.get("performance_goal_code"):
                summary.setdefault(current["performance_goal_code"], {}).update(
                    {k: v for k, v in current.items() if v is not None})
        elif t.kind == "pp_indicators":
            _indicators(t, ctx, rec, current)
        elif t.kind == "pp_activities":
            _activities(t, ctx, rec, current, n_activity)
        elif t.kind == "pp_economic":
            _economic(t, ctx, rec)
    _objectives_from_tree_codes(rec, summary)
    for code, g in summary.items():
        rec.add("performance_goals", ctx.yearly(
            performance_goal_code=code, printed_code=g.get("printed_code"), objective_code=g.get("objective_code"),
            goal_code=g.get("goal_code"), objective_title=g.get("objective_title"),
            title=g.get("title"), responsible_unit=g.get("responsible_unit"),
            budget=g.get("budget"), off_budget=g.get("off_budget"), total=g.get("total"), share_pct=g.get("share_pct"),
            source_page=g.get("card_page") or g.get("summary_page")))
    return rec


def _objectives_from_tree_codes(rec: Records, summary: dict[str, dict]) -> None:
    """Where no objective code was read, a performance goal numbered in the plan's tree
    ("PH1.1.2", "Performans Hedefi 1.1.2") names it in its first two levels: H1.1. Rows of a
    card take their performance goal's objective."""
    from etl.turkish import code_levels

    def derived(pg: str | None) -> str | None:
        digits = (pg or "")[2:]
        return "H" + ".".join(digits.split(".")[:2]) if pg and pg.startswith("PH") and code_levels(digits) == 3 else None

    for code, g in summary.items():
        if not g.get("objective_code"):
            g["objective_code"] = derived(code)
    # A card whose Stratejik Hedef code was not read still belongs to the objective the
    # summary table (İdare Performans Tablosu) gives its performance goal.
    for rel in ("activities", "indicator_values"):
        for row in rec.get(rel, []):
            if not row.get("objective_code"):
                pg = row.get("performance_goal_code")
                row["objective_code"] = summary.get(pg, {}).get("objective_code") or derived(pg)


def _summary(t: Table, ctx: Context, rec: Records, summary: dict[str, dict]) -> None:
    goal = objective = None
    for page, row in t.data_rows():
        ph_cell = _cell(t, row, "performance_goal")
        g_cell, o_cell = _cell(t, row, "goal"), _cell(t, row, "objective")
        line = total_line(g_cell or ph_cell or " ".join(row))
        found = _row_codes(row[: min(t.columns.get("budget", len(row)), len(row))])
        printed, code, title = split_code(ph_cell, "performance_goal")
        if not code and "performance_goal" in found:
            # The cells were drawn shifted: "1.1 PH1: …" under Hedef, the PH column empty.
            printed, code, title = found["performance_goal"]
        if not code and line:
            rec.add("program_totals", ctx.yearly(
                line=line, label=clean_text(g_cell or ph_cell or row[0]),
                budget=_money(t, row, "budget", ctx, page), off_budget=_money(t, row, "off_budget", ctx, page),
                total=_money(t, row, "total", ctx, page), source_page=page))
            continue
        # Merged Amaç / Hedef cells print once for several rows: carry them down.
        goal = split_code(g_cell, "goal")[1] or found.get("goal", (None, None))[1] or goal
        objective = split_code(o_cell, "objective")[1] or found.get("objective", (None, None))[1] or objective
        if not code:
            continue
        entry = summary.setdefault(code, {})
        entry.update(printed_code=printed, title=title or None, goal_code=goal, objective_code=objective,
                     budget=_money(t, row, "budget", ctx, page),
                     off_budget=_money(t, row, "off_budget", ctx, page),
                     total=_money(t, row, "total", ctx, page),
                     share_pct=number(_cell(t, row, "share_pct"), ctx, page), summary_page=page)


def _row_codes(cells: list[str]) -> dict[str, tuple[str | None, str | None, str]]:
    """Goal, objective and performance-goal codes a summary row prints, wherever its cells put
    them: peeled off each cell's front in turn ("Stratejik Amaç 1", "1.1 PH1: title")."""
    from etl.turkish import canonical_code, code_levels

    found: dict[str, tuple[str | None, str | None, str]] = {}
    for cell in cells:
        rest = clean_text(cell)
        while rest:
            for kind in ("performance_goal", "objective", "goal"):
                printed, code, tail = split_code(rest, kind)
                if code and kind not in found:
                    found[kind] = (printed, code, tail)
                    rest = tail
                    break
            else:
                head, _, tail = rest.partition(" ")
                kind = {1: "goal", 2: "objective"}.get(code_levels(head))
                if kind and kind not in found:
                    found[kind] = (head, canonical_code(head, kind), tail)
                    rest = tail
                    continue
                break
    return found


def _continues_card(t: Table) -> bool:
    known = sum(1 for r in t.rows if r and label_of(next((c for c in r if c), ""), "pp_goal_card"))
    return t.n_cols <= 4 and known >= max(1, len(t.rows) // 2)


def _card(t: Table) -> dict:
    card: dict = {}
    for i, row in enumerate(t.rows):
        label = label_of(row[0], "pp_goal_card") if row else None
        value = " ".join(c for c in row[1:] if c)
        if label == "performance_goal":
            printed, code, title = split_code(value, "performance_goal")
            card.update(performance_goal_code=code, printed_code=printed, title=title or None, card_page=t.row_pages[i])
        elif label == "objective":
            _, code, title = split_code(value, "objective")
            card["objective_code"] = code
            # Kept for linking to the plan by title when the code is not readable (etl.link).
            card["objective_title"] = strip_lost_code(title) or None
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
    skipped: list[int] = []
    for page, row in t.data_rows():
        name_cell = _cell(t, row, "name")
        code_cell = _cell(t, row, "code")
        printed, code, name = indicator_code(code_cell, name_cell)
        if not code:
            if any(is_number(_cell(t, row, c)) for c in kinds):
                skipped.append(page)
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
    if skipped:
        ctx.issue("warning", "indicator_without_code",
                  f"page {skipped[0]}: {len(skipped)} indicator rows with figures have no readable code; their "
                  "values were not loaded. Map the code column or the code style in the layout file", skipped[0])


def _activities(t: Table, ctx: Context, rec: Records, current: dict, n_activity: dict[str, int]) -> None:
    ph = current.get("performance_goal_code") or "PH?"
    sums = [0.0, 0.0, 0.0]
    n_rows, total_seen = 0, False
    for page, row in t.data_rows():
        name_cell = _cell(t, row, "name") or row[0]
        if total_line(name_cell) or total_line(" ".join(c for c in row if c and not is_number(c))):
            printed_total = _money(t, row, "total", ctx, page)
            total_seen = total_seen or printed_total is not None
            if printed_total is not None and abs(printed_total - sums[2]) > 0.011:
                ctx.issue("error", "activities_sum_to_total",
                          f"page {page}: activities of {ph} sum to {sums[2]:,.2f} TL but the table prints "
                          f"{printed_total:,.2f} TL ({clean_text(name_cell)})", page)
            continue
        printed_code, name = split_leading_code(name_cell)
        if not name or not any(is_number(c) for c in row[1:]):
            continue
        budget = _money(t, row, "budget", ctx, page)
        off = _money(t, row, "off_budget", ctx, page)
        total = _money(t, row, "total", ctx, page)
        for k, v in enumerate((budget, off, total)):
            sums[k] += v or 0.0
        n_rows += 1
        if budget is not None and off is not None and total is not None and abs(budget + off - total) > 0.011:
            ctx.issue("error", "activity_row_sum", f"page {page}: activity '{clean_text(name)[:60]}': budget "
                      f"{budget:,.2f} + off-budget {off:,.2f} ≠ total {total:,.2f}", page)
        n_activity[ph] = n_activity.get(ph, 0) + 1
        rec.add("activities", ctx.base(
            activity_id=f"{ctx.municipality_id}:{ctx.year_start}:{ph}:{n_activity[ph]}", year=ctx.year_start,
            performance_goal_code=current.get("performance_goal_code"), objective_code=current.get("objective_code"),
            printed_code=printed_code, activity_name=clean_text(name), responsible_unit=current.get("responsible_unit"),
            budget=budget, off_budget=off, total=total, gender_marker=None, source_page=page))
    if not total_seen:
        check_sum(ctx, t.page, f"activities of {ph}", sums[2], None, n_rows)


def economic_code(cell: str) -> str | None:
    """"01", "1", "01 - Personel Giderleri" → "01"; a sub-line "01.1" or anything else → None."""
    m = re.match(r"^\s*0?([1-9])(?!\s*[.,]\s*\d)(?:\s|$|[-.–:])", clean_text(cell) + " ")
    return f"0{m.group(1)}" if m else None


def check_sum(ctx: Context, page: int, what: str, parts_sum: float, printed: float | None, n_parts: int) -> None:
    """Rows must add up to the total the table prints; a total that was not read is a finding too."""
    if printed is None:
        if n_parts:
            ctx.issue("warning", "total_not_read",
                      f"page {page}: {what}: no total line was read, so the {n_parts} rows could not be "
                      "checked against a printed total", page)
        return
    if abs(printed - parts_sum) > 1.0:
        ctx.issue("error", "rows_sum_to_total",
                  f"page {page}: {what}: the rows sum to {parts_sum:,.2f} TL but the table prints "
                  f"{printed:,.2f} TL", page)


def _economic(t: Table, ctx: Context, rec: Records) -> None:
    code_col = t.columns.get("economic_code", 0)
    total_sum, n_lines, printed = 0.0, 0, None
    for page, row in t.data_rows():
        code = economic_code(row[code_col]) if code_col < len(row) else None
        label = clean_text(_cell(t, row, "label"))
        if code is None:
            line = total_line(label or " ".join(c for c in row if c))
            if line:
                total = _money(t, row, "total", ctx, page)
                rec.add("program_totals", ctx.yearly(
                    line=line, label=label, budget=total, off_budget=None, total=total, source_page=page))
                if printed is None and line in ("total", "grand_total", "budget_total"):
                    printed = total
            continue
        raw = _cell(t, row, "total")
        amount = _money(t, row, "total", ctx, page)
        total_sum += amount or 0.0
        n_lines += 1
        rec.add("budget_lines", ctx.yearly(phase="program", economic_code=code, label=label or None,
                                           amount=amount, raw=raw_value(raw), source_page=page))
        for part in ("activities", "general_admin", "transfers"):
            if part in t.columns:
                rec.add("program_budget_parts", ctx.yearly(economic_code=code, part=part,
                                                           amount=_money(t, row, part, ctx, page), source_page=page))
    check_sum(ctx, t.page, "economic codes (Toplam Kaynak İhtiyacı)", total_sum, printed, n_lines)
