"""Numbers and figures for the Indicator achievement page of one municipality.

Indicator codes are reused across plan periods with different meanings (PG1.2.1 of the
2020–2024 plan is not PG1.2.1 of 2025–2029), so everything here works inside one plan period:
the one in force in the selected report year.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from app import data, i18n
from app.charts import SERIES_COLOURS, STATUS_COLOURS
from app.i18n import fmt_number, fmt_pct, t

MARKERS = (2, 1, 0)
STATUSES = ("met", "partial", "not_met", "no_data")
# indicator_values kinds drawn in the trend chart, in legend order.
TREND_KINDS = ("plan_target", "program_target", "actual")

i18n.register({
    "ach_marker_filter": {"tr": "Toplumsal cinsiyet etiketi", "en": "Gender marker"},
    "ach_marker_filter_help": {
        "tr": "Isı haritasını, sayıları ve tabloları bu etiketlerdeki göstergelerle (hedeflerde: hedefin "
              "etiketiyle) sınırlar.",
        "en": "Limits the heatmap, counts and tables to indicators (for objectives: the objective's marker) "
              "with these markers."},
    "ach_no_marker": {"tr": "En az bir toplumsal cinsiyet etiketi seçin.",
                      "en": "Select at least one gender marker."},
    "ach_no_data": {
        "tr": "Bu belediye için gösterge gerçekleşmesi yok: faaliyet raporu (Performans Sonuçları Tablosu) "
              "bulunamadı. Faaliyet raporlarını `data/raw/{mid}/` klasörüne koyup `python -m etl build` "
              "komutunu çalıştırın.",
        "en": "No indicator results for this municipality: no activity report (performance results table) "
              "was found. Put the activity reports under `data/raw/{mid}/` and run `python -m etl build`."},
    "ach_no_rows": {"tr": "Seçilen etiketlerde gösterge yok; etiket filtresini genişletin.",
                    "en": "No indicators with the selected markers; widen the marker filter."},
    "ach_report_year": {"tr": "Faaliyet raporu yılı", "en": "Activity report year"},
    "ach_plan_period": {"tr": "{start}–{end} stratejik planı göstergeleri",
                        "en": "Indicators of the {start}–{end} strategic plan"},
    "ach_status_met": {"tr": "Tuttu", "en": "Met"},
    "ach_status_partial": {"tr": "Kısmen", "en": "Partial"},
    "ach_status_not_met": {"tr": "Tutmadı", "en": "Not met"},
    "ach_status_no_data": {"tr": "Veri yok", "en": "No data"},
    "ach_status_count": {"tr": "{year}: {status}", "en": "{year}: {status}"},
    "ach_heatmap": {"tr": "Gösterge × yıl: gerçekleşme durumu", "en": "Indicator × year: achievement status"},
    "ach_heatmap_help": {
        "tr": "Hücre rengi durumu, yazı gerçekleşme oranını (gerçekleşme / hedef × 100) gösterir. ↓ azalması "
              "hedeflenen göstergedir. Parantez içindeki sayı toplumsal cinsiyet etiketidir (2 temel, 1 önemli, 0 hedeflenmemiş).",
        "en": "Cell colour is the status, text the achievement rate (actual / target × 100). ↓ marks an "
              "indicator meant to decrease. The number in brackets is the gender marker (2 principal, "
              "1 significant, 0 not targeted)."},
    "ach_indicator": {"tr": "Gösterge", "en": "Indicator"},
    "ach_trend": {"tr": "Hedeflenen ve gerçekleşen değer: {code}", "en": "Target and actual value: {code}"},
    "ach_trend_help": {
        "tr": "Stratejik plan hedefi (yıllık), performans programı hedefi ve faaliyet raporundaki gerçekleşme. "
              "Yatay kesikli çizgi planın başlangıç değeridir.",
        "en": "Strategic plan target (per year), performance program target and the actual from the activity "
              "report. The dotted horizontal line is the plan's baseline."},
    "ach_no_trend": {"tr": "Bu gösterge için yıllık değer yok.", "en": "No yearly values for this indicator."},
    "ach_kind_plan_target": {"tr": "Plan hedefi (SP)", "en": "Plan target (SP)"},
    "ach_kind_program_target": {"tr": "Program hedefi (PP)", "en": "Program target (PP)"},
    "ach_kind_actual": {"tr": "Gerçekleşme (FR)", "en": "Actual (AR)"},
    "ach_baseline": {"tr": "Başlangıç değeri", "en": "Baseline"},
    "ach_rollup": {"tr": "{year} hedef bazında ağırlıklı gerçekleşme", "en": "{year} weighted achievement by objective"},
    "ach_rollup_help": {
        "tr": "Göstergelerin sonuçları, stratejik plandaki “Hedefe Etkisi (%)” ağırlıklarıyla hedefe toplanır. "
              "Verisi olmayan göstergeler varsa ağırlıklar verisi olanlara yeniden dağıtılır (“yeniden "
              "ölçeklendi”).",
        "en": "Indicator results are rolled up to the objective with the plan's weights (“Hedefe Etkisi (%)”). "
              "When some indicators have no data, the weights are re-normalised over those that have."},
    "ach_mismatch": {"tr": "Yayımlanan oranı hesaplanandan farklı olanlar",
                     "en": "Published rate differs from the computed one"},
    "ach_mismatch_help": {
        "tr": "Faaliyet raporunda yazan “Gerçekleşme Oranı (%)” ile gerçekleşme / hedef × 100 arasında 1 "
              "puandan fazla fark olan satırlar (tüm yıllar). Belgedeki sayfayı kontrol edin.",
        "en": "Rows where the report's printed “achievement rate (%)” differs from actual / target × 100 by "
              "more than one point (all years). Check the page in the document."},
    "ach_no_mismatch": {"tr": "Yayımlanan oranların hepsi hesaplananla uyuşuyor (fark ≤ 1 puan).",
                        "en": "Every published rate agrees with the computed one (difference ≤ 1 point)."},
    "ach_results": {"tr": "{year} gösterge sonuçları", "en": "{year} indicator results"},
    "ach_formulas": {"tr": "Oranlar nasıl hesaplanıyor?", "en": "How are the rates computed?"},
    "ach_formula_text": {
        "tr": "**Gerçekleşme oranı** belediyelerin faaliyet raporunda yayımladığı yıllık orandır:",
        "en": "The **achievement rate** is the yearly rate municipalities publish in the activity report:"},
    "ach_progress_text": {
        "tr": "**Plan ilerlemesi** stratejik planın izleme tablosundaki orandır: başlangıç değerinden hedefe "
              "giden yolun ne kadarının yürüdüğü:",
        "en": "**Plan progress** is the strategic plan monitoring table's rate: how much of the way from the "
              "baseline to the target was covered:"},
    "ach_rules_text": {
        "tr": "- **Durum:** gerçekleşme oranı ≥ 100 ise *tuttu*, 0'dan büyükse *kısmen*, değilse *tutmadı*; "
              "hedef ya da gerçekleşme yoksa *veri yok*.\n"
              "- **Azalması hedeflenen göstergeler** (↓; hedef başlangıç değerinin altında: süreler, kayıp "
              "oranları): gerçekleşme oranı karşılaştırılabilsin diye aynı formülle hesaplanır, ama durum "
              "yöne göre verilir: gerçekleşme ≤ hedef ise *tuttu*, başlangıç değerinin altına indiyse "
              "*kısmen*, değilse *tutmadı*. Plan ilerlemesinde özel bir işlem gerekmez: pay ve payda ikisi "
              "de negatiftir, hedefe inildiğinde oran 100 olur.\n"
              "- Hedef başlangıç değerine eşitse ya da başlangıç değeri yoksa plan ilerlemesi hesaplanmaz.\n"
              "- “kümülatif” birimli göstergeler birikimli toplamdır; yıllık oranları yine aynı birikimli "
              "toplamın gerçekleşme / hedef oranıdır.\n"
              "- Yayımlanan oran hesaplanandan 1 puandan fazla farklıysa satır yukarıdaki tabloda listelenir.",
        "en": "- **Status:** *met* when the achievement rate is ≥ 100, *partial* when above 0, else *not met*; "
              "*no data* when the target or the actual is missing.\n"
              "- **Indicators meant to decrease** (↓; target below the baseline: durations, loss rates): the "
              "achievement rate keeps the same formula so it compares with the published one, but the "
              "status follows the direction: *met* when actual ≤ target, *partial* when the value fell "
              "below the baseline, else *not met*. Plan progress needs no special case: numerator and "
              "denominator are both negative, and reaching the target gives 100.\n"
              "- Plan progress is not computed when the target equals the baseline or there is no baseline.\n"
              "- Indicators with a “kümülatif” unit are running totals; their yearly rate is actual / target "
              "of the same running total.\n"
              "- When the published rate differs from the computed one by more than one point, the row is "
              "listed in the table above."},
    "ach_latex_achievement": {
        "tr": r"\text{Gerçekleşme oranı} = \frac{\text{Gerçekleşme}}{\text{Hedeflenen değer}} \times 100",
        "en": r"\text{Achievement rate} = \frac{\text{Actual}}{\text{Target}} \times 100"},
    "ach_latex_progress": {
        "tr": r"\text{Plan ilerlemesi} = \frac{\text{Gerçekleşme} - \text{Başlangıç değeri}}"
              r"{\text{Hedeflenen değer} - \text{Başlangıç değeri}} \times 100",
        "en": r"\text{Plan progress} = \frac{\text{Actual} - \text{Baseline}}{\text{Target} - \text{Baseline}}"
              r" \times 100"},
    # column headers of the tables
    "ach_col_year": {"tr": "Yıl", "en": "Year"},
    "ach_col_code": {"tr": "Kod", "en": "Code"},
    "ach_col_indicator": {"tr": "Gösterge", "en": "Indicator"},
    "ach_col_objective": {"tr": "Stratejik hedef", "en": "Objective"},
    "ach_col_objective_title": {"tr": "Stratejik hedef adı", "en": "Objective title"},
    "ach_col_unit": {"tr": "Birim", "en": "Unit"},
    "ach_col_baseline": {"tr": "Başlangıç", "en": "Baseline"},
    "ach_col_target": {"tr": "Hedeflenen değer", "en": "Target value"},
    "ach_col_actual": {"tr": "Gerçekleşme", "en": "Actual"},
    "ach_col_achievement": {"tr": "Gerçekleşme oranı (%)", "en": "Achievement (%)"},
    "ach_col_progress": {"tr": "Plan ilerlemesi (%)", "en": "Plan progress (%)"},
    "ach_col_published": {"tr": "Yayımlanan oran (%)", "en": "Published rate (%)"},
    "ach_col_difference": {"tr": "Fark (puan)", "en": "Difference (points)"},
    "ach_col_status": {"tr": "Durum", "en": "Status"},
    "ach_col_direction": {"tr": "Yön", "en": "Direction"},
    "ach_col_weight": {"tr": "Ağırlık (%)", "en": "Weight (%)"},
    "ach_col_marker": {"tr": "Etiket", "en": "Marker"},
    "ach_col_indicators": {"tr": "Gösterge sayısı", "en": "Indicators"},
    "ach_col_with_data": {"tr": "Verisi olan", "en": "With data"},
    "ach_col_weight_sum": {"tr": "Verisi olanların ağırlığı (%)", "en": "Weight with data (%)"},
    "ach_col_renormalised": {"tr": "Yeniden ölçeklendi", "en": "Re-normalised"},
    "ach_col_w_achievement": {"tr": "Ağırlıklı gerçekleşme (%)", "en": "Weighted achievement (%)"},
    "ach_col_w_progress": {"tr": "Ağırlıklı plan ilerlemesi (%)", "en": "Weighted plan progress (%)"},
    "ach_col_kind": {"tr": "Değer türü", "en": "Value kind"},
    "ach_col_value": {"tr": "Değer", "en": "Value"},
    "ach_col_document": {"tr": "Kaynak belge", "en": "Source document"},
    "ach_heatmap_narrow": {
        "tr": "{year}: her göstergenin durumu ve gerçekleşme oranı (geniş ekranda yıllara göre ısı haritası olarak).",
        "en": "{year}: each indicator's status and achievement rate (a heatmap by year on a wider screen)."},
    "ach_col_page": {"tr": "Sayfa", "en": "Page"},
    "ach_dir_increase": {"tr": "artış", "en": "increase"},
    "ach_dir_decrease": {"tr": "azalış ↓", "en": "decrease ↓"},
    "ach_dir_unknown": {"tr": "belirsiz", "en": "unknown"},
})


def status_label(status: str) -> str:
    """The status in the interface language ("met" → "Tuttu")."""
    return t(f"ach_status_{status}")


def marker_label(marker: int) -> str:
    return t(f"marker_{int(marker)}")


def _markers(markers: list[int] | tuple[int, ...]) -> list[int]:
    return [int(m) for m in markers]


# --- reading -------------------------------------------------------------------------------

def report_years(mid: str) -> list[int]:
    """Activity-report years with indicator results, oldest first."""
    df = data.query("select distinct year from indicator_achievement where municipality_id = ? order by year", [mid])
    return [int(y) for y in df["year"]]


def plan_period(mid: str, year: int) -> tuple[int, int] | None:
    """(plan_start, plan_end) of the plan whose indicators were reported in ``year``."""
    df = data.query(
        """select a.plan_start, coalesce(max(i.plan_end), a.plan_start + 4) as plan_end
           from indicator_achievement a
           left join indicators i on i.municipality_id = a.municipality_id and i.plan_start = a.plan_start
           where a.municipality_id = ? and a.year = ?
           group by a.plan_start order by count(*) desc limit 1""", [mid, int(year)])
    if df.empty or pd.isna(df.iloc[0]["plan_start"]):  # results of a program whose plan was not read
        return None
    return int(df.iloc[0]["plan_start"]), int(df.iloc[0]["plan_end"])


def results(mid: str, plan_start: int, markers: list[int]) -> pd.DataFrame:
    """indicator_achievement rows of one plan period for the given gender markers."""
    markers = _markers(markers)
    if not markers:
        return data.query("select * from indicator_achievement where false")
    marks = ", ".join("?" for _ in markers)
    return data.query(
        f"""select * from indicator_achievement
            where municipality_id = ? and plan_start = ? and gender_marker in ({marks})
            order by indicator_code, year""", [mid, int(plan_start), *markers])


def status_counts(df: pd.DataFrame, year: int) -> dict[str, int]:
    """Indicators per status in ``year`` (every status present, 0 when none)."""
    counts = df.loc[df["year"] == year, "status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def indicator_options(df: pd.DataFrame) -> dict[str, str]:
    """Indicator code → "code · name" for the indicator selector, in code order."""
    latest = df.sort_values("year").groupby("indicator_code", sort=False)["indicator_name"].last()
    return {code: f"{code} · {latest[code]}" for code in sorted(latest.index, key=_code_key)}


def _code_key(code: str) -> tuple:
    parts = []
    for piece in code.replace("PG", "").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


def trend(mid: str, code: str, plan_start: int, plan_end: int) -> pd.DataFrame:
    """Plan targets, program targets and actuals of one indicator over the plan years."""
    kinds = ", ".join("?" for _ in TREND_KINDS)
    return data.query(
        f"""select year, kind, value, raw, unit, indicator_name, source_document_id, source_page
            from indicator_values
            where municipality_id = ? and indicator_code = ? and year between ? and ? and kind in ({kinds})
            order by year, kind""", [mid, code, int(plan_start), int(plan_end), *TREND_KINDS])


def baseline(mid: str, code: str, plan_start: int) -> float | None:
    """The plan's baseline value of one indicator (None when the plan prints none)."""
    df = data.query("select baseline_value from indicators where municipality_id = ? and indicator_code = ? "
                    "and plan_start = ?", [mid, code, int(plan_start)])
    if df.empty or pd.isna(df.iloc[0]["baseline_value"]):
        return None
    return float(df.iloc[0]["baseline_value"])


def rollup(mid: str, year: int, markers: list[int]) -> pd.DataFrame:
    """objective_achievement of one year with the objective's source page in the plan."""
    markers = _markers(markers)
    if not markers:
        return data.query("select * from objective_achievement where false")
    marks = ", ".join("?" for _ in markers)
    return data.query(
        f"""select oa.*, o.source_document_id, o.source_page
            from objective_achievement oa
            left join objectives o on o.municipality_id = oa.municipality_id and o.plan_start = oa.plan_start
                 and o.objective_code = oa.objective_code
            where oa.municipality_id = ? and oa.year = ? and oa.gender_marker in ({marks})
            order by oa.objective_code""", [mid, int(year), *markers])


def mismatches(mid: str, markers: list[int]) -> pd.DataFrame:
    """Rows (all years) whose published rate differs from the computed one by more than a point."""
    markers = _markers(markers)
    if not markers:
        return data.query("select * from indicator_achievement where false")
    marks = ", ".join("?" for _ in markers)
    return data.query(
        f"""select *, round(published_rate_pct - achievement_pct, 2) as difference
            from indicator_achievement
            where municipality_id = ? and rate_mismatch and gender_marker in ({marks})
            order by year, indicator_code""", [mid, *markers])


# --- tables for display ---------------------------------------------------------------------

_RESULT_COLUMNS = {
    "year": "ach_col_year", "indicator_code": "ach_col_code", "indicator_name": "ach_col_indicator",
    "objective_code": "ach_col_objective", "unit": "ach_col_unit", "gender_marker": "ach_col_marker",
    "direction": "ach_col_direction", "weight_pct": "ach_col_weight", "baseline_value": "ach_col_baseline",
    "target_value": "ach_col_target", "actual_value": "ach_col_actual", "achievement_pct": "ach_col_achievement",
    "plan_progress_pct": "ach_col_progress", "published_rate_pct": "ach_col_published",
    "difference": "ach_col_difference", "status": "ach_col_status",
    "source_document_id": "ach_col_document", "source_page": "ach_col_page",
}
_ROLLUP_COLUMNS = {
    "objective_code": "ach_col_objective", "objective_title": "ach_col_objective_title",
    "gender_marker": "ach_col_marker", "indicators_total": "ach_col_indicators",
    "indicators_with_data": "ach_col_with_data", "weight_sum_pct": "ach_col_weight_sum",
    "weights_renormalised": "ach_col_renormalised", "weighted_achievement_pct": "ach_col_w_achievement",
    "weighted_progress_pct": "ach_col_w_progress", "status": "ach_col_status",
    "source_document_id": "ach_col_document", "source_page": "ach_col_page",
}


def _display(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    out = df[[c for c in columns if c in df.columns]].copy()
    if "status" in out:
        out["status"] = out["status"].map(status_label)
    if "direction" in out:
        out["direction"] = out["direction"].map(lambda d: t(f"ach_dir_{d}"))
    return out.rename(columns={c: t(k) for c, k in columns.items()})


def results_table(df: pd.DataFrame) -> pd.DataFrame:
    """Indicator rows with translated headers and their source document and page."""
    return _display(df, _RESULT_COLUMNS)


def rollup_table(df: pd.DataFrame) -> pd.DataFrame:
    return _display(df, _ROLLUP_COLUMNS)


def mismatch_table(df: pd.DataFrame) -> pd.DataFrame:
    cols = {k: v for k, v in _RESULT_COLUMNS.items()
            if k not in ("objective_code", "direction", "weight_pct", "baseline_value", "plan_progress_pct")}
    return _display(df, cols)


def trend_table(df: pd.DataFrame) -> pd.DataFrame:
    out = df[["year", "kind", "value", "raw", "unit", "source_document_id", "source_page"]].copy()
    out["kind"] = out["kind"].map(lambda k: t(f"ach_kind_{k}"))
    return out.rename(columns={"year": t("ach_col_year"), "kind": t("ach_col_kind"), "value": t("ach_col_value"),
                               "unit": t("ach_col_unit"), "source_document_id": t("ach_col_document"),
                               "source_page": t("ach_col_page")})


# --- figures ---------------------------------------------------------------------------------

def _row_label(code: str, name: str, direction: str, marker: int, width: int = 48) -> str:
    short = name if len(name) <= width else name[: width - 1].rstrip() + "…"
    arrow = " ↓" if direction == "decrease" else ""
    return f"{code} ({int(marker)}){arrow} · {short}"


def _h(text: object) -> str:
    return html.escape(str(text), quote=False)


def heatmap_figure(df: pd.DataFrame) -> go.Figure:
    """Indicators (rows) × report years (columns), coloured by status, text = achievement %."""
    df = df.copy()
    df["label"] = [_row_label(c, n, d, m) for c, n, d, m in
                   zip(df["indicator_code"], df["indicator_name"], df["direction"], df["gender_marker"], strict=True)]
    order = sorted(df["indicator_code"].unique(), key=_code_key)
    labels = df.sort_values("year").groupby("indicator_code")["label"].last()
    rows = [labels[c] for c in order]
    years = [str(y) for y in sorted(df["year"].unique())]
    # met gets the highest code so the colour bar reads met → no data from the top.
    codes = {s: len(STATUSES) - 1 - i for i, s in enumerate(STATUSES)}
    z = [[None] * len(years) for _ in rows]
    text = [[""] * len(years) for _ in rows]
    hover = [[""] * len(years) for _ in rows]
    index = {c: i for i, c in enumerate(order)}
    for r in df.itertuples(index=False):
        i, j = index[r.indicator_code], years.index(str(r.year))
        z[i][j] = codes[r.status]
        text[i][j] = "–" if pd.isna(r.achievement_pct) else fmt_number(r.achievement_pct, 0)
        # Plotly reads the hover as HTML: the document's code, name and unit are escaped.
        hover[i][j] = (f"<b>{_h(r.indicator_code)}</b> {_h(r.indicator_name)}<br>{r.year} · {status_label(r.status)}<br>"
                       f"{t('ach_col_target')}: {fmt_number(r.target_value, 2)} · "
                       f"{t('ach_col_actual')}: {fmt_number(r.actual_value, 2)} {_h(r.unit or '')}<br>"
                       f"{t('ach_col_achievement')}: {fmt_pct(r.achievement_pct)} · "
                       f"{t('ach_col_progress')}: {fmt_pct(r.plan_progress_pct)}<br>"
                       f"{t('ach_col_published')}: {fmt_pct(r.published_rate_pct)}")
    n = len(STATUSES)
    scale = []
    for s in reversed(STATUSES):
        i = codes[s]
        scale += [[i / n, STATUS_COLOURS[s]], [(i + 1) / n, STATUS_COLOURS[s]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=years, y=rows, text=text, texttemplate="%{text}", textfont={"size": 11},
        customdata=hover, hovertemplate="%{customdata}<extra></extra>", colorscale=scale, zmin=-0.5,
        zmax=n - 0.5, xgap=2, ygap=2,
        colorbar={"tickvals": [codes[s] for s in STATUSES], "ticktext": [status_label(s) for s in STATUSES],
                  "title": {"text": t("ach_col_status")}, "thickness": 14, "lenmode": "pixels", "len": 150,
                  "y": 1, "yanchor": "top"},
    ))
    fig.update_layout(title=t("ach_heatmap"), height=max(260, 120 + 22 * len(rows)),
                      margin={"l": 20, "r": 20, "t": 60, "b": 40})
    fig.update_xaxes(type="category", side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True, tickfont={"size": 11})
    return fig


def status_lines(df: pd.DataFrame, year: int) -> str:
    """The heatmap of one year as a Markdown list (for phone width): code (marker) · name — status, rate."""
    from app.ui import md_escape

    part = df[df["year"] == year].sort_values("indicator_code")
    lines = [f"- **{md_escape(r.indicator_code)}** ({int(r.gender_marker) if pd.notna(r.gender_marker) else '–'}) · "
             f"{md_escape(r.indicator_name)} — {status_label(r.status)}, {fmt_pct(r.achievement_pct, 0)}"
             for r in part.itertuples()]
    return "\n".join(lines)


def heatmap_data(df: pd.DataFrame) -> pd.DataFrame:
    """The heatmap's numbers, with source columns, for CSV / Excel."""
    return results_table(df)


def trend_figure(df: pd.DataFrame, title: str, base: float | None = None) -> go.Figure:
    """Plan target, program target and actual of one indicator across years."""
    fig = go.Figure()
    styles = {
        "plan_target": {"color": SERIES_COLOURS[0], "dash": "dash", "width": 2},
        "program_target": {"color": SERIES_COLOURS[3], "dash": "dot", "width": 2},
        "actual": {"color": SERIES_COLOURS[2], "dash": "solid", "width": 3},
    }
    symbols = {"plan_target": "circle-open", "program_target": "diamond", "actual": "circle"}
    # Every year of the span on the axis, so a year without a value is a gap, not an interpolated line.
    years = pd.DataFrame({"year": range(int(df["year"].min()), int(df["year"].max()) + 1)}) if len(df) else None
    for kind in TREND_KINDS:
        part = df[df["kind"] == kind].dropna(subset=["value"])
        if part.empty:
            continue
        part = years.merge(part.drop_duplicates("year"), on="year", how="left")
        fig.add_trace(go.Scatter(
            x=part["year"].astype(str), y=part["value"], name=t(f"ach_kind_{kind}"), mode="lines+markers",
            line=styles[kind], marker={"symbol": symbols[kind], "size": 9}, connectgaps=False,
            customdata=part[["source_document_id", "source_page"]].to_numpy(),
            hovertemplate="%{x}: %{y}<br>%{customdata[0]} s. %{customdata[1]}<extra>" + t(f"ach_kind_{kind}")
                          + "</extra>"))
    if base is not None:
        fig.add_hline(y=base, line={"color": "#666666", "dash": "dot", "width": 1},
                      annotation_text=f"{t('ach_baseline')}: {fmt_number(base, 2 if base % 1 else 0)}",
                      annotation_position="bottom right")
    unit = df["unit"].dropna().iloc[0] if df["unit"].notna().any() else ""
    fig.update_layout(title=title, height=380, yaxis_title=unit, hovermode="x unified")
    fig.update_xaxes(type="category", categoryorder="category ascending")
    return fig
