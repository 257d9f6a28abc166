"""Interface language: Turkish by default, English by a switch (``?lang=en`` in the URL).

Texts live in one dict per key; a page asks ``t("key")``. Numbers are formatted the Turkish
way in Turkish (1.250.000,00) and the English way in English.
"""

from __future__ import annotations

import re

import streamlit as st

LANGS = {"tr": "Türkçe", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"tr": "İzlek", "en": "İzlek"},
    "language": {"tr": "Dil", "en": "Language"},
    "municipality": {"tr": "Belediye", "en": "Municipality"},
    "municipalities": {"tr": "Belediyeler", "en": "Municipalities"},
    "year": {"tr": "Yıl", "en": "Year"},
    # Every selector's placeholder (shown when it is emptied or searched): Streamlit's own is English.
    "choose_one": {"tr": "Birini seçin", "en": "Choose one"},
    "choose_many": {"tr": "Seçin (birden çok olabilir)", "en": "Choose (one or more)"},
    "marker": {"tr": "Toplumsal cinsiyet etiketi", "en": "Gender marker"},
    "marker_2": {"tr": "Temel (2)", "en": "Principal (2)"},
    "marker_1": {"tr": "Önemli (1)", "en": "Significant (1)"},
    "marker_0": {"tr": "Hedeflenmemiş (0)", "en": "Not targeted (0)"},
    "no_warehouse": {
        "tr": "Henüz veri ambarı yok: `{path}` bulunamadı. PDF'leri `data/raw/<belediye>/` klasörüne koyup "
              "`python -m etl build` komutunu çalıştırın (`bash scripts/start.sh` bunu kendisi yapar).",
        "en": "No warehouse yet: `{path}` does not exist. Put the PDFs under `data/raw/<municipality>/` and run "
              "`python -m etl build` (`bash scripts/start.sh` does it for you)."},
    "no_municipality": {
        "tr": "Ambarda hiç belediye yok. `data/raw/` altına bir belediye klasörü ekleyip yeniden derleyin.",
        "en": "The warehouse has no municipality. Add a folder under `data/raw/` and build again."},
    "download_csv": {"tr": "CSV indir", "en": "Download CSV"},
    "download_xlsx": {"tr": "Excel indir", "en": "Download Excel"},
    "download_png": {"tr": "PNG", "en": "PNG"},
    "download_svg": {"tr": "SVG", "en": "SVG"},
    "download_pdf": {"tr": "PDF", "en": "PDF"},
    "prepare_image": {"tr": "Grafiği dosya olarak hazırla", "en": "Prepare chart files"},
    "no_chromium": {
        "tr": "Sunucuda Chromium bulunamadı; grafik dosyası sunucuda üretilemiyor. Grafiğin sağ üstündeki "
              "kamera simgesiyle tarayıcıdan PNG indirebilirsiniz.",
        "en": "No Chromium on the server, so chart files cannot be made here. Use the camera icon at the "
              "chart's top right to download a PNG from the browser."},
    "data_of_chart": {"tr": "Grafiğin verisi", "en": "Chart data"},
    "report_pack": {"tr": "Rapor paketi (Excel)", "en": "Report pack (Excel)"},
    "report_pack_help": {
        "tr": "Bu sayfadaki tüm tablolar (kaynak sütunlarıyla) ve grafikler tek bir Excel dosyasında.",
        "en": "Every table of this page (with source columns) and its charts in one Excel workbook."},
    "source": {"tr": "Kaynak", "en": "Source"},
    "overview_title": {"tr": "Genel bakış", "en": "Overview"},
    "gender_budget_title": {"tr": "Toplumsal cinsiyet bütçesi", "en": "Gender budget"},
    "left_out_title": {"tr": "Programa alınmayan hedefler", "en": "Objectives left out"},
    "achievement_title": {"tr": "Gösterge gerçekleşmesi", "en": "Indicator achievement"},
    "compare_title": {"tr": "Belediyeleri karşılaştır", "en": "Compare municipalities"},
    "sources_title": {"tr": "Kaynaklar", "en": "Sources"},
    "tag_review_title": {"tr": "Etiket incelemesi", "en": "Tag review"},
    "warehouse_title": {"tr": "Veri ambarı", "en": "Warehouse"},
    "scorecard_title": {"tr": "Cinsiyet eşitliği karnesi", "en": "Gender scorecard"},
    "proposals_title": {"tr": "Gösterge önerileri", "en": "Indicator proposals"},
    "letters_title": {"tr": "Gönderilecek belgeler", "en": "Documents to send"},
    "calendar_title": {"tr": "Savunuculuk takvimi", "en": "Advocacy calendar"},
    "sql_title": {"tr": "SQL sorgusu", "en": "SQL query"},
    "act": {"tr": "Harekete geç", "en": "Take action"},
    "gender_share_year": {"tr": "{year} cinsiyete duyarlı bütçe payı", "en": "{year} gender-related budget share"},
    "gender_share_help": {
        "tr": "Temel (2) ve önemli (1) etiketli faaliyetlerin toplam kaynak ihtiyacının (bütçe + bütçe dışı) "
              "tüm faaliyetlere oranı.",
        "en": "Total resources (budget + off-budget) of activities marked principal (2) or significant (1) "
              "over all activities."},
    "principal_significant": {"tr": "Temel: {p} · Önemli: {s}", "en": "Principal: {p} · Significant: {s}"},
    "left_out_year": {"tr": "{year} programına alınmayan hedef", "en": "Objectives left out of {year}"},
    "of_which_gender": {"tr": "{n} tanesi cinsiyetle ilgili", "en": "{n} gender-related"},
    "indicators_met_year": {"tr": "{year} hedefi tutturan gösterge", "en": "Indicators met in {year}"},
    "no_program": {"tr": "Bu belediye için performans programı yok.", "en": "No performance program for this municipality."},
    "plan_periods": {"tr": "Plan dönemleri", "en": "Plan periods"},
    "documents": {"tr": "Belgeler", "en": "Documents"},
    "freshness": {"tr": "Veri ambarı {when} tarihinde derlendi.", "en": "Warehouse built on {when}."},
    "empty_table": {"tr": "Bu seçim için veri yok.", "en": "No data for this selection."},
    "url_refused_unknown": {
        "tr": "Adresteki {what} değeri ({value}, `{param}=`) bu sayfada yok; yok sayıldı, seçicide görünen kullanılıyor.",
        "en": "The address's {what} value ({value}, `{param}=`) is not available here; it was ignored and the "
              "selector's value is used."},
    "url_refused_duplicate": {
        "tr": "Adreste {what} değeri ({value}, `{param}=`) birden çok kez var; bir kez sayıldı.",
        "en": "The address names the {what} value {value} (`{param}=`) more than once; it was counted once."},
    "choose": {"tr": "Seçin", "en": "Choose"},
    "lo_letters_sheet": {"tr": "{year} mektupları", "en": "{year} letters"},
    "col_source_link_help": {"tr": "Satırın okunduğu PDF sayfasını Kaynaklar'da açar (sayı: sayfa numarası).",
                             "en": "Opens the PDF page the row was read from on Sources (the number is the page)."},
    "budget_title": {"tr": "Bütçe ve gerçekleşme", "en": "Budget and execution"},
    "download_csv_excel": {"tr": "CSV (Excel)", "en": "CSV (Excel, Turkish)"},
    "download_csv_excel_help": {
        "tr": "Türkçe Excel'in çift tıklamayla açtığı biçim: alanlar arasında `;`, ondalık `,`.",
        "en": "What Excel set to Turkish opens by double-click: `;` between fields, `,` as decimal mark."},
    "download_csv_plain": {"tr": "CSV (UTF-8)", "en": "CSV (UTF-8)"},
    "download_csv_plain_help": {"tr": "Düz UTF-8: alanlar arasında `,`, ondalık `.` (R, Python, veri araçları).",
                                "en": "Plain UTF-8: `,` between fields, `.` as decimal mark (R, Python, data tools)."},
    "info_what": {"tr": "Ne", "en": "What"},
    "info_period": {"tr": "Dönem", "en": "Period"},
    "info_built": {"tr": "Veri ambarının derlendiği an", "en": "Warehouse built"},
    "info_made": {"tr": "Dosyanın hazırlandığı an", "en": "File made"},
    "info_documents": {"tr": "Kaynak belgeler", "en": "Source documents"},
    "info_pages": {"tr": "Kaynak sayfalar (belge: sayfalar)", "en": "Source pages (document: pages)"},
    "info_markers": {"tr": "Toplumsal cinsiyet etiketi", "en": "Gender marker"},
    "info_markers_text": {
        "tr": "2 = temel: faaliyetin asıl amacı toplumsal cinsiyet eşitliği; 1 = önemli: eşitlik önemli ama ikincil "
              "bir amaç; 0 = hedeflenmemiş. Temel ve önemli hiçbir zaman yalnızca toplamları olarak verilmez.",
        "en": "2 = principal: gender equality is the activity's main aim; 1 = significant: an important but "
              "secondary aim; 0 = not targeted. Principal and significant are never given only as their sum."},
    "info_tags": {"tr": "Etiket nasıl verilir", "en": "How tags are made"},
    "info_tags_text": {
        "tr": "Faaliyet, hedef ve gösterge adları İzlek'in toplumsal cinsiyet sözlüğüyle (etl/analysis) eşleştirilir; "
              "eşleşen terim ve gerekçe her satırda yazar. Etiket incelemesinde elle değiştirilen etiket bir sonraki "
              "derlemede uygulanır ve 'etiket kaynağı' sütununda görünür.",
        "en": "Activity, objective and indicator names are matched against İzlek's gender lexicon (etl/analysis); "
              "the matched term and the reason are on every row. A tag changed on Tag review is applied at the next "
              "build and shown in the 'tag source' column."},
    "info_formulas": {"tr": "Formüller", "en": "Formulas"},
    "info_formulas_text": {
        "tr": "Cinsiyete duyarlı pay = (temel + önemli) / tüm faaliyetler × 100, kaynak ihtiyacı (bütçe + bütçe dışı) "
              "üzerinden. Gerçekleşme = harcama / program × 100. Gösterge gerçekleşmesi = gerçekleşen / hedef × 100 "
              "(azalması istenen göstergede hedef / gerçekleşen × 100). Reel tutar = cari tutar × TÜFE(baz) / "
              "TÜFE(yıl).",
        "en": "Gender-related share = (principal + significant) / all activities × 100, on total resources (budget + "
              "off-budget). Execution = spent / program × 100. Indicator achievement = actual / target × 100 "
              "(target / actual × 100 for an indicator meant to decrease). Real amount = nominal × CPI(base) / "
              "CPI(year)."},
    "info_language": {"tr": "Dil", "en": "Language"},
}

# Columns that hold codes, and the text prefix that translates each value (``doc_type_strategic_plan``).
CODE_COLUMNS = {"doc_type": "doc_type_", "status": "status_", "severity": "severity_", "kind": "kind_",
                "flavor": "flavor_", "tag_source": "tag_source_", "matched_how": "matched_how_",
                "phase": "phase_", "detection": "detection_", "check_name": "check_"}

_CODES = {
    "doc_type_strategic_plan": ("Stratejik plan", "Strategic plan"),
    "doc_type_performance_program": ("Performans programı", "Performance program"),
    "doc_type_activity_report": ("Faaliyet raporu", "Activity report"),
    "doc_type_unknown": ("Bilinmiyor", "Unknown"),
    "status_ok": ("Tamam", "OK"), "status_partial": ("Kısmi", "Partial"), "status_failed": ("Başarısız", "Failed"),
    "status_met": ("Tuttu", "Met"), "status_not_met": ("Tutmadı", "Not met"), "status_no_data": ("Veri yok", "No data"),
    "severity_error": ("Hata", "Error"), "severity_warning": ("Uyarı", "Warning"), "severity_info": ("Bilgi", "Info"),
    "flavor_lattice": ("çizgili (lattice)", "ruled (lattice)"), "flavor_stream": ("çizgisiz (stream)", "unruled (stream)"),
    "flavor_network": ("çizgisiz (network)", "unruled (network)"), "flavor_hybrid": ("karma (hybrid)", "hybrid"),
    "tag_source_lexicon": ("sözlük", "lexicon"), "tag_source_override": ("elle düzeltme", "manual override"),
    "tag_source_document": ("belge", "document"), "tag_source_printed": ("belgede yazılı", "printed in document"),
    "matched_how_code": ("kodla", "by code"), "matched_how_title": ("başlıkla", "by title"),
    "matched_how_none": ("eşleşmedi", "not matched"), "matched_how_name": ("adla", "by name"),
    "phase_program": ("program", "program"), "phase_initial_appropriation": ("başlangıç ödeneği", "initial appropriation"),
    "phase_appropriation": ("yıl sonu ödeneği", "final appropriation"), "phase_spent": ("harcama", "spent"),
    "phase_added": ("eklenen ödenek", "added appropriation"), "phase_reduced": ("düşülen ödenek", "reduced appropriation"),
    # indicator_values.kind: which figure of an indicator a row is (shown among a page's rows on Sources)
    "kind_plan_target": ("hedeflenen değer (plan)", "target value (plan)"),
    "kind_program_target": ("hedeflenen değer (program)", "target value (program)"),
    "kind_reported_target": ("hedeflenen değer (faaliyet raporu)", "target value (activity report)"),
    "kind_actual": ("gerçekleşen değer", "actual value"),
    "kind_program_prior_actual": ("önceki yıl gerçekleşmesi (program)", "prior-year actual (program)"),
    "kind_program_estimate": ("yıl sonu tahmini (program)", "year-end estimate (program)"),
    "kind_sp_goal_list": ("SP amaç ve hedef listesi", "SP goal and objective list"),
    "kind_sp_scorecard": ("SP hedef kartı", "SP objective scorecard"),
    "kind_pp_goal_card": ("PP performans hedefi kartı", "PP performance goal card"),
    "kind_pp_activity_costs": ("PP faaliyet maliyetleri", "PP activity costs"),
    "kind_fr_results": ("FR performans sonuçları", "AR performance results"),
    "kind_fr_activity_costs": ("FR faaliyet maliyetleri", "AR activity costs"),
    "kind_pp_indicators": ("PP gösterge tablosu", "PP indicator table"),
    "kind_pp_activities": ("PP faaliyet tablosu", "PP activity table"),
    "kind_pp_summary": ("PP özet tablosu", "PP summary table"),
    "kind_pp_economic": ("PP ekonomik sınıflandırma", "PP economic classification"),
    "kind_fr_economic": ("FR bütçe gerçekleşmesi", "AR budget execution"),
    "kind_sp_cost": ("SP maliyet tablosu", "SP cost table"),
    "tag_source_rule": ("kural (sözlük)", "rule (lexicon)"),
    "kind_district": ("ilçe belediyesi", "district"), "kind_metropolitan": ("büyükşehir belediyesi", "metropolitan"),
    "kind_provincial": ("il belediyesi", "provincial"),
    # Validation checks (validation_issues.check_name), as etl/ names them.
    "check_table_not_recognised": ("tablo tanınmadı", "table not recognised"),
    "check_table_ambiguous": ("tablo türü belirsiz", "table kind ambiguous"),
    "check_column_not_found": ("sütun bulunamadı", "column not found"),
    "check_column_not_numeric": ("sütun sayı değil", "column not numeric"),
    "check_layout_file": ("yerleşim dosyası", "layout file"),
    "check_unparsed_number": ("okunamayan sayı", "unreadable number"),
    "check_objectives_without_scorecard": ("kartı olmayan hedefler", "objectives without a scorecard"),
    "check_scorecard_without_code": ("kodu olmayan hedef kartı", "scorecard without a code"),
    "check_scorecard_without_objective": ("hedefi olmayan kart", "scorecard without an objective"),
    "check_scorecard_without_indicators": ("göstergesi olmayan kart", "scorecard without indicators"),
    "check_indicator_code_mismatch": ("gösterge kodu uyuşmuyor", "indicator code mismatch"),
    "check_indicator_weights": ("gösterge ağırlıkları", "indicator weights"),
    "check_activities_sum_to_total": ("faaliyetler toplamı tutmuyor", "activities do not add up to the total"),
    "check_activities_sum_to_goal": ("faaliyetler hedef toplamını tutmuyor",
                                     "activities do not add up to the goal's total"),
    "check_activity_row_sum": ("faaliyet satırı toplamı tutmuyor", "activity row does not add up"),
    "check_rows_sum_to_total": ("satırlar toplamı tutmuyor", "rows do not add up to the total"),
    "check_economic_codes_sum_to_total": ("ekonomik kodlar toplamı tutmuyor",
                                          "economic codes do not add up to the total"),
    "check_total_not_read": ("toplam okunamadı", "total not read"),
    "check_program_sum_to_total": ("program GENEL TOPLAM'ı tutmuyor", "program does not add up to its GENEL TOPLAM"),
    "check_goal_share": ("kaynak payı toplamla uyuşmuyor", "share of resources does not match the totals"),
    "check_duplicate_goals": ("yinelenen amaç", "duplicate goal"),
    "check_duplicate_objectives": ("yinelenen hedef", "duplicate objective"),
    "check_duplicate_indicators": ("yinelenen gösterge", "duplicate indicator"),
    "check_duplicate_activities": ("yinelenen faaliyet", "duplicate activity"),
}
TEXTS.update({k: {"tr": tr, "en": en} for k, (tr, en) in _CODES.items()})

# Headers of columns no page labels itself (chart data, lookups), with their units.
_COLUMNS = {
    "year": ("Yıl", "Year"), "principal": ("Temel (2)", "Principal (2)"),
    "significant": ("Önemli (1)", "Significant (1)"), "gender_total": ("Temel + önemli", "Principal + significant"),
    "total": ("Toplam", "Total"), "share_pct": ("Pay (%)", "Share (%)"),
    "principal_program": ("Temel (2) program (TL)", "Principal (2) program (TL)"),
    "principal_spent": ("Temel (2) harcama (TL)", "Principal (2) spent (TL)"),
    "significant_program": ("Önemli (1) program (TL)", "Significant (1) program (TL)"),
    "significant_spent": ("Önemli (1) harcama (TL)", "Significant (1) spent (TL)"),
    "gender_execution_pct": ("Cinsiyete duyarlı gerçekleşme (%)", "Gender-related execution (%)"),
    "source_document_id": ("Belge kimliği", "Document id"), "source_document": ("Kaynak belge", "Source document"),
    "plan_start": ("Plan başlangıcı", "Plan start"), "plan_end": ("Plan sonu", "Plan end"),
    "source_page": ("Sayfa", "Page"), "document_id": ("Belge", "Document"),
    "municipality_id": ("Belediye kodu", "Municipality id"), "file_name": ("Dosya", "File"),
    "doc_type": ("Belge türü", "Document type"), "year_start": ("İlk yıl", "First year"),
    "year_end": ("Son yıl", "Last year"), "page_count": ("Sayfa sayısı", "Pages"),
    "tables_found": ("Bulunan tablo", "Tables found"), "rows_loaded": ("Yüklenen satır", "Rows loaded"),
    "status": ("Durum", "Status"), "message": ("Mesaj", "Message"), "detection": ("Tanıma", "Detection"),
    "sha256": ("SHA-256", "SHA-256"), "severity": ("Önem", "Severity"), "check_name": ("Kontrol", "Check"),
    "table_order": ("Tablo sırası", "Table no."), "kind": ("Tablo türü", "Table kind"),
    "flavor": ("Okuma yöntemi", "Reading method"), "page": ("Sayfa", "Page"), "last_page": ("Son sayfa", "Last page"),
    "n_rows": ("Satır", "Rows"), "n_cols": ("Sütun", "Columns"), "confidence": ("Güven", "Confidence"),
    "header": ("Başlık satırı", "Header row"), "economic_code": ("Ekonomik kod", "Economic code"),
    "label": ("Ad", "Label"), "amount": ("Tutar (TL)", "Amount (TL)"), "phase": ("Aşama", "Phase"),
    "program_amount": ("Program (TL)", "Program (TL)"),
    "initial_appropriation": ("Başlangıç ödeneği (TL)", "Initial appropriation (TL)"),
    "appropriation": ("Yıl sonu ödeneği (TL)", "Final appropriation (TL)"), "spent": ("Harcama (TL)", "Spent (TL)"),
    "execution_rate_pct": ("Gerçekleşme (%)", "Execution (%)"), "viewer": ("Kaynak sayfa", "Source page"),
    "municipality": ("Belediye", "Municipality"), "name": ("Ad", "Name"),
    "source_link": ("Kaynak sayfa ↗", "Source page ↗"),
}
TEXTS.update({f"col_{k}": {"tr": tr, "en": en} for k, (tr, en) in _COLUMNS.items()})


def register(texts: dict[str, dict[str, str]]) -> None:
    """Add a page's texts (each page's view module registers its own, so pages never collide)."""
    TEXTS.update(texts)


def lang_from_url() -> None:
    """Take ``?lang=`` from a link or a typed address before anything is drawn (the router's
    menu is drawn before the page's language switch)."""
    from app import url_state

    if st.query_params.get("lang") in LANGS and ("_lang" not in st.session_state or url_state.url_is_new("lang")):
        st.session_state["_lang"] = st.query_params["lang"]


def lang() -> str:
    """The current language code ("tr" or "en")."""
    # "_lang" is a plain session key, not the widget's: widget state is not yet restored when
    # a freshly switched page starts, the plain key always is.
    for value in (st.session_state.get("_lang"), st.session_state.get("lang")):
        if value in LANGS:
            return value
    return "tr"


def t(key: str, **fmt: object) -> str:
    """The text for ``key`` in the current language (the key itself when missing)."""
    entry = TEXTS.get(key)
    text = key if entry is None else entry.get(lang(), entry["tr"])
    return text.format(**fmt) if fmt else text


def language_switch() -> str:
    """The language selector in the sidebar, bound to ``?lang=`` in the URL."""
    from app import url_state

    url_state.seed("lang", list(LANGS))
    if st.session_state.get("lang") not in LANGS:
        st.session_state["lang"] = "tr"
    value = st.sidebar.segmented_control(t("language"), list(LANGS), format_func=LANGS.get, key="lang",
                                         required=True, persist_state="session")
    url_state.sync("lang", value, default="tr")
    previous = st.session_state.get("_lang")
    st.session_state["_lang"] = value if value in LANGS else lang()
    if previous is not None and previous != st.session_state["_lang"]:
        st.rerun()  # the router drew the menu before this widget: redraw it in the new language
    return st.session_state["_lang"]


def fmt_number(value: float | None, decimals: int = 0) -> str:
    """Format a number for display: "1.250.000,00" in Turkish, "1,250,000.00" in English."""
    if value is None or value != value:  # None or NaN
        return "–"
    s = f"{value:,.{decimals}f}"
    if lang() == "tr":
        s = s.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return s


def fmt_money(value: float | None) -> str:
    """Money in TL with the current language's separators."""
    return "–" if value is None or value != value else f"{fmt_number(value, 0)} TL"


def fmt_pct(value: float | None, decimals: int = 1) -> str:
    """A percentage ("%15,0" in Turkish, "15.0%" in English)."""
    if value is None or value != value:
        return "–"
    return f"%{fmt_number(value, decimals)}" if lang() == "tr" else f"{fmt_number(value, decimals)}%"


# The ETL writes its document messages in English ("24 tables on 24 pages, 523 rows; 1 tables not
# recognised"); each part it is known to write is re-said from its numbers in the interface language.
# A part no pattern knows is shown as written (the ETL's wording may grow).
_MESSAGE_PARTS = [
    (re.compile(r"^(\d+) tables? on (\d+) pages?, (\d+) rows?$"),
     {"tr": "{0} tablo ({1} sayfada), {2} satır", "en": "{0} tables on {1} pages, {2} rows"}),
    (re.compile(r"^(\d+) tables? not recogni[sz]ed$"),
     {"tr": "{0} tablo tanınmadı", "en": "{0} tables not recognised"}),
    (re.compile(r"^title on page (\d+)$"), {"tr": "başlık sayfası {0}", "en": "title on page {0}"}),
]


# Whole messages (they hold "; " inside, and document text): the header is the document's words.
_WHOLE_MESSAGES = [
    (re.compile(r"^page (\d+): a table headed '(.*)' is none of the kinds İzlek reads; it was not read$", re.S),
     {"tr": "sayfa {0}: başlığı '{1}' olan tablo İzlek'in okuduğu tablo türlerinin hiçbirine uymuyor; okunmadı",
      "en": "page {0}: a table headed '{1}' is none of the kinds İzlek reads; it was not read"}),
    (re.compile(r"^page (\d+): a table headed '(.*)' looks like (\w+) but its header lacks (.*); it was not read$",
                re.S),
     {"tr": "sayfa {0}: başlığı '{1}' olan tablo bir {2} gibi görünüyor ama başlığında şu yok: {3}; okunmadı",
      "en": "page {0}: a table headed '{1}' looks like a {2} but its header lacks {3}; it was not read"}),
]


def document_message(message: object) -> object:
    """An ETL message in the interface language, part by part ("; " between parts)."""
    if not isinstance(message, str):
        return message
    for pattern, texts in _WHOLE_MESSAGES:
        found = pattern.match(message.strip())
        if found:
            groups = list(found.groups())
            if len(groups) > 2:  # a table kind's code, said in the language
                groups[2] = t(f"kind_{groups[2]}") if f"kind_{groups[2]}" in TEXTS else groups[2]
            return texts.get(lang(), texts["tr"]).format(*groups)
    parts = []
    for part in message.split("; "):
        for pattern, texts in _MESSAGE_PARTS:
            found = pattern.match(part.strip())
            if found:
                part = texts.get(lang(), texts["tr"]).format(*found.groups())
                break
        parts.append(part)
    return "; ".join(parts)
