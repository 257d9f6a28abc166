"""A municipality brief for reports: one program year of one municipality as a DOCX or a PDF.

The brief holds the headline figures, three charts as images with their source lines, the
objectives the year's program left out, the plan's gender-equality scorecard, the definitions a
reader needs to quote the figures, and every source document with the pages the brief cites.

It reads only the warehouse (through :mod:`app.data`), so the Overview page's button and the
command line make the same file::

    python -m app.brief --municipality ilginkoy --year 2024 --out ilginkoy-2024.docx [--lang en]
    python -m app.brief --municipality ilginkoy --year 2024 --out ilginkoy-2024.pdf [--warehouse FILE]

Chart images come from :func:`app.charts.figure_bytes` (kaleido and the system Chromium, the one
export path of the dashboard); without Chromium the brief is still made, with each chart's
figures as a table in its place. The PDF is drawn by reportlab (pure Python, in
requirements.txt), so it needs no browser or office suite on the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.charts import MARKER_COLOURS, STATUS_COLOURS, ExportUnavailable, figure_bytes, prewarm, themed

if __name__ == "__main__":
    # The command line: Chromium's cold start (2–8 s) is most of its time, so kaleido starts in
    # the background now, while pandas, Streamlit and python-docx below are imported.
    prewarm()

import pandas as pd
import plotly.graph_objects as go

from app import data, i18n
from app.docx import Doc, clean
from app.views import left_out as lo_view
from app.views import scorecard as sc_view
from etl.completeness import page_ranges

TEXTS: dict[str, dict[str, str]] = {
    "br_title": {"tr": "{name}: {year} özeti", "en": "{name}: {year} brief"},
    "br_subtitle": {"tr": "İzlek belediye özeti · veri ambarı {built} · hazırlandı {made}",
                    "en": "İzlek municipality brief · warehouse built {built} · made {made}"},
    "br_button": {"tr": "Rapor özeti", "en": "Brief for reports"},
    "br_help": {"tr": "Seçilen program yılı için başlıca rakamlar, grafikler (kaynak satırlarıyla), programa "
                      "alınmayan hedefler, cinsiyet eşitliği karnesi, tanımlar ve kaynak belgeler sayfalarıyla.",
                "en": "The chosen program year's headline figures, charts (with source lines), objectives left out, "
                      "the gender-equality scorecard, definitions and the source documents with their pages."},
    "br_year": {"tr": "Özetin program yılı", "en": "Program year of the brief"},
    "br_docx": {"tr": "Özet (Word)", "en": "Brief (Word)"},
    "br_pdf": {"tr": "Özet (PDF)", "en": "Brief (PDF)"},
    "br_headline": {"tr": "Başlıca rakamlar", "en": "Headline figures"},
    "br_h_total": {"tr": "{year} programının toplam kaynak ihtiyacı", "en": "{year} program's total resources"},
    "br_h_principal": {"tr": "Temel (2) etiketli faaliyetler", "en": "Principal (2) activities"},
    "br_h_significant": {"tr": "Önemli (1) etiketli faaliyetler", "en": "Significant (1) activities"},
    "br_h_share": {"tr": "Toplumsal cinsiyet eşitliği payı (2 + 1)", "en": "Gender-equality share (2 + 1)"},
    "br_h_spent": {"tr": "{year} harcaması: temel (2) / önemli (1)", "en": "{year} spent: principal (2) / significant (1)"},
    "br_h_left_out": {"tr": "{year} programına alınmayan stratejik hedef", "en": "Objectives left out of {year}"},
    "br_h_left_out_value": {"tr": "{n} / {of} (cinsiyetle ilgili {g})", "en": "{n} of {of} ({g} gender-related)"},
    "br_h_met": {"tr": "{year} göstergeleri: hedefini tutan", "en": "{year} indicators that met their target"},
    "br_h_score": {"tr": "Cinsiyet eşitliği karnesi ({plan})", "en": "Gender-equality scorecard ({plan})"},
    "br_charts": {"tr": "Grafikler", "en": "Charts"},
    "br_c_budget": {"tr": "{name}: temel (2) ve önemli (1) kaynak, program yıllarına göre (TL)",
                    "en": "{name}: principal (2) and significant (1) resources by program year (TL)"},
    "br_c_left_out": {"tr": "{name}: programa alınmayan stratejik hedefler, yıllara göre",
                      "en": "{name}: strategic objectives left out, by program year"},
    "br_c_status": {"tr": "{name}: {year} göstergelerinin durumu", "en": "{name}: status of the {year} indicators"},
    "br_c_no_data": {"tr": "Bu grafik için veri yok.", "en": "No data for this chart."},
    "br_c_no_image": {"tr": "Chromium yok: grafik görüntüsü yerine rakamları.",
                      "en": "No Chromium: the chart's figures instead of its image."},
    "br_count": {"tr": "Sayı", "en": "Count"},
    "br_amount": {"tr": "TL", "en": "TL"},
    "br_left_out": {"tr": "{year} programına alınmayan hedefler", "en": "Objectives left out of {year}"},
    "br_left_out_none": {"tr": "{year} programı planın bütün hedeflerine yer veriyor.",
                         "en": "The {year} program covers every objective of the plan."},
    "br_col_figure": {"tr": "Rakam", "en": "Figure"},
    "br_col_value": {"tr": "Değer", "en": "Value"},
    "br_col_code": {"tr": "Kod", "en": "Code"},
    "br_col_objective": {"tr": "Stratejik hedef", "en": "Objective"},
    "br_col_unit": {"tr": "Sorumlu birim", "en": "Responsible unit"},
    "br_col_marker": {"tr": "Etiket", "en": "Marker"},
    "br_col_page": {"tr": "Sayfa", "en": "Page"},
    "br_col_question": {"tr": "Soru", "en": "Question"},
    "br_col_answer": {"tr": "Cevap", "en": "Answer"},
    "br_col_verdict": {"tr": "Açıklama", "en": "Verdict"},
    "br_col_pages": {"tr": "Dayanak sayfaları", "en": "Evidence pages"},
    "br_col_document": {"tr": "Belge", "en": "Document"},
    "br_col_type": {"tr": "Tür", "en": "Type"},
    "br_col_years": {"tr": "Yıl(lar)", "en": "Year(s)"},
    "br_col_cited": {"tr": "Özetin dayandığı sayfalar", "en": "Pages the brief cites"},
    "br_scorecard": {"tr": "Cinsiyet eşitliği karnesi: {plan} stratejik planı",
                     "en": "Gender-equality scorecard: the {plan} strategic plan"},
    "br_score": {"tr": "Puan: {score} / 6 (evet 1, kısmen 0,5).", "en": "Score: {score} of 6 (yes 1, partly 0.5)."},
    "br_no_scorecard": {"tr": "Bu yıl için stratejik plan yok.", "en": "No strategic plan for this year."},
    "br_definitions": {"tr": "Tanımlar", "en": "Definitions"},
    "br_sources": {"tr": "Kaynak belgeler", "en": "Source documents"},
    "br_sources_intro": {
        "tr": "Her rakam bu belgelerden, yazılı sayfalarından okundu; İzlek'in Kaynaklar sayfası her sayfayı açar.",
        "en": "Every figure was read from these documents, on the pages listed; İzlek's Sources page opens each."},
    "br_source_line": {"tr": "Kaynak: {docs} · İzlek · {built}", "en": "Source: {docs} · İzlek · {built}"},
    "br_pages_abbr": {"tr": "s.", "en": "p."},
    "br_no_program": {"tr": "{year} için performans programı yok.", "en": "No performance program for {year}."},
    "br_unknown_municipality": {"tr": "Belediye bulunamadı: {mid}", "en": "No such municipality: {mid}"},
}
_DEFINITIONS: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"tr": "Etiket 2 / 1 / 0", "en": "Marker 2 / 1 / 0"},
     {"tr": "OECD-DAC toplumsal cinsiyet eşitliği işareti: 2 = temel (asıl amaç cinsiyet eşitliği), 1 = önemli "
            "(önemli ama ikincil bir amaç), 0 = hedeflenmemiş. Temel ve önemli ayrı verilir, toplanmaz.",
      "en": "The OECD-DAC gender-equality marker: 2 = principal (gender equality is the main aim), 1 = significant "
            "(an important but secondary aim), 0 = not targeted. Principal and significant are shown apart."}),
    ({"tr": "Kaynak ihtiyacı", "en": "Resources"},
     {"tr": "Performans programında bir faaliyete ayrılan bütçe + bütçe dışı kaynak (TL). Cinsiyet eşitliği payı: "
            "temel ve önemli etiketli faaliyetlerin kaynağının bütün faaliyetlerin kaynağına oranı.",
      "en": "A performance program activity's budget plus off-budget resources (TL). Gender-equality share: the "
            "resources of principal and significant activities over those of all activities."}),
    ({"tr": "Programa alınmayan hedef", "en": "Objective left out"},
     {"tr": "Yürürlükteki stratejik planın, o yılın performans programında hiçbir performans hedefi ya da "
            "faaliyetle karşılanmayan (kodla ya da başlığıyla eşleşmeyen) stratejik hedefi.",
      "en": "An objective of the strategic plan in force that no performance goal or activity of the year's "
            "program matches (by code or by title)."}),
    ({"tr": "Gösterge durumu", "en": "Indicator status"},
     {"tr": "Faaliyet raporundaki gerçekleşme, hedefle karşılaştırılır: tuttu (hedefe ulaştı), kısmi (yolun bir "
            "kısmı), tutmadı, veri yok (hedef ya da gerçekleşme yazmıyor). Azalması hedeflenen göstergelerde yön "
            "tersine çevrilir.",
      "en": "The activity report's actual value against the target: met, partial (part of the way), not met, no "
            "data (no target or no actual printed). For indicators meant to fall the direction is reversed."}),
    ({"tr": "Cinsiyete göre ayrıştırılmış gösterge", "en": "Sex-disaggregated indicator"},
     {"tr": "Kişi sayan ve kadınları ve erkekleri ayrı sayan gösterge (rehberin 1. türü); 2. tür belirli bir "
            "durumdaki kadınlara ya da erkeklere yönelik, 3. tür genel cinsiyet eşitliği göstergesi.",
      "en": "An indicator that counts people and counts women and men apart (the guide's kind 1); kind 2 is aimed "
            "at women or men in a specific situation, kind 3 a general gender-equality indicator."}),
    ({"tr": "Karne puanı", "en": "Scorecard score"},
     {"tr": "Rehberin 14. sorusunun altı cevabı: evet 1, kısmen 0,5, hayır ve bilinmiyor 0.",
      "en": "The six answers to the guide's question 14: yes 1, partly 0.5, no and unknown 0."}),
]
i18n.register(TEXTS)


def _tr(lang: str) -> Callable[..., str]:
    def tr(key: str, **fmt: object) -> str:
        entry = i18n.TEXTS[key]
        text = entry.get(lang, entry["tr"])
        return text.format(**fmt) if fmt else text
    return tr


def _number(value: object, lang: str, decimals: int = 0) -> str:
    if value is None or pd.isna(value):
        return "–"
    s = f"{float(value):,.{decimals}f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "tr" else s


def _money(value: object, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else f"{_number(value, lang)} TL"


def _pct(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"%{_number(value, lang, 1)}" if lang == "tr" else f"{_number(value, lang, 1)}%"


Pages = dict[str, set[int]]


def _pages(sql: str, params: list) -> Pages:
    """document id → pages, from a query returning (document id, page) rows."""
    out: Pages = defaultdict(set)
    # sql-safe: every caller passes a string constant; the values are its ? parameters
    for d, p in data.query(sql, params).itertuples(index=False):
        if isinstance(d, str) and pd.notna(p):
            out[d].add(int(p))
    return out


def _merge(*parts: Pages) -> Pages:
    out: Pages = defaultdict(set)
    for part in parts:
        for d, ps in part.items():
            out[d] |= ps
    return out


@dataclass
class Chart:
    """One chart of the brief: the figure, its data (shown instead without Chromium), its sources."""

    title: str
    fig: go.Figure | None
    table: pd.DataFrame
    pages: Pages
    source_line: str = ""  # documents with pages: the caption under the chart
    image_footer: str = ""  # documents only: the line inside the picture (it must fit its width)
    png: bytes | None = None


@dataclass
class Brief:
    """Everything the brief says, in one language, ready to be written as DOCX or PDF."""

    mid: str
    name: str
    year: int
    lang: str
    built: str
    made: str
    headline: list[tuple[str, str]]
    charts: list[Chart]
    left_out: pd.DataFrame
    plan: tuple[int, int] | None
    scorecard: list[tuple[str, str, str, str]]  # question, answer, verdict, evidence pages
    score: float | None
    definitions: list[tuple[str, str]]
    sources: pd.DataFrame  # file, type, years, pages cited
    notes: list[str] = field(default_factory=list)


class UnknownMunicipality(LookupError):
    """The warehouse has no municipality of that id."""


def program_years(mid: str) -> list[int]:
    """Years the brief can be made for (a performance program was read), newest first."""
    return lo_view.program_years(mid)


def _file_names() -> dict[str, str]:
    df = data.query("select document_id, file_name from documents")
    return dict(zip(df["document_id"], df["file_name"], strict=True))


def _source_line(pages: Pages, files: dict[str, str], built: str, lang: str, with_pages: bool = True) -> str:
    """"Kaynak: file (s. 3–5); file … · İzlek · date"; without pages at most three files are named."""
    tr = _tr(lang)
    if with_pages:
        listed = "; ".join(f"{files.get(d, d)} ({tr('br_pages_abbr')} {page_ranges(sorted(ps))})"
                           for d, ps in sorted(pages.items()))
    else:
        docs = [files.get(d, d) for d in sorted(pages)]
        listed = ", ".join(docs[:3]) + (f" (+{len(docs) - 3})" if len(docs) > 3 else "")
    return tr("br_source_line", docs=listed or "–", built=built)


def _budget_chart(mid: str, name: str, lang: str) -> Chart:
    tr = _tr(lang)
    df = data.query("select year, principal_budget, significant_budget, total_budget, gender_share_pct "
                    "from gender_budget where municipality_id = ? order by year", [mid])
    pages = _pages("select source_document_id, source_page from activities where municipality_id = ? "
                   "and gender_marker > 0", [mid])
    fig = None
    if not df.empty:
        fig = go.Figure()
        for marker, col in ((2, "principal_budget"), (1, "significant_budget")):
            fig.add_bar(x=df["year"].astype(str), y=df[col], name=tr(f"marker_{marker}"),
                        marker_color=MARKER_COLOURS[marker])
        fig.update_layout(barmode="group", xaxis={"title": tr("year"), "type": "category"},
                          yaxis={"title": tr("br_amount")}, separators=",." if lang == "tr" else ".,")
    table = pd.DataFrame({tr("year"): df["year"], tr("marker_2"): df["principal_budget"].map(lambda v: _money(v, lang)),
                          tr("marker_1"): df["significant_budget"].map(lambda v: _money(v, lang)),
                          tr("br_h_share"): df["gender_share_pct"].map(lambda v: _pct(v, lang))})
    return Chart(tr("br_c_budget", name=name), fig, table, pages)


def _left_out_chart(mid: str, name: str, lang: str) -> Chart:
    tr = _tr(lang)
    counts = lo_view.by_year(mid)
    pages = _pages("""select o.source_document_id, o.source_page from left_out_objectives l
                      join objectives o on o.municipality_id = l.municipality_id and o.plan_start = l.plan_start
                                       and o.objective_code = l.objective_code
                      where l.municipality_id = ?""", [mid])
    fig = None
    if not counts.empty:
        fig = go.Figure()
        for marker, col in ((2, "principal"), (1, "significant"), (0, "not_targeted")):
            fig.add_bar(x=counts["year"].astype(str), y=counts[col], name=tr(f"marker_{marker}"),
                        marker_color=MARKER_COLOURS[marker])
        fig.update_layout(barmode="stack", xaxis={"title": tr("year"), "type": "category"},
                          yaxis={"title": tr("br_count"), "dtick": 1})
    table = pd.DataFrame({tr("year"): counts["year"], tr("marker_2"): counts["principal"],
                          tr("marker_1"): counts["significant"], tr("marker_0"): counts["not_targeted"]})
    return Chart(tr("br_c_left_out", name=name), fig, table, pages)


def _status_chart(mid: str, name: str, year: int, lang: str) -> Chart:
    tr = _tr(lang)
    df = data.query("select status, count(*) as n from indicator_achievement where municipality_id = ? and year = ? "
                    "group by status", [mid, year])
    pages = _pages("select source_document_id, source_page from indicator_achievement where municipality_id = ? "
                   "and year = ?", [mid, year])
    order = ["met", "partial", "not_met", "no_data"]
    counts = {s: int(n) for s, n in df.itertuples(index=False)}
    labels = [tr(f"status_{s}") for s in order]
    fig = None
    if counts:
        fig = go.Figure(go.Bar(x=labels, y=[counts.get(s, 0) for s in order],
                               marker_color=[STATUS_COLOURS[s] for s in order], showlegend=False))
        fig.update_layout(yaxis={"title": tr("br_count"), "tickformat": "d"})
    table = pd.DataFrame({tr("br_col_answer"): labels, tr("br_count"): [counts.get(s, 0) for s in order]})
    return Chart(tr("br_c_status", name=name, year=year), fig, table if counts else table.iloc[0:0], pages)


def _headline(mid: str, year: int, report_year: int, lang: str, left_out: pd.DataFrame,
              card: dict | None) -> list[tuple[str, str]]:
    tr = _tr(lang)
    gb = data.query("select * from gender_budget where municipality_id = ? and year = ?", [mid, year])
    rows: list[tuple[str, str]] = []
    if gb.empty:
        rows.append((tr("br_h_total", year=year), tr("br_no_program", year=year)))
    else:
        g = gb.iloc[0]
        rows += [(tr("br_h_total", year=year), _money(g["total_budget"], lang)),
                 (tr("br_h_principal"), _money(g["principal_budget"], lang)),
                 (tr("br_h_significant"), _money(g["significant_budget"], lang)),
                 (tr("br_h_share"), _pct(g["gender_share_pct"], lang))]
        if pd.notna(g["total_spent"]):
            rows.append((tr("br_h_spent", year=year),
                         f"{_money(g['principal_spent'], lang)} / {_money(g['significant_spent'], lang)}"))
    of = data.query("select count(*) as n from objective_coverage where municipality_id = ? and year = ?",
                    [mid, year]).iloc[0]["n"]
    if of:
        gender = int((left_out["gender_marker"].fillna(0) > 0).sum()) if not left_out.empty else 0
        rows.append((tr("br_h_left_out", year=year), tr("br_h_left_out_value", n=len(left_out), of=int(of), g=gender)))
    ach = data.query("select count(*) filter (where status = 'met') as met, count(*) as n from indicator_achievement "
                     "where municipality_id = ? and year = ?", [mid, report_year]).iloc[0]
    if ach["n"]:
        rows.append((tr("br_h_met", year=report_year), f"{int(ach['met'])} / {int(ach['n'])}"))
    if card:
        rows.append((tr("br_h_score", plan=f"{card['plan_start']}–{card['plan_end']}"),
                     f"{_number(card['score'], lang, 1)} / 6"))
    return rows


def _plan_for(mid: str, year: int) -> int | None:
    df = data.query("select plan_start from gender_scorecard where municipality_id = ? and ? between plan_start "
                    "and plan_end order by plan_start desc limit 1", [mid, year])
    return None if df.empty else int(df["plan_start"].iloc[0])


def collect(mid: str, year: int, lang: str = "tr") -> Brief:
    """Everything the brief of ``mid``'s program year ``year`` says, from the warehouse.

    Raises :class:`UnknownMunicipality` when the warehouse holds no such municipality.
    """
    tr = _tr(lang)
    names = data.query("select name from municipalities where municipality_id = ?", [mid])
    if names.empty:
        raise UnknownMunicipality(tr("br_unknown_municipality", mid=mid))
    name = str(names["name"].iloc[0] or mid)
    key = data.warehouse_version()
    built = "–" if key is None else dt.datetime.fromtimestamp(key[2] / 1e9).strftime("%Y-%m-%d")
    files = _file_names()
    left_out = lo_view.left_out(mid, year)
    plan_start = _plan_for(mid, year)
    card = sc_view.card(mid, plan_start) if plan_start is not None else None
    # The year's activity report comes out in April of the next year: until then the status chart
    # and headline show the latest report year up to the brief's year (named in their titles).
    report_year = data.query("select max(year) as y from indicator_achievement where municipality_id = ? and "
                             "year <= ?", [mid, year]).iloc[0]["y"]
    report_year = year if pd.isna(report_year) else int(report_year)
    charts = [_budget_chart(mid, name, lang), _left_out_chart(mid, name, lang),
              _status_chart(mid, name, report_year, lang)]
    for c in charts:
        c.source_line = _source_line(c.pages, files, built, lang)
        c.image_footer = _source_line(c.pages, files, built, lang, with_pages=False)
    scorecard: list[tuple[str, str, str, str]] = []
    evidence_pages: Pages = defaultdict(set)
    if card:
        for q in sc_view.QUESTIONS:
            cited = _pages("select source_document_id, source_page from gender_scorecard_evidence where "
                           "municipality_id = ? and plan_start = ? and question = ?", [mid, plan_start, q])
            evidence_pages = _merge(evidence_pages, cited)
            where = "; ".join(f"{files.get(d, d)} {tr('br_pages_abbr')} {page_ranges(sorted(ps))}"
                              for d, ps in sorted(cited.items()))
            scorecard.append((tr(f"sc_q_{q}"), tr(f"sc_answer_{card[f'{q}_answer']}"), sc_view.verdict(q, card, lang),
                              where or "–"))
    left_pages = _pages("select source_document_id, source_page from objectives o where municipality_id = ? and "
                        "plan_start = ? and objective_code in (select unnest(?::varchar[]))",
                        [mid, plan_start, list(left_out["objective_code"])]) if not left_out.empty else {}
    headline_pages = _pages("select source_document_id, source_page from activities where municipality_id = ? "
                            "and year = ?", [mid, year])
    cited = _merge(*(c.pages for c in charts), evidence_pages, left_pages, headline_pages)
    docs = data.query("select document_id, file_name, doc_type, year_start, year_end from documents "
                      "where municipality_id = ? and status <> 'failed' order by case doc_type when 'strategic_plan' then 0 "
                      "when 'performance_program' then 1 else 2 end, year_start, file_name",
                      [mid])
    docs = docs[docs["document_id"].isin(list(cited))]
    sources = pd.DataFrame({
        tr("br_col_document"): docs["file_name"],
        tr("br_col_type"): [tr(f"doc_type_{t}") if isinstance(t, str) else "–" for t in docs["doc_type"]],
        tr("br_col_years"): [f"{a}" if a == b else f"{a}–{b}" for a, b in zip(docs["year_start"], docs["year_end"],
                                                                              strict=True)],
        tr("br_col_cited"): [page_ranges(sorted(cited[d])) for d in docs["document_id"]]})
    return Brief(mid=mid, name=name, year=year, lang=lang, built=built, made=dt.date.today().isoformat(),
                 headline=_headline(mid, year, report_year, lang, left_out, card), charts=charts, left_out=left_out,
                 plan=(card["plan_start"], card["plan_end"]) if card else None, scorecard=scorecard,
                 score=card["score"] if card else None,
                 definitions=[(d[lang], text[lang]) for d, text in _DEFINITIONS], sources=sources)


def render_charts(brief: Brief) -> None:
    """Fill each chart's PNG (one warm kaleido for all); without Chromium they stay None."""
    for c in brief.charts:
        if c.fig is None:
            continue
        fig = themed(go.Figure(c.fig), c.title)
        try:
            c.png = figure_bytes(fig, "png", width=1000, height=520, footer=c.image_footer)
        except ExportUnavailable:
            brief.notes.append(_tr(brief.lang)("br_c_no_image"))
            return


def _left_out_rows(brief: Brief) -> tuple[list[str], list[list[str]]]:
    tr = _tr(brief.lang)
    header = [tr("br_col_code"), tr("br_col_objective"), tr("br_col_unit"), tr("br_col_marker"), tr("br_col_page")]
    rows = [[clean(r.objective_code),
             clean(r.objective_title), clean(r.responsible_unit),
             "–" if pd.isna(r.gender_marker) else tr(f"marker_{int(r.gender_marker)}"),
             "" if pd.isna(r.source_page) else str(int(r.source_page))]
            for r in brief.left_out.itertuples(index=False)]
    return header, rows


def docx_bytes(brief: Brief) -> bytes:
    """The brief as a Word file (charts as pictures with their source lines under them)."""
    from docx.shared import Cm

    tr = _tr(brief.lang)
    doc = Doc(tr("br_title", name=brief.name, year=brief.year))
    doc.para(tr("br_subtitle", built=brief.built, made=brief.made))
    doc.heading(tr("br_headline"))
    doc.table([tr("br_col_figure"), tr("br_col_value")], brief.headline)
    doc.heading(tr("br_charts"))
    for c in brief.charts:
        if c.png:  # the picture carries its title, like every exported chart
            doc.doc.add_picture(io.BytesIO(c.png), width=Cm(16))
        elif c.table.empty:
            doc.heading(c.title, 3)
            doc.para(tr("br_c_no_data"))
        else:
            doc.heading(c.title, 3)
            doc.para(tr("br_c_no_image"))
            doc.table(list(c.table.columns), c.table.astype(str).values.tolist())
        doc.para(c.source_line)
    doc.heading(tr("br_left_out", year=brief.year))
    header, rows = _left_out_rows(brief)
    if rows:
        doc.table(header, rows)
    else:
        doc.para(tr("br_left_out_none", year=brief.year))
    if brief.plan:
        doc.heading(tr("br_scorecard", plan=f"{brief.plan[0]}–{brief.plan[1]}"))
        doc.para(tr("br_score", score=_number(brief.score, brief.lang, 1)))
        doc.table([tr("br_col_question"), tr("br_col_answer"), tr("br_col_verdict"), tr("br_col_pages")],
                  brief.scorecard)
    else:
        doc.heading(tr("br_scorecard", plan="–"))
        doc.para(tr("br_no_scorecard"))
    doc.heading(tr("br_definitions"))
    for term, text in brief.definitions:
        doc.para(f"{term}: {text}")
    doc.heading(tr("br_sources"))
    doc.para(tr("br_sources_intro"))
    doc.table(list(brief.sources.columns), brief.sources.astype(str).values.tolist())
    return doc.bytes()


def _pdf_fonts() -> tuple[str, str]:
    """DejaVu Sans (the charts' font; scripts/start.sh installs it with Chromium), else the Bitstream
    Vera that ships with reportlab (it has ı, ş, ğ, İ too). The standard Type1 fonts have not."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "IzlekSans" in pdfmetrics.getRegisteredFontNames():
        return "IzlekSans", "IzlekSans-Bold"
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if (dejavu / "DejaVuSans.ttf").is_file() and (dejavu / "DejaVuSans-Bold.ttf").is_file():
        regular, bold = dejavu / "DejaVuSans.ttf", dejavu / "DejaVuSans-Bold.ttf"
    else:
        import reportlab

        fonts = Path(reportlab.__file__).parent / "fonts"
        regular, bold = fonts / "Vera.ttf", fonts / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("IzlekSans", str(regular)))
    pdfmetrics.registerFont(TTFont("IzlekSans-Bold", str(bold)))
    return "IzlekSans", "IzlekSans-Bold"


def pdf_bytes(brief: Brief) -> bytes:
    """The brief as an A4 PDF drawn by reportlab (document text set as text, never as markup)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _pdf_fonts()
    tr = _tr(brief.lang)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=17, leading=21, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4)
    h3 = ParagraphStyle("h3", parent=body, fontName=bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2)
    width = A4[0] - 3.6 * cm

    def p(text: object, style: ParagraphStyle = body) -> Paragraph:
        # Paragraph parses a mini-markup: every document string is escaped to plain text first.
        return Paragraph(escape(clean(text)), style)

    def table(header: list[str], rows: list, widths: list[float]) -> Table:
        t = Table([[p(h, head) for h in header]] + [[p(v, cell) for v in r] for r in rows],
                  colWidths=[w * width for w in widths], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    story: list = [p(tr("br_title", name=brief.name, year=brief.year), h1),
                   p(tr("br_subtitle", built=brief.built, made=brief.made), small),
                   p(tr("br_headline"), h2), table([tr("br_col_figure"), tr("br_col_value")], brief.headline, [0.6, 0.4]), p(tr("br_charts"), h2)]
    for c in brief.charts:
        if c.png:  # the picture carries its title
            part = [Image(io.BytesIO(c.png), width=width, height=width * 520 / 1000)]
        elif c.table.empty:
            part = [p(c.title, h3), p(tr("br_c_no_data"))]
        else:
            part = [p(c.title, h3), p(tr("br_c_no_image"), small),
                    table(list(c.table.columns), c.table.astype(str).values.tolist(),
                          [1 / len(c.table.columns)] * len(c.table.columns))]
        story.append(KeepTogether([*part, p(c.source_line, small), Spacer(1, 6)]))
    story.append(p(tr("br_left_out", year=brief.year), h2))
    header, rows = _left_out_rows(brief)
    story.append(table(header, rows, [0.1, 0.42, 0.26, 0.14, 0.08]) if rows
                 else p(tr("br_left_out_none", year=brief.year)))
    story.append(p(tr("br_scorecard", plan=f"{brief.plan[0]}–{brief.plan[1]}" if brief.plan else "–"), h2))
    if brief.plan:
        story += [p(tr("br_score", score=_number(brief.score, brief.lang, 1))),
                  table([tr("br_col_question"), tr("br_col_answer"), tr("br_col_verdict"), tr("br_col_pages")],
                        brief.scorecard, [0.24, 0.1, 0.44, 0.22])]
    else:
        story.append(p(tr("br_no_scorecard")))
    story.append(p(tr("br_definitions"), h2))
    for term, text in brief.definitions:
        story.append(Paragraph(f"<b>{escape(term)}</b>: {escape(text)}", body))
        story.append(Spacer(1, 3))
    story += [p(tr("br_sources"), h2), p(tr("br_sources_intro")),
              table(list(brief.sources.columns), brief.sources.astype(str).values.tolist(), [0.38, 0.2, 0.12, 0.3])]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=1.6 * cm,
                      bottomMargin=1.6 * cm, title=tr("br_title", name=brief.name, year=brief.year),
                      author="İzlek", creator="İzlek").build(story)
    return buf.getvalue()


def make(mid: str, year: int, fmt: str, lang: str = "tr") -> bytes:
    """The brief of ``mid``'s year ``year`` as ``docx`` or ``pdf`` bytes, charts included."""
    brief = collect(mid, year, lang)
    render_charts(brief)
    return docx_bytes(brief) if fmt == "docx" else pdf_bytes(brief)


def main(argv: list[str] | None = None) -> int:
    """``python -m app.brief``: write one brief; exit 2 for an unknown municipality, year or format."""
    import logging
    import os

    # The view helpers ask Streamlit for the session's language; outside a server it warns per call.
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("streamlit")]:
        logging.getLogger(name).setLevel(logging.ERROR)
    ap = argparse.ArgumentParser(prog="python -m app.brief", description="Write a municipality brief (DOCX or PDF).")
    ap.add_argument("--municipality", required=True, help="municipality_id (its folder name under data/raw)")
    ap.add_argument("--year", required=True, type=int, help="program year")
    ap.add_argument("--out", required=True, type=Path, help="FILE.docx or FILE.pdf")
    ap.add_argument("--lang", choices=("tr", "en"), default="tr")
    ap.add_argument("--warehouse", type=Path, help=f"default: ${data.WAREHOUSE_ENV} or data/warehouse.duckdb")
    args = ap.parse_args(argv)
    if args.warehouse:
        os.environ[data.WAREHOUSE_ENV] = str(args.warehouse)
    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("docx", "pdf"):
        print(f"--out must end in .docx or .pdf, not {args.out.name}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    prewarm()  # Chromium starts while the warehouse is read: the cold start is most of the wait
    try:
        brief = collect(args.municipality, args.year, args.lang)
    except (UnknownMunicipality, data.WarehouseMissing) as exc:
        print(exc.args[0] if exc.args else exc, file=sys.stderr)
        return 2
    if args.year not in program_years(args.municipality):
        years = ", ".join(map(str, sorted(program_years(args.municipality)))) or "none"
        print(f"{args.municipality} has no performance program for {args.year} (program years: {years})",
              file=sys.stderr)
        return 2
    render_charts(brief)
    body = docx_bytes(brief) if fmt == "docx" else pdf_bytes(brief)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(body)
    images = sum(1 for c in brief.charts if c.png)
    print(f"{args.out}: {fmt.upper()}, {len(body):,} bytes, {images} chart images, {len(brief.sources)} source "
          f"documents, {time.perf_counter() - t0:.2f} s")
    for note in dict.fromkeys(brief.notes):
        print(note, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
