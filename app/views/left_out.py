"""Numbers and letter texts for the Left-out objectives page.

An SP objective the year's performance program does not take up gets no budget that year
(``left_out_objectives``; how every objective was matched is in ``objective_coverage``). The CSO
guide says to take gender-related ones to the responsible directorate, the council's equality
committee and the women's directorate, so each left-out objective comes with those contacts and a
letter summary in Turkish or English that can be pasted as it is.
"""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go

from app import data, i18n
from app.charts import MARKER_COLOURS
from app.i18n import t
from etl.analysis.marker import Lexicon

EQUALITY_COMMITTEE = {"tr": "Belediye Meclisi Kadın Erkek Eşitliği Komisyonu",
                      "en": "the municipal council's Equality Committee (Kadın Erkek Eşitliği Komisyonu)"}

TEXTS: dict[str, dict[str, str]] = {
    "lo_intro": {
        "tr": "Stratejik planda olup **{year} performans programına alınmayan** hedefler: bu yıl bütçe "
              "ayrılmamış görünüyorlar. Önce cinsiyetle ilgili olanlar (temel 2, sonra önemli 1). Rehber, bu "
              "hedefleri sorumlu müdürlüğe, meclisin Kadın Erkek Eşitliği Komisyonuna ve kadın biriminize "
              "götürmenizi önerir.",
        "en": "Objectives of the strategic plan that the **{year} performance program left out**: they get no "
              "budget this year. Gender-related ones first (principal 2, then significant 1). The guide suggests "
              "taking them to the responsible directorate, the council's equality committee and the women's "
              "directorate."},
    "lo_no_plan": {
        "tr": "{year} yılında yürürlükte bir stratejik plan bulunamadı, bu yüzden programla karşılaştırılacak "
              "hedef yok.",
        "en": "No strategic plan in force for {year}, so there are no objectives to compare the program with."},
    "lo_metric_left_out": {"tr": "Alınmayan hedef", "en": "Left out"},
    "lo_metric_principal": {"tr": "Temel (2)", "en": "Principal (2)"},
    "lo_metric_significant": {"tr": "Önemli (1)", "en": "Significant (1)"},
    "lo_metric_covered": {"tr": "Programda olan hedef", "en": "Objectives in the program"},
    "lo_none": {"tr": "{year} programı yürürlükteki planın tüm hedeflerini kapsıyor.",
                "en": "The {year} program covers every objective of the plan in force."},
    "lo_contacts": {"tr": "Kime başvurulur", "en": "Whom to contact"},
    "lo_contact_unit": {"tr": "Sorumlu birim: {unit}", "en": "Responsible directorate: {unit}"},
    "lo_contact_committee": {"tr": "Belediye Meclisi Kadın Erkek Eşitliği Komisyonu",
                             "en": "The council's equality committee (Kadın Erkek Eşitliği Komisyonu)"},
    "lo_contact_women": {"tr": "Kadın birimi: {unit}", "en": "Women's directorate: {unit}"},
    "lo_contact_women_unknown": {
        "tr": "Kadın birimi (belgelerde adı geçen bir kadın ya da eşitlik birimi bulunamadı; belediyeye sorun)",
        "en": "The women's directorate (no women's or equality unit is named in the documents; ask the "
              "municipality)"},
    "lo_letter": {"tr": "Mektuba eklenecek özet (seçip kopyalayın)", "en": "Summary for a letter (select and copy it)"},
    "lo_letter_download": {"tr": "Özeti indir (.txt)", "en": "Download the summary (.txt)"},
    "lo_source": {"tr": "Kaynak: {doc}, s. {page}", "en": "Source: {doc}, p. {page}"},
    "lo_by_year": {"tr": "Programa alınmayan hedefler, yıllara göre", "en": "Objectives left out, by year"},
    "lo_count": {"tr": "Hedef sayısı", "en": "Objectives"},
    "lo_table": {"tr": "{year} programına alınmayan hedefler", "en": "Objectives left out of {year}"},
    "lo_coverage": {"tr": "{year} kapsama tablosu", "en": "{year} coverage"},
    "lo_coverage_help": {
        "tr": "Yürürlükteki planın her hedefi: programda olup olmadığı, nasıl eşleştiği (kod, başlık ya da "
              "elle) ve eşleşmenin güveni.",
        "en": "Every objective of the plan in force: whether the program covers it, how it was matched (code, "
              "title or by hand) and the match's confidence."},
    "lo_col_objective": {"tr": "Stratejik hedef kodu", "en": "Objective code"},
    "lo_col_printed_code": {"tr": "Belgedeki kod", "en": "Printed code"},
    "lo_col_objective_title": {"tr": "Stratejik hedef", "en": "Objective"},
    "lo_col_responsible_unit": {"tr": "Sorumlu birim", "en": "Directorate"},
    "lo_col_marker": {"tr": "Etiket", "en": "Marker"},
    "lo_col_marker_label": {"tr": "Etiket adı", "en": "Marker name"},
    "lo_col_plan": {"tr": "Plan", "en": "Plan"},
    "lo_col_covered": {"tr": "Programda", "en": "Covered"},
    "lo_col_matched_how": {"tr": "Eşleşme", "en": "Matched how"},
    "lo_col_confidence": {"tr": "Güven", "en": "Confidence"},
    "lo_col_matched_by": {"tr": "Eşleşen kayıtlar", "en": "Matched by"},
    "lo_col_source_document": {"tr": "Kaynak belge", "en": "Source document"},
    "lo_col_source_page": {"tr": "Sayfa", "en": "Page"},
}
i18n.register(TEXTS)


def program_years(mid: str) -> list[int]:
    """Years with a performance program for the municipality, newest first."""
    df = data.query("select distinct year from performance_goals where municipality_id = ? "
                    "union select distinct year from activities where municipality_id = ? order by year desc",
                    [mid, mid])
    return [int(y) for y in df["year"]]


def left_out(mid: str, year: int) -> pd.DataFrame:
    """SP objectives missing from ``year``'s program: principal first, then significant, then the rest."""
    df = data.query(
        """select l.objective_code, o.printed_code, l.objective_title, l.responsible_unit, l.gender_marker,
                  l.plan_start, l.plan_end, coalesce(d.file_name, o.source_document_id) as source_document,
                  o.source_page, o.source_document_id
           from left_out_objectives l
           left join objectives o on o.municipality_id = l.municipality_id and o.plan_start = l.plan_start
                                 and o.objective_code = l.objective_code
           left join documents d on d.document_id = o.source_document_id
           where l.municipality_id = ? and l.year = ?""", [mid, year])
    return _gender_first(df)


def _code_key(code: object) -> tuple:
    """Sort H1.10 after H1.9."""
    parts = str(code or "").lstrip("AHPGh").split(".")
    return tuple(int(p) if p.isdigit() else 0 for p in parts)


def _gender_first(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df.assign(marker_label=pd.Series(dtype="object"))
    df = df.assign(_m=df["gender_marker"].fillna(0).astype(int), _c=df["objective_code"].map(_code_key))
    df = df.sort_values(["_m", "_c"], ascending=[False, True]).drop(columns=["_m", "_c"]).reset_index(drop=True)
    df.insert(df.columns.get_loc("gender_marker") + 1, "marker_label",
              ["–" if pd.isna(m) else t(f"marker_{int(m)}") for m in df["gender_marker"]])
    return df


def coverage(mid: str, year: int) -> pd.DataFrame:
    """Every objective of the plan in force in ``year``: covered or not, how matched, confidence."""
    df = data.query(
        """select objective_code, objective_title, responsible_unit, gender_marker, covered, matched_how,
                  confidence, matched_by, plan_start, plan_end
           from objective_coverage where municipality_id = ? and year = ?""", [mid, year])
    if df.empty:
        return df
    df = df.assign(_u=df["covered"].astype(bool), _c=df["objective_code"].map(_code_key))
    return df.sort_values(["_u", "_c"]).drop(columns=["_u", "_c"]).reset_index(drop=True)


def by_year(mid: str) -> pd.DataFrame:
    """How many objectives each program year left out, by marker (one row per year)."""
    df = data.query(
        """select year, count(*) filter (where gender_marker = 2) as principal,
                  count(*) filter (where gender_marker = 1) as significant,
                  count(*) filter (where coalesce(gender_marker, 0) = 0) as not_targeted,
                  count(*) as total
           from left_out_objectives where municipality_id = ? group by year order by year""", [mid])
    return df.astype({c: "int64" for c in df.columns})


def by_year_figure(counts: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars per program year: principal, significant and not-targeted objectives left out."""
    fig = go.Figure()
    for marker, column in ((2, "principal"), (1, "significant"), (0, "not_targeted")):
        fig.add_bar(x=counts["year"], y=counts[column], name=t(f"marker_{marker}"),
                    marker_color=MARKER_COLOURS[marker], hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>")
    fig.update_layout(title=title, barmode="stack", xaxis={"title": t("year"), "type": "category"},
                      yaxis={"title": t("lo_count"), "dtick": 1}, legend={"traceorder": "normal"})
    return fig


def women_units(mid: str) -> list[str]:
    """The municipality's women's or equality directorates, as named in its plans and programs."""
    df = data.query(
        """select responsible_unit as unit from objectives where municipality_id = ?
           union select responsible_unit from activities where municipality_id = ?
           union select responsible_unit from performance_goals where municipality_id = ?""", [mid, mid, mid])
    names = {u.strip() for u in df["unit"].dropna() if u.strip()}
    # The lexicon's [unit_rule] terms: the same list that lifts such a unit's objectives to
    # significant and that the scorecard's women's-unit question uses.
    lex = _lexicon()
    return sorted(u for u in names if lex.unit_matches(u))


@functools.cache
def _lexicon() -> Lexicon:
    return Lexicon.load()


def contacts(responsible_unit: str | None, women: list[str], lang: str) -> list[str]:
    """Whom the guide says to contact about a left-out objective, in ``lang``."""
    with_lang = _Lang(lang)
    out = []
    if responsible_unit:
        out.append(with_lang("lo_contact_unit", unit=responsible_unit))
    out.append(with_lang("lo_contact_committee"))
    others = [w for w in women if w != responsible_unit]
    if others:
        out.extend(with_lang("lo_contact_women", unit=w) for w in others)
    elif not women:
        out.append(with_lang("lo_contact_women_unknown"))
    return out


class _Lang:
    """``t`` for a fixed language, so letter texts do not depend on the session (and tests need none)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **fmt: object) -> str:
        entry = i18n.TEXTS[key]
        return entry.get(self.lang, entry["tr"]).format(**fmt)


_MARKER_SENTENCE = {
    2: {"tr": "Bu hedef toplumsal cinsiyet eşitliğini doğrudan amaçlamaktadır (OECD-DAC toplumsal cinsiyet "
              "etiketi: temel, 2).",
        "en": "This objective is directly about gender equality (OECD-DAC gender equality marker: principal, 2)."},
    1: {"tr": "Bu hedef toplumsal cinsiyet eşitliğine önemli bir katkı sunmaktadır (OECD-DAC toplumsal cinsiyet "
              "etiketi: önemli, 1).",
        "en": "This objective makes a significant contribution to gender equality (OECD-DAC gender equality "
              "marker: significant, 1)."},
}


def letter(objective: dict, municipality: str, year: int, lang: str, women: list[str] | None = None) -> str:
    """A polite, copy-ready paragraph about one left-out objective, in Turkish ("tr") or English."""
    code = objective.get("objective_code") or ""
    printed = objective.get("printed_code")
    code_text = f"{code} ({printed})" if printed and printed != code else code
    title = objective.get("objective_title") or ""
    unit = objective.get("responsible_unit") or ("–" if lang == "en" else "belirtilmemiş")
    plan = f"{int(objective['plan_start'])}–{int(objective['plan_end'])}"
    marker = objective.get("gender_marker")
    marker = 0 if marker is None or pd.isna(marker) else int(marker)
    source = ""
    if objective.get("source_document") and not pd.isna(objective.get("source_page")):
        source = _Lang(lang)("lo_source", doc=objective["source_document"], page=int(objective["source_page"]))
    cc = [EQUALITY_COMMITTEE[lang], *[w for w in (women or []) if w != objective.get("responsible_unit")]]
    if lang == "en":
        lines = [
            f"To: {unit}",
            f"Cc: {'; '.join(cc)}",
            f"Subject: Objective {code} of the {plan} Strategic Plan is not in the {year} Performance Program",
            "",
            "Dear Sir or Madam,",
            "",
            f"Objective {code_text} of {municipality}'s {plan} Strategic Plan, \"{title}\", for which {unit} is "
            f"responsible, does not appear in the {year} Performance Program, so no budget seems to have been "
            f"set aside for it in {year}.",
        ]
        if marker in _MARKER_SENTENCE:
            lines.append(_MARKER_SENTENCE[marker]["en"])
        lines += [
            "",
            f"We would be grateful if you could tell us why this objective was not included in the {year} "
            "program, and when and with what budget it is planned to be carried out, and we kindly ask that it "
            "be considered for the next performance program.",
            "",
            "Yours sincerely,",
        ]
    else:
        lines = [
            f"Kime: {unit}",
            f"Bilgi: {'; '.join(cc)}",
            f"Konu: {plan} Stratejik Planı {code} hedefinin {year} Performans Programı'nda yer almaması",
            "",
            "Sayın Yetkili,",
            "",
            f"{municipality} {plan} Stratejik Planı'nda yer alan ve sorumlusu {unit} olan {code_text} "
            f"\"{title}\" hedefi, {year} yılı Performans Programı'nda yer almamaktadır; bu nedenle {year} "
            "yılında bu hedef için bütçe ayrılmamış görünmektedir.",
        ]
        if marker in _MARKER_SENTENCE:
            lines.append(_MARKER_SENTENCE[marker]["tr"])
        lines += [
            "",
            f"Bu hedefin {year} programına neden alınmadığı ile hangi yıl ve hangi bütçeyle hayata geçirilmesinin "
            "planlandığı konusunda bilgi vermenizi ve hedefin bir sonraki performans programına alınmasını "
            "değerlendirmenizi saygılarımızla rica ederiz.",
            "",
            "Saygılarımızla,",
        ]
    if source:
        lines += ["", source]
    return "\n".join(lines)
