"""Fair-comparison figures: the year's population with its source, bands, real per capita and the
median of similar municipalities (``etl.analysis.comparison``), and the population keys of
municipality.toml."""

from __future__ import annotations

from etl.analysis.comparison import compare_figures, peer_medians, population_band, population_of
from etl.build import _populations, read_metadata


def test_population_of_takes_the_year_else_the_nearest_earlier_figure():
    figs = [{"year": 2020, "population": 100, "source": "TÜİK 2020"},
            {"year": 2023, "population": 130, "source": "TÜİK 2023"}]
    assert population_of(figs, 2023, None) == (130, 2023, "TÜİK 2023")
    assert population_of(figs, 2022, None) == (100, 2020, "TÜİK 2020")
    assert population_of(figs, 2019, None) == (100, 2020, "TÜİK 2020")  # nothing earlier: the first one
    assert population_of([], 2022, {"population": 7, "metadata_source": "municipality.toml"}) == \
        (7, None, "municipality.toml")
    assert population_of([], 2022, {"population": None}) == (None, None, None)


def test_bands():
    assert [population_band(p) for p in (None, 0, 49_999, 50_000, 999_999, 1_000_000)] == \
        [None, None, "<50k", "50k-250k", "250k-1M", "1M+"]


def _rows(pops: dict[str, int], kind: str = "district") -> dict[str, list[dict]]:
    return {
        "municipalities": [{"municipality_id": m, "kind": kind, "population": None} for m in pops],
        "municipality_population": [{"municipality_id": m, "year": 2024, "population": p, "source": "TÜİK"}
                                    for m, p in pops.items()],
        "gender_budget": [{"municipality_id": m, "year": 2024, "principal_budget": 1000.0 * (i + 1),
                           "significant_budget": 0.0, "principal_budget_real": 2000.0 * (i + 1),
                           "significant_budget_real": 0.0, "principal_share_pct": float(i + 1),
                           "significant_share_pct": 0.0, "price_base_year": 2025}
                          for i, m in enumerate(pops)],
        "left_out_rate": [{"municipality_id": m, "year": 2024, "left_out_pct": 10.0 * i} for i, m in enumerate(pops)],
    }


def test_real_per_capita_and_the_median_of_one_kind_and_band():
    rows = _rows({"a": 100_000, "b": 200_000, "c": 60_000, "d": 2_000_000})
    figs = compare_figures(rows)
    a = figs[0]
    assert (a["population"], a["population_year"], a["population_source"], a["population_band"]) == \
        (100_000, 2024, "TÜİK", "50k-250k")
    assert a["principal_per_capita"] == 0.01 and a["principal_real_per_capita"] == 0.02
    assert a["left_out_pct"] == 0.0
    med = {(m["kind"], m["population_band"]): m for m in peer_medians(figs)}
    band = med[("district", "50k-250k")]
    # a, b, c: shares 1, 2, 3; left out 0, 10, 20; d is in another band
    assert band["municipalities"] == 3 and band["principal_share_pct"] == 2.0 and band["left_out_pct"] == 10.0
    assert med[("district", "1M+")]["municipalities"] == 1
    # another kind never enters a district's median
    metro = compare_figures(_rows({"x": 150_000}, kind="metropolitan"))
    both = {(m["kind"], m["population_band"]): m for m in peer_medians(figs + metro)}
    assert both[("district", "50k-250k")]["municipalities"] == 3
    assert both[("metropolitan", "50k-250k")]["municipalities"] == 1


def test_municipality_toml_population_by_year(tmp_path):
    (tmp_path / "municipality.toml").write_text(
        'name = "Deneme Belediyesi"\nkind = "district"\npopulation = 120000\npopulation_year = 2022\n'
        'population_source = "TÜİK ADNKS"\n\n[population_by_year]\n2023 = 125000\n2024 = "çok"\n',
        encoding="utf-8")
    meta, problems = read_metadata(tmp_path)
    assert meta["population_by_year"] == {2023: 125000}
    assert any("population_by_year: 2024" in p for p in problems)
    rows = _populations([{"municipality_id": "deneme"}], {"deneme": meta})
    assert rows == [{"municipality_id": "deneme", "year": 2022, "population": 120000, "source": "TÜİK ADNKS"},
                    {"municipality_id": "deneme", "year": 2023, "population": 125000, "source": "TÜİK ADNKS"}]
