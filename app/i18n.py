"""Interface language: Turkish by default, English by a switch (``?lang=en`` in the URL).

Texts live in one dict per key; a page asks ``t("key")``. Numbers are formatted the Turkish
way in Turkish (1.250.000,00) and the English way in English.
"""

from __future__ import annotations

import streamlit as st

LANGS = {"tr": "Türkçe", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"tr": "İzlek", "en": "İzlek"},
    "language": {"tr": "Dil", "en": "Language"},
    "municipality": {"tr": "Belediye", "en": "Municipality"},
    "municipalities": {"tr": "Belediyeler", "en": "Municipalities"},
    "year": {"tr": "Yıl", "en": "Year"},
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
}


def register(texts: dict[str, dict[str, str]]) -> None:
    """Add a page's texts (each page's view module registers its own, so pages never collide)."""
    TEXTS.update(texts)


def lang_from_url() -> None:
    """On a session's first run, take ``?lang=`` before anything is drawn (the router's menu
    is drawn before the page's language switch)."""
    if "_lang" not in st.session_state and st.query_params.get("lang") in LANGS:
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
