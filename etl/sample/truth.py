"""Serialise the rendered model as ground truth, in the schema of the shared sample corpus."""

from __future__ import annotations

from typing import Any

from .content import ECON_CODES, Municipality, Plan, Program, Report, as_number


def tl(kurus: int) -> float:
    """Kuruş to TL as a float rounded to 2 decimals."""
    return round(kurus / 100, 2)


def _plan(plan: Plan) -> dict[str, Any]:
    years = plan.years
    return {
        "year_start": plan.start,
        "year_end": plan.end,
        "file": plan.file,
        "goals": [{"code": g.code, "title": g.title, "page": g.page} for g in plan.goals],
        "objectives": [
            {
                "code": o.code,
                "goal_code": o.goal_code,
                "title": o.title,
                "responsible_unit": o.unit,
                "cooperating_units": list(o.coop),
                "cost_estimate": tl(sum(o.cost_by_year.values())),
                "cost_by_year": {str(y): tl(o.cost_by_year[y]) for y in years},
                "page": o.page,
                "cost_page": o.cost_page,
                "cost_table_page": o.cost_table_page,
                "gender_marker": o.marker,
            }
            for o in plan.objectives
        ],
        "indicators": [
            {
                "code": i.code,
                "objective_code": i.objective_code,
                "name": i.name,
                "unit": i.unit,
                "weight_pct": i.weight,
                "baseline": as_number(i.baseline, i.decimals),
                "targets": {str(y): as_number(i.targets[y], i.decimals) for y in years},
                "monitoring_frequency": i.monitoring,
                "reporting_frequency": i.reporting,
                "page": i.page,
                "gender_marker": i.marker,
            }
            for i in plan.indicators
        ],
        "general_admin_by_year": {str(y): tl(plan.general_admin_by_year[y]) for y in years},
        "total_by_year": {str(y): tl(plan.total_by_year(y)) for y in years},
        "total": tl(sum(plan.total_by_year(y) for y in years)),
    }


def _program(prog: Program) -> dict[str, Any]:
    act_econ = prog.activities_econ()
    econ_total = prog.econ_total()
    return {
        "year": prog.year,
        "file": prog.file,
        "plan_period": [prog.plan.start, prog.plan.end],
        "performance_goals": [
            {
                "code": g.code,
                "objective_code": g.objective.code,
                "goal_code": g.objective.goal_code,
                "title": g.title,
                "responsible_unit": g.unit,
                "budget": tl(g.budget),
                "off_budget": tl(g.off_budget),
                "total": tl(g.budget + g.off_budget),
                "page": g.page,
                "summary_page": g.summary_page,
                "total_page": g.total_page,
            }
            for g in prog.perf_goals
        ],
        "activities": [
            {
                "performance_goal_code": a.pg_code,
                "objective_code": a.objective_code,
                "name": a.name,
                "responsible_unit": a.unit,
                "budget": tl(a.budget),
                "off_budget": tl(a.off_budget),
                "total": tl(a.total),
                "page": a.page,
                "gender_marker": a.marker,
                "budget_by_economic_code": {k: tl(v) for k, v in a.econ.items()},
            }
            for a in prog.activities
        ],
        "indicators": [
            {
                "code": pi.ind.code,
                "name": pi.ind.name,
                "unit": pi.ind.unit,
                "target": as_number(pi.target, pi.ind.decimals),
                "actual_two_years_before": as_number(pi.actual_t2, pi.ind.decimals),
                "estimate_previous_year": as_number(pi.estimate_t1, pi.ind.decimals),
                "performance_goal_code": pi.pg_code,
                "objective_code": pi.ind.objective_code,
                "page": pi.page,
                "gender_marker": pi.ind.marker,
            }
            for pi in prog.indicators
        ],
        "budget_by_economic_code": {k: tl(econ_total[k]) for k in ECON_CODES},
        "budget_by_economic_code_detail": {
            k: {
                "activities": tl(act_econ[k]),
                "general_admin": tl(prog.general_admin_econ[k]),
                "transfers": tl(prog.transfers_econ[k]),
                "total": tl(econ_total[k]),
            }
            for k in ECON_CODES
        },
        "economic_table_page": prog.economic_table_page,
        "total": tl(prog.total),
        "activities_budget": tl(prog.activities_budget),
        "general_admin": tl(prog.general_admin),
        "transfers": tl(prog.transfers),
        "off_budget_total": tl(prog.off_budget_total),
        "grand_total": tl(prog.total + prog.off_budget_total),
    }


def _report(rep: Report) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for ri in rep.indicators:
        ind = ri.pp.ind
        rows.append(
            {
                "code": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "target": as_number(ri.pp.target, ind.decimals),
                "actual": as_number(ri.actual, ind.decimals),
                "published_rate": ri.published_rate,
                "row_type": "indicator",
                "performance_goal_code": ri.pp.pg_code,
                "objective_code": ind.objective_code,
                "deviation_reason": ri.deviation,
                "page": ri.page,
            }
        )
    # activity-cost rows printed inside the results table (mixed layout): no indicator code
    for ra in rep.activities:
        if ra.cost_row_page:
            rows.append(
                {
                    "code": None,
                    "name": ra.activity.name,
                    "unit": "TL",
                    "target": tl(ra.activity.budget),
                    "actual": tl(ra.spent),
                    "published_rate": ra.published_rate,
                    "row_type": "activity_cost",
                    "performance_goal_code": ra.activity.pg_code,
                    "objective_code": ra.activity.objective_code,
                    "deviation_reason": "",
                    "page": ra.cost_row_page,
                }
            )
    # keep printed order: by page, then as the table lists them (goal by goal)
    order = {}
    for g_i, g in enumerate(rep.program.perf_goals):
        order[g.code] = g_i
    rows.sort(key=lambda r: (order[r["performance_goal_code"]], r["row_type"] != "indicator"))
    tot_app = sum(e.appropriation for e in rep.econ.values())
    tot_spent = sum(e.spent for e in rep.econ.values())
    return {
        "year": rep.year,
        "file": rep.file,
        "indicators": rows,
        "activities": [
            {
                "performance_goal_code": ra.activity.pg_code,
                "objective_code": ra.activity.objective_code,
                "name": ra.activity.name,
                "planned": tl(ra.activity.budget),
                "spent": tl(ra.spent),
                "published_rate": ra.published_rate,
                "page": ra.page,
            }
            for ra in rep.activities
        ],
        "budget_by_economic_code": {
            k: {
                "appropriation": tl(e.appropriation),
                "spent": tl(e.spent),
                "initial_appropriation": tl(e.initial),
                "added": tl(e.added),
                "reduced": tl(e.reduced),
                "rate_pct": e.rate,
            }
            for k, e in rep.econ.items()
        },
        "budget_total": {
            "appropriation": tl(tot_app),
            "spent": tl(tot_spent),
            "initial_appropriation": tl(sum(e.initial for e in rep.econ.values())),
            "rate_pct": round(tot_spent / tot_app * 100, 2),
        },
        "economic_table_page": rep.economic_table_page,
    }


def derived(doc: dict[str, Any]) -> dict[str, Any]:
    """Left-out objectives, gender budget and achievement, computed from the truth itself."""
    left_out: dict[str, list[str]] = {}
    gender: dict[str, dict[str, float]] = {}
    for prog in doc["programs"]:
        y = prog["year"]
        plan = next(p for p in doc["plans"] if p["year_start"] <= y <= p["year_end"])
        used = (
            {g["objective_code"] for g in prog["performance_goals"]}
            | {a["objective_code"] for a in prog["activities"]}
            | {i["objective_code"] for i in prog["indicators"]}
        )
        left_out[str(y)] = [o["code"] for o in plan["objectives"] if o["code"] not in used]
        acts = prog["activities"]
        p = sum(a["total"] for a in acts if a["gender_marker"] == 2)
        s = sum(a["total"] for a in acts if a["gender_marker"] == 1)
        allt = sum(a["total"] for a in acts)
        gender[str(y)] = {
            "principal": round(p, 2),
            "significant": round(s, 2),
            "total": round(p + s, 2),
            "principal_budget_only": round(sum(a["budget"] for a in acts if a["gender_marker"] == 2), 2),
            "significant_budget_only": round(sum(a["budget"] for a in acts if a["gender_marker"] == 1), 2),
            "all_activities_total": round(allt, 2),
            "share_pct": round((p + s) / allt * 100, 2),
        }
    achievement: dict[str, dict[str, float]] = {}
    for rep in doc["reports"]:
        achievement[str(rep["year"])] = {
            i["code"]: round(i["actual"] / i["target"] * 100, 2)
            for i in rep["indicators"]
            if i["row_type"] == "indicator" and i["actual"] is not None and i["target"]
        }
    return {"left_out": left_out, "gender_budget": gender, "achievement": achievement}


def truth(m: Municipality) -> dict[str, Any]:
    """The ground-truth document of one municipality."""
    docs = []
    for plan in m.plans:
        docs.append(
            {
                "file": plan.file,
                "doc_type": "strategic_plan",
                "year_start": plan.start,
                "year_end": plan.end,
                "expect": "ok",
                "page_count": plan.page_count,
            }
        )
        progs = [p for p in m.programs if plan.start <= p.year <= plan.end]
        reps = [r for r in m.reports if plan.start <= r.year <= plan.end]
        for p in progs:
            docs.append(
                {
                    "file": p.file,
                    "doc_type": "performance_program",
                    "year_start": p.year,
                    "year_end": p.year,
                    "expect": "ok",
                    "page_count": p.page_count,
                }
            )
        for r in reps:
            docs.append(
                {
                    "file": r.file,
                    "doc_type": "activity_report",
                    "year_start": r.year,
                    "year_end": r.year,
                    "expect": "ok",
                    "page_count": r.page_count,
                }
            )
    doc: dict[str, Any] = {
        "municipality_id": m.id,
        "name": m.name,
        "province": m.province,
        "kind": m.kind,
        "population": m.population,
        "documents": docs,
        "plans": [_plan(p) for p in m.plans],
        "programs": [_program(p) for p in m.programs],
        "reports": [_report(r) for r in m.reports],
    }
    doc["derived"] = derived(doc)
    return doc
