"""Compare a warehouse with a ground-truth JSON file relation by relation.

The truth format is the one of ../shared/corpus/truth/*.json, which the embedded sample's
generator writes too (tests/fixtures/sample/truth/). Independent of ../shared/tools so the project's
tests stand on their own.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from etl.turkish import match_key
from tests.conftest import read_relation


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= max(0.011, abs(float(b)) * 1e-9)


class Tally:
    """ok / total per check, with a few failing examples each."""

    def __init__(self) -> None:
        self.rows: dict[str, list] = defaultdict(lambda: [0, 0, []])

    def add(self, check: str, ok: bool, example: str = "") -> None:
        t = self.rows[check]
        t[1] += 1
        if ok:
            t[0] += 1
        elif len(t[2]) < 3:
            t[2].append(example)

    def failures(self) -> dict[str, list]:
        return {k: v for k, v in self.rows.items() if v[0] != v[1]}

    def summary(self) -> str:
        ok = sum(v[0] for v in self.rows.values())
        n = sum(v[1] for v in self.rows.values())
        lines = [f"  {k:<28} {100 * v[0] / v[1]:6.1f}% ({v[0]}/{v[1]}) {v[2] if v[2] else ''}"
                 for k, v in sorted(self.rows.items())]
        return "\n".join(lines + [f"  overall {100 * ok / max(n, 1):.2f}% ({ok}/{n})"])


def compare(warehouse: Path, truths: list[dict]) -> Tally:
    """Check documents, goals, objectives, indicators, values, performance goals, activities, budget lines."""
    rel = {name: read_relation(warehouse, name) for name in (
        "documents", "goals", "objectives", "indicators", "indicator_values", "performance_goals",
        "activities", "budget_lines")}

    def ix(rows, *keys):
        out = {}
        for r in rows:
            out.setdefault(tuple(r[k] for k in keys), r)
        return out

    docs = ix(rel["documents"], "municipality_id", "file_name")
    goals = ix(rel["goals"], "municipality_id", "plan_start", "goal_code")
    objs = ix(rel["objectives"], "municipality_id", "plan_start", "objective_code")
    inds = ix(rel["indicators"], "municipality_id", "plan_start", "indicator_code")
    vals = ix(rel["indicator_values"], "municipality_id", "indicator_code", "year", "kind")
    pgs = ix(rel["performance_goals"], "municipality_id", "year", "performance_goal_code")
    acts = {}
    for a in rel["activities"]:
        acts.setdefault((a["municipality_id"], a["year"], match_key(a["activity_name"])), a)
    blines = ix(rel["budget_lines"], "municipality_id", "year", "phase", "economic_code")
    t = Tally()
    for truth in truths:
        mid = truth["municipality_id"]
        for d in truth["documents"]:
            r = docs.get((mid, d["file"]))
            want_failed = d.get("expect", "ok") == "failed"
            t.add("documents.status", r is not None and (r["status"] == "failed") == want_failed, d["file"])
            if r is not None and not want_failed:
                t.add("documents.type_years", (r["doc_type"], r["year_start"], r["year_end"]) ==
                      (d["doc_type"], d["year_start"], d["year_end"]), f"{d['file']}: {r['doc_type']} {r['year_start']}")
                t.add("documents.pages", r["page_count"] == d["page_count"], d["file"])
        for plan in truth["plans"]:
            ps = plan["year_start"]
            for g in plan["goals"]:
                r = goals.get((mid, ps, g["code"]))
                t.add("goals.title", r is not None and match_key(r["goal_title"]) == match_key(g["title"]), g["code"])
                t.add("goals.page", r is not None and r["source_page"] == g["page"], g["code"])
            for o in plan["objectives"]:
                r = objs.get((mid, ps, o["code"]))
                t.add("objectives.row", r is not None, f"{mid} {ps} {o['code']}")
                if r is None:
                    continue
                t.add("objectives.title", match_key(r["objective_title"]) == match_key(o["title"]), o["code"])
                t.add("objectives.goal_code", r["goal_code"] == o["goal_code"], o["code"])
                t.add("objectives.unit", match_key(r["responsible_unit"]) == match_key(o["responsible_unit"]), o["code"])
                t.add("objectives.cooperating", [match_key(u) for u in (r["cooperating_units"] or "").split(";")] ==
                      [match_key(u) for u in o.get("cooperating_units", [])], o["code"])
                t.add("objectives.cost", _num_eq(r["cost_estimate"], o["cost_estimate"]), o["code"])
                t.add("objectives.page", r["source_page"] == o["page"], f"{o['code']} p{r['source_page']}")
            for i in plan["indicators"]:
                r = inds.get((mid, ps, i["code"]))
                t.add("indicators.row", r is not None, f"{mid} {ps} {i['code']}")
                if r is None:
                    continue
                t.add("indicators.name", match_key(r["indicator_name"]) == match_key(i["name"]), f"{i['code']} {r['indicator_name']!r}")
                t.add("indicators.unit", match_key(r["unit"]) == match_key(i["unit"]), f"{i['code']} {r['unit']!r}")
                t.add("indicators.objective", r["objective_code"] == i["objective_code"], i["code"])
                t.add("indicators.weight", _num_eq(r["weight_pct"], i.get("weight_pct")), i["code"])
                t.add("indicators.baseline", _num_eq(r["baseline_value"], i.get("baseline")), i["code"])
                t.add("indicators.page", r["source_page"] == i["page"], f"{i['code']} p{r['source_page']}")
                for y, v in (i.get("targets") or {}).items():
                    rv = vals.get((mid, i["code"], int(y), "plan_target"))
                    t.add("values.plan_target", rv is not None and _num_eq(rv["value"], v), f"{i['code']} {y}")
        for prog in truth["programs"]:
            y = prog["year"]
            for g in prog["performance_goals"]:
                r = pgs.get((mid, y, g["code"]))
                t.add("performance_goals.row", r is not None and r["objective_code"] == g["objective_code"], f"{y} {g['code']}")
                if r is not None:
                    t.add("performance_goals.total", _num_eq(r["total"], g["total"]), f"{y} {g['code']}")
            for a in prog["activities"]:
                r = acts.get((mid, y, match_key(a["name"])))
                t.add("activities.row", r is not None, f"{y} {a['name'][:40]}")
                if r is None:
                    continue
                for k in ("budget", "off_budget", "total"):
                    t.add(f"activities.{k}", _num_eq(r[k], a[k]), f"{a['name'][:30]}")
                t.add("activities.codes", (r["performance_goal_code"], r["objective_code"]) ==
                      (a["performance_goal_code"], a["objective_code"]), a["name"][:30])
                t.add("activities.page", r["source_page"] == a["page"], a["name"][:30])
            for i in prog["indicators"]:
                rv = vals.get((mid, i["code"], y, "program_target"))
                t.add("values.program_target", rv is not None and _num_eq(rv["value"], i["target"]), f"{y} {i['code']}")
                if rv is not None:
                    t.add("values.program_page", rv["source_page"] == i["page"], f"{y} {i['code']}")
            for code, v in (prog.get("budget_by_economic_code") or {}).items():
                r = blines.get((mid, y, "program", code))
                t.add("budget_lines.program", r is not None and _num_eq(r["amount"], v), f"{y} {code}")
        for rep in truth["reports"]:
            y = rep["year"]
            for i in rep["indicators"]:
                if not i.get("code"):
                    continue
                rv = vals.get((mid, i["code"], y, "actual"))
                t.add("values.actual", rv is not None and _num_eq(rv["value"], i.get("actual")), f"{y} {i['code']}")
                if rv is not None:
                    t.add("values.actual_page", rv["source_page"] == i["page"], f"{y} {i['code']}")
            for code, v in (rep.get("budget_by_economic_code") or {}).items():
                for phase in ("appropriation", "spent"):
                    r = blines.get((mid, y, phase, code))
                    t.add(f"budget_lines.{phase}", r is not None and _num_eq(r["amount"], v[phase]), f"{y} {code}")
    return t


def load_truths(folder: Path) -> list[dict]:
    import json

    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
