"""Money: the gender budget per municipality × year, and budget execution by economic code.

Gender budget amounts are sums over the PP's activities: ``total`` (budget + off-budget) and
``budget`` only, split by the activity's gender marker. Spent amounts come from the FR's
activity cost table, each row matched to a PP activity by year and :func:`match_key` name (the
performance goal code breaks ties between equal names). Real values are deflated with the
annual-average CPI in ``cpi_tr.csv`` to the prices of ``base_year``; per-capita values use
``municipalities.population``.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

from etl.analysis.marker import text_key

CPI_PATH = Path(__file__).with_name("cpi_tr.csv")


def read_cpi(path: Path = CPI_PATH) -> dict[int, float]:
    """year → annual average CPI (2003=100); lines starting with '#' are comments."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {int(r["year"]): float(r["cpi_annual_avg"])
                for r in csv.DictReader(line for line in fh if not line.lstrip().startswith("#"))
                if (r.get("cpi_annual_avg") or "").strip()}


def round_half_away(x: float, digits: int = 2) -> float:
    """Round like DuckDB's ``round()`` (half away from zero), not Python's (half to even on the
    binary value): the dashboard showed these figures from SQL before they were precomputed."""
    scale = 10.0 ** digits
    return math.copysign(math.floor(abs(x) * scale + 0.5), x) / scale


def percent_of(part: float | None, whole: float | None) -> float | None:
    """100 × part / whole rounded to 2 as SQL did (``round(100.0 * part / nullif(whole, 0), 2)``)."""
    if part is None or not whole:
        return None
    return round_half_away(100.0 * part / whole)


def _share(part: float | None, whole: float | None) -> float | None:
    return round(part / whole * 100, 2) if part is not None and whole else None


def _spending_rows(rows: dict[str, list[dict]]) -> list[dict]:
    """What each activity cost, from either layout of an activity report: a Faaliyet
    Maliyetleri table (activity_results), or the TL rows a results table mixes in with its
    indicators (report_results, row_type activity_cost), used for a year only when the
    report has no table of the first kind."""
    out = list(rows.get("activity_results") or [])
    have = {(r["municipality_id"], r["year"]) for r in out}
    for r in rows.get("report_results") or []:
        if r.get("row_type") == "activity_cost" and (r["municipality_id"], r["year"]) not in have:
            out.append({"municipality_id": r["municipality_id"], "year": r["year"], "activity_name": r.get("name"),
                        "performance_goal_code": r.get("performance_goal_code"), "spent": r.get("actual")})
    return out


def _match_spent(rows: dict[str, list[dict]]) -> tuple[dict[str, float], dict[tuple[str, int], int],
                                                         dict[tuple[str, int], float]]:
    """activity_id → spent; unmatched FR rows and total spent per (municipality, year)."""
    index: dict[tuple[str, int, str], list[dict]] = defaultdict(list)
    for a in rows.get("activities") or []:
        index[(a["municipality_id"], a["year"], text_key(a.get("activity_name")))].append(a)
    spent: dict[str, float] = defaultdict(float)
    unmatched: dict[tuple[str, int], int] = defaultdict(int)
    total: dict[tuple[str, int], float] = defaultdict(float)
    for r in _spending_rows(rows):
        key = (r["municipality_id"], r["year"])
        if r.get("spent") is None:
            continue
        total[key] += r["spent"]
        cands = index.get((*key, text_key(r.get("activity_name"))), [])
        if len(cands) > 1:
            cands = [a for a in cands if a.get("performance_goal_code") == r.get("performance_goal_code")] or cands
        if cands:
            spent[cands[0]["activity_id"]] += r["spent"]
        else:
            unmatched[key] += 1
    return spent, unmatched, total


def gender_budget(rows: dict[str, list[dict]], cpi: dict[int, float] | None = None,
                  base_year: int | None = None) -> list[dict]:
    """One gender_budget row per municipality × PP year (activities must carry gender_marker)."""
    cpi = read_cpi() if cpi is None else cpi
    base_year = base_year if base_year is not None else (max(cpi) if cpi else None)
    base_cpi = cpi.get(base_year) if base_year is not None else None
    population = {m["municipality_id"]: m.get("population") for m in rows.get("municipalities") or []}
    spent, unmatched, spent_total = _match_spent(rows)
    fr_years = {(r["municipality_id"], r["year"]) for r in _spending_rows(rows)}
    sums: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for a in rows.get("activities") or []:
        s = sums[(a["municipality_id"], a["year"])]
        marker = a.get("gender_marker") or 0
        s["total"] += a.get("total") or 0.0
        s["total_bo"] += a.get("budget") or 0.0
        if marker in (1, 2):
            tag = "p" if marker == 2 else "s"
            s[tag] += a.get("total") or 0.0
            s[tag + "_bo"] += a.get("budget") or 0.0
            s[tag + "_spent"] += spent.get(a["activity_id"], 0.0)
    out = []
    for (mid, y), s in sorted(sums.items()):
        has_fr = (mid, y) in fr_years
        row = {"municipality_id": mid, "year": y,
               "total_budget": s["total"], "principal_budget": s["p"], "significant_budget": s["s"],
               "gender_total_budget": s["p"] + s["s"], "gender_share_pct": _share(s["p"] + s["s"], s["total"]),
               "total_budget_only": s["total_bo"], "principal_budget_only": s["p_bo"],
               "significant_budget_only": s["s_bo"],
               "gender_share_budget_only_pct": _share(s["p_bo"] + s["s_bo"], s["total_bo"]),
               "principal_share_pct": percent_of(s["p"], s["total"]),
               "significant_share_pct": percent_of(s["s"], s["total"]),
               # Of the gender-related program money (budget only: spending is budget), how much was spent.
               "gender_execution_pct": _share(s["p_spent"] + s["s_spent"], s["p_bo"] + s["s_bo"]) if has_fr else None,
               "total_spent": spent_total.get((mid, y)) if has_fr else None,
               "principal_spent": s["p_spent"] if has_fr else None,
               "significant_spent": s["s_spent"] if has_fr else None,
               "spent_rows_unmatched": unmatched.get((mid, y), 0) if has_fr else None,
               "population": population.get(mid), "price_base_year": base_year, "cpi_index": cpi.get(y)}
        pop = population.get(mid)
        for col in ("total_budget", "principal_budget", "significant_budget"):
            row[f"{col}_per_capita"] = round(row[col] / pop, 2) if pop else None
        factor = base_cpi / cpi[y] if base_cpi and cpi.get(y) else None
        for col in ("total_budget", "principal_budget", "significant_budget",
                    "total_spent", "principal_spent", "significant_spent"):
            row[f"{col}_real"] = round(row[col] * factor, 2) if factor and row[col] is not None else None
        out.append(row)
    return out


NO_UNIT = "–"  # the responsible unit of an activity that names none


def gender_budget_units(rows: dict[str, list[dict]]) -> list[dict]:
    """One gender_budget_units row per municipality × PP year × responsible unit: the program money
    (``total``) of its activities by gender marker, and the gender-related share (activities must
    carry gender_marker). The Gender budget page's "by directorate" view."""
    sums: dict[tuple[str, int, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for a in rows.get("activities") or []:
        unit = a.get("responsible_unit")
        s = sums[(a["municipality_id"], a["year"], NO_UNIT if unit is None else unit)]
        total = a.get("total")
        if total is None:
            continue
        marker = a.get("gender_marker") or 0
        s["principal" if marker == 2 else "significant" if marker == 1 else "not_targeted"] += total
        s["total"] += total
    return [{"municipality_id": mid, "year": y, "responsible_unit": unit,
             "principal": s["principal"], "significant": s["significant"], "not_targeted": s["not_targeted"],
             "total": s["total"], "gender_share_pct": _share(s["principal"] + s["significant"], s["total"])}
            for (mid, y, unit), s in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2]))]


def budget_execution(rows: dict[str, list[dict]]) -> list[dict]:
    """Appropriation, spending and execution rate per municipality × FR year × economic code."""
    lines: dict[tuple[str, int, str], dict] = defaultdict(dict)
    for b in rows.get("budget_lines") or []:
        key = (b["municipality_id"], b["year"], b["economic_code"])
        lines[key][b["phase"]] = b.get("amount")
        if b.get("label"):
            lines[key].setdefault("label", b["label"])
    out = []
    totals: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (mid, y, code), p in sorted(lines.items()):
        if "spent" not in p and "appropriation" not in p:
            continue  # a PP-only year: nothing executed yet
        row = {"municipality_id": mid, "year": y, "economic_code": code, "label": p.get("label"),
               "program_amount": p.get("program"), "initial_appropriation": p.get("initial_appropriation"),
               "appropriation": p.get("appropriation"), "spent": p.get("spent")}
        row["execution_rate_pct"] = _share(row["spent"], row["appropriation"])
        out.append(row)
        for col in ("program_amount", "initial_appropriation", "appropriation", "spent"):
            if row[col] is not None:
                totals[(mid, y)][col] += row[col]
    for (mid, y), t in sorted(totals.items()):
        out.append({"municipality_id": mid, "year": y, "economic_code": "TOTAL", "label": "Toplam",
                    **{c: t.get(c) for c in ("program_amount", "initial_appropriation", "appropriation", "spent")},
                    "execution_rate_pct": _share(t.get("spent"), t.get("appropriation"))})
    return out
