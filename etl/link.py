"""Links between a municipality's documents that one document alone cannot make.

A program names the plan's objective of each performance goal; where its code is not
readable (a font without those glyphs, a code printed nowhere) the objective's title usually
is, and the plan in force holds the same title with its code. The code is taken from there,
and the program's activities and indicators of that performance goal follow.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from etl.turkish import match_key

# Two titles are the same objective at this similarity (rapidfuzz ratio of the match keys).
_SAME_TITLE = 90


def link_program_objectives(rows: dict[str, list[dict]]) -> None:
    """Fill missing objective codes of program rows from the plan's objective titles."""
    plans: dict[str, list[dict]] = {}
    for o in rows.get("objectives", []):
        plans.setdefault(o["municipality_id"], []).append(o)
    found: dict[tuple[str, int, str], str] = {}
    for g in rows.get("performance_goals", []):
        title = g.get("objective_title")
        if g.get("objective_code") or not title:
            continue
        candidates = [o for o in plans.get(g["municipality_id"], [])
                      if (o.get("plan_start") or 0) <= g["year"] <= (o.get("plan_end") or 9999)]
        key = match_key(title)
        score, best = max(((fuzz.ratio(key, match_key(o.get("objective_title") or "")), o) for o in candidates),
                          key=lambda so: so[0], default=(0.0, None))
        if best is None or score < _SAME_TITLE:
            continue
        g["objective_code"] = best["objective_code"]
        found[(g["municipality_id"], g["year"], g["performance_goal_code"])] = best["objective_code"]
    if not found:
        return
    for rel in ("activities", "indicator_values"):
        for r in rows.get(rel, []):
            code = found.get((r.get("municipality_id"), r.get("year"), r.get("performance_goal_code")))
            if code and not r.get("objective_code"):
                r["objective_code"] = code
    docs: dict[tuple[str, str], int] = {}
    for g in rows.get("performance_goals", []):
        if (g["municipality_id"], g["year"], g["performance_goal_code"]) in found:
            key = (g["source_document_id"], g["municipality_id"])
            docs[key] = docs.get(key, 0) + 1
    for (doc, mid), n in docs.items():
        rows.setdefault("validation_issues", []).append({
            "document_id": doc, "municipality_id": mid, "severity": "info",
            "check_name": "objective_linked_by_title",
            "message": f"{n} performance goals print no readable objective code; the plan's objective with the "
                       "same title gave it", "source_page": None})
