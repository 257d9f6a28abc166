"""Gender budget page: AppTest through the router on the embedded sample, and its view functions."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from app import data
from app.views import gender_budget as view
from tests.conftest import open_for
from tests.conftest import run_page as _run

PAGE = "gender_budget.py"


def _one(warehouse, sql: str, params: list | None = None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()
    finally:
        con.close()


def _tr_money(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") + " TL"


def _chart(at, name_part: str):
    """A figure the page registered for its report pack, by part of its name."""
    charts = at.session_state["_pack"]["charts"]
    found = [fig for name, fig in charts.items() if name_part in name]
    assert found, list(charts)
    return found[0]


def _open(municipality: str = "ilginkoy", year: int = 2024, lang: str | None = None):
    return open_for(PAGE, municipality, year, lang)


@pytest.fixture(scope="module")
def edited_warehouse(sample_warehouse, tmp_path_factory):  # noqa: F811
    """The sample with serinyurt's programs removed and altinsogut's population unknown."""
    path = tmp_path_factory.mktemp("edited") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"attach '{sample_warehouse}' as s (read_only)")
        tables = con.execute("select table_name from information_schema.tables "
                             "where table_catalog = 's' and table_schema = 'main'").fetchall()
        for (name,) in tables:
            con.execute(f'create table "{name}" as select * from s."{name}"')
        for name in ("gender_budget", "activities", "performance_goals", "left_out_objectives",
                     "objective_coverage", "program_totals"):
            con.execute(f"delete from {name} where municipality_id = 'serinyurt'")
        con.execute("update municipalities set population = null where municipality_id = 'altinsogut'")
        con.execute("update gender_budget set population = null, total_budget_per_capita = null, "
                    "principal_budget_per_capita = null, significant_budget_per_capita = null "
                    "where municipality_id = 'altinsogut'")
        # the population the analysis chose per year (what per-capita amounts divide by)
        con.execute("update compare_figures set population = null, population_band = null, "
                    "principal_per_capita = null, significant_per_capita = null, principal_real_per_capita = null, "
                    "significant_real_per_capita = null where municipality_id = 'altinsogut'")
    finally:
        con.close()
    return path


# --- the page -------------------------------------------------------------------------------

def test_metrics_and_chart_match_the_warehouse(sample_warehouse):  # noqa: F811
    principal, significant, total = _one(
        sample_warehouse,
        "select sum(total) filter (where gender_marker = 2), sum(total) filter (where gender_marker = 1), sum(total) "
        "from activities where municipality_id = 'ilginkoy' and year = 2024")
    at = _open("ilginkoy", 2024)
    assert at.title[0].value == "Toplumsal cinsiyet bütçesi"
    metrics = {m.label: m for m in at.metric}
    assert metrics["Temel (2)"].proto.help == _tr_money(principal)
    assert metrics["Önemli (1)"].proto.help == _tr_money(significant)
    assert metrics["Tüm faaliyetler"].proto.help == _tr_money(total)
    share = (principal + significant) / total * 100
    assert metrics["Cinsiyete duyarlı pay"].value == "%" + f"{share:.1f}".replace(".", ",")
    assert metrics["Temel (2)"].value == f"{principal / 1e6:.2f}".replace(".", ",") + " mn"
    assert any("2024 performans programı" in md.value for md in at.markdown)

    fig = _chart(at, "Yıllara göre")
    bars = {trace.name: dict(zip(trace.x, trace.y, strict=True)) for trace in fig.data}
    # principal and significant are separate series, never only their sum
    assert bars["Temel (2)"][2024] == pytest.approx(principal)
    assert bars["Önemli (1)"][2024] == pytest.approx(significant)
    assert bars["Cinsiyete duyarlı pay (%)"][2024] == pytest.approx(share, abs=0.01)
    assert fig.layout.separators == ",."


def test_drill_down_lists_the_years_activities_with_reason_and_source(sample_warehouse):  # noqa: F811
    (n,) = _one(sample_warehouse, "select count(*) from activities where municipality_id = 'ilginkoy' and year = 2024")
    at = _open("ilginkoy", 2024)
    acts = at.session_state["_pack"]["tables"]["Ilgınköy Belediyesi 2024 faaliyetleri"]
    assert len(acts) == n
    assert list(acts["marker"]) == sorted(acts["marker"], reverse=True)  # gender-related first
    gender = acts[acts["marker"] > 0]
    assert len(gender) and gender["reason"].notna().all()
    assert acts["source_document"].str.endswith("performans_programi.pdf").all()
    assert acts["source_page"].notna().all()
    assert (acts["budget"] + acts["off_budget"]).sub(acts["total"]).abs().max() < 0.01
    assert acts.loc[acts["marker"] == 2, "total"].sum() == pytest.approx(
        _one(sample_warehouse, "select principal_budget from gender_budget "
                               "where municipality_id = 'ilginkoy' and year = 2024")[0])
    units = at.session_state["_pack"]["tables"]["Ilgınköy Belediyesi 2024 birimlere göre"]
    assert units["principal"].sum() == pytest.approx(acts.loc[acts["marker"] == 2, "total"].sum())
    assert len(at.dataframe) == 2


def test_an_activity_links_to_its_row_on_sources(sample_warehouse):  # noqa: F811
    """The activities table's source link names the relation and the row, as the other pages' do,
    and Sources marks that activity first (no warning that the row is not on the page)."""
    from urllib.parse import parse_qsl, urlsplit

    at = _open("ilginkoy", 2024)
    table = next(d.value for d in at.dataframe if "activity_name" in d.value.columns)
    pack = at.session_state["_pack"]["tables"]["Ilgınköy Belediyesi 2024 faaliyetleri"]
    query = dict(parse_qsl(urlsplit(table["source_link"].iloc[0]).query))
    assert query["rel"] == "activities" and query["rk"] == "activity_id"
    assert query["rv"] == pack["activity_id"].iloc[0]
    assert (query["doc"], int(query["p"])) == (pack["source_document_id"].iloc[0], pack["source_page"].iloc[0])

    sources = _run("sources.py", query, deep_link=True)
    assert not sources.exception, sources.exception
    assert not sources.warning, [w.value for w in sources.warning]
    rows = next(d.value for d in sources.dataframe if "activity_id" in d.value.columns)
    assert rows["activity_id"].iloc[0] == query["rv"]  # the traced row first


def test_real_and_per_capita_toggle(sample_warehouse):  # noqa: F811
    real, per_capita, base = _one(
        sample_warehouse, "select principal_budget_real, principal_budget_per_capita, price_base_year "
                          "from gender_budget where municipality_id = 'ilginkoy' and year = 2024")
    at = _open("ilginkoy", 2024)
    at.segmented_control(key="view").set_value("real").run()
    assert not at.exception
    help_text = {m.label: m.proto.help for m in at.metric}["Temel (2)"]
    assert float(help_text.removesuffix(" TL").replace(".", "")) == pytest.approx(real, abs=1)
    assert any(f"**{base}** fiyatlarına" in c.value for c in at.caption)
    assert any("2026 için henüz yıllık ortalama TÜFE yok" in c.value for c in at.caption)  # the sample CPI ends in 2025
    assert _chart(at, "Yıllara göre").layout.yaxis.title.text.endswith(f"{base} fiyatlarıyla (TÜFE ile))")

    at.segmented_control(key="view").set_value("per_capita").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Temel (2)"] == f"{per_capita:.2f}".replace(".", ",")
    assert any("214.380 kişi" in c.value for c in at.caption)


def test_program_vs_spent_where_the_activity_report_has_costs(sample_warehouse):  # noqa: F811
    spent, program = _one(sample_warehouse, "select principal_spent, principal_budget_only from gender_budget "
                                            "where municipality_id = 'altinsogut' and year = 2024")
    at = _open("altinsogut", 2024)
    fig = _chart(at, "Program ve harcama")
    series = {trace.name: dict(zip(trace.x, trace.y, strict=True)) for trace in fig.data}
    assert series["Temel (2) – harcama"][2024] == pytest.approx(spent)
    assert series["Temel (2) – program"][2024] == pytest.approx(program)
    assert len(fig.data) == 4

    # Ilgınköy's reports print their activity costs as TL rows of the results table: spending still shows.
    (spent_i,) = _one(sample_warehouse, "select principal_spent from gender_budget "
                                        "where municipality_id = 'ilginkoy' and year = 2024")
    at = _open("ilginkoy", 2024)
    assert spent_i and not any("harcama verisi yok" in i.value for i in at.info)
    fig = _chart(at, "Program ve harcama")
    series = {trace.name: dict(zip(trace.x, trace.y, strict=True)) for trace in fig.data}
    assert series["Temel (2) – harcama"][2024] == pytest.approx(spent_i)


def test_english(sample_warehouse):  # noqa: F811
    (principal,) = _one(sample_warehouse, "select principal_budget from gender_budget "
                                          "where municipality_id = 'ilginkoy' and year = 2024")
    at = _open("ilginkoy", 2024, lang="en")
    assert at.title[0].value == "Gender budget"
    metrics = {m.label: m for m in at.metric}
    assert metrics["Principal (2)"].proto.help == f"{principal:,.0f} TL"
    assert metrics["Gender-related share"].value.endswith("%")
    assert _chart(at, "Gender budget by year").layout.separators == ".,"
    assert at.session_state["_pack"]["tables"]["Ilgınköy Belediyesi 2024 activities"]["marker_label"].iloc[0] \
        == "Principal (2)"


def test_empty_state_and_missing_population(edited_warehouse, monkeypatch):
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(edited_warehouse))
    at = _run(PAGE)
    at.sidebar.selectbox(key="m").select("serinyurt").run()
    assert not at.exception
    assert "performans programı yok" in at.info[0].value
    assert not at.metric

    at.sidebar.selectbox(key="m").select("altinsogut").run()
    at.segmented_control(key="view").set_value("per_capita").run()
    assert not at.exception
    assert "data/raw/altinsogut/municipality.toml" in at.warning[0].value
    assert {m.label: m.value for m in at.metric}["Temel (2)"] == "–"


# --- the view functions, without Streamlit ----------------------------------------------------

def _inline() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2023, 2024], "total_budget": [1000.0, 2000.0], "principal_budget": [100.0, 300.0],
        "significant_budget": [50.0, 100.0], "gender_total_budget": [150.0, 400.0], "gender_share_pct": [15.0, 20.0],
        "principal_budget_only": [80.0, 250.0], "significant_budget_only": [50.0, 100.0],
        "principal_spent": [70.0, None], "significant_spent": [60.0, None], "total_spent": [900.0, None],
        "total_budget_real": [1500.0, None], "population": [10, 10], "price_base_year": [2024, 2024],
        "gender_execution_pct": [100.0, None]})


def test_series_views_scale_every_amount_but_not_the_share():
    gb = _inline()
    nominal = view.series(gb, "nominal")
    assert nominal["principal"].tolist() == [100.0, 300.0]
    assert nominal["significant"].tolist() == [50.0, 100.0]
    real = view.series(gb, "real")
    assert real.loc[0, "principal"] == pytest.approx(150.0) and pd.isna(real.loc[1, "principal"])
    per_capita = view.series(gb, "per_capita")
    assert per_capita["principal"].tolist() == [10.0, 30.0]
    for s in (nominal, real, per_capita):
        assert s["share_pct"].tolist() == [15.0, 20.0]
        assert s.loc[0, "gender_execution_pct"] == pytest.approx(130 / 130 * 100)  # a ratio: no view scales it
    assert view.program_vs_spent(nominal)["year"].tolist() == [2023]


def test_view_code_reads_codes_and_labels_of_both_languages():
    assert view.view_code("real") == "real"
    assert view.view_code("Reel (sabit fiyat)") == view.view_code("Real (constant prices)") == "real"
    assert view.view_code("Kişi başına") == "per_capita"
    assert view.view_code("bogus") is None and view.view_code(None) is None


def test_notes_and_population():
    gb = _inline()
    notes = view.view_notes(gb, "real")
    assert "2024" in notes[0] and "2024" in notes[1]  # base year, then the year without CPI
    assert view.view_notes(gb, "nominal") == []
    assert not view.population_missing(gb)
    assert view.population_missing(gb.assign(population=None))
    assert view.factors(gb.assign(population=0), "per_capita").isna().all()


def test_by_directorate_and_activities_add_up(sample_warehouse):  # noqa: F811
    data.close_all()
    gb = view.yearly("altinsogut").set_index("year")
    units = view.by_directorate("altinsogut", 2025)
    assert units["principal"].sum() == pytest.approx(gb.loc[2025, "principal_budget"])
    assert units["significant"].sum() == pytest.approx(gb.loc[2025, "significant_budget"])
    assert units["total"].sum() == pytest.approx(gb.loc[2025, "total_budget"])
    gender = units["principal"] + units["significant"]
    assert list(gender) == sorted(gender, reverse=True)
    halved = view.by_directorate("altinsogut", 2025, factor=0.5)
    assert halved["total"].sum() == pytest.approx(gb.loc[2025, "total_budget"] / 2)
    acts = view.activities("altinsogut", 2025)
    assert acts["activity_id"].is_unique and {"reason", "matched_terms", "source_page"} <= set(acts.columns)


def test_the_page_shows_the_analysis_split_which_adds_up_the_activities(sample_warehouse):  # noqa: F811
    # The page reads gender_budget_units and gender_budget.gender_execution_pct (one definition,
    # in the analysis); both must be what the activities and their markers add up to.
    data.close_all()
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        direct = con.execute(
            """select municipality_id, year, coalesce(responsible_unit, '–') as responsible_unit,
                      coalesce(sum(total) filter (where gender_marker = 2), 0) as principal,
                      coalesce(sum(total) filter (where gender_marker = 1), 0) as significant,
                      coalesce(sum(total) filter (where coalesce(gender_marker, 0) = 0), 0) as not_targeted,
                      coalesce(sum(total), 0) as total
               from activities group by all""").df()
        money = con.execute("select * from gender_budget").df()
    finally:
        con.close()
    checked = 0
    for (mid, year), rows in direct.groupby(["municipality_id", "year"]):
        page = view.by_directorate(mid, int(year)).sort_values("responsible_unit").reset_index(drop=True)
        mine = rows.sort_values("responsible_unit").reset_index(drop=True)
        assert list(page["responsible_unit"]) == list(mine["responsible_unit"])
        for col in ("principal", "significant", "not_targeted", "total"):
            assert list(page[col]) == pytest.approx(list(mine[col].astype(float))), (mid, year, col)
        share = ((mine["principal"] + mine["significant"]) / mine["total"].where(mine["total"] != 0) * 100).round(2)
        assert list(page["share_pct"].fillna(-1)) == pytest.approx(list(share.astype(float).fillna(-1)))
        checked += 1
    assert checked >= 6
    for mid, rows in money.groupby("municipality_id"):
        page = view.series(view.yearly(mid)).set_index("year")["gender_execution_pct"]
        program = rows["principal_budget_only"] + rows["significant_budget_only"]
        spent = rows["principal_spent"] + rows["significant_spent"]
        mine = (spent / program.where(program != 0) * 100).round(2).set_axis(rows["year"])
        assert list(page.reindex(mine.index).fillna(-1)) == pytest.approx(list(mine.fillna(-1))), mid
    assert money["gender_execution_pct"].notna().any()
