"""Numbers and chart for the Budget page: the whole budget by economic code and its execution.

``budget_execution`` (one row per municipality, year and economic code: program, initial and
final appropriation, spent, execution rate) is read as the ETL wrote it; the page never
recomputes the rate. Nothing here imports Streamlit except through ``app.i18n.t``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import data, i18n
from app.charts import SERIES_COLOURS
from app.i18n import t

i18n.register({
    "bud_intro": {
        "tr": "Belediyenin tüm bütçesi ekonomik sınıflandırmaya göre (01 personel, 03 mal ve hizmet alımı, 06 "
              "sermaye giderleri…): performans programındaki tutar, başlangıç ve yıl sonu ödeneği, faaliyet "
              "raporundaki harcama ve gerçekleşme oranı (harcama / yıl sonu ödeneği).",
        "en": "The municipality's whole budget by economic classification (01 personnel, 03 goods and services, 06 "
              "capital expenditure…): the performance program's amount, the initial and final appropriation, the "
              "activity report's spending and the execution rate (spent / final appropriation)."},
    "bud_none": {"tr": "Bu belediye için ekonomik sınıflandırmalı bütçe tablosu bulunamadı.",
                 "en": "No budget table by economic classification was found for this municipality."},
    "bud_by_code": {"tr": "{year} ekonomik sınıflandırmaya göre bütçe", "en": "{year} budget by economic code"},
    "bud_by_year": {"tr": "Yıllara göre bütçe ve harcama", "en": "Budget and spending by year"},
    "bud_table": {"tr": "{year} bütçe gerçekleşmesi", "en": "{year} budget execution"},
    "bud_total_program": {"tr": "Program", "en": "Program"},
    "bud_total_appropriation": {"tr": "Yıl sonu ödeneği", "en": "Final appropriation"},
    "bud_total_spent": {"tr": "Harcama", "en": "Spent"},
    "bud_total_rate": {"tr": "Gerçekleşme oranı", "en": "Execution rate"},
    "bud_no_spent": {"tr": "{year} için henüz faaliyet raporu yok: yalnızca programdaki tutar var.",
                     "en": "No activity report for {year} yet: only the program amount is known."},
    "bud_col_economic_code": {"tr": "Ekonomik kod", "en": "Economic code"},
    "bud_col_label": {"tr": "Gider türü", "en": "Expenditure type"},
    "bud_col_program_amount": {"tr": "Program (TL)", "en": "Program (TL)"},
    "bud_col_initial_appropriation": {"tr": "Başlangıç ödeneği (TL)", "en": "Initial appropriation (TL)"},
    "bud_col_appropriation": {"tr": "Yıl sonu ödeneği (TL)", "en": "Final appropriation (TL)"},
    "bud_col_spent": {"tr": "Harcama (TL)", "en": "Spent (TL)"},
    "bud_col_execution_rate_pct": {"tr": "Gerçekleşme (%)", "en": "Execution (%)"},
    "bud_col_year": {"tr": "Yıl", "en": "Year"},
    "bud_col_source_document": {"tr": "Kaynak belge", "en": "Source document"},
    "bud_col_source_page": {"tr": "Sayfa", "en": "Page"},
    "bud_axis_amount": {"tr": "Tutar (TL, cari fiyatlarla)", "en": "Amount (TL, current prices)"},
    "bud_total_code": {"tr": "01–09 toplamı", "en": "01–09 total"},
    "bud_activities": {"tr": "{year} faaliyet harcamaları (faaliyet raporu)",
                       "en": "{year} spending by activity (activity report)"},
    "bud_activities_help": {
        "tr": "Faaliyet raporunun her faaliyet için yazdığı planlanan tutar ve harcama, hangi tablo biçiminde basılmış "
              "olursa olsun: ayrı bir faaliyet maliyetleri tablosu ya da performans sonuçları tablosunun TL birimli "
              "satırları.",
        "en": "What the activity report prints for each activity, planned and spent, whichever table layout it "
              "uses: a table of activity costs of its own, or the TL rows of the performance results table."},
    "bud_no_activities": {"tr": "{year} faaliyet raporunda faaliyet harcaması bulunamadı.",
                          "en": "The {year} activity report has no spending by activity."},
    "bud_activities_caption": {
        "tr": "{n} faaliyet: planlanan {planned}, harcanan {spent} ({rate}).",
        "en": "{n} activities: {planned} planned, {spent} spent ({rate})."},
    "bud_col_performance_goal_code": {"tr": "Performans hedefi", "en": "Performance goal"},
    "bud_col_activity_name": {"tr": "Faaliyet", "en": "Activity"},
    "bud_col_planned": {"tr": "Planlanan (TL)", "en": "Planned (TL)"},
    "bud_col_published_rate_pct": {"tr": "Yayımlanan oran (%)", "en": "Published rate (%)"},
    "bud_col_relation": {"tr": "Okunduğu tablo", "en": "Read from"},
})

PARTS = ("program_amount", "appropriation", "spent")
# budget_execution's row that sums 01 … 09 (etl/analysis/budget.py): a figure of its own, never
# one more bar or one more term of a sum.
TOTAL = "TOTAL"


def years(mid: str) -> list[int]:
    """Years with any budget line for the municipality (from the program or the report)."""
    df = data.query("select distinct year from budget_lines where municipality_id = ? order by year desc", [mid])
    return [int(y) for y in df["year"]]


def by_code(mid: str, year: int) -> pd.DataFrame:
    """One year's execution by economic code; a program-only year (no report yet) keeps its program."""
    df = data.query(
        """select economic_code, label, program_amount, initial_appropriation, appropriation, spent,
                  execution_rate_pct
           from budget_execution where municipality_id = ? and year = ? order by economic_code""", [mid, year])
    if not df.empty:
        return df
    return data.query(
        """select economic_code, any_value(label) as label,
                  sum(amount) filter (where phase = 'program') as program_amount,
                  cast(null as double) as initial_appropriation, cast(null as double) as appropriation,
                  cast(null as double) as spent, cast(null as double) as execution_rate_pct
           from budget_lines where municipality_id = ? and year = ? group by economic_code
           order by economic_code""", [mid, year])


def totals(codes: pd.DataFrame) -> tuple[float, float, float]:
    """Program, final appropriation and spent of a year over its codes 01 … 09 (NaN when none has one)."""
    lines = codes[codes["economic_code"] != TOTAL]
    program, appropriation, spent = (float(lines[c].sum(min_count=1)) for c in PARTS)
    return program, appropriation, spent


def shown_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """The year's table as read: the total row's code said in words."""
    out = codes.copy()
    out["economic_code"] = out["economic_code"].replace({TOTAL: t("bud_total_code")})
    return out


def by_year(mid: str) -> pd.DataFrame:
    """Totals per year: program, final appropriation, spent and the execution rate over codes 01 … 09."""
    df = data.query(
        """select year, sum(program_amount) as program_amount, sum(appropriation) as appropriation,
                  sum(spent) as spent
           from budget_execution where municipality_id = ? and economic_code <> ?
           group by year order by year""", [mid, TOTAL])
    df["execution_rate_pct"] = (df["spent"] / df["appropriation"].where(df["appropriation"] != 0) * 100).round(2)
    return df


def lines(mid: str, year: int) -> pd.DataFrame:
    """The year's budget lines as printed (phase, code, amount) with their document and page."""
    return data.query(
        """select b.phase, b.economic_code, b.label, b.amount, coalesce(d.file_name, b.source_document_id)
                  as source_document, b.source_page, b.source_document_id
           from budget_lines b left join documents d on d.document_id = b.source_document_id
           where b.municipality_id = ? and b.year = ? order by b.economic_code, b.phase""", [mid, year])


def activity_spending(mid: str, year: int) -> pd.DataFrame:
    """Planned and spent per activity from the year's activity report, from every layout that prints
    them: ``activity_results`` (a table of activity costs) and the TL rows of the performance
    results table (``report_results``, ``row_type = 'activity_cost'``); a row read both ways once."""
    return data.query(
        """with costs as (
             select 'activity_results' as relation, performance_goal_code, activity_name, planned, spent,
                    published_rate_pct, source_document_id, source_page
             from activity_results where municipality_id = ? and year = ?
             union all
             select 'report_results', performance_goal_code, name, target, actual, published_rate_pct,
                    source_document_id, source_page
             from report_results where municipality_id = ? and year = ? and row_type = 'activity_cost')
           select c.relation, c.performance_goal_code, c.activity_name, c.planned, c.spent, c.published_rate_pct,
                  coalesce(d.file_name, c.source_document_id) as source_document, c.source_page,
                  c.source_document_id
           from costs c left join documents d on d.document_id = c.source_document_id
           qualify row_number() over (partition by c.performance_goal_code, c.activity_name
                                      order by c.relation) = 1
           order by c.performance_goal_code, c.source_page, c.activity_name""", [mid, year, mid, year])


def by_code_figure(df: pd.DataFrame, title: str, separators: str) -> go.Figure:
    """Horizontal grouped bars per economic code 01 … 09 (not their total): program, final
    appropriation, spent. Labels are short (a phone has 390 px for labels and bars together);
    the hover says the whole name."""
    g = df[df["economic_code"] != TOTAL].iloc[::-1]
    full = [f"{c} {lab}" for c, lab in zip(g["economic_code"], g["label"], strict=True)]
    labels = [f if len(f) <= 24 else f[:23].rstrip() + "…" for f in full]
    fig = go.Figure()
    for colour, part in zip(SERIES_COLOURS, PARTS, strict=False):
        if g[part].notna().any():
            fig.add_bar(y=labels, x=g[part], orientation="h", name=t(f"bud_col_{part}").split(" (")[0],
                        marker_color=colour, customdata=full,
                        hovertemplate="%{customdata}: %{x:,.0f} TL<extra>%{fullData.name}</extra>")
    fig.update_layout(title=title, barmode="group", separators=separators, height=max(360, 140 + 60 * len(g)),
                      xaxis={"title": t("bud_axis_amount"), "tickformat": ",.0f", "automargin": True},
                      yaxis={"automargin": True},
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"})
    return fig


def by_year_figure(df: pd.DataFrame, title: str, separators: str) -> go.Figure:
    """Program, final appropriation and spent per year as grouped bars."""
    fig = go.Figure()
    for colour, part in zip(SERIES_COLOURS, PARTS, strict=False):
        fig.add_bar(x=df["year"], y=df[part], name=t(f"bud_col_{part}").split(" (")[0], marker_color=colour,
                    hovertemplate="%{x}: %{y:,.0f} TL<extra>%{fullData.name}</extra>")
    fig.update_layout(title=title, barmode="group", separators=separators,
                      xaxis={"title": t("year"), "type": "category"},
                      yaxis={"title": t("bud_axis_amount"), "tickformat": ",.0f"})
    return fig
