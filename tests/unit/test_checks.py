"""Validation checks over extracted rows (etl.checks): what they flag and what they leave."""

from __future__ import annotations

from etl.checks import goal_shares, run_checks


def _program(shares: list[float | None], totals: list[float], grand: float) -> dict[str, list[dict]]:
    doc = {"municipality_id": "m", "year": 2026, "source_document_id": "m/pp.pdf"}
    return {"performance_goals": [{**doc, "performance_goal_code": f"PH1.1.{i + 1}", "total": t, "share_pct": s,
                                   "source_page": 9 + i} for i, (s, t) in enumerate(zip(shares, totals, strict=True))],
            "program_totals": [{**doc, "line": "grand_total", "total": grand, "source_page": 3}]}


def test_a_share_that_is_not_the_goals_part_of_the_grand_total_is_flagged_where_it_is_printed():
    # 28.3 M of 264.4 M is 10.71 %; a cell cut at the page's edge reads "% 1".
    rows = _program([1.0, 22.79], [28_329_753.0, 60_272_851.0], 264_415_927.0)
    (issue,) = goal_shares(rows)
    assert issue["severity"] == "error" and issue["source_page"] == 3 and issue["document_id"] == "m/pp.pdf"
    assert "PH1.1.1" in issue["message"] and "reads 1 %" in issue["message"] and "10.71 %" in issue["message"]
    assert issue in run_checks(rows)


def test_shares_rounded_as_printed_or_of_the_goals_own_sum_are_not_flagged():
    assert goal_shares(_program([11.0, 23.0, None], [28_329_753.0, 60_272_851.0, 5.0], 264_415_927.0)) == []
    # A producer that divides by the performance goals' sum, not the GENEL TOPLAM, throughout.
    assert goal_shares(_program([25.0, 75.0], [25.0, 75.0], 180.0)) == []
    assert len(goal_shares(_program([25.0, 70.0], [25.0, 75.0], 180.0))) == 1
