"""Numbers and charts for the Gender budget page: one municipality's program money by gender marker.

Amounts come from ``gender_budget`` (sums over the PP's activities, split by marker 2 / 1) and,
for a year's detail, from ``activities`` with their tag reason in ``gender_tags``. The three
money views are the same numbers times one factor per year: 1 (nominal), CPI(base) / CPI(year)
(real, taken from the warehouse's own ``*_real`` columns) or 1 / population (per capita).
Nothing here imports Streamlit except through ``app.i18n.t`` for labels, so tests call it directly.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from app import data, i18n
from app.charts import MARKER_COLOURS, SERIES_COLOURS
from app.i18n import t

VIEWS = ("nominal", "real", "per_capita")

TEXTS: dict[str, dict[str, str]] = {
    "gb_intro": {
        "tr": "Performans programındaki faaliyetlerin kaynak ihtiyacı (bütçe + bütçe dışı), toplumsal cinsiyet "
              "etiketine göre: **temel (2)** ve **önemli (1)** ayrı ayrı gösterilir, hiçbir zaman yalnızca toplamları "
              "değil.",
        "en": "Resources the performance program gives its activities (budget + off-budget), by gender marker: "
              "**principal (2)** and **significant (1)** are always shown separately, never only their sum."},
    "gb_view": {"tr": "Tutarlar", "en": "Amounts"},
    "gb_view_nominal": {"tr": "Cari (TL)", "en": "Nominal (TL)"},
    "gb_view_real": {"tr": "Reel (sabit fiyat)", "en": "Real (constant prices)"},
    "gb_view_per_capita": {"tr": "Kişi başına", "en": "Per capita"},
    "gb_unit_nominal": {"tr": "TL, cari fiyatlarla", "en": "TL, current prices"},
    "gb_unit_real": {"tr": "TL, {base} fiyatlarıyla (TÜFE ile)", "en": "TL at {base} prices (CPI-deflated)"},
    "gb_unit_per_capita": {"tr": "TL / kişi", "en": "TL per person"},
    "gb_note_real": {
        "tr": "Reel tutarlar, TÜİK yıllık ortalama TÜFE ile **{base}** fiyatlarına çevrildi "
              "(`etl/analysis/cpi_tr.csv`, düzenlenebilir).",
        "en": "Real amounts are deflated with the annual average CPI (TurkStat) to **{base}** prices "
              "(`etl/analysis/cpi_tr.csv`, editable)."},
    "gb_note_real_missing": {
        "tr": "{years} için henüz yıllık ortalama TÜFE yok (TÜİK yıl bitince yayımlar); bu yıllar reel görünümde "
              "boş kalır, cari tutarları \"Cari (TL)\" görünümündedir.",
        "en": "{years} has no annual average CPI yet (TurkStat publishes it after the year ends); these years stay "
              "empty in the real view, their nominal amounts are in the \"Nominal (TL)\" view."},
    "gb_note_per_capita": {
        "tr": "Kişi başına tutarlar, belediye nüfusuna ({pop} kişi, `municipality.toml`) bölündü; tüm yıllar için "
              "aynı nüfus kullanılır.",
        "en": "Per-capita amounts divide by the municipality's population ({pop}, `municipality.toml`); the same "
              "population is used for every year."},
    "gb_no_population": {
        "tr": "Bu belediyenin nüfusu bilinmiyor, bu yüzden kişi başına tutar hesaplanamıyor. Nüfusu "
              "`data/raw/{mid}/municipality.toml` dosyasına `population = 123456` satırıyla ekleyip "
              "`python -m etl build` ile yeniden derleyin.",
        "en": "This municipality's population is unknown, so per-capita amounts cannot be computed. Add "
              "`population = 123456` to `data/raw/{mid}/municipality.toml` and rebuild with `python -m etl build`."},
    "gb_million": {"tr": "{n} mn", "en": "{n} m"},
    "gb_program_year": {"tr": "{year} performans programı", "en": "{year} performance program"},
    "gb_metric_principal": {"tr": "Temel (2)", "en": "Principal (2)"},
    "gb_metric_significant": {"tr": "Önemli (1)", "en": "Significant (1)"},
    "gb_metric_total": {"tr": "Tüm faaliyetler", "en": "All activities"},
    "gb_metric_share": {"tr": "Cinsiyete duyarlı pay", "en": "Gender-related share"},
    "gb_by_year": {"tr": "Yıllara göre toplumsal cinsiyet bütçesi", "en": "Gender budget by year"},
    "gb_share_line": {"tr": "Cinsiyete duyarlı pay (%)", "en": "Gender-related share (%)"},
    "gb_amount": {"tr": "Tutar", "en": "Amount"},
    "gb_share_axis": {"tr": "Pay (%)", "en": "Share (%)"},
    "gb_program_vs_spent": {"tr": "Program ve harcama (faaliyet raporu)", "en": "Program vs spent (activity report)"},
    "gb_program_vs_spent_help": {
        "tr": "Program: performans programındaki bütçe tutarı (bütçe dışı hariç; faaliyet raporu yalnızca bütçeyi "
              "izler). Harcama: faaliyet raporunun faaliyet maliyetleri tablosu, faaliyet adıyla eşleştirildi.",
        "en": "Program: the performance program's budget amount (off-budget excluded; the activity report only "
              "tracks the budget). Spent: the activity report's activity cost table, matched by activity name."},
    "gb_no_spent": {
        "tr": "Bu belediye için faaliyet raporundan harcama verisi yok (faaliyet maliyetleri tablosu bulunamadı).",
        "en": "No spending from activity reports for this municipality (no activity cost table was found)."},
    "gb_program": {"tr": "program", "en": "program"},
    "gb_spent": {"tr": "harcama", "en": "spent"},
    "gb_execution": {"tr": "{year} cinsiyete duyarlı harcama / program", "en": "{year} gender-related spent / program"},
    "gb_unmatched": {
        "tr": "{year}: faaliyet raporundaki {n} satır programdaki bir faaliyetle eşleşmedi.",
        "en": "{year}: {n} activity-report rows matched no program activity."},
    "gb_by_unit": {"tr": "{year} birimlere göre", "en": "{year} by directorate"},
    "gb_by_unit_chart": {"tr": "{year} cinsiyete duyarlı bütçe, birimlere göre",
                         "en": "{year} gender-related budget by directorate"},
    "gb_year_not_in_view": {"tr": "{year} için bu görünümde tutar hesaplanamıyor (yukarıdaki nota bakın).",
                            "en": "{year} has no amounts in this view (see the note above)."},
    "gb_no_gender_units": {"tr": "Bu yıl hiçbir birimin cinsiyete duyarlı faaliyeti yok.",
                           "en": "No directorate has a gender-related activity this year."},
    "gb_activities": {"tr": "{year} faaliyetleri", "en": "{year} activities"},
    "gb_activities_help": {
        "tr": "Programın tüm faaliyetleri, önce cinsiyete duyarlı olanlar. Etiketin gerekçesi, eşleşen terimler ve "
              "kaynak belge ile sayfası her satırda.",
        "en": "Every activity of the program, gender-related first, with the tag's reason, the matched terms and "
              "the source document and page."},
    "gb_col_responsible_unit": {"tr": "Sorumlu birim", "en": "Directorate"},
    "gb_col_principal": {"tr": "Temel (2)", "en": "Principal (2)"},
    "gb_col_significant": {"tr": "Önemli (1)", "en": "Significant (1)"},
    "gb_col_not_targeted": {"tr": "Hedeflenmemiş (0)", "en": "Not targeted (0)"},
    "gb_col_total": {"tr": "Toplam", "en": "Total"},
    "gb_col_share_pct": {"tr": "Pay (%)", "en": "Share (%)"},
    "gb_col_code": {"tr": "Kod", "en": "Code"},
    "gb_col_performance_goal": {"tr": "Performans hedefi", "en": "Performance goal"},
    "gb_col_objective": {"tr": "Stratejik hedef", "en": "Objective"},
    "gb_col_activity": {"tr": "Faaliyet", "en": "Activity"},
    "gb_col_marker": {"tr": "Etiket", "en": "Marker"},
    "gb_col_marker_label": {"tr": "Etiket adı", "en": "Marker name"},
    "gb_col_reason": {"tr": "Gerekçe", "en": "Reason"},
    "gb_col_matched_terms": {"tr": "Eşleşen terimler", "en": "Matched terms"},
    "gb_col_tag_source": {"tr": "Etiket kaynağı", "en": "Tag source"},
    "gb_col_budget": {"tr": "Bütçe", "en": "Budget"},
    "gb_col_off_budget": {"tr": "Bütçe dışı", "en": "Off-budget"},
    "gb_col_source_document": {"tr": "Kaynak belge", "en": "Source document"},
    "gb_col_source_page": {"tr": "Sayfa", "en": "Page"},
}
i18n.register(TEXTS)


def yearly(mid: str) -> pd.DataFrame:
    """The municipality's gender_budget rows, one per program year, oldest first; ``population`` is
    the year's figure the analysis chose for per-capita amounts (``compare_figures``, one definition
    for every page), with the year it counts and its source."""
    return data.query(
        """select g.* replace (coalesce(f.population, g.population) as population),
                  f.population_year, f.population_source
           from gender_budget g
           left join compare_figures f on f.municipality_id = g.municipality_id and f.year = g.year
           where g.municipality_id = ? order by g.year""", [mid])


def view_code(param: str | None) -> str | None:
    """The money view a URL value names: a code ("real") or its label in either language.

    Streamlit writes a bound widget's *label* into the URL, and the label changes with the
    interface language; the page maps any of them back so links survive a language switch.
    """
    if not param:
        return None
    for code in VIEWS:
        if param == code or param in TEXTS[f"gb_view_{code}"].values():
            return code
    return None


def default_year(gb: pd.DataFrame, view: str) -> int | None:
    """The year a view opens on: the latest with amounts in that view (a CPI value, a population)."""
    usable = gb.loc[factors(gb, view).notna(), "year"]
    return int(usable.max()) if len(usable) else None


def factors(gb: pd.DataFrame, view: str) -> pd.Series:
    """Per-year multiplier turning nominal TL into the chosen view (NaN where it cannot be computed)."""
    if view == "real":
        # The warehouse's real columns are nominal × CPI(base)/CPI(year); reuse that ratio.
        nominal = gb["total_budget"].astype("float64")
        return (gb["total_budget_real"].astype("float64") / nominal.where(nominal != 0)).rename("factor")
    if view == "per_capita":
        pop = pd.to_numeric(gb["population"], errors="coerce").astype("float64")
        return (1.0 / pop.where(pop > 0)).rename("factor")
    return pd.Series(1.0, index=gb.index, name="factor")


def series(gb: pd.DataFrame, view: str = "nominal") -> pd.DataFrame:
    """Year-by-year amounts in the chosen view: principal and significant apart, totals, share, spent."""
    f = factors(gb, view)

    def col(name: str) -> pd.Series:
        return pd.to_numeric(gb[name], errors="coerce").astype("float64") * f

    out = pd.DataFrame({
        "year": gb["year"].astype(int),
        "principal": col("principal_budget"),
        "significant": col("significant_budget"),
        "gender_total": col("gender_total_budget"),
        "total": col("total_budget"),
        "share_pct": pd.to_numeric(gb["gender_share_pct"], errors="coerce").astype("float64"),
        "principal_program": col("principal_budget_only"),
        "significant_program": col("significant_budget_only"),
        "principal_spent": col("principal_spent"),
        "significant_spent": col("significant_spent"),
        "total_spent": col("total_spent"),
    })
    # A ratio of two amounts in the same view: the analysis's figure holds in every view.
    out["gender_execution_pct"] = pd.to_numeric(gb["gender_execution_pct"], errors="coerce").astype("float64")
    return out.reset_index(drop=True)


def view_notes(gb: pd.DataFrame, view: str) -> list[str]:
    """What the reader must know about the chosen view (base year, missing CPI, population)."""
    if gb.empty or view == "nominal":
        return []
    if view == "real":
        base = gb["price_base_year"].dropna()
        notes = [t("gb_note_real", base=int(base.iloc[0]) if len(base) else "–")]
        missing = gb.loc[gb["total_budget_real"].isna(), "year"].astype(int).tolist()
        if missing:
            notes.append(t("gb_note_real_missing", years=", ".join(map(str, missing))))
        return notes
    pop = pd.to_numeric(gb["population"], errors="coerce").dropna()
    if pop.empty or not (pop > 0).any():
        return []  # the page shows the "add population" explanation instead
    return [t("gb_note_per_capita", pop=i18n.fmt_number(float(pop.iloc[0])))]


def population_missing(gb: pd.DataFrame) -> bool:
    """True when per-capita amounts cannot be computed."""
    pop = pd.to_numeric(gb["population"], errors="coerce")
    return gb.empty or not (pop > 0).any()


def unit_label(gb: pd.DataFrame, view: str) -> str:
    """The unit of the amounts in the chosen view, for axis titles and captions."""
    if view == "real":
        base = gb["price_base_year"].dropna()
        return t("gb_unit_real", base=int(base.iloc[0]) if len(base) else "–")
    return t(f"gb_unit_{view}")


def fmt_amount(value: float | None, view: str, compact: bool = False) -> str:
    """A value in the view's unit ("1.250.000 TL", "12,34 TL / kişi"); compact drops the unit
    and writes millions as "18,98 mn" (for metrics, whose unit the page states once above them)."""
    if value is None or value != value:
        return "–"
    if compact:
        if view != "per_capita" and abs(value) >= 1e6:
            return t("gb_million", n=i18n.fmt_number(value / 1e6, 2))
        return i18n.fmt_number(value, 2 if view == "per_capita" else 0)
    if view == "per_capita":
        return f"{i18n.fmt_number(value, 2)} {t('gb_unit_per_capita')}"
    return i18n.fmt_money(value)


def separators() -> str:
    """Plotly's decimal and thousands separators for the interface language."""
    return ",." if i18n.lang() == "tr" else ".,"


def by_year_figure(s: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Principal and significant as stacked bars (each visible on its own) with the share as a line."""
    fig = go.Figure()
    for marker, column in ((2, "principal"), (1, "significant")):
        fig.add_bar(x=s["year"], y=s[column], name=t(f"marker_{marker}"), marker_color=MARKER_COLOURS[marker],
                    hovertemplate="%{x}: %{y:,.0f}<extra>%{fullData.name}</extra>")
    fig.add_scatter(x=s["year"], y=s["share_pct"], name=t("gb_share_line"), yaxis="y2", mode="lines+markers",
                    line={"color": SERIES_COLOURS[0], "width": 3},
                    hovertemplate="%{x}: %{y:.2f}%<extra>%{fullData.name}</extra>")
    top = s["share_pct"].max()
    top = 20.0 if top != top else max(20.0, math.ceil(top * 1.2 / 5) * 5)
    fig.update_layout(
        title=title, barmode="stack", separators=separators(),
        xaxis={"title": t("year"), "type": "category"},
        yaxis={"title": f"{t('gb_amount')} ({unit})", "tickformat": ",.0f"},
        yaxis2={"title": t("gb_share_axis"), "overlaying": "y", "side": "right", "range": [0, top],
                "dtick": 5, "tickformat": ".0f", "showgrid": False},
        legend={"traceorder": "normal"},
    )
    return fig


def program_vs_spent(s: pd.DataFrame) -> pd.DataFrame:
    """The years with activity-report spending: program and spent for principal and significant."""
    cols = ["year", "principal_program", "principal_spent", "significant_program", "significant_spent",
            "gender_execution_pct"]
    return s.loc[s["principal_spent"].notna() | s["significant_spent"].notna(), cols].reset_index(drop=True)


def program_vs_spent_figure(ps: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Grouped bars: program solid, spent hatched, in the marker's colour."""
    fig = go.Figure()
    for marker, name in ((2, "principal"), (1, "significant")):
        for part, pattern in (("program", ""), ("spent", "/")):
            fig.add_bar(x=ps["year"], y=ps[f"{name}_{part}"], name=f"{t(f'marker_{marker}')} – {t(f'gb_{part}')}",
                        marker={"color": MARKER_COLOURS[marker], "line": {"color": MARKER_COLOURS[marker], "width": 1.5},
                                "pattern": {"shape": pattern, "fgcolor": "white", "fillmode": "overlay",
                                            "solidity": 0.3}},
                        hovertemplate="%{x}: %{y:,.0f}<extra>%{fullData.name}</extra>")
    fig.update_layout(title=title, barmode="group", separators=separators(),
                      xaxis={"title": t("year"), "type": "category"},
                      yaxis={"title": f"{t('gb_amount')} ({unit})", "tickformat": ",.0f"})
    return fig


def by_directorate(mid: str, year: int, factor: float = 1.0) -> pd.DataFrame:
    """Each directorate's program money in ``year`` by marker (times ``factor``), gender-related first."""
    # The split is the analysis's (gender_budget_units, one definition); the page only scales it.
    df = data.query(
        """select responsible_unit, principal, significant, not_targeted, total, gender_share_pct as share_pct
           from gender_budget_units where municipality_id = ? and year = ?""", [mid, year])
    for c in ("principal", "significant", "not_targeted", "total"):
        df[c] = df[c].astype("float64") * factor
    df["share_pct"] = df["share_pct"].astype("float64")
    df["_gender"] = df["principal"] + df["significant"]
    return (df.sort_values(["_gender", "total"], ascending=False).drop(columns="_gender")
            .reset_index(drop=True))


def by_directorate_figure(units: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Horizontal stacked bars of principal and significant money for directorates that have any."""
    g = units[(units["principal"] + units["significant"]) > 0].iloc[::-1]
    fig = go.Figure()
    for marker, column in ((2, "principal"), (1, "significant")):
        fig.add_bar(y=g["responsible_unit"], x=g[column], orientation="h", name=t(f"marker_{marker}"),
                    marker_color=MARKER_COLOURS[marker],
                    hovertemplate="%{y}: %{x:,.0f}<extra>%{fullData.name}</extra>")
    fig.update_layout(title=title, barmode="stack", separators=separators(),
                      height=max(320, 90 + 38 * len(g)),
                      xaxis={"title": f"{t('gb_amount')} ({unit})", "tickformat": ",.0f"},
                      yaxis={"automargin": True}, legend={"traceorder": "normal"})
    return fig


def activities(mid: str, year: int) -> pd.DataFrame:
    """The year's activities with marker, tag reason, money and source, gender-related first."""
    df = data.query(
        """select a.printed_code, a.performance_goal_code, a.objective_code, a.activity_name,
                  a.responsible_unit, coalesce(g.marker, a.gender_marker) as marker,
                  g.reason, g.matched_terms, g.tag_source,
                  a.budget, a.off_budget, a.total,
                  coalesce(d.file_name, a.source_document_id) as source_document, a.source_page,
                  a.activity_id, a.source_document_id
           from activities a
           left join gender_tags g on g.item_kind = 'activity' and g.item_key = a.activity_id
                and g.municipality_id = a.municipality_id
           left join documents d on d.document_id = a.source_document_id
           where a.municipality_id = ? and a.year = ?
           order by coalesce(g.marker, a.gender_marker, 0) desc, a.total desc nulls last, a.activity_id""",
        [mid, year])
    df.insert(6, "marker_label", ["–" if pd.isna(m) else t(f"marker_{int(m)}") for m in df["marker"]])
    return df
