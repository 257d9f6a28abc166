"""Compare municipalities page: AppTest through the router, and its view functions without Streamlit."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from app.views import compare as cmp
from tests.conftest import plotly_array as _array
from tests.conftest import read_relation, run_page

YEAR = 2024


@pytest.fixture(scope="module")
def warehouse(sample_warehouse):
    return sample_warehouse


def _run() -> AppTest:
    return run_page("compare.py")


def _charts(at: AppTest) -> dict[str, go.Figure]:
    # On screen the title is text above the chart; the figure with its title is what the files get.
    figs = [pio.from_json(c.proto.spec, skip_invalid=True) for c in at.get("plotly_chart")]
    titles = list(at.session_state["_pack"]["charts"])
    assert len(titles) == len(figs)
    return dict(zip(titles, figs, strict=True))


def _trace(fig: go.Figure, name: str, **match) -> dict[str, float]:
    """x → y of the first trace called ``name`` (and matching e.g. xaxis="x2")."""
    for d in fig.data:
        if d.name == name and all(getattr(d, k) == v for k, v in match.items()):
            return dict(zip(_array(d.x), _array(d.y), strict=True))
    raise AssertionError(f"no trace {name} {match}")


PER_CAPITA = "Kişi başına toplumsal cinsiyet bütçesi (gerçek TL)"


def _all(at: AppTest) -> AppTest:
    at.button(key="cmp-preset-all").click().run()
    assert not at.exception, at.exception
    return at


def test_default_compares_one_kind_then_all_on_shared_axes(warehouse):
    at = _run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Belediyeleri karşılaştır"
    # District and metropolitan municipalities apart unless chosen: the two districts first.
    assert at.multiselect(key="ms").value == ["altinsogut", "ilginkoy"]
    assert not any("büyükşehir ve ilçe" in c.value for c in at.caption)
    _all(at)
    assert at.multiselect(key="ms").value == ["altinsogut", "ilginkoy", "serinyurt"]
    assert any("büyükşehir ve ilçe" in c.value for c in at.caption)
    summary = at.dataframe[0].value
    assert len(summary) == 3 and summary["Nüfus"].tolist() == [96415, 214380, 1386240]
    assert summary["Nüfus kaynağı"].tolist() == ["municipality.toml"] * 3
    assert summary["Nüfus bandı"].tolist() == ["50k-250k", "50k-250k", "1M+"]

    charts = _charts(at)
    assert len(charts) == 4
    share = charts["Toplumsal cinsiyet bütçe payı (yıllara göre)"]
    # one y range for every facet: the later axes match the first
    assert share.layout.yaxis2.matches == "y" and share.layout.yaxis3.matches == "y"
    per_capita = charts[PER_CAPITA]
    assert per_capita.layout.yaxis3.matches == "y"
    top = max(r["significant_real_per_capita"] or 0 for r in read_relation(warehouse, "compare_figures"))
    assert top > 0 and per_capita.layout.yaxis.range[1] >= top


def test_numbers_match_the_warehouse(warehouse):
    at = _all(_run())
    at.sidebar.selectbox(key="y").select(YEAR).run()
    assert not at.exception, at.exception
    charts = _charts(at)

    gb = {(r["municipality_id"], r["year"]): r for r in read_relation(warehouse, "gender_budget")}
    share = charts["Toplumsal cinsiyet bütçe payı (yıllara göre)"]
    g = gb[("ilginkoy", YEAR)]  # second facet (names sorted): x2 / y2
    assert _trace(share, "Temel (2)", xaxis="x2")[str(YEAR)] == pytest.approx(
        100 * g["principal_budget"] / g["total_budget"], abs=0.01)
    assert _trace(share, "Önemli (1)", xaxis="x2")[str(YEAR)] == pytest.approx(
        100 * g["significant_budget"] / g["total_budget"], abs=0.01)

    coverage = [r for r in read_relation(warehouse, "objective_coverage")
                if r["municipality_id"] == "serinyurt" and r["year"] == YEAR]
    left = [r for r in read_relation(warehouse, "left_out_objectives")
            if r["municipality_id"] == "serinyurt" and r["year"] == YEAR]
    left_out = charts["Programa alınmayan hedeflerin oranı"]
    assert _trace(left_out, "Serinyurt Büyükşehir")[str(YEAR)] == pytest.approx(
        100 * len(left) / len(coverage), abs=0.01)

    statuses = Counter(r["status"] for r in read_relation(warehouse, "indicator_achievement")
                       if r["municipality_id"] == "altinsogut" and r["year"] == YEAR)
    dist = charts[f"{YEAR} gösterge gerçekleşme dağılımı"]
    met = {y: x for x, y in _trace(dist, "Tuttu").items()}
    assert met["Altınsöğüt"] == pytest.approx(100 * statuses["met"] / sum(statuses.values()), abs=0.01)

    per_capita = charts[PER_CAPITA]
    assert _trace(per_capita, "Temel (2)", xaxis="x3")[str(YEAR)] == pytest.approx(
        gb[("serinyurt", YEAR)]["principal_budget_real"] / 1386240, abs=0.01)


def test_fewer_than_two_shows_a_message_and_no_chart(warehouse):
    at = _run()
    at.multiselect(key="ms").set_value(["ilginkoy"]).run()
    assert not at.exception, at.exception
    assert any("en az 2 belediye" in w.value for w in at.warning)
    assert not at.get("plotly_chart")
    at.multiselect(key="ms").set_value(["ilginkoy", "serinyurt"]).run()
    assert not at.warning and len(at.get("plotly_chart")) == 4
    assert len(at.dataframe[0].value) == 2
    assert any("büyükşehir ve ilçe" in c.value for c in at.caption)


def test_presets_select_municipalities_of_a_kind(warehouse):
    at = _run()
    at.button(key="cmp-preset-district").click().run()
    assert not at.exception, at.exception
    assert at.multiselect(key="ms").value == ["altinsogut", "ilginkoy"]
    assert len(at.get("plotly_chart")) == 4

    at.button(key="cmp-preset-metropolitan").click().run()
    assert at.multiselect(key="ms").value == ["serinyurt"]
    assert at.warning and not at.get("plotly_chart")
    assert any("yalnızca 1" in c.value for c in at.caption)

    at.button(key="cmp-preset-all").click().run()
    assert at.multiselect(key="ms").value == ["altinsogut", "ilginkoy", "serinyurt"]


def test_english(warehouse):
    at = _run()
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Compare municipalities"
    assert "Gender budget share by year" in _charts(at)
    assert [b.label for b in at.button] == ["Metropolitan", "Districts", "All"]
    at.multiselect(key="ms").set_value([]).run()
    assert any("at least 2" in w.value for w in at.warning)


# --- view functions without Streamlit ---------------------------------------------------------

def _munis(kinds: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"municipality_id": [f"m{i}" for i in range(len(kinds))], "kind": kinds})


def test_preset_picks_kind_and_stops_at_six():
    munis = _munis(["district"] * 8 + ["metropolitan"])
    assert cmp.preset(munis, "metropolitan") == ["m8"]
    assert cmp.preset(munis, "district") == [f"m{i}" for i in range(6)]
    assert cmp.preset_size(munis, "district") == 8 and cmp.preset_size(munis, "all") == 9
    assert len(cmp.preset(munis, "all")) == cmp.MAX_SELECTED


def test_validate():
    assert cmp.validate([]) == cmp.validate(["a"]) == "cmp_too_few"
    assert cmp.validate(["a", "b"]) is None


def test_status_distribution_lists_every_status_and_sums_to_100(warehouse):
    df = cmp.status_distribution(["altinsogut", "serinyurt"], YEAR)
    assert set(df["status"]) == {"met", "partial", "not_met", "no_data"}
    assert len(df) == 8
    assert df.groupby("municipality_id")["share_pct"].sum().round(0).tolist() == [100, 100]
    assert cmp.status_distribution(["nowhere"], YEAR).empty


def test_missing_population_is_named(warehouse):
    assert cmp.missing_population(["altinsogut", "serinyurt"]) == []
    df = pd.DataFrame({"name": ["A Belediyesi", "A Belediyesi"], "year": [2024, 2025],
                       "principal_real_per_capita": [None, None], "significant_real_per_capita": [None, None]})
    assert not cmp.per_capita_figure(df).data  # a municipality without population draws nothing


def test_picker_filters_1400_names():
    provinces = ["İzmir", "Ankara", "Iğdır", "Serinyurt"]
    munis = pd.DataFrame({"municipality_id": [f"m{i:04d}" for i in range(1400)],
                          "name": [f"{'Işıklı' if i % 7 == 0 else 'Kent'} {i} Belediyesi" for i in range(1400)],
                          "province": [provinces[i % 4] for i in range(1400)],
                          "kind": ["metropolitan" if i % 50 == 0 else "district" for i in range(1400)]})
    assert len(cmp.filter_municipalities(munis)) == 1400
    izmir = cmp.filter_municipalities(munis, province="İzmir")
    assert len(izmir) == 350 and set(izmir["province"]) == {"İzmir"}
    metro = cmp.filter_municipalities(munis, province="İzmir", kind="metropolitan")
    assert list(metro["municipality_id"]) == [f"m{i:04d}" for i in range(0, 1400, 100)]
    # the Turkish casefold: "ışıklı" finds "Işıklı", "işıklı" does not
    assert len(cmp.filter_municipalities(munis, search="ışıklı")) == 200
    assert cmp.filter_municipalities(munis, search="işıklı").empty
    assert list(cmp.filter_municipalities(munis, search="m0013")["municipality_id"]) == ["m0013"]


def test_picker_search_and_kind_narrow_the_list_and_keep_picks(warehouse):
    at = _run()
    at.selectbox(key="cmp-kind").select("metropolitan").run()
    assert not at.exception, at.exception
    ms = at.multiselect(key="ms")
    # the two default picks (the districts) stay, and the one metropolitan is listed beside them
    assert ms.value == ["altinsogut", "ilginkoy"]
    assert ms.options == ["Altınsöğüt Belediyesi", "Ilgınköy Belediyesi", "Serinyurt Büyükşehir Belediyesi"]
    assert "1 / 3" in " ".join(c.value for c in at.caption)
    ms.set_value(["serinyurt"]).run()
    at.text_input(key="cmp-search").input("ılgın").run()
    at.selectbox(key="cmp-kind").select(None).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="ms").value == ["serinyurt"]
    assert at.multiselect(key="ms").options == ["Serinyurt Büyükşehir Belediyesi", "Ilgınköy Belediyesi"]
    at.multiselect(key="ms").select("ilginkoy").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="ms").value == ["serinyurt", "ilginkoy"]
    assert len(_charts(at)) == 4


def test_default_selection_keeps_kinds_apart():
    munis = _munis(["metropolitan", "district", "district", "metropolitan", "district"])
    assert cmp.default_selection(munis) == ["m1", "m2", "m4"]
    assert not cmp.mixed_kinds(munis, ["m1", "m2"]) and cmp.mixed_kinds(munis, ["m0", "m1"])
