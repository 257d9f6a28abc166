"""Numbers and figures for the Compare municipalities page: 2 to 6 municipalities on the same scales.

Every chart facets by municipality with shared axes (or puts them on one axis), so a bar of the
same height means the same number whichever municipality it belongs to.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app import data, i18n
from app.charts import MARKER_COLOURS, SERIES_COLOURS, STATUS_COLOURS
from app.i18n import fmt_pct, t
from app.views.achievement import STATUSES, status_label
from etl.analysis.comparison import MEDIAN_COLUMNS
from etl.turkish import casefold_tr

MIN_SELECTED, MAX_SELECTED = 2, 6
PRESETS = ("metropolitan", "district", "all")

i18n.register({
    "cmp_select": {"tr": "Karşılaştırılacak belediyeler (2–6)", "en": "Municipalities to compare (2–6)"},
    "cmp_preset": {"tr": "Hazır seçim", "en": "Preset"},
    "cmp_search": {"tr": "Belediye ara", "en": "Search municipalities"},
    "cmp_province": {"tr": "İl", "en": "Province"},
    "cmp_kind": {"tr": "Tür", "en": "Kind"},
    "cmp_any": {"tr": "Tümü", "en": "All"},
    "cmp_matches": {"tr": "{n} / {total} belediye listede", "en": "{n} of {total} municipalities listed"},
    "cmp_preset_metropolitan": {"tr": "Büyükşehirler", "en": "Metropolitan"},
    "cmp_preset_district": {"tr": "İlçeler", "en": "Districts"},
    "cmp_preset_all": {"tr": "Tümü", "en": "All"},
    "cmp_preset_truncated": {
        "tr": "Bu grupta {n} belediye var; ilk {max} tanesi seçildi. Diğerlerini listeden değiştirebilirsiniz.",
        "en": "This group has {n} municipalities; the first {max} were selected. Swap others in from the list."},
    "cmp_too_few": {
        "tr": "Karşılaştırmak için en az 2 belediye seçin (en fazla 6). Yukarıdaki listeden ya da hazır seçim "
              "düğmeleriyle seçebilirsiniz.",
        "en": "Select at least 2 municipalities to compare (at most 6), from the list above or with a preset."},
    "cmp_too_few_kind": {
        "tr": "Ambarda bu türde yalnızca {n} belediye var.",
        "en": "The warehouse holds only {n} municipality of this kind."},
    "cmp_need_two": {
        "tr": "Ambarda karşılaştırılacak en az iki belediye yok. `data/raw/` altına başka belediyelerin "
              "klasörlerini ekleyip `python -m etl build` komutunu çalıştırın.",
        "en": "The warehouse has fewer than two municipalities. Add more folders under `data/raw/` and run "
              "`python -m etl build`."},
    "cmp_kind_metropolitan": {"tr": "büyükşehir", "en": "metropolitan"},
    "cmp_kind_district": {"tr": "ilçe", "en": "district"},
    "cmp_same_scale": {
        "tr": "Tüm grafiklerde belediyeler aynı ölçekte: dikey eksenler ortaktır.",
        "en": "All charts put the municipalities on the same scale: vertical axes are shared."},
    "cmp_share": {"tr": "Toplumsal cinsiyet bütçe payı (yıllara göre)", "en": "Gender budget share by year"},
    "cmp_share_help": {
        "tr": "Performans programındaki faaliyetlerin toplam kaynak ihtiyacı içinde temel (2) ve önemli (1) "
              "etiketli faaliyetlerin payı; ikisi ayrı ayrı gösterilir.",
        "en": "Share of activities marked principal (2) and significant (1) in the total resources of the "
              "performance program's activities, shown separately."},
    "cmp_share_axis": {"tr": "Bütçe payı (%)", "en": "Budget share (%)"},
    "cmp_left_out": {"tr": "Programa alınmayan hedeflerin oranı", "en": "Share of objectives left out"},
    "cmp_left_out_help": {
        "tr": "O yıl yürürlükteki stratejik plandaki hedeflerden performans programına alınmayanların oranı "
              "(programa alınmayan hedef / plandaki hedef × 100).",
        "en": "Objectives of the strategic plan in force that the year's performance program left out "
              "(left-out objectives / objectives in the plan × 100)."},
    "cmp_left_out_axis": {"tr": "Programa alınmayan (%)", "en": "Left out (%)"},
    "cmp_status": {"tr": "{year} gösterge gerçekleşme dağılımı", "en": "{year} indicator achievement distribution"},
    "cmp_status_help": {
        "tr": "Faaliyet raporundaki göstergelerin durumlara göre payı. Durumlar Gösterge gerçekleşmesi "
              "sayfasında açıklanır.",
        "en": "Share of the activity report's indicators by status; the statuses are explained on the "
              "Indicator achievement page."},
    "cmp_status_axis": {"tr": "Göstergelerin payı (%)", "en": "Share of indicators (%)"},
    "cmp_status_missing": {"tr": "{year} için faaliyet raporu olmayan belediyeler: {names}.",
                           "en": "No activity report for {year}: {names}."},
    "cmp_per_capita": {"tr": "Kişi başına toplumsal cinsiyet bütçesi (gerçek TL)",
                       "en": "Gender budget per capita (real TL)"},
    "cmp_per_capita_help": {
        "tr": "Temel ve önemli etiketli faaliyetlerin kaynak ihtiyacı, {base} fiyatlarıyla (TÜFE yıllık "
              "ortalaması), o yılın nüfusuna bölünür; nüfusun yılı ve kaynağı özet tablodadır. Kesikli çizgi: "
              "aynı türden ve aynı nüfus bandındaki belediyelerin medyanı.",
        "en": "Resources of activities marked principal and significant at {base} prices (annual average "
              "CPI), divided by the year's population; the population's year and source are in the summary "
              "table. Dashed line: the median of municipalities of the same kind and population band."},
    "cmp_share_median": {
        "tr": "Kesikli çizgi: aynı türden ve aynı nüfus bandındaki belediyelerin medyanı (en az {n} belediye "
              "olduğunda).",
        "en": "Dashed line: the median of municipalities of the same kind and population band (when there "
              "are at least {n})."},
    "cmp_median_principal": {"tr": "Benzerlerin medyanı, temel", "en": "Median of similar, principal"},
    "cmp_median_significant": {"tr": "Benzerlerin medyanı, önemli", "en": "Median of similar, significant"},
    "cmp_mixed_kinds": {
        "tr": "Seçimde büyükşehir ve ilçe belediyeleri birlikte: görevleri ve bütçeleri farklıdır; "
              "medyanlar her belediyenin kendi türünden hesaplanır.",
        "en": "The selection mixes metropolitan and district municipalities, whose duties and budgets "
              "differ; each municipality's median is taken over its own kind."},
    "cmp_col_population_year": {"tr": "Nüfus yılı", "en": "Population year"},
    "cmp_col_band": {"tr": "Nüfus bandı", "en": "Population band"},
    "cmp_per_capita_axis": {"tr": "TL / kişi", "en": "TL per person"},
    "cmp_no_population": {
        "tr": "Nüfus bilgisi olmayan belediyeler kişi başı grafikte yok: {names}. Nüfusu "
              "`data/raw/<belediye>/municipality.toml` dosyasına `population = …` satırıyla yazıp yeniden "
              "derleyin.",
        "en": "Municipalities without a population are missing from the per-capita chart: {names}. Add "
              "`population = …` to `data/raw/<municipality>/municipality.toml` and build again."},
    "cmp_no_data_chart": {"tr": "Seçilen belediyeler için bu grafiğin verisi yok.",
                          "en": "No data for this chart for the selected municipalities."},
    "cmp_summary": {"tr": "Seçilen belediyeler", "en": "Selected municipalities"},
    "cmp_principal": {"tr": "Temel (2)", "en": "Principal (2)"},
    "cmp_significant": {"tr": "Önemli (1)", "en": "Significant (1)"},
    "cmp_col_municipality": {"tr": "Belediye", "en": "Municipality"},
    "cmp_col_kind": {"tr": "Tür", "en": "Kind"},
    "cmp_col_population": {"tr": "Nüfus", "en": "Population"},
    "cmp_col_population_source": {"tr": "Nüfus kaynağı", "en": "Population source"},
    "cmp_col_year": {"tr": "Yıl", "en": "Year"},
    "cmp_col_series": {"tr": "Seri", "en": "Series"},
    "cmp_col_value": {"tr": "Değer", "en": "Value"},
    "cmp_col_status": {"tr": "Durum", "en": "Status"},
    "cmp_col_count": {"tr": "Gösterge sayısı", "en": "Indicators"},
    "cmp_col_share": {"tr": "Pay (%)", "en": "Share (%)"},
    "cmp_col_objectives": {"tr": "Plandaki hedef", "en": "Objectives in the plan"},
    "cmp_col_left_out": {"tr": "Programa alınmayan", "en": "Left out"},
    "cmp_col_left_out_gender": {"tr": "…cinsiyetle ilgili", "en": "…gender-related"},
    "cmp_col_left_out_pct": {"tr": "Programa alınmayan (%)", "en": "Left out (%)"},
    "cmp_col_budget_year": {"tr": "Son program yılı", "en": "Latest program year"},
    "cmp_col_principal_share": {"tr": "Temel payı (%)", "en": "Principal share (%)"},
    "cmp_col_significant_share": {"tr": "Önemli payı (%)", "en": "Significant share (%)"},
    "cmp_col_principal_pc": {"tr": "Temel, gerçek TL/kişi", "en": "Principal, real TL/person"},
    "cmp_col_significant_pc": {"tr": "Önemli, gerçek TL/kişi", "en": "Significant, real TL/person"},
})


# --- reading -------------------------------------------------------------------------------

def municipalities() -> pd.DataFrame:
    """All municipalities with province, kind and population."""
    return data.query("select municipality_id, name, province, kind, population, metadata_source "
                      "from municipalities order by name")


def filter_municipalities(munis: pd.DataFrame, search: str = "", province: str | None = None,
                          kind: str | None = None) -> pd.DataFrame:
    """The picker's list narrowed to one province and kind and to names (or ids) containing
    ``search`` in the Turkish casefold ("izmir" finds İzmir); empty filters keep everything."""
    out = munis
    if province:
        out = out[out["province"] == province]
    if kind:
        out = out[out["kind"] == kind]
    needle = casefold_tr(search or "").strip()
    if needle:
        hay = (out["name"].fillna("") + " " + out["municipality_id"]).map(casefold_tr)
        out = out[hay.str.contains(needle, regex=False)]
    return out


def default_selection(munis: pd.DataFrame) -> list[str]:
    """The first municipalities of the most common kind: district and metropolitan municipalities
    are compared apart unless the user picks both."""
    kinds = munis["kind"].dropna()
    if kinds.empty:
        return list(munis["municipality_id"])[:MAX_SELECTED]
    counts = kinds.value_counts()
    top = sorted(counts[counts == counts.max()].index)[0]
    return list(munis.loc[munis["kind"] == top, "municipality_id"])[:MAX_SELECTED]


def mixed_kinds(munis: pd.DataFrame, ids: list[str]) -> bool:
    """True when the selection holds municipalities of more than one kind."""
    return munis.loc[munis["municipality_id"].isin(ids), "kind"].dropna().nunique() > 1


def preset(munis: pd.DataFrame, which: str) -> list[str]:
    """Municipality ids of one kind ("metropolitan", "district") or all, at most MAX_SELECTED."""
    chosen = munis if which == "all" else munis[munis["kind"] == which]
    return list(chosen["municipality_id"])[:MAX_SELECTED]


def preset_size(munis: pd.DataFrame, which: str) -> int:
    return len(munis) if which == "all" else int((munis["kind"] == which).sum())


def validate(selected: list[str]) -> str | None:
    """The i18n key of the message to show, or None when the selection can be compared."""
    return "cmp_too_few" if len(selected) < MIN_SELECTED else None


def _in(ids: list[str]) -> str:
    return ", ".join("?" for _ in ids)


PEER_MIN = 3  # a median of fewer similar municipalities says little


def gender_share(ids: list[str]) -> pd.DataFrame:
    """Per municipality × year: principal and significant budget shares, real TL per person, with
    the median of similar municipalities (same kind and population band) beside each; every
    figure is precomputed by the analysis (``compare_figures``, ``peer_medians``)."""
    # sql-safe: the median columns are the constant MEDIAN_COLUMNS, PEER_MIN a constant; ids are ? parameters
    return data.query(
        f"""select f.municipality_id, m.name, f.year, f.kind, f.population, f.population_year, f.population_source,
                   f.population_band, f.principal_share_pct, f.significant_share_pct,
                   f.principal_real_per_capita, f.significant_real_per_capita, f.price_base_year,
                   p.municipalities as peers,
                   {", ".join(f"case when p.municipalities >= {PEER_MIN} then p.{c} end as median_{c}"
                              for c in MEDIAN_COLUMNS)}
            from compare_figures f join municipalities m using (municipality_id)
            left join peer_medians p on p.kind = f.kind and p.population_band = f.population_band
                                        and p.year = f.year
            where f.municipality_id in ({_in(ids)}) order by m.name, f.year""", list(ids))


def left_out_rate(ids: list[str]) -> pd.DataFrame:
    """Left-out objectives / objectives of the plan in force, per municipality × program year."""
    return data.query(
        f"""select r.municipality_id, m.name, r.year, r.plan_start, r.objectives, r.left_out, r.left_out_gender,
                   r.left_out_pct
            from left_out_rate r join municipalities m using (municipality_id)
            where r.municipality_id in ({_in(ids)}) order by m.name, r.year""", list(ids))


def achievement_years(ids: list[str]) -> list[int]:
    df = data.query(f"select distinct year from indicator_achievement where municipality_id in ({_in(ids)}) "
                    "order by year", list(ids))
    return [int(y) for y in df["year"]]


def status_distribution(ids: list[str], year: int) -> pd.DataFrame:
    """Indicators per status and their share per municipality in one report year (every status listed)."""
    df = data.query(
        f"""select a.municipality_id, m.name, a.status, count(*) as indicators
            from indicator_achievement a join municipalities m using (municipality_id)
            where a.municipality_id in ({_in(ids)}) and a.year = ? group by all""", [*ids, int(year)])
    if df.empty:
        return pd.DataFrame(columns=["municipality_id", "name", "status", "indicators", "share_pct"])
    full = pd.MultiIndex.from_product([sorted(df["municipality_id"].unique()), STATUSES],
                                      names=["municipality_id", "status"])
    names = df.drop_duplicates("municipality_id").set_index("municipality_id")["name"]
    out = (df.set_index(["municipality_id", "status"])["indicators"].reindex(full, fill_value=0).reset_index())
    out["name"] = out["municipality_id"].map(names)
    out["share_pct"] = (100 * out["indicators"] / out.groupby("municipality_id")["indicators"].transform("sum")).round(2)
    return out[["municipality_id", "name", "status", "indicators", "share_pct"]]


def summary(ids: list[str]) -> pd.DataFrame:
    """One row per selected municipality: kind, the latest program year's population (its year and
    source), band, shares and real TL per person (the latest year with a price index, when one has)."""
    return data.query(
        f"""select m.municipality_id, m.name, m.kind, f.population, f.population_year, f.population_source,
                   f.population_band, f.year as budget_year, f.principal_share_pct, f.significant_share_pct,
                   f.principal_real_per_capita, f.significant_real_per_capita
            from municipalities m
            left join (select * from compare_figures where municipality_id in ({_in(ids)}) qualify row_number()
                       over (partition by municipality_id order by principal_real_per_capita is not null desc, year desc) = 1) f
                      using (municipality_id)
            where m.municipality_id in ({_in(ids)}) order by m.name""", [*ids, *ids])


def missing_population(ids: list[str]) -> list[str]:
    """Names of selected municipalities without a population (no per-capita figures for them)."""
    df = data.query(f"""select m.name from municipalities m where m.municipality_id in ({_in(ids)})
                        and not exists (select 1 from compare_figures f where f.municipality_id = m.municipality_id
                                        and f.population > 0) order by m.name""", list(ids))
    return list(df["name"])


# --- tables for display ---------------------------------------------------------------------

def _renamed(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    return df[list(columns)].rename(columns={c: t(k) for c, k in columns.items()})


def _year_text(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """A year column as text ("2024", "–" when unknown): years take no thousands separator."""
    out = df.copy()
    out[column] = [("–" if pd.isna(y) else str(int(y))) for y in out[column]]
    return out


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    out = _year_text(df, "population_year")
    out["kind"] = out["kind"].map(lambda k: t(f"cmp_kind_{k}") if f"cmp_kind_{k}" in i18n.TEXTS else k)
    return _renamed(out, {"name": "cmp_col_municipality", "kind": "cmp_col_kind", "population": "cmp_col_population",
                          "population_year": "cmp_col_population_year",
                          "population_source": "cmp_col_population_source", "population_band": "cmp_col_band",
                          "budget_year": "cmp_col_budget_year",
                          "principal_share_pct": "cmp_col_principal_share",
                          "significant_share_pct": "cmp_col_significant_share",
                          "principal_real_per_capita": "cmp_col_principal_pc",
                          "significant_real_per_capita": "cmp_col_significant_pc"})


def share_table(df: pd.DataFrame) -> pd.DataFrame:
    return _renamed(df, {"name": "cmp_col_municipality", "year": "cmp_col_year",
                         "principal_share_pct": "cmp_col_principal_share",
                         "significant_share_pct": "cmp_col_significant_share",
                         "median_principal_share_pct": "cmp_median_principal",
                         "median_significant_share_pct": "cmp_median_significant",
                         "principal_real_per_capita": "cmp_col_principal_pc",
                         "significant_real_per_capita": "cmp_col_significant_pc"})


def per_capita_table(df: pd.DataFrame) -> pd.DataFrame:
    return _renamed(_year_text(df, "population_year"), {"name": "cmp_col_municipality", "year": "cmp_col_year",
                         "population": "cmp_col_population", "population_year": "cmp_col_population_year",
                         "population_source": "cmp_col_population_source",
                         "principal_real_per_capita": "cmp_col_principal_pc",
                         "significant_real_per_capita": "cmp_col_significant_pc",
                         "median_principal_real_per_capita": "cmp_median_principal",
                         "median_significant_real_per_capita": "cmp_median_significant"})


def left_out_table(df: pd.DataFrame) -> pd.DataFrame:
    return _renamed(df, {"name": "cmp_col_municipality", "year": "cmp_col_year", "objectives": "cmp_col_objectives",
                         "left_out": "cmp_col_left_out", "left_out_gender": "cmp_col_left_out_gender",
                         "left_out_pct": "cmp_col_left_out_pct"})


def status_table(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["status"] = out["status"].map(status_label)
    return _renamed(out, {"name": "cmp_col_municipality", "status": "cmp_col_status",
                          "indicators": "cmp_col_count", "share_pct": "cmp_col_share"})


# --- figures ---------------------------------------------------------------------------------

def _short(name: str) -> str:
    """"Serinyurt Büyükşehir Belediyesi" → "Serinyurt Büyükşehir" (facet titles stay on one line)."""
    return name.removesuffix(" Belediyesi")


def _facets(names: list[str], y_title: str, cols: int = 3) -> go.Figure:
    if not names:  # nothing to draw: an empty figure rather than make_subplots(rows=0)
        return go.Figure()
    rows = -(-len(names) // cols)
    cols = min(cols, len(names))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[_short(n) for n in names], shared_yaxes="all",
                        shared_xaxes="all", vertical_spacing=0.18 if rows > 1 else 0.1, horizontal_spacing=0.04)
    fig.update_yaxes(title_text=y_title, col=1)
    fig.update_layout(margin={"t": 100})
    return fig


def _pos(i: int, cols: int = 3) -> tuple[int, int]:
    return i // cols + 1, i % cols + 1


def _marker_facets(df: pd.DataFrame, columns: tuple[str, str], axis_key: str, title_key: str,
                   hover_value: str, floor: float) -> go.Figure:
    """Principal and significant series per year, one facet per municipality, one shared y axis."""
    names = list(dict.fromkeys(df["name"]))
    fig = _facets(names, t(axis_key))
    series = ((columns[0], 2, "cmp_principal"), (columns[1], 1, "cmp_significant"))
    shown: set[str] = set()
    for i, name in enumerate(names):
        part = df[df["name"] == name]
        row, col = _pos(i)
        for column, marker, key in series:
            fig.add_trace(go.Bar(
                x=part["year"].astype(str), y=part[column], name=t(key), marker_color=MARKER_COLOURS[marker],
                legendgroup=key, showlegend=i == 0,
                hovertemplate=f"{_short(name)} %{{x}}<br>{t(key)}: {hover_value}<extra></extra>"), row=row, col=col)
        for column, marker, _key in series:
            median = f"median_{column}"
            if median not in part or part[median].isna().all():
                continue
            mkey = "cmp_median_principal" if marker == 2 else "cmp_median_significant"
            fig.add_trace(go.Scatter(
                x=part["year"].astype(str), y=part[median], name=t(mkey), mode="lines+markers",
                line={"color": MARKER_COLOURS[marker], "dash": "dash", "width": 1.5}, marker={"size": 5},
                legendgroup=mkey, showlegend=mkey not in shown,
                hovertemplate=f"{_short(name)} %{{x}}<br>{t(mkey)}: {hover_value}<extra></extra>"), row=row, col=col)
            shown.add(mkey)
    medians = [f"median_{c}" for c in columns if f"median_{c}" in df]
    top = float(df[list(columns) + medians].max().max() or 0)
    fig.update_yaxes(range=[0, max(floor, top * 1.1)])
    fig.update_xaxes(type="category")
    fig.update_layout(barmode="group", title=t(title_key), height=_height(len(names)), bargap=0.25)
    return fig


def share_figure(df: pd.DataFrame) -> go.Figure:
    """Principal and significant shares per year, one facet per municipality, one shared y axis."""
    fig = _marker_facets(df, ("principal_share_pct", "significant_share_pct"), "cmp_share_axis", "cmp_share",
                         "%{y:.2f}%", floor=5.0)
    fig.update_yaxes(ticksuffix="%")
    return fig


def per_capita_figure(df: pd.DataFrame) -> go.Figure:
    """Principal and significant real TL per person per year, one facet per municipality, shared y axis."""
    df = df.dropna(subset=["principal_real_per_capita", "significant_real_per_capita"], how="all")
    return _marker_facets(df, ("principal_real_per_capita", "significant_real_per_capita"),
                          "cmp_per_capita_axis", "cmp_per_capita", "%{y:,.2f} TL", floor=1.0)


def price_base_year(df: pd.DataFrame) -> int | str:
    base = df["price_base_year"].dropna() if "price_base_year" in df else pd.Series(dtype="float64")
    return int(base.iloc[0]) if len(base) else "–"


def left_out_figure(df: pd.DataFrame) -> go.Figure:
    """Left-out share per year, one line per municipality on one axis."""
    fig = go.Figure()
    for i, name in enumerate(dict.fromkeys(df["name"])):
        part = df[df["name"] == name]
        fig.add_trace(go.Scatter(
            x=part["year"].astype(str), y=part["left_out_pct"], name=_short(name), mode="lines+markers",
            line={"color": SERIES_COLOURS[i % len(SERIES_COLOURS)], "width": 2.5}, marker={"size": 8},
            customdata=part[["left_out", "objectives", "left_out_gender"]].to_numpy(),
            hovertemplate=(f"{_short(name)} %{{x}}: %{{y:.1f}}%<br>%{{customdata[0]}} / %{{customdata[1]}} · "
                           f"{t('cmp_col_left_out_gender')} %{{customdata[2]}}<extra></extra>")))
    top = float(df["left_out_pct"].max() or 0)
    fig.update_yaxes(range=[0, max(10.0, top * 1.15)], ticksuffix="%", title_text=t("cmp_left_out_axis"))
    fig.update_xaxes(type="category", categoryorder="category ascending")
    fig.update_layout(title=t("cmp_left_out"), height=380)
    return fig


def status_figure(df: pd.DataFrame, year: int) -> go.Figure:
    """100 % stacked horizontal bars: share of indicators per status, one bar per municipality."""
    fig = go.Figure()
    names = [_short(n) for n in dict.fromkeys(df["name"])]
    for status in STATUSES:
        part = df[df["status"] == status]
        fig.add_trace(go.Bar(
            y=[_short(n) for n in part["name"]], x=part["share_pct"], name=status_label(status), orientation="h",
            marker_color=STATUS_COLOURS[status], customdata=part["indicators"],
            text=[fmt_pct(v, 0) if v >= 5 else "" for v in part["share_pct"]], textposition="inside",
            insidetextanchor="middle",
            hovertemplate=f"%{{y}}<br>{status_label(status)}: %{{x:.1f}}% (%{{customdata}})<extra></extra>"))
    # The legend goes below the axis title, measured from the figure's bottom edge (the bar area is short).
    fig.update_layout(barmode="stack", title=t("cmp_status", year=year), height=190 + 50 * len(names),
                      legend={"yref": "container", "y": 0, "yanchor": "bottom", "traceorder": "normal"},
                      margin={"b": 90})
    fig.update_xaxes(range=[0, 100], ticksuffix="%", title_text=t("cmp_status_axis"))
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], automargin=True)
    return fig


def _height(n: int) -> int:
    return 380 if n <= 3 else 640
