"""Indicator achievement page: AppTest through the router, and its view functions without Streamlit."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from app.charts import STATUS_COLOURS
from app.views import achievement as ach
from tests.conftest import plotly_array as _array
from tests.conftest import read_relation, run_page

MID, YEAR = "altinsogut", 2024


@pytest.fixture(scope="module")
def warehouse(sample_warehouse):
    return sample_warehouse


@pytest.fixture(scope="module")
def achievement_rows(warehouse):
    return [r for r in read_relation(warehouse, "indicator_achievement") if r["municipality_id"] == MID]


def _run(page: str = "achievement.py") -> AppTest:
    return run_page(page)


def _on_year(at: AppTest, year: int = YEAR) -> AppTest:
    at.sidebar.selectbox(key="m").select(MID).run()
    return at.sidebar.selectbox(key="y").select(year).run()


def _charts(at: AppTest) -> list[go.Figure]:
    # plotly encodes arrays as binary in the JSON spec; from_json decodes them. The title is text
    # above the chart on screen; the figure keeps it for the files (the report pack's copy).
    figs = [pio.from_json(c.proto.spec, skip_invalid=True) for c in at.get("plotly_chart")]
    for fig, kept in zip(figs, at.session_state["_pack"]["charts"].values(), strict=True):
        fig.update_layout(title_text=kept.layout.title.text)
    return figs


def _metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


def test_status_counts_heatmap_and_tables_match_the_warehouse(warehouse, achievement_rows):
    at = _on_year(_run())
    assert not at.exception, at.exception
    assert at.title[0].value == "Gösterge gerçekleşmesi"

    year_rows = [r for r in achievement_rows if r["year"] == YEAR]
    expected = Counter(r["status"] for r in year_rows)
    assert _metrics(at) == {f"{YEAR}: {ach.status_label(s)}": expected.get(s, 0) for s in ach.STATUSES}
    assert expected["met"] > 0 and expected["partial"] > 0  # the check means something on this sample

    heatmap = _charts(at)[0]
    plan_start = year_rows[0]["plan_start"]
    plan_codes = {r["indicator_code"] for r in achievement_rows if r["plan_start"] == plan_start}
    assert heatmap.data[0].type == "heatmap"
    assert len(heatmap.data[0].y) == len(plan_codes)
    assert list(heatmap.data[0].x) == sorted({str(r["year"]) for r in achievement_rows if r["plan_start"] == plan_start})

    results, rollup, mismatch = (d.value for d in at.dataframe)
    assert len(results) == len(year_rows)
    assert {"Kaynak belge", "Sayfa"} <= set(results.columns)
    assert results["Kaynak belge"].str.contains(f"{MID}/").all()

    objectives = [r for r in read_relation(warehouse, "objective_achievement")
                  if r["municipality_id"] == MID and r["year"] == YEAR]
    assert len(rollup) == len(objectives)
    assert rollup["Sayfa"].notna().all()

    wrong = [r for r in achievement_rows if r["rate_mismatch"]]
    assert len(mismatch) == len(wrong) > 0
    one = wrong[0]
    row = mismatch[mismatch["Kod"] == one["indicator_code"]].iloc[0]
    assert row["Fark (puan)"] == pytest.approx(one["published_rate_pct"] - one["achievement_pct"], abs=0.01)
    assert row["Sayfa"] == one["source_page"]

    latex = " ".join(x.value for x in at.latex)
    assert r"\frac" in latex and "Başlangıç değeri" in latex
    assert any("Azalması hedeflenen" in m.value for m in at.markdown)


def test_marker_filter_limits_counts_heatmap_and_rollup(warehouse, achievement_rows):
    at = _on_year(_run())
    at.segmented_control(key="gm").set_value([2]).run()
    assert not at.exception, at.exception
    principal = [r for r in achievement_rows if r["year"] == YEAR and r["gender_marker"] == 2]
    assert sum(_metrics(at).values()) == len(principal) > 0
    heatmap = _charts(at)[0].data[0]
    assert all("(2)" in label for label in heatmap.y)
    rollup = at.dataframe[1].value
    assert set(rollup["Etiket"]) <= {2}

    at.segmented_control(key="gm").set_value([]).run()
    assert not at.exception
    assert any("En az bir" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_indicator_selector_draws_that_indicators_trend(warehouse):
    at = _on_year(_run())
    selector = at.selectbox(key="ind")
    code = "PG2.2.1"
    assert code in selector.options[0] or any(o.startswith(code) for o in selector.options)
    selector.select(code).run()
    assert not at.exception, at.exception
    trend = _charts(at)[1]
    assert code in trend.layout.title.text
    values = [v for v in read_relation(warehouse, "indicator_values")
              if v["municipality_id"] == MID and v["indicator_code"] == code and 2020 <= v["year"] <= 2024]
    actuals = {str(v["year"]): v["value"] for v in values if v["kind"] == "actual" and v["value"] is not None}
    actual_trace = next(d for d in trend.data if d.name == "Gerçekleşme (FR)")
    drawn = {x: y for x, y in zip(actual_trace.x, _array(actual_trace.y), strict=True) if y == y}  # NaN = gap
    assert drawn == pytest.approx(actuals)
    assert actuals
    assert {d.name for d in trend.data} == {"Plan hedefi (SP)", "Program hedefi (PP)", "Gerçekleşme (FR)"}


def test_english(warehouse):
    at = _run()
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    _on_year(at)
    assert not at.exception, at.exception
    assert at.title[0].value == "Indicator achievement"
    assert f"{YEAR}: Met" in _metrics(at)
    assert "Source document" in at.dataframe[0].value.columns
    assert any("meant to decrease" in m.value for m in at.markdown)


def test_latest_plan_period_is_shown_for_the_latest_year(warehouse, achievement_rows):
    at = _run()
    at.sidebar.selectbox(key="m").select(MID).run()
    latest = max(r["year"] for r in achievement_rows)
    assert at.sidebar.selectbox(key="y").value == latest
    plan_start = next(r["plan_start"] for r in achievement_rows if r["year"] == latest)
    assert any(s.value.startswith(f"{plan_start}–") for s in at.subheader)


# --- view functions without Streamlit ---------------------------------------------------------

def _frame(**cols) -> pd.DataFrame:
    return pd.DataFrame(cols)


def test_status_counts_lists_every_status():
    df = _frame(year=[2024, 2024, 2023], status=["met", "met", "partial"])
    assert ach.status_counts(df, 2024) == {"met": 2, "partial": 0, "not_met": 0, "no_data": 0}


def test_indicator_options_sort_codes_numerically_and_use_latest_name():
    df = _frame(indicator_code=["PG1.10.1", "PG1.2.1", "PG1.2.1"], year=[2022, 2022, 2023],
                indicator_name=["ten", "old name", "new name"])
    assert list(ach.indicator_options(df)) == ["PG1.2.1", "PG1.10.1"]
    assert ach.indicator_options(df)["PG1.2.1"] == "PG1.2.1 · new name"


def test_heatmap_colours_follow_status_and_text_is_the_rate():
    df = _frame(indicator_code=["PG1.1.1", "PG1.1.1", "PG1.1.2"], indicator_name=["a", "a", "b"],
                year=[2022, 2023, 2022], status=["met", "no_data", "not_met"], achievement_pct=[150.0, None, 40.0],
                direction=["increase", "increase", "decrease"], gender_marker=[2, 2, 0], target_value=[1, 1, 1],
                actual_value=[1.5, None, 0.4], unit=["kişi"] * 3, plan_progress_pct=[None] * 3,
                published_rate_pct=[None] * 3)
    fig = ach.heatmap_figure(df)
    trace = fig.data[0]
    assert list(trace.x) == ["2022", "2023"]
    assert trace.y[1].startswith("PG1.1.2 (0) ↓")
    assert list(trace.text[0]) == ["150", "–"] and trace.text[1][1] == ""
    # each z value sits in the colour band of its status
    scale = dict((round(p, 3), c) for p, c in trace.colorscale)
    n = len(ach.STATUSES)
    for z, status in ((trace.z[0][0], "met"), (trace.z[0][1], "no_data"), (trace.z[1][0], "not_met")):
        assert scale[round(z / n, 3)] == STATUS_COLOURS[status]
    assert trace.z[1][1] is None


def test_mismatches_and_rollup_read_with_parameters(warehouse, achievement_rows):
    got = ach.mismatches(MID, [0, 1, 2])
    assert len(got) == sum(1 for r in achievement_rows if r["rate_mismatch"])
    assert ach.mismatches(MID, []).empty
    assert ach.results(MID, 2020, ["2"]).gender_marker.eq(2).all()  # URL strings become ints
    assert ach.results("x' or '1'='1", 2020, [0, 1, 2]).empty
    assert ach.plan_period(MID, 2025) == (2025, 2029)
    assert ach.report_years(MID) == sorted({r["year"] for r in achievement_rows})
