"""The analysis step: gender markers, left-out objectives, achievement and the gender budget.

:class:`Analysis` runs over batches of municipalities: the build loads the extracted records
into the new warehouse file first and analyses them back from it a batch at a time
(``etl.build.load_and_analyse``), and ``python -m etl analyse`` does the same on an existing
warehouse (:mod:`etl.analysis.warehouse`). :func:`analyse` applies it to rows in memory all at
once (tests, benchmarks); the result is the same. See
``etl/analysis/README.md`` for the rules and the choices behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from etl.analysis.achievement import indicator_achievement, objective_achievement
from etl.analysis.budget import budget_execution, gender_budget, gender_budget_units
from etl.analysis.comparison import compare_figures, peer_medians
from etl.analysis.coverage import coverage, left_out_rates, read_links
from etl.analysis.marker import Lexicon, PlanIndex, read_overrides, tag_all
from etl.analysis.scorecard import scorecard_step
from etl.analysis.user_files import user_file_paths
from etl.analysis.values import ValueSets, from_rows

USER_FILES_CHECK = "analysis_user_files"


@dataclass
class Spanning:
    """What of one batch's analysis the whole run needs: the items its tags name (an override of
    no item is reported) and its ``compare_figures`` (``peer_medians`` spans municipalities)."""

    tagged: set[tuple[str, str, str]]
    figures: list[dict]


def spanning(rows: dict[str, list[dict]]) -> Spanning:
    """The :class:`Spanning` of a computed batch's rows."""
    return Spanning({(t["municipality_id"], t["item_kind"], t["item_key"]) for t in rows["gender_tags"]},
                    rows["compare_figures"])


class Analysis:
    """The user's files and the lexicon read once, applied to any number of batches of rows.

    Every analysis relation is keyed by municipality, so rows may come all at once (the build)
    or a batch of municipalities at a time (the warehouse re-analysis); the result is the same.
    """

    def __init__(self, overrides_path: Path | None) -> None:
        self.overrides_path, links_path = user_file_paths(overrides_path)
        self.overrides, self._file_problems = read_overrides(self.overrides_path)
        self.links, link_problems = read_links(links_path)
        self._file_problems += link_problems
        self.lexicon = Lexicon.load()
        self._known: set[tuple[str, str, str]] = set()
        self._figures: list[dict] = []  # compare_figures of every batch (one row per municipality × year)

    @classmethod
    def load(cls, overrides_path: Path | None) -> Analysis:
        return cls(overrides_path)

    def run(self, rows: dict[str, list[dict]], values: ValueSets | None = None) -> None:
        """Fill the analysis relations of ``rows`` in place and set ``gender_marker`` on items.

        ``values``: what the rules read of the batch's ``indicator_values``
        (:func:`etl.analysis.values.from_warehouse`); computed from ``rows["indicator_values"]``
        when not given.
        """
        self.compute(rows, values)
        self.absorb(spanning(rows))

    def compute(self, rows: dict[str, list[dict]], values: ValueSets | None = None) -> None:
        """:meth:`run` without remembering the batch: a function of ``rows`` and the user's files,
        so worker processes can compute batches and the writing process :meth:`absorb` them
        (``python -m etl analyse --jobs``)."""
        plans = PlanIndex(rows.get("objectives") or [])
        values = values or from_rows(rows.get("indicator_values") or [])
        rows["gender_tags"] = tag_all(rows, self.overrides, self.lexicon, plans)
        rows["objective_coverage"], rows["left_out_objectives"] = coverage(rows, self.links, plans, values)
        rows["left_out_rate"] = left_out_rates(rows["objective_coverage"])
        rows["indicator_achievement"] = indicator_achievement(rows, plans, values)
        rows["objective_achievement"] = objective_achievement(rows, rows["indicator_achievement"])
        rows["gender_budget"] = gender_budget(rows)
        rows["gender_budget_units"] = gender_budget_units(rows)
        rows["budget_execution"] = budget_execution(rows)
        rows.update(scorecard_step(rows, sets=values))  # indicator_kinds, gender_scorecard, gender_scorecard_evidence
        rows["compare_figures"] = compare_figures(rows)

    def absorb(self, spans: Spanning) -> None:
        """Remember what of a computed batch spans batches (:func:`spanning`); batches in their order."""
        self._known.update(spans.tagged)
        self._figures.extend(spans.figures)

    def peer_medians(self) -> list[dict]:
        """``peer_medians`` over every batch run so far (it spans municipalities: call it at the end)."""
        return peer_medians(self._figures)

    def problems(self) -> list[str]:
        """Messages about the user's files, once every batch has run (an override of an item no
        batch holds is reported)."""
        return self._file_problems + [
            f"{self.overrides_path}: override for {k[1]} {k[2]} of {k[0]} matches no item; check item_key "
            "('<plan_start>:<code>' for plan items, the activity_id for activities)"
            for k in self.overrides if k not in self._known]

    def issues(self) -> list[dict]:
        """:meth:`problems` as ``validation_issues`` rows (warnings: they never stop a build)."""
        return [{"document_id": None, "municipality_id": None, "severity": "warning",
                 "check_name": USER_FILES_CHECK, "message": m, "source_page": None} for m in self.problems()]


def analyse(rows: dict[str, list[dict]], overrides_path: Path | None) -> None:
    """Fill the analysis relations of ``rows`` in place and set ``gender_marker`` on items.

    Fills ``gender_tags``, ``left_out_objectives``, ``objective_coverage``,
    ``indicator_achievement``, ``objective_achievement``, ``gender_budget``,
    ``gender_budget_units``, ``budget_execution``, the scorecard relations, ``compare_figures`` and ``peer_medians``; sets ``gender_marker`` on every objective, indicator and activity.
    Problems with the user's CSV files become warnings in ``validation_issues``; they never
    stop the build.
    """
    analysis = Analysis(overrides_path)
    analysis.run(rows)
    rows["peer_medians"] = analysis.peer_medians()
    rows.setdefault("validation_issues", []).extend(analysis.issues())
