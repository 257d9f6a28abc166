"""Figures for fair comparisons: per municipality × PP year, and the median of similar municipalities.

A comparison between municipalities is fair when it divides by the right population (the year's
figure, its source named), keeps prices comparable (real TL at ``price_base_year`` prices) and
sets a municipality beside its peers: the same kind (a metropolitan municipality's duties and
budget are not a district's) and the same population band. Each figure has one definition,
here; the Compare page only reads ``compare_figures`` and ``peer_medians``.

``compare_figures`` is keyed by municipality, so it is computed batch by batch with the rest of
the analysis; ``peer_medians`` spans every municipality, so :func:`peer_medians` runs once over
all the (small) ``compare_figures`` rows at the end.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

# (label, lower bound inclusive); a population falls in the last band whose bound it reaches.
POPULATION_BANDS = (("<50k", 0), ("50k-250k", 50_000), ("250k-1M", 250_000), ("1M+", 1_000_000))
MEDIAN_COLUMNS = ("principal_share_pct", "significant_share_pct", "principal_per_capita", "significant_per_capita",
                  "principal_real_per_capita", "significant_real_per_capita", "left_out_pct")


def population_band(population: int | None) -> str | None:
    """The band label of a population (None without one)."""
    if not population or population <= 0:
        return None
    return next(label for label, low in reversed(POPULATION_BANDS) if population >= low)


def population_of(figures: list[dict], year: int, fallback: dict | None) -> tuple[int | None, int | None, str | None]:
    """(population, the year it counts, its source) for ``year``: the figure of that year, else the
    nearest earlier one, else the nearest later one, else the municipality's single figure."""
    dated = [f for f in figures if f.get("year") is not None and f.get("population")]
    if dated:
        before = [f for f in dated if f["year"] <= year]
        best = max(before, key=lambda f: f["year"]) if before else min(dated, key=lambda f: f["year"])
        return best["population"], best["year"], best.get("source")
    undated = next((f for f in figures if f.get("population")), None)
    if undated:
        return undated["population"], None, undated.get("source")
    if fallback and fallback.get("population"):
        return fallback["population"], None, fallback.get("metadata_source")
    return None, None, None


def _per(amount: float | None, population: int | None) -> float | None:
    return round(amount / population, 2) if amount is not None and population else None


def compare_figures(rows: dict[str, list[dict]]) -> list[dict]:
    """One row per municipality × gender_budget year (``gender_budget`` and ``left_out_rate`` computed)."""
    munis = {m["municipality_id"]: m for m in rows.get("municipalities") or []}
    pops: dict[str, list[dict]] = defaultdict(list)
    for p in rows.get("municipality_population") or []:
        pops[p["municipality_id"]].append(p)
    left = {(r["municipality_id"], r["year"]): r.get("left_out_pct") for r in rows.get("left_out_rate") or []}
    out = []
    for g in rows.get("gender_budget") or []:
        mid, year = g["municipality_id"], g["year"]
        pop, pop_year, source = population_of(pops.get(mid, []), year, munis.get(mid))
        out.append({
            "municipality_id": mid, "year": year, "kind": (munis.get(mid) or {}).get("kind"),
            "population": pop, "population_year": pop_year, "population_source": source,
            "population_band": population_band(pop),
            "principal_share_pct": g.get("principal_share_pct"), "significant_share_pct": g.get("significant_share_pct"),
            "principal_per_capita": _per(g.get("principal_budget"), pop),
            "significant_per_capita": _per(g.get("significant_budget"), pop),
            "principal_real_per_capita": _per(g.get("principal_budget_real"), pop),
            "significant_real_per_capita": _per(g.get("significant_budget_real"), pop),
            "price_base_year": g.get("price_base_year"), "left_out_pct": left.get((mid, year))})
    return out


def peer_medians(figures: list[dict]) -> list[dict]:
    """Median of each figure over the municipalities of one kind and population band, per year."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures:
        if f.get("kind") and f.get("population_band"):
            groups[(f["kind"], f["population_band"], f["year"])].append(f)
    out = []
    for (kind, band, year), part in sorted(groups.items()):
        row = {"kind": kind, "population_band": band, "year": year, "municipalities": len(part)}
        for col in MEDIAN_COLUMNS:
            values = [f[col] for f in part if f.get(col) is not None]
            row[col] = round(statistics.median(values), 2) if values else None
        out.append(row)
    return out
