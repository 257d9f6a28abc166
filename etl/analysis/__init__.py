"""The analysis step: gender markers, left-out objectives, achievement and the gender budget.

One entry point, :func:`analyse`, run by the build on the collected rows right before the
validation checks. See ``etl/analysis/README.md`` for the rules and the choices behind them.
"""

from __future__ import annotations

from pathlib import Path

from etl.analysis.achievement import indicator_achievement, objective_achievement
from etl.analysis.budget import budget_execution, gender_budget
from etl.analysis.coverage import coverage, read_links
from etl.analysis.marker import Lexicon, read_overrides, tag_all
from etl.analysis.scorecard import scorecard_step
from etl.analysis.user_files import user_file_paths


def analyse(rows: dict[str, list[dict]], overrides_path: Path | None) -> None:
    """Fill the analysis relations of ``rows`` in place and set ``gender_marker`` on items.

    Fills ``gender_tags``, ``left_out_objectives``, ``objective_coverage``,
    ``indicator_achievement``, ``objective_achievement``, ``gender_budget`` and
    ``budget_execution``; sets ``gender_marker`` on every objective, indicator and activity.
    Problems with the user's CSV files become warnings in ``validation_issues``; they never
    stop the build.
    """
    ov_path, links_path = user_file_paths(overrides_path)
    overrides, problems = read_overrides(ov_path)
    links, link_problems = read_links(links_path)
    problems += link_problems
    tags = tag_all(rows, overrides, Lexicon.load())
    known = {(t["municipality_id"], t["item_kind"], t["item_key"]) for t in tags}
    problems += [f"{ov_path}: override for {k[1]} {k[2]} of {k[0]} matches no item; check item_key "
                 "('<plan_start>:<code>' for plan items, the activity_id for activities)"
                 for k in overrides if k not in known]
    rows["gender_tags"] = tags
    rows["objective_coverage"], rows["left_out_objectives"] = coverage(rows, links)
    rows["indicator_achievement"] = indicator_achievement(rows)
    rows["objective_achievement"] = objective_achievement(rows, rows["indicator_achievement"])
    rows["gender_budget"] = gender_budget(rows)
    rows["budget_execution"] = budget_execution(rows)
    rows.update(scorecard_step(rows))  # indicator_kinds, gender_scorecard, gender_scorecard_evidence
    issues = rows.setdefault("validation_issues", [])
    issues.extend({"document_id": None, "municipality_id": None, "severity": "warning",
                   "check_name": "analysis_user_files", "message": m, "source_page": None} for m in problems)
