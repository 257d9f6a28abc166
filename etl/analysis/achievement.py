"""Indicator achievement per FR year, and its roll-up to the objective by weight.

For every indicator row of an activity report (and every PP target without an FR row, so a
missing report shows as ``no_data``):

* ``achievement_pct`` = actual / target × 100 (rounded to 2) — the yearly rate municipalities
  publish; NULL when actual or target is missing or the target is 0.
* ``plan_progress_pct`` = (actual − baseline) / (target − baseline) × 100 — progress from the SP
  baseline, against the SP target for the year when the plan has one (else the year's target);
  NULL when the baseline is unknown or target = baseline.
* **Decrease indicators** (target below baseline: response times, loss rates) keep the published
  formula for ``achievement_pct`` (so it compares with the printed rate) but their ``status``
  follows the direction: met when actual ≤ target, partial when the value fell below the
  baseline, else not met. ``plan_progress_pct`` needs no special case: both differences are
  negative.
* ``rate_mismatch`` when the published rate differs from the computed one by more than a point.
* Units with "kümülatif" are running totals; ``cumulative`` flags them (their yearly rate is
  still actual / target of the same running total).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from etl.analysis import values as indicator_values
from etl.analysis.marker import PlanIndex
from etl.turkish import casefold_tr

MISMATCH_POINTS = 1.0


def pct(part: float | None, whole: float | None) -> float | None:
    """part / whole × 100 rounded to 2, NULL when either is missing or whole is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return round(part / whole * 100, 2)


def progress(actual: float | None, baseline: float | None, target: float | None) -> float | None:
    """(actual − baseline) / (target − baseline) × 100, NULL when undefined."""
    if actual is None or baseline is None or target is None or target == baseline:
        return None
    return round((actual - baseline) / (target - baseline) * 100, 2)


def direction(baseline: float | None, target: float | None) -> str:
    """'decrease' when the target is below the baseline, 'increase' above, else 'unknown'."""
    if baseline is None or target is None or target == baseline:
        return "unknown"
    return "decrease" if target < baseline else "increase"


def status(actual: float | None, target: float | None, baseline: float | None, achievement: float | None) -> str:
    """met / partial / not_met / no_data, direction-aware."""
    if achievement is None:
        return "no_data"
    if direction(baseline, target) == "decrease":
        if actual <= target:
            return "met"
        return "partial" if actual < baseline else "not_met"
    if achievement >= 100:
        return "met"
    return "partial" if achievement > 0 else "not_met"


@lru_cache(maxsize=1 << 12)
def _cumulative(unit: str | None) -> bool:
    """Whether a unit names a running total (a few dozen units recur on every row: folded once each)."""
    folded = casefold_tr(unit or "")
    return "kümülatif" in folded or "kumulatif" in folded


def indicator_achievement(rows: dict[str, list[dict]], plans: PlanIndex | None = None,
                          sets: indicator_values.ValueSets | None = None) -> list[dict]:
    """indicator_achievement rows (objectives/indicators should already carry gender_marker);
    ``sets``: the batch's ``indicator_values`` sets (computed from ``rows`` when not given)."""
    plans = plans or PlanIndex(rows.get("objectives") or [])
    sets = sets or indicator_values.from_rows(rows.get("indicator_values") or [])
    inds = {(i["municipality_id"], i["plan_start"], i["indicator_code"]): i for i in rows.get("indicators") or []}
    values = sets.values  # (municipality_id, indicator_code, year) → {kind: the first value}
    fr_years = {(r["municipality_id"], r["year"]) for r in rows.get("report_results") or []}
    out: list[dict] = []
    seen: set[tuple] = set()
    for r in rows.get("report_results") or []:
        if r.get("row_type") != "indicator" or not r.get("indicator_code"):
            continue
        key = (r["municipality_id"], r["year"], r["indicator_code"])
        if key in seen:
            continue
        seen.add(key)
        out.append(_row(r["municipality_id"], r["year"], r["indicator_code"], r, plans, inds, values))
    # PP targets the FR of the same year does not report: no_data rows, so gaps stay visible.
    for v in sets.targets:
        key = (v["municipality_id"], v["year"], v["indicator_code"])
        if (v["municipality_id"], v["year"]) in fr_years and key not in seen:
            seen.add(key)
            out.append(_row(*key, None, plans, inds, values, name=v.get("indicator_name"), unit=v.get("unit")))
    return out


def _row(mid: str, year: int, code: str, fr: dict | None, plans: PlanIndex, inds: dict, values: dict,
         name: str | None = None, unit: str | None = None) -> dict:
    ps = plans.in_force(mid, year)
    ind = inds.get((mid, ps, code), {})
    vals = values.get((mid, code, year), {})
    target, source = None, None
    for kind, src in (("reported_target", "activity_report"), ("program_target", "performance_program"),
                      ("plan_target", "strategic_plan")):
        t = fr.get("target") if (fr and kind == "reported_target") else vals.get(kind)
        if t is not None:
            target, source = t, src
            break
    actual = fr.get("actual") if fr else vals.get("actual")
    baseline = ind.get("baseline_value")
    plan_target = vals.get("plan_target")
    ach = pct(actual, target)
    published = fr.get("published_rate_pct") if fr else None
    unit = (fr or {}).get("unit") or unit or ind.get("unit")
    return {
        "municipality_id": mid, "year": year, "plan_start": ps, "objective_code": ind.get("objective_code"),
        "indicator_code": code, "indicator_name": (fr or {}).get("name") or name or ind.get("indicator_name"),
        "unit": unit, "baseline_value": baseline, "target_value": target, "plan_target_value": plan_target,
        "target_source": source, "actual_value": actual, "achievement_pct": ach,
        "plan_progress_pct": progress(actual, baseline, plan_target if plan_target is not None else target),
        "published_rate_pct": published,
        "rate_mismatch": None if published is None or ach is None else abs(published - ach) > MISMATCH_POINTS,
        "status": status(actual, target, baseline, ach), "direction": direction(baseline, target),
        "cumulative": _cumulative(unit),
        "weight_pct": ind.get("weight_pct"), "gender_marker": ind.get("gender_marker"),
        "source_document_id": (fr or {}).get("source_document_id"), "source_page": (fr or {}).get("source_page"),
    }


def objective_achievement(rows: dict[str, list[dict]], achievement: list[dict]) -> list[dict]:
    """Weighted roll-up of indicator results to objectives, per FR year.

    Each indicator's achievement is capped at 100 (and progress to 0–100) so one over-achieved
    indicator cannot hide a missed one. Weights are renormalised over the indicators with data;
    when weights are missing altogether the indicators count equally. Either case is flagged.
    """
    by_obj: dict[tuple, list[dict]] = defaultdict(list)
    for i in rows.get("indicators") or []:
        by_obj[(i["municipality_id"], i["plan_start"], i.get("objective_code"))].append(i)
    ach_ix = {(a["municipality_id"], a["year"], a["indicator_code"]): a for a in achievement}
    years = sorted({(a["municipality_id"], a["year"], a["plan_start"]) for a in achievement})
    objectives = {(o["municipality_id"], o["plan_start"], o["objective_code"]): o for o in rows.get("objectives") or []}
    # The objectives of each plan, in the order of their key's text (as every year lists them).
    plan_objs: dict[tuple, list[tuple[tuple, list[dict]]]] = defaultdict(list)
    for key, inds in sorted(by_obj.items(), key=lambda kv: str(kv[0])):
        plan_objs[key[:2]].append((key, inds))
    out = []
    for mid, y, ps in years:
        for (omid, ops, ocode), inds in plan_objs.get((mid, ps), []):
            o = objectives.get((omid, ops, ocode), {})
            data = [(i, ach_ix[(mid, y, i["indicator_code"])]) for i in inds
                    if (mid, y, i["indicator_code"]) in ach_ix and ach_ix[(mid, y, i["indicator_code"])]["achievement_pct"] is not None]
            weights = [i.get("weight_pct") for i, _ in data]
            all_w = [i.get("weight_pct") for i in inds]
            equal = not data or any(w is None for w in weights) or sum(weights) == 0
            ws = [1.0] * len(data) if equal else [float(w) for w in weights]
            wsum = sum(ws)
            printed_sum = sum(w or 0 for w in all_w)
            renorm = bool(data) and (equal or len(data) < len(inds) or abs(printed_sum - 100) > 0.5)
            wa = (round(sum(w * min(a["achievement_pct"], 100.0) for w, (_, a) in zip(ws, data, strict=True)) / wsum, 2)
                  if data else None)
            prog = [(w, a["plan_progress_pct"]) for w, (_, a) in zip(ws, data, strict=True) if a["plan_progress_pct"] is not None]
            wp = (round(sum(w * max(0.0, min(p, 100.0)) for w, p in prog) / sum(w for w, _ in prog), 2)
                  if prog and sum(w for w, _ in prog) else None)
            out.append({"municipality_id": mid, "year": y, "plan_start": ps, "objective_code": ocode,
                        "objective_title": o.get("objective_title"), "indicators_total": len(inds),
                        "indicators_with_data": len(data),
                        "weight_sum_pct": None if equal else round(sum(weights), 2),
                        "weights_renormalised": renorm, "weighted_achievement_pct": wa,
                        "weighted_progress_pct": wp,
                        "status": "no_data" if wa is None else ("met" if wa >= 100 else "partial" if wa > 0 else "not_met"),
                        "gender_marker": o.get("gender_marker")})
    return out
