"""Which SP objectives each year's performance program covers, and which it leaves out.

For every PP year, the objectives of the plan in force (``plan_start <= year <= plan_end``) are
matched against what the PP refers to:

1. **code**: a performance goal, an activity or a PP indicator carries the objective's canonical
   code (an indicator also counts through its SP objective, looked up by indicator code);
2. **title**: a performance goal whose objective code is missing or not in the plan (renumbered)
   is matched to the objective whose title is most similar (rapidfuzz ``token_set_ratio`` over
   :func:`etl.turkish.match_key` text), when the similarity reaches ``TITLE_THRESHOLD``;
3. **manual**: ``data/objective_links.csv`` rows win over both (``covered`` true or false).

An objective nothing refers to is left out (``left_out_objectives``).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz

from etl.analysis import values as indicator_values
from etl.analysis.marker import PlanIndex, text_key
from etl.analysis.user_files import csv_rows

TITLE_THRESHOLD = 80.0  # token_set_ratio; below it a title match is too weak to call the objective covered


def read_links(path: Path | None) -> tuple[dict[tuple[str, int, str], dict], list[str]]:
    """Manual links keyed by (municipality_id, year, objective_code), and messages about bad rows."""
    out: dict[tuple[str, int, str], dict] = {}
    problems: list[str] = []
    for n, row in csv_rows(path):
        try:
            year = int(str(row.get("year")).strip())
        except ValueError:
            problems.append(f"{path}: row {n}: year {row.get('year')!r} is not a year; row ignored")
            continue
        covered = str(row.get("covered", "")).strip().casefold()
        if covered not in ("true", "false", "1", "0", "yes", "no", "evet", "hayır"):
            problems.append(f"{path}: row {n}: covered must be true or false; row ignored")
            continue
        out[((row.get("municipality_id") or "").strip(), year, (row.get("objective_code") or "").strip())] = {
            "covered": covered in ("true", "1", "yes", "evet"),
            "performance_goal_code": (row.get("performance_goal_code") or "").strip() or None,
            "note": (row.get("note") or "").strip(), "date": (row.get("date") or "").strip()}
    return out, problems


def _pp_years(rows: dict[str, list[dict]]) -> dict[str, set[int]]:
    years: dict[str, set[int]] = defaultdict(set)
    for rel in ("performance_goals", "activities"):
        for r in rows.get(rel) or []:
            if r.get("year") is not None:
                years[r["municipality_id"]].add(r["year"])
    for d in rows.get("documents") or []:
        if d.get("doc_type") == "performance_program" and d.get("year_start") and d.get("status") != "failed":
            years[d["municipality_id"]].add(d["year_start"])
    return years


def _doc_years(rows: dict[str, list[dict]], values: indicator_values.ValueSets) -> dict[str, int]:
    """PP document → its year (the t-2 / t-1 columns carry other years but belong to the PP year)."""
    out = {d["document_id"]: d["year_start"] for d in rows.get("documents") or []
           if d.get("doc_type") == "performance_program" and d.get("year_start")}
    for doc, year in values.doc_years.items():
        out.setdefault(doc, year)
    return out


def coverage(rows: dict[str, list[dict]], links: dict[tuple[str, int, str], dict],
             plans: PlanIndex | None = None,
             values: indicator_values.ValueSets | None = None) -> tuple[list[dict], list[dict]]:
    """(objective_coverage rows, left_out_objectives rows); ``values``: the batch's
    ``indicator_values`` sets (computed from ``rows`` when not given)."""
    objectives = rows.get("objectives") or []
    plans = plans or PlanIndex(objectives)
    values = values or indicator_values.from_rows(rows.get("indicator_values") or [])
    ind_objective = {(i["municipality_id"], i.get("plan_start"), i.get("indicator_code")): i.get("objective_code")
                     for i in rows.get("indicators") or []}
    doc_year = _doc_years(rows, values)
    # refs[(mid, year)][objective_code] = {"goals": set, "activities": n, "indicators": set}
    refs: dict[tuple[str, int], dict[str, dict]] = defaultdict(lambda: defaultdict(
        lambda: {"goals": set(), "activities": 0, "indicators": set(), "title": None}))
    unmatched_goals: dict[tuple[str, int], list[dict]] = defaultdict(list)
    plan_codes: dict[tuple[str, int], set[str]] = defaultdict(set)
    by_plan: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for o in objectives:
        plan_codes[(o["municipality_id"], o["plan_start"])].add(o["objective_code"])
        by_plan[(o["municipality_id"], o["plan_start"])].append(o)

    def in_plan(mid: str, year: int, code: str | None) -> bool:
        ps = plans.in_force(mid, year)
        return ps is not None and code in plan_codes[(mid, ps)]

    for g in rows.get("performance_goals") or []:
        mid, y, code = g["municipality_id"], g["year"], g.get("objective_code")
        if in_plan(mid, y, code):
            refs[(mid, y)][code]["goals"].add(g["performance_goal_code"])
        else:
            unmatched_goals[(mid, y)].append(g)
    for a in rows.get("activities") or []:
        mid, y, code = a["municipality_id"], a["year"], a.get("objective_code")
        if in_plan(mid, y, code):
            refs[(mid, y)][code]["activities"] += 1
    seen: set[tuple] = set()
    for mid, doc, year, objective_code, indicator_code in values.pp_refs:
        y = doc_year.get(doc, year)
        # A program prints each indicator's target, prior actual and estimate: one look-up each.
        once = (mid, y, objective_code, indicator_code)
        if once in seen:
            continue
        seen.add(once)
        ps = plans.in_force(mid, y)
        for code in {objective_code, ind_objective.get((mid, ps, indicator_code))}:
            if code and in_plan(mid, y, code):
                refs[(mid, y)][code]["indicators"].add(indicator_code)

    cov: list[dict] = []
    left: list[dict] = []
    for mid, years in sorted(_pp_years(rows).items()):
        for y in sorted(years):
            ps = plans.in_force(mid, y)
            if ps is None:
                continue
            plan_objs = sorted(by_plan.get((mid, ps), []), key=lambda o: _code_order(o["objective_code"]))
            # Title links: each unmatched performance goal to its most similar objective.
            title_hits: dict[str, tuple[float, str]] = {}
            best_any: dict[str, float] = defaultdict(float)
            for g in unmatched_goals.get((mid, y), []):
                gkey = text_key(g.get("title"))
                if not gkey:
                    continue
                scored = [(fuzz.token_set_ratio(gkey, text_key(o.get("objective_title"))), o["objective_code"])
                          for o in plan_objs]
                for s, c in scored:
                    best_any[c] = max(best_any[c], s)
                s, c = max(scored, default=(0.0, None))
                if c and s >= TITLE_THRESHOLD and s > title_hits.get(c, (0.0, ""))[0]:
                    title_hits[c] = (s, g["performance_goal_code"])
            for o in plan_objs:
                code = o["objective_code"]
                r = refs.get((mid, y), {}).get(code)
                link = links.get((mid, y, code))
                if link is not None:
                    covered, how, conf = link["covered"], "manual", 1.0
                    by = f"objective_links.csv{' ' + link['date'] if link['date'] else ''}: {link['note'] or ''}".strip()
                elif r and (r["goals"] or r["activities"] or r["indicators"]):
                    covered, how, conf = True, "code", 1.0
                    by = ", ".join(p for p in (
                        f"performance goals {', '.join(sorted(r['goals']))}" if r["goals"] else "",
                        f"{r['activities']} activities" if r["activities"] else "",
                        f"{len(r['indicators'])} indicators" if r["indicators"] else "") if p)
                elif code in title_hits:
                    s, pg = title_hits[code]
                    covered, how, conf = True, "title", round(s / 100, 2)
                    by = f"performance goal {pg} (title similarity {s:.0f})"
                else:
                    covered, how = False, "none"
                    conf = round(1 - best_any.get(code, 0.0) / 100, 2)
                    by = None
                base = {"municipality_id": mid, "year": y, "plan_start": ps, "plan_end": o.get("plan_end"),
                        "objective_code": code, "objective_title": o.get("objective_title"),
                        "responsible_unit": o.get("responsible_unit"), "gender_marker": o.get("gender_marker")}
                cov.append({**base, "covered": covered, "matched_how": how, "confidence": conf, "matched_by": by})
                if not covered:
                    left.append({**base, "best_title_score": round(best_any.get(code, 0.0), 1)})
    return cov, left


def left_out_rates(cov: list[dict]) -> list[dict]:
    """left_out_rate rows: per municipality × PP year, the plan's objectives and how many were left out."""
    from etl.analysis.budget import percent_of

    out: dict[tuple[str, int], dict] = {}
    for c in cov:
        r = out.setdefault((c["municipality_id"], c["year"]), {
            "municipality_id": c["municipality_id"], "year": c["year"], "plan_start": c["plan_start"],
            "objectives": 0, "left_out": 0, "left_out_gender": 0})
        r["objectives"] += 1
        if not c["covered"]:
            r["left_out"] += 1
            r["left_out_gender"] += (c.get("gender_marker") or 0) > 0
    for r in out.values():
        r["left_out_pct"] = percent_of(r["left_out"], r["objectives"])
    return list(out.values())


def _code_order(code: str | None) -> tuple:
    """Sort H1.2 before H1.10."""
    digits = (code or "").lstrip("HAPGh")
    try:
        return tuple(int(p) for p in digits.split("."))
    except ValueError:
        return (10**6, code or "")
