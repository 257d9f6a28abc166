"""Validation that catches extraction errors: totals the documents print, weights, duplicates.

Each check returns issue rows for the ``validation_issues`` relation; none of them drops data.
"""

from __future__ import annotations

from collections import Counter, defaultdict

TOLERANCE_TL = 1.0  # printed totals are rounded to the kuruş; allow a lira for rounding chains


def _issue(row: dict, severity: str, check: str, message: str) -> dict:
    return {"document_id": row.get("source_document_id"), "municipality_id": row.get("municipality_id"),
            "severity": severity, "check_name": check, "message": message, "source_page": row.get("source_page")}


def activities_sum_to_goals(rows: dict[str, list[dict]]) -> list[dict]:
    """Activity totals of each performance goal equal the goal's total in the summary table."""
    sums: dict[tuple, float] = defaultdict(float)
    for a in rows.get("activities", []):
        sums[(a["municipality_id"], a["year"], a["performance_goal_code"])] += a.get("total") or 0.0
    out = []
    for g in rows.get("performance_goals", []):
        key = (g["municipality_id"], g["year"], g["performance_goal_code"])
        if g.get("total") is None or key not in sums:
            continue
        if abs(sums[key] - g["total"]) > TOLERANCE_TL:
            out.append(_issue(g, "error", "activities_sum_to_goal",
                              f"{key[1]} {key[2]}: activities sum to {sums[key]:,.2f} TL, the summary prints "
                              f"{g['total']:,.2f} TL"))
    return out


def program_total(rows: dict[str, list[dict]]) -> list[dict]:
    """Performance goals + general administration + transfers = the printed GENEL TOPLAM."""
    out = []
    parts: dict[tuple, dict[str, float]] = defaultdict(dict)
    for t in rows.get("program_totals", []):
        parts[(t["municipality_id"], t["year"], t["source_document_id"])].setdefault(t["line"], t.get("total") or 0.0)
    goal_sums: dict[tuple, float] = defaultdict(float)
    for g in rows.get("performance_goals", []):
        goal_sums[(g["municipality_id"], g["year"], g["source_document_id"])] += g.get("total") or 0.0
    for key, p in parts.items():
        if "grand_total" not in p or key not in goal_sums:
            continue
        computed = goal_sums[key] + p.get("general_admin", 0.0) + p.get("transfers", 0.0)
        grand = p["grand_total"]
        if abs(computed - grand) > TOLERANCE_TL:
            out.append({"document_id": key[2], "municipality_id": key[0], "severity": "error",
                        "check_name": "program_sum_to_total",
                        "message": f"{key[1]}: performance goals + general administration + transfers = "
                                   f"{computed:,.2f} TL, GENEL TOPLAM prints {grand:,.2f} TL",
                        "source_page": None})
    return out


SHARE_TOLERANCE_PCT = 0.51  # a share printed without decimals is off by up to half a point


def goal_shares(rows: dict[str, list[dict]]) -> list[dict]:
    """A performance goal's printed share of the resources (*Toplam Kaynak İçindeki Payı*) is its
    total over the GENEL TOPLAM: a share that is not is a misread figure (a cell cut at the page's
    edge reads "% 1" for "% 10,71"). A document whose shares all follow the performance goals'
    own sum instead is judged by that sum."""
    grand: dict[tuple, dict] = {}
    for t in rows.get("program_totals", []):
        if t["line"] == "grand_total" and t.get("total"):
            grand.setdefault((t["municipality_id"], t["year"], t["source_document_id"]), t)
    goals: dict[tuple, list[dict]] = defaultdict(list)
    for g in rows.get("performance_goals", []):
        goals[(g["municipality_id"], g["year"], g["source_document_id"])].append(g)
    out = []
    for key, gs in goals.items():
        printed = [g for g in gs if g.get("share_pct") is not None and g.get("total") is not None]
        if not printed or key not in grand:
            continue
        bases = {name: base for name, base in (("GENEL TOPLAM", grand[key]["total"]),
                                               ("the performance goals' sum", sum(g.get("total") or 0 for g in gs)))
                 if base}
        if not bases:
            continue
        name, base = min(bases.items(), key=lambda kv: len(_shares_off(printed, kv[1])))
        for g in _shares_off(printed, base):
            issue = _issue(grand[key], "error", "goal_share",
                           f"{key[1]} {g['performance_goal_code']}: the share of the resources reads "
                           f"{g['share_pct']:g} %, but its total {g['total']:,.2f} TL is "
                           f"{g['total'] / base * 100:.2f} % of {name} ({base:,.2f} TL): the share's cell "
                           "was misread or printed cut (check it on the page)")
            out.append(issue)
    return out


def _shares_off(goals: list[dict], base: float) -> list[dict]:
    return [g for g in goals if abs(g["total"] / base * 100 - g["share_pct"]) > SHARE_TOLERANCE_PCT]


def economic_codes_sum(rows: dict[str, list[dict]]) -> list[dict]:
    """Economic-code lines of the program sum to the printed budget total."""
    out = []
    sums: dict[tuple, float] = defaultdict(float)
    for b in rows.get("budget_lines", []):
        if b["phase"] == "program":
            sums[(b["municipality_id"], b["year"], b["source_document_id"])] += b.get("amount") or 0.0
    for t in rows.get("program_totals", []):
        key = (t["municipality_id"], t["year"], t["source_document_id"])
        if (t["line"] == "budget_total" and key in sums and t.get("total") is not None
                and abs(sums[key] - t["total"]) > TOLERANCE_TL):
            out.append(_issue(t, "error", "economic_codes_sum_to_total",
                              f"{key[1]}: economic codes sum to {sums[key]:,.2f} TL, BÜTÇE TOPLAMI prints "
                              f"{t['total']:,.2f} TL"))
    return out


def indicator_weights(rows: dict[str, list[dict]]) -> list[dict]:
    """Indicator weights (Hedefe Etkisi) of an objective should add up to 100 % (warning)."""
    weights: dict[tuple, list[dict]] = defaultdict(list)
    for i in rows.get("indicators", []):
        weights[(i["municipality_id"], i["plan_start"], i["objective_code"])].append(i)
    out = []
    for key, inds in weights.items():
        ws = [i.get("weight_pct") for i in inds]
        if all(w is None for w in ws):
            continue
        total = sum(w or 0 for w in ws)
        if abs(total - 100) > 0.5:
            issue = _issue(inds[0], "warning", "indicator_weights",
                           f"plan {key[1]} {key[2]}: indicator weights sum to {total:g} %, not 100 %")
            issue["subject"] = key[2]  # the objective, for the document's status message (not a column)
            out.append(issue)
    return out


def duplicate_codes(rows: dict[str, list[dict]]) -> list[dict]:
    """The same code twice in one plan or program is either a printing error or a misread."""
    out = []
    for rel, keys in (("goals", ("municipality_id", "plan_start", "goal_code")),
                      ("objectives", ("municipality_id", "plan_start", "objective_code")),
                      ("indicators", ("municipality_id", "plan_start", "indicator_code")),
                      ("performance_goals", ("municipality_id", "year", "performance_goal_code"))):
        counts = Counter(tuple(r.get(k) for k in keys) for r in rows.get(rel, []))
        for r in rows.get(rel, []):
            key = tuple(r.get(k) for k in keys)
            if counts[key] > 1:
                out.append(_issue(r, "warning", f"duplicate_{rel}", f"{rel}: code {key[-1]} appears {counts[key]} times"))
                counts[key] = 0
    return out


CHECKS = (activities_sum_to_goals, program_total, goal_shares, economic_codes_sum, indicator_weights, duplicate_codes)


def run_checks(rows: dict[str, list[dict]]) -> list[dict]:
    """Run every check over the whole build."""
    out: list[dict] = []
    for check in CHECKS:
        out.extend(check(rows))
    return out
