"""Numbers and verdicts for the Gender scorecard page (CSO guide Q14) and its Compare section.

The answers are the analysis's (``gender_scorecard``, ``gender_scorecard_evidence``); this module
only reads them, words a plain-language verdict in Turkish or English, and ranks municipalities.
"""

from __future__ import annotations

import re

import pandas as pd

from app import data, i18n
from app.views.sources import viewer_url

QUESTIONS = ("gender_objective", "women_unit", "indicators", "women_organisations", "figures_by_sex", "budget")
ANSWER_ICONS = {"yes": ":material/check_circle:", "partly": ":material/adjust:", "no": ":material/cancel:",
                "unknown": ":material/help:"}
ANSWER_COLOURS = {"yes": "green", "partly": "orange", "no": "red", "unknown": "gray"}

TEXTS: dict[str, dict[str, str]] = {
    "sc_intro": {
        "tr": "Rehberin 14. sorusu: stratejik plan toplumsal cinsiyet eşitliğine duyarlı mı? Her cevabın "
              "dayandığı kalemler ve sayfaları altında; sayfaya tıklayınca belge açılır.",
        "en": "The guide's question 14: is the strategic plan gender-sensitive? Under each answer, the items "
              "and pages it rests on; click a page to open the document."},
    "sc_plan": {"tr": "Stratejik plan", "en": "Strategic plan"},
    "sc_no_plan": {"tr": "Bu belediye için stratejik plan yok.", "en": "No strategic plan for this municipality."},
    "sc_score": {"tr": "Puan", "en": "Score"},
    "sc_score_help": {
        "tr": "Evet 1, kısmen 0,5, hayır ve bilinmiyor 0; altı sorunun toplamı.",
        "en": "Yes 1, partly 0.5, no and unknown 0, summed over the six questions."},
    "sc_answer_yes": {"tr": "Evet", "en": "Yes"},
    "sc_answer_partly": {"tr": "Kısmen", "en": "Partly"},
    "sc_answer_no": {"tr": "Hayır", "en": "No"},
    "sc_answer_unknown": {"tr": "Bilinmiyor", "en": "Unknown"},
    "sc_q_gender_objective": {"tr": "Ana amacı toplumsal cinsiyet eşitliği olan bir amaç ya da hedef var mı?",
                              "en": "Is there a goal or objective whose main aim is gender equality?"},
    "sc_q_women_unit": {"tr": "Kadın / eşitlik birimi var mı, hangi hedeflerden sorumlu?",
                        "en": "Is there a women's / equality unit, and which objectives is it responsible for?"},
    "sc_q_indicators": {"tr": "Kişi sayan göstergeler cinsiyete göre ayrıştırılmış mı?",
                        "en": "Are the indicators that count people sex-disaggregated?"},
    "sc_q_women_organisations": {"tr": "Danışılan paydaşlar arasında kadın örgütleri var mı?",
                                 "en": "Are women's organisations named among the stakeholders consulted?"},
    "sc_q_figures_by_sex": {"tr": "Durum analizi cinsiyete göre rakam veriyor mu?",
                            "en": "Does the situation analysis give figures by sex?"},
    "sc_q_budget": {"tr": "Performans programı bütçesinin ne kadarı temel (2) ve önemli (1) etiketli?",
                    "en": "How much of the performance program budget is tagged principal (2) and significant (1)?"},
    "sc_v_gender_objective_yes": {
        "tr": "Evet: {p} amaç/hedefin ana amacı toplumsal cinsiyet eşitliği (temel, 2); {s} tanesi önemli (1).",
        "en": "Yes: {p} goals/objectives have gender equality as their main aim (principal, 2); {s} are "
              "significant (1)."},
    "sc_v_gender_objective_partly": {
        "tr": "Kısmen: ana amacı cinsiyet eşitliği olan amaç ya da hedef yok, ama {s} tanesi önemli (1) katkı sunuyor.",
        "en": "Partly: no goal or objective has gender equality as its main aim, but {s} make a significant (1) "
              "contribution."},
    "sc_v_gender_objective_no": {
        "tr": "Hayır: hiçbir amaç ya da hedef cinsiyet eşitliğini amaçlamıyor.",
        "en": "No: no goal or objective aims at gender equality."},
    "sc_v_women_unit_yes": {
        "tr": "Evet: {units}; {n} hedeften sorumlu.", "en": "Yes: {units}; responsible for {n} objectives."},
    "sc_v_women_unit_partly": {
        "tr": "Kısmen: {units} adı geçiyor ama planda hiçbir hedefin sorumlusu değil.",
        "en": "Partly: {units} is named but is not responsible for any objective of the plan."},
    "sc_v_women_unit_no": {
        "tr": "Hayır: planda ya da programlarda kadın veya eşitlik birimi adı geçmiyor.",
        "en": "No: no women's or equality unit is named in the plan or its programs."},
    "sc_v_indicators": {
        "tr": "{verdict}: kişi sayan {people} göstergenin {disagg} tanesi cinsiyete göre ayrıştırılmış ({share}). "
              "Rehberin üç türü: {k1} ayrıştırılmış, {k2} belirli durumdaki kadın ya da erkeklere yönelik, {k3} genel "
              "toplumsal cinsiyet eşitliği göstergesi ({total} göstergeden).",
        "en": "{verdict}: {disagg} of {people} indicators that count people are sex-disaggregated ({share}). The "
              "guide's three kinds: {k1} sex-disaggregated, {k2} aimed at women or men in a specific situation, {k3} "
              "general gender-equality indicators (of {total})."},
    "sc_v_indicators_unknown": {
        "tr": "Bilinmiyor: planın hiçbir göstergesi kişi saymıyor.",
        "en": "Unknown: none of the plan's indicators counts people."},
    "sc_v_women_organisations_yes": {
        "tr": "Evet: planın katılım / paydaş metninde ya da hedeflerin iş birliği yapılacak birimlerinde, "
              "stratejilerinde, tespitlerinde {n} kez kadın örgütü adı geçiyor.",
        "en": "Yes: women's organisations are named {n} times in the plan's participation / stakeholder text or in "
              "the objectives' cooperating units, strategies or findings."},
    "sc_v_women_organisations_no": {
        "tr": "Hayır: plan {pages} sayfada kimlere danışıldığını anlatıyor ama hiçbir kadın örgütünün adını "
              "vermiyor; hedef kartlarında da yok.",
        "en": "No: the plan says on {pages} pages whom it consulted but names no women's organisation; nor do the "
              "objective cards."},
    "sc_v_women_organisations_unknown": {
        "tr": "Bilinmiyor: planın metni kimlere danışıldığını anlatmıyor, hedef kartlarında da kadın örgütü adı "
              "geçmiyor; katılım bölümüne belgeden bakın.",
        "en": "Unknown: the plan's text does not say whom it consulted, and no women's organisation is named on the "
              "objective cards; check the participation section in the document."},
    "sc_v_women_organisations_unknown_no_text": {
        "tr": "Bilinmiyor: veri ambarında planın metni yok (eski bir derleme: yeniden derleyin) ve hedef kartlarında "
              "kadın örgütü adı geçmiyor.",
        "en": "Unknown: the warehouse holds no text of the plan (an older build: build again) and no women's "
              "organisation is named on the objective cards."},
    "sc_v_figures_by_sex_yes": {
        "tr": "Evet: planda {n} tablo cinsiyete göre rakam veriyor (ör. personelin cinsiyete göre dağılımı).",
        "en": "Yes: {n} tables in the plan give figures by sex (e.g. staff by sex)."},
    "sc_v_figures_by_sex_partly": {
        "tr": "Kısmen: planın kendisinde değil, ama dönemin programlarında/raporlarında {n} tablo cinsiyete göre "
              "rakam veriyor.",
        "en": "Partly: not in the plan itself, but {n} tables in the period's programs or reports give figures "
              "by sex."},
    "sc_v_figures_by_sex_no": {
        "tr": "Hayır: okunan tablolar arasında Kadın / Erkek sütunlu bir tablo yok.",
        "en": "No: none of the tables read has Kadın / Erkek (women / men) columns."},
    "sc_v_budget": {
        "tr": "{verdict}: planın {years} program yılında bütçenin {p}'i temel (2), {s}'i önemli (1) etiketli "
              "faaliyetlere ayrılmış. Yıllara göre tablo aşağıda.",
        "en": "{verdict}: over {years} program years of the plan, {p} of the budget goes to principal (2) and {s} "
              "to significant (1) activities. By year below."},
    "sc_v_budget_unknown": {
        "tr": "Bilinmiyor: bu plan dönemi için performans programı yok.",
        "en": "Unknown: no performance program for this plan period."},
    "sc_evidence": {"tr": "Dayanak ({n})", "en": "Evidence ({n})"},
    "sc_col_kind": {"tr": "Tür", "en": "Kind"},
    "sc_col_code": {"tr": "Kod", "en": "Code"},
    "sc_col_name": {"tr": "Kalem", "en": "Item"},
    "sc_col_detail": {"tr": "Neden", "en": "Why"},
    "sc_col_year": {"tr": "Yıl", "en": "Year"},
    "sc_col_value": {"tr": "Değer", "en": "Value"},
    "sc_col_document": {"tr": "Belge", "en": "Document"},
    "sc_col_page": {"tr": "Sayfa", "en": "Page"},
    "sc_col_open": {"tr": "Aç", "en": "Open"},
    "sc_open_page": {"tr": "sayfayı aç", "en": "open page"},
    "sc_ranking": {"tr": "Belediyeler yan yana", "en": "Municipalities side by side"},
    "sc_ranking_help": {
        "tr": "Her belediyenin en son stratejik planı; puana, eşitlikte cinsiyete göre ayrıştırılmış gösterge "
              "payına, sonra temel (2) bütçe payına göre sıralı.",
        "en": "Each municipality's latest strategic plan, ranked by score, ties broken by the share of "
              "sex-disaggregated indicators, then by the principal (2) budget share."},
    "sc_col_rank": {"tr": "Sıra", "en": "Rank"},
    "sc_col_municipality": {"tr": "Belediye", "en": "Municipality"},
    "sc_col_plan": {"tr": "Plan", "en": "Plan"},
    "sc_col_share": {"tr": "Ayrıştırılmış gösterge payı", "en": "Sex-disaggregated share"},
    "sc_col_principal": {"tr": "Temel (2) bütçe payı", "en": "Principal (2) budget share"},
    "sc_col_significant": {"tr": "Önemli (1) bütçe payı", "en": "Significant (1) budget share"},
    "sc_short_gender_objective": {"tr": "Eşitlik hedefi", "en": "Equality objective"},
    "sc_short_women_unit": {"tr": "Kadın birimi", "en": "Women's unit"},
    "sc_short_indicators": {"tr": "Ayrıştırılmış göstergeler", "en": "Sex-disaggregated indicators"},
    "sc_short_women_organisations": {"tr": "Kadın örgütleri", "en": "Women's organisations"},
    "sc_short_figures_by_sex": {"tr": "Cinsiyete göre rakamlar", "en": "Figures by sex"},
    "sc_short_budget": {"tr": "Eşitlik bütçesi", "en": "Equality budget"},
}
i18n.register(TEXTS)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


def md_escape(text: object) -> str:
    """A document-derived string made inert for ``st.markdown`` (every Markdown character escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _lang_t(lang: str):
    def tr(key: str, **fmt: object) -> str:
        entry = i18n.TEXTS[key]
        return entry.get(lang, entry["tr"]).format(**fmt)
    return tr


def plans(mid: str) -> list[int]:
    """plan_start of the municipality's scorecards, newest first."""
    df = data.query("select plan_start from gender_scorecard where municipality_id = ? order by plan_start desc",
                    [mid])
    return [int(p) for p in df["plan_start"]]


def card(mid: str, plan_start: int) -> dict | None:
    """The scorecard row of one plan (None when there is none)."""
    df = data.query("select * from gender_scorecard where municipality_id = ? and plan_start = ?", [mid, plan_start])
    return None if df.empty else df.iloc[0].to_dict()


def evidence(mid: str, plan_start: int, question: str) -> pd.DataFrame:
    """The items one answer rests on, each with its document file name, page and a Sources link."""
    df = data.query(
        """select e.item_kind, e.item_code, e.item_name, e.detail, e.year, e.value,
                  coalesce(d.file_name, e.source_document_id) as document, e.source_page as page,
                  e.source_document_id
           from gender_scorecard_evidence e left join documents d on d.document_id = e.source_document_id
           where e.municipality_id = ? and e.plan_start = ? and e.question = ?
           order by e.year nulls first, e.source_page, e.item_code""", [mid, plan_start, question])
    df["open"] = [viewer_url(d, p) + f"&m={mid}" if isinstance(d, str) and pd.notna(p) else None
                  for d, p in zip(df["source_document_id"], df["page"], strict=True)]
    # Page and link first: the evidence is there to be opened.
    return df[["item_code", "item_name", "page", "open", "detail", "document", "item_kind", "year", "value"]]


def _num(value: object) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def verdict(question: str, c: dict, lang: str) -> str:
    """The plain-language answer to one question, from the scorecard row (no Markdown in it)."""
    tr = _lang_t(lang)
    answer = c[f"{question}_answer"]
    word = tr(f"sc_answer_{answer}")

    def pct(v: object) -> str:
        if v is None or pd.isna(v):
            return "–"
        return f"%{v:.1f}".replace(".", ",") if lang == "tr" else f"{v:.1f}%"

    if question == "gender_objective":
        return tr(f"sc_v_gender_objective_{answer}", p=_num(c["principal_items"]), s=_num(c["significant_items"]))
    if question == "women_unit":
        return tr(f"sc_v_women_unit_{answer}", units=c.get("women_units") or "–", n=_num(c["women_unit_objectives"]))
    if question == "indicators":
        if answer == "unknown":
            return tr("sc_v_indicators_unknown")
        return tr("sc_v_indicators", verdict=word, people=_num(c["people_indicators"]),
                  disagg=_num(c["sex_disaggregated_indicators"]), share=pct(c["sex_disaggregated_share_pct"]),
                  k1=_num(c["kind1_indicators"]), k2=_num(c["kind2_indicators"]), k3=_num(c["kind3_indicators"]),
                  total=_num(c["indicators_total"]))
    if question == "women_organisations":
        pages = c.get("participation_pages")
        no_text = answer == "unknown" and (pages is None or pd.isna(pages))
        return tr("sc_v_women_organisations_unknown_no_text" if no_text else f"sc_v_women_organisations_{answer}",
                  n=_num(c["women_organisation_mentions"]), pages=_num(pages))
    if question == "figures_by_sex":
        n = _num(c["sex_tables_in_plan"]) if answer == "yes" else _num(c["sex_tables_elsewhere"])
        return tr(f"sc_v_figures_by_sex_{answer}", n=n)
    if answer == "unknown":
        return tr("sc_v_budget_unknown")
    return tr("sc_v_budget", verdict=word, years=_num(c["budget_years"]), p=pct(c["principal_share_pct"]),
              s=pct(c["significant_share_pct"]))


def ranking(mids: list[str] | None = None) -> pd.DataFrame:
    """Each municipality's latest plan: the six answers, the shares and the score, best first."""
    where, params = ("where s.municipality_id in (select unnest(?))", [mids]) if mids else ("", [])
    # sql-safe: the answer columns are the constant QUESTIONS; the municipalities are a ? parameter
    df = data.query(
        f"""select m.name as municipality, s.municipality_id, s.plan_start, s.plan_end, s.score,
                   {", ".join(f"s.{q}_answer" for q in QUESTIONS)},
                   s.sex_disaggregated_share_pct, s.principal_share_pct, s.significant_share_pct
            from gender_scorecard s join municipalities m using (municipality_id)
            {where}
            qualify row_number() over (partition by s.municipality_id order by s.plan_start desc) = 1
            order by s.score desc, s.sex_disaggregated_share_pct desc nulls last,
                     s.principal_share_pct desc nulls last, m.name""", params)
    # Equal scores are told apart by the two shares (more indicators by sex, then more principal
    # budget); municipalities equal on all three share a rank.
    key = list(zip(df["score"], df["sex_disaggregated_share_pct"].fillna(-1), df["principal_share_pct"].fillna(-1),
                   strict=True))
    df.insert(0, "rank", pd.array([1 + sum(1 for k in key if k > mine) for mine in key], dtype="Int64"))
    return df


def ranking_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranking with answers as words and the plan as "2025–2029", columns named in ``lang``."""
    tr = _lang_t(lang)
    out = pd.DataFrame({
        tr("sc_col_rank"): df["rank"], tr("sc_col_municipality"): df["municipality"],
        tr("sc_col_plan"): [f"{int(a)}–{int(b)}" for a, b in zip(df["plan_start"], df["plan_end"], strict=True)],
        tr("sc_score"): df["score"]})
    for q in QUESTIONS:
        out[tr(f"sc_short_{q}")] = [tr(f"sc_answer_{a}") for a in df[f"{q}_answer"]]
    out[tr("sc_col_share")] = df["sex_disaggregated_share_pct"]
    out[tr("sc_col_principal")] = df["principal_share_pct"]
    out[tr("sc_col_significant")] = df["significant_share_pct"]
    return out
