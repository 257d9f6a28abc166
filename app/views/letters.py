"""Documents ready to send, as DOCX in Turkish or English (guide Q13, Q16, Q19).

* the **left-out objective letter** to the responsible directorate, copy to the council's equality
  committee (its text is the Left-out page's :func:`app.views.left_out.letter`, one owner);
* a **bilgi edinme** request under Law 4982 asking whether named gender-related activities of a
  program year were carried out and their budgets spent;
* a **cooperation offer** for one objective of the plan.

Each cites the plan, program, pages and figures it rests on, and ends with the sender's block:
organisation, address, contact, signatory and date, as the user typed them on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app import data, i18n
from app.docx import Doc
from app.views import left_out as lo_view

KINDS = ("left_out", "info_request", "cooperation")
MAX_ACTIVITIES = 12

TEXTS: dict[str, dict[str, str]] = {
    "lt_intro": {
        "tr": "Belediyeye gönderilmeye hazır Word belgeleri. Kuruluşunuzun adını, adresini, imzalayacak kişiyi ve "
              "tarihi yazın, belgeyi seçin, indirin; gerekirse Word'de düzeltip imzalayın.",
        "en": "Word documents ready to send to the municipality. Fill in your organisation, address, signatory "
              "and date, pick the document, download it; edit and sign it in Word if needed."},
    "lt_kind": {"tr": "Belge", "en": "Document"},
    "lt_kind_left_out": {"tr": "Programa alınmayan hedef mektubu", "en": "Left-out objective letter"},
    "lt_kind_info_request": {"tr": "Bilgi edinme başvurusu (4982)", "en": "Information request (Law 4982)"},
    "lt_kind_cooperation": {"tr": "İş birliği teklifi", "en": "Cooperation offer"},
    "lt_doc_lang": {"tr": "Belgenin dili", "en": "Language of the document"},
    "lt_sender": {"tr": "Gönderen", "en": "Sender"},
    "lt_org": {"tr": "Kuruluşun adı", "en": "Organisation"},
    "lt_address": {"tr": "Adres", "en": "Address"},
    "lt_contact": {"tr": "E-posta / telefon", "en": "E-mail / phone"},
    "lt_signatory": {"tr": "İmzalayan (ad soyad, unvan)", "en": "Signatory (name, title)"},
    "lt_date": {"tr": "Tarih", "en": "Date"},
    "lt_offer": {"tr": "Neler sunabilirsiniz?", "en": "What can you offer?"},
    "lt_objective": {"tr": "Stratejik hedef", "en": "Objective"},
    "lt_activities": {"tr": "Sorulacak faaliyetler (en çok {n})", "en": "Activities to ask about (at most {n})"},
    "lt_no_left_out": {"tr": "{year} programına alınmayan hedef yok.", "en": "No objective was left out of {year}."},
    "lt_no_activities": {"tr": "{year} programında cinsiyetle ilgili faaliyet yok.",
                         "en": "No gender-related activity in the {year} program."},
    "lt_no_objectives": {"tr": "Bu belediye için stratejik plan hedefi yok.",
                         "en": "No strategic plan objective for this municipality."},
    "lt_download": {"tr": "Word (DOCX) indir", "en": "Download Word (DOCX)"},
    "lt_preview": {"tr": "Önizleme", "en": "Preview"},
    "lt_cites": {"tr": "Dayanılan belgeler", "en": "Documents cited"},
    "lt_cite_line": {"tr": "{doc}, s. {pages}", "en": "{doc}, p. {pages}"},
    "lt_signature": {"tr": "İmza", "en": "Signature"},
    "lt_blank": {"tr": "…", "en": "…"},
    "lt_default_offer": {
        "tr": "hedefin göstergelerinin izlenmesine, kadınlara ulaşılmasına ve faaliyetlerin duyurulmasına "
              "gönüllü destek; saha bilgimizi paylaşmak; ortak etkinlik düzenlemek",
        "en": "volunteer support in monitoring the objective's indicators, reaching women and publicising the "
              "activities; sharing what we know from the field; organising joint events"},
}
i18n.register(TEXTS)


@dataclass
class Sender:
    """What the user fills in on the page."""

    organisation: str = ""
    address: str = ""
    contact: str = ""
    signatory: str = ""
    date: str = ""


def _tr(lang: str):
    def tr(key: str, **fmt: object) -> str:
        entry = i18n.TEXTS[key]
        return entry.get(lang, entry["tr"]).format(**fmt)
    return tr


def _money(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    s = f"{float(value):,.2f}"
    if lang == "tr":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{s} TL"


def _sender_block(doc: Doc, sender: Sender, lang: str) -> None:
    tr = _tr(lang)
    blank = tr("lt_blank")
    doc.para()
    doc.para(sender.organisation or f"{tr('lt_org')}: {blank}", bold=True)
    doc.para(sender.signatory or f"{tr('lt_signatory')}: {blank}")
    doc.para(f"{tr('lt_signature')}: ______________________")
    doc.para(f"{tr('lt_address')}: {sender.address or blank}")
    doc.para(f"{tr('lt_contact')}: {sender.contact or blank}")


def _cites(doc: Doc, cites: list[tuple[str, list[int] | str]], lang: str) -> None:
    """The documents a letter rests on, each with its pages (a list, or a range already written)."""
    tr = _tr(lang)
    doc.heading(tr("lt_cites"), 3)
    doc.bullets(tr("lt_cite_line", doc=d, pages=pages if isinstance(pages, str)
                   else ", ".join(str(p) for p in sorted(set(pages)))) for d, pages in cites)


def _file_name(document_id: object) -> str | None:
    if not isinstance(document_id, str):
        return None
    df = data.query("select file_name from documents where document_id = ?", [document_id])
    return df["file_name"].iloc[0] if not df.empty else document_id


def _program_document(mid: str, year: int) -> tuple[str | None, list[int]]:
    """The year's PP file name and the pages its activities are printed on."""
    df = data.query("select source_document_id as d, list(distinct source_page order by source_page) as pages "
                    "from activities where municipality_id = ? and year = ? group by 1 order by 1 limit 1",
                    [mid, year])
    if df.empty:
        return None, []
    return _file_name(df["d"].iloc[0]), [int(p) for p in df["pages"].iloc[0]]


# ----------------------------------------------------------------------------- left-out letter

def left_out_options(mid: str, year: int) -> pd.DataFrame:
    """The year's left-out objectives, gender-related first (the Left-out page's order)."""
    return lo_view.left_out(mid, year)


def left_out_docx(objective: dict, municipality: str, mid: str, year: int, sender: Sender, lang: str) -> bytes:
    """The left-out letter as DOCX: the Left-out page's text, the program it is missing from, the sender."""
    tr = _tr(lang)
    women = lo_view.women_units(mid)
    text = lo_view.letter(objective, municipality, year, lang, women)
    head, _, body = text.partition("\n\n")
    doc = Doc()
    doc.para(sender.date or tr("lt_blank"), right=True)
    doc.para(head)
    doc.lines(body)
    _sender_block(doc, sender, lang)
    cites = []
    if objective.get("source_document") and not pd.isna(objective.get("source_page")):
        cites.append((str(objective["source_document"]), [int(objective["source_page"])]))
    pp, pages = _program_document(mid, year)
    if pp:
        # The program's activity tables, where the objective would have appeared.
        cites.append((pp, f"{pages[0]}–{pages[-1]}" if len(pages) > 1 else str(pages[0])))
    _cites(doc, cites, lang)
    return doc.bytes()


# ----------------------------------------------------------------------------- bilgi edinme (4982)

def gender_activities(mid: str, year: int) -> pd.DataFrame:
    """The year's activities marked principal or significant, principal and larger budgets first,
    with what the year's activity report says was spent (when it does)."""
    return data.query(
        """select a.activity_id, a.activity_name, a.performance_goal_code, a.objective_code, a.responsible_unit,
                  a.gender_marker, a.budget, a.total, coalesce(d.file_name, a.source_document_id) as document,
                  a.source_page as page
           from activities a left join documents d on d.document_id = a.source_document_id
           where a.municipality_id = ? and a.year = ? and a.gender_marker >= 1
           order by a.gender_marker desc, a.total desc nulls last, a.activity_id""", [mid, year])


def info_request_docx(activities: pd.DataFrame, municipality: str, year: int, sender: Sender, lang: str) -> bytes:
    """A request under Law 4982 (Bilgi Edinme Hakkı Kanunu): were these activities carried out, how much
    of their budget was spent, how many women and men they reached."""
    tr = _tr(lang)
    doc = Doc()
    doc.para(sender.date or tr("lt_blank"), right=True)
    acts = activities.head(MAX_ACTIVITIES)
    if lang == "en":
        doc.para(f"To: {municipality}, Information Request Unit (Bilgi Edinme Birimi)")
        doc.para(f"Subject: Request for information under Law No. 4982 on the Right to Information — gender-related "
                 f"activities of the {year} Performance Program", bold=True)
        doc.para("Dear Sir or Madam,")
        doc.para(f"Under Law No. 4982 on the Right to Information, we request the following information on the "
                 f"activities below, which {municipality}'s {year} Performance Program lists with the resources "
                 f"shown:")
        header = ["#", "Activity", "Performance goal", "Directorate", "Resources in the program", "Page"]
        questions = [
            "Was each activity carried out in the year? If not, why not?",
            "How much of each activity's budget was spent (TL), and from which economic codes?",
            "How many women and how many men did each activity reach (numbers by sex)?",
        ]
        closing = ("We ask that the information be provided within the period set in Article 11 of Law No. 4982 "
                   "(15 working days), in writing or electronically to the address below.")
        sign_off = "Yours sincerely,"
    else:
        doc.para(f"{municipality} Bilgi Edinme Birimine")
        doc.para(f"Konu: 4982 sayılı Bilgi Edinme Hakkı Kanunu kapsamında bilgi talebi — {year} Performans "
                 "Programı'ndaki toplumsal cinsiyet eşitliğiyle ilgili faaliyetler", bold=True)
        doc.para("Sayın Yetkili,")
        doc.para(f"4982 sayılı Bilgi Edinme Hakkı Kanunu uyarınca, {municipality} {year} yılı Performans "
                 "Programı'nda aşağıdaki kaynaklarla yer alan faaliyetlere ilişkin aşağıdaki bilgileri talep "
                 "ediyoruz:")
        header = ["#", "Faaliyet", "Performans hedefi", "Sorumlu birim", "Programdaki kaynak", "Sayfa"]
        questions = [
            "Her faaliyet yıl içinde gerçekleştirildi mi? Gerçekleştirilmediyse nedeni nedir?",
            "Her faaliyetin bütçesinin ne kadarı harcandı (TL), hangi ekonomik kodlardan?",
            "Her faaliyet kaç kadına ve kaç erkeğe ulaştı (cinsiyete göre sayılar)?",
        ]
        closing = ("Bilgilerin, 4982 sayılı Kanunun 11. maddesinde belirtilen süre (15 iş günü) içinde yazılı "
                   "olarak ya da aşağıdaki adrese elektronik ortamda tarafımıza verilmesini rica ederiz.")
        sign_off = "Saygılarımızla,"
    doc.table(header, [(i, r.activity_name, r.performance_goal_code, r.responsible_unit, _money(r.total, lang),
                        "" if pd.isna(r.page) else int(r.page)) for i, r in enumerate(acts.itertuples(), start=1)])
    doc.para()
    doc.bullets(questions)
    doc.para(closing)
    doc.para(sign_off)
    _sender_block(doc, sender, lang)
    # Law 4982 art. 6: a legal person applies with its title and address, signed by an authorised
    # person, with the document of that authority attached.
    doc.para("Annex: document of the signatory's authority (for an association or foundation)" if lang == "en"
             else "Ek: İmzalayanın yetki belgesi (dernek ya da vakıf adına başvuruda)")
    pages: dict[str, list[int]] = {}
    for r in acts.itertuples():
        if isinstance(r.document, str) and not pd.isna(r.page):
            pages.setdefault(r.document, []).append(int(r.page))
    _cites(doc, list(pages.items()), lang)
    return doc.bytes()


# ----------------------------------------------------------------------------- cooperation offer

def objectives(mid: str) -> pd.DataFrame:
    """Objectives of the municipality's latest plan, gender-related first."""
    return data.query(
        """select o.objective_code, o.printed_code, o.objective_title, o.responsible_unit, o.gender_marker,
                  o.plan_start, o.plan_end, coalesce(d.file_name, o.source_document_id) as source_document,
                  o.source_page
           from objectives o left join documents d on d.document_id = o.source_document_id
           where o.municipality_id = ? and o.plan_start = (select max(plan_start) from objectives
                                                           where municipality_id = ?)
           order by o.gender_marker desc nulls last, o.objective_code""", [mid, mid])


def objective_indicators(mid: str, plan_start: int, objective_code: str) -> pd.DataFrame:
    """The objective's indicators with their baseline and the plan's final-year target."""
    return data.query(
        """select i.indicator_code, i.indicator_name, i.unit, i.baseline_value,
                  (select v.value from indicator_values v where v.municipality_id = i.municipality_id
                     and v.indicator_code = i.indicator_code and v.kind = 'plan_target'
                     and v.year between i.plan_start and i.plan_end order by v.year desc limit 1) as final_target,
                  i.source_page as page
           from indicators i where i.municipality_id = ? and i.plan_start = ? and i.objective_code = ?
           order by i.indicator_code""", [mid, plan_start, objective_code])


def _figure(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    s = f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "tr" else s


def cooperation_docx(objective: dict, indicators: pd.DataFrame, municipality: str, offer: str, sender: Sender,
                     lang: str) -> bytes:
    """A cooperation offer for one objective: what the plan promises (indicators, targets) and what we offer."""
    tr = _tr(lang)
    code, title = objective.get("objective_code") or "", objective.get("objective_title") or ""
    unit = objective.get("responsible_unit") or "–"
    plan = f"{int(objective['plan_start'])}–{int(objective['plan_end'])}"
    offer = offer.strip() or tr("lt_default_offer")
    doc = Doc()
    doc.para(sender.date or tr("lt_blank"), right=True)
    if lang == "en":
        doc.para(f"To: {unit}, {municipality}")
        doc.para(f"Cc: {lo_view.EQUALITY_COMMITTEE['en']}")
        doc.para(f"Subject: Offer of cooperation on objective {code} of the {plan} Strategic Plan", bold=True)
        doc.para("Dear Sir or Madam,")
        doc.para(f"{municipality}'s {plan} Strategic Plan sets objective {code}, \"{title}\", with {unit} "
                 "responsible. The plan measures it with the indicators below:")
        header = ["Code", "Indicator", "Unit", "Baseline", f"Target ({objective['plan_end']})", "Page"]
        doc.table(header, [(r.indicator_code, r.indicator_name, r.unit, _figure(r.baseline_value, lang),
                            _figure(r.final_target, lang), "" if pd.isna(r.page) else int(r.page))
                           for r in indicators.itertuples()])
        doc.para()
        doc.para(f"As {sender.organisation or 'an organisation working in the district'}, we would like to "
                 f"contribute to reaching this objective. We can offer: {offer}.")
        doc.para("We would welcome a meeting to discuss how we could work together, and how women's and men's "
                 "needs can be counted apart in the objective's indicators.")
        doc.para("Yours sincerely,")
    else:
        doc.para(f"{municipality} {unit}")
        doc.para(f"Bilgi: {lo_view.EQUALITY_COMMITTEE['tr']}")
        doc.para(f"Konu: {plan} Stratejik Planı {code} hedefi için iş birliği teklifi", bold=True)
        doc.para("Sayın Yetkili,")
        doc.para(f"{municipality} {plan} Stratejik Planı'nda sorumlusu {unit} olan {code} \"{title}\" hedefi yer "
                 "almaktadır. Plan bu hedefi aşağıdaki göstergelerle izlemektedir:")
        header = ["Kod", "Gösterge", "Birim", "Başlangıç", f"Hedef ({objective['plan_end']})", "Sayfa"]
        doc.table(header, [(r.indicator_code, r.indicator_name, r.unit, _figure(r.baseline_value, lang),
                            _figure(r.final_target, lang), "" if pd.isna(r.page) else int(r.page))
                           for r in indicators.itertuples()])
        doc.para()
        doc.para(f"{sender.organisation or 'Kuruluşumuz'} olarak bu hedefe ulaşılmasına katkı sunmak istiyoruz. "
                 f"Sunabileceklerimiz: {offer}.")
        doc.para("Nasıl birlikte çalışabileceğimizi ve hedefin göstergelerinde kadınların ve erkeklerin "
                 "ihtiyaçlarının nasıl ayrı izlenebileceğini görüşmek için bir toplantı talep ediyoruz.")
        doc.para("Saygılarımızla,")
    _sender_block(doc, sender, lang)
    pages = [int(p) for p in indicators["page"].dropna()]
    if not pd.isna(objective.get("source_page")):
        pages.append(int(objective["source_page"]))
    _cites(doc, [(str(objective.get("source_document")), pages)] if pages else [], lang)
    return doc.bytes()
