"""Indicator proposals (guide Q15): for every indicator that counts people without saying women or
men, the sex-disaggregated pair to propose, grouped by responsible directorate, as DOCX and XLSX.

The pairs are the analysis's (``indicator_kinds.proposal_women`` / ``proposal_men``); this module
selects them for a plan or a program year and writes the files a CSO takes to each directorate in
May–June, when the next performance program is prepared.
"""

from __future__ import annotations

import pandas as pd

from app import data, i18n
from app.docx import Doc, plain_xlsx_bytes

TEXTS: dict[str, dict[str, str]] = {
    "pr_intro": {
        "tr": "Rehberin 15. sorusu: kişi sayan ama kadın / erkek ayrımı yapmayan her gösterge için önerilecek "
              "cinsiyete göre ayrıştırılmış gösterge çifti, sorumlu müdürlüğe göre. Bir sonraki performans "
              "programı Mayıs–Haziran'da hazırlanır: dosyayı o zaman müdürlüğe götürün.",
        "en": "The guide's question 15: for every indicator that counts people without saying women / men, the "
              "sex-disaggregated pair to propose, by responsible directorate. The next performance program is "
              "prepared in May–June: take the file to the directorate then."},
    "pr_source": {"tr": "Göstergeler", "en": "Indicators"},
    "pr_source_plan": {"tr": "Stratejik plan {a}–{b}", "en": "Strategic plan {a}–{b}"},
    "pr_source_program": {"tr": "Performans programı {y}", "en": "Performance program {y}"},
    "pr_none": {"tr": "Bu seçimde kişi sayan ve cinsiyet ayrımı yapmayan gösterge yok.",
                "en": "No indicator in this selection counts people without telling women and men apart."},
    "pr_metric": {"tr": "Önerilecek gösterge çifti", "en": "Pairs to propose"},
    "pr_metric_units": {"tr": "Müdürlük", "en": "Directorates"},
    "pr_unit_unknown": {"tr": "(sorumlu birim belirtilmemiş)", "en": "(no responsible unit given)"},
    "pr_col_unit": {"tr": "Sorumlu birim", "en": "Responsible directorate"},
    "pr_col_code": {"tr": "Gösterge kodu", "en": "Indicator code"},
    "pr_col_objective": {"tr": "Stratejik hedef", "en": "Objective"},
    "pr_col_pg": {"tr": "Performans hedefi", "en": "Performance goal"},
    "pr_col_current": {"tr": "Mevcut gösterge", "en": "Current indicator"},
    "pr_col_unit_of": {"tr": "Birim", "en": "Unit"},
    "pr_col_women": {"tr": "Önerilen: kadın", "en": "Proposed: women"},
    "pr_col_men": {"tr": "Önerilen: erkek", "en": "Proposed: men"},
    "pr_col_document": {"tr": "Kaynak belge", "en": "Source document"},
    "pr_col_page": {"tr": "Sayfa", "en": "Page"},
    "pr_download_docx": {"tr": "Word (DOCX) indir", "en": "Download Word (DOCX)"},
    "pr_download_xlsx": {"tr": "Excel (XLSX) indir", "en": "Download Excel (XLSX)"},
    "pr_doc_title": {"tr": "{name}: cinsiyete göre ayrıştırılmış gösterge önerileri",
                     "en": "{name}: proposals for sex-disaggregated indicators"},
    "pr_doc_intro": {
        "tr": "{source} içinde kişi sayan ancak kadın ve erkekleri ayrı saymayan {n} gösterge bulunmaktadır. "
              "Hizmetlerin kadınlara ve erkeklere nasıl ulaştığının izlenebilmesi için, bir sonraki performans "
              "programında bu göstergelerin her birinin yerine (ya da yanına) aşağıdaki iki göstergenin "
              "konmasını öneriyoruz. Her satır, göstergenin basıldığı belge ve sayfayı gösterir.",
        "en": "{source} has {n} indicators that count people but do not count women and men apart. So that "
              "it can be seen how services reach women and men, we propose that the next performance program "
              "replace (or complement) each of them with the two indicators below. Each row gives the document "
              "and page where the indicator is printed."},
    "pr_doc_unit": {"tr": "Sorumlu birim: {unit} ({n} gösterge)", "en": "Responsible directorate: {unit} ({n} indicators)"},
    "pr_doc_source_line": {"tr": "Kaynak: {doc}, s. {page}", "en": "Source: {doc}, p. {page}"},
    "pr_doc_footer": {
        "tr": "İzlek ile hazırlanmıştır: göstergeler belediyenin yayımladığı belgelerden okunmuş, öneriler "
              "CSO rehberinin 15. sorusuna göre oluşturulmuştur.",
        "en": "Prepared with İzlek: the indicators were read from the municipality's published documents, the "
              "proposals follow question 15 of the CSO guide."},
}
i18n.register(TEXTS)


def _tr(lang: str):
    def tr(key: str, **fmt: object) -> str:
        entry = i18n.TEXTS[key]
        return entry.get(lang, entry["tr"]).format(**fmt)
    return tr


def sources(mid: str) -> list[tuple[str, int, int | None]]:
    """What proposals can be made for: ("program", year, None) newest first, then ("plan", start, end)."""
    prog = data.query("select distinct year from indicator_kinds where municipality_id = ? and source_kind = "
                      "'program' order by year desc", [mid])
    plan = data.query("select distinct plan_start, plan_end from gender_scorecard where municipality_id = ? "
                      "order by plan_start desc", [mid])
    return ([("program", int(y), None) for y in prog["year"]]
            + [("plan", int(a), int(b)) for a, b in zip(plan["plan_start"], plan["plan_end"], strict=True)])


def source_label(source: tuple[str, int, int | None], lang: str) -> str:
    kind, a, b = source
    return _tr(lang)("pr_source_program", y=a) if kind == "program" else _tr(lang)("pr_source_plan", a=a, b=b)


def proposals(mid: str, source: tuple[str, int, int | None]) -> pd.DataFrame:
    """One row per people-counting indicator that names neither sex, with its pair, by directorate."""
    kind, a, _ = source
    cond = "k.year = ?" if kind == "program" else "k.plan_start = ?"
    return data.query(
        f"""select k.responsible_unit, k.indicator_code, k.objective_code, k.performance_goal_code,
                   k.indicator_name, k.unit, k.proposal_women, k.proposal_men,
                   coalesce(d.file_name, k.source_document_id) as document, k.source_page as page
            from indicator_kinds k left join documents d on d.document_id = k.source_document_id
            where k.municipality_id = ? and k.source_kind = ? and {cond} and k.proposal_women is not null
            order by k.responsible_unit nulls last, k.objective_code, k.indicator_code""", [mid, kind, a])


def _unit(value: object, lang: str) -> str:
    return value if isinstance(value, str) and value.strip() else _tr(lang)("pr_unit_unknown")


def table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The proposals with columns named in ``lang`` (for the page, the XLSX and the CSV)."""
    tr = _tr(lang)
    return pd.DataFrame({
        tr("pr_col_unit"): [_unit(u, lang) for u in df["responsible_unit"]],
        tr("pr_col_code"): df["indicator_code"], tr("pr_col_objective"): df["objective_code"],
        tr("pr_col_pg"): df["performance_goal_code"], tr("pr_col_current"): df["indicator_name"],
        tr("pr_col_unit_of"): df["unit"], tr("pr_col_women"): df["proposal_women"],
        tr("pr_col_men"): df["proposal_men"], tr("pr_col_document"): df["document"],
        tr("pr_col_page"): df["page"].astype("Int64")})


def docx_bytes(df: pd.DataFrame, municipality: str, source: tuple[str, int, int | None], lang: str) -> bytes:
    """The proposals as a Word document: an introduction, then one section per directorate."""
    tr = _tr(lang)
    doc = Doc(tr("pr_doc_title", name=municipality))
    doc.para(tr("pr_doc_intro", source=source_label(source, lang), n=len(df)))
    for unit, part in df.groupby(df["responsible_unit"].map(lambda u: _unit(u, lang)), sort=True):
        doc.heading(tr("pr_doc_unit", unit=unit, n=len(part)), 2)
        doc.table([tr("pr_col_code"), tr("pr_col_current"), tr("pr_col_women"), tr("pr_col_men"),
                   tr("pr_col_document"), tr("pr_col_page")],
                  [(r.indicator_code, r.indicator_name, r.proposal_women, r.proposal_men, r.document,
                    "" if pd.isna(r.page) else int(r.page)) for r in part.itertuples()])
    doc.para()
    doc.para(tr("pr_doc_footer"))
    return doc.bytes()


def xlsx_bytes(df: pd.DataFrame, municipality: str, source: tuple[str, int, int | None], lang: str) -> bytes:
    """The proposals as one plain-text sheet (no cell is a formula)."""
    return plain_xlsx_bytes({f"{municipality} {source_label(source, lang)}": table(df, lang)})
