"""Indicator proposals (guide Q15): sex-disaggregated pairs by directorate, as DOCX and XLSX."""

import streamlit as st

from app import ui, url_state
from app.i18n import lang, t
from app.views import proposals as pr

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

if ui.page_setup("proposals_title"):
    mid = ui.select_municipality()
    options = pr.sources(mid) if mid else []
    if mid and not options:
        st.info(t("pr_none"))
    elif mid:
        codes = {f"{k}-{a}": (k, a, b) for k, a, b in options}
        url_state.seed("src", list(codes))
        if st.session_state.get("src") not in codes:
            st.session_state.pop("src", None)
        code = st.sidebar.selectbox(t("pr_source"), list(codes), placeholder=t("choose_one"), key="src", persist_state="session",
                                    format_func=lambda c: pr.source_label(codes[c], lang()))
        url_state.sync("src", code, default=list(codes)[0])
        source = codes[code]
        name = ui.municipalities().set_index("municipality_id").loc[mid, "name"]
        st.caption(t("pr_intro"))
        df = pr.proposals(mid, source)
        if df.empty:
            st.info(t("pr_none"))
        else:
            c1, c2 = st.columns(2)
            c1.metric(t("pr_metric"), len(df))
            c2.metric(t("pr_metric_units"), df["responsible_unit"].fillna("").nunique())
            stem = ui.slug(f"{name} {pr.source_label(source, lang())} {t('proposals_title')}")
            row = st.container(horizontal=True)
            row.download_button(t("pr_download_docx"), data=lambda: pr.docx_bytes(df, name, source, lang()),
                                file_name=f"{stem}.docx", mime=DOCX_MIME, key="pr-docx", on_click="ignore",
                                icon=":material/description:")
            row.download_button(t("pr_download_xlsx"), data=lambda: pr.xlsx_bytes(df, name, source, lang()),
                                file_name=f"{stem}.xlsx", mime=XLSX_MIME, key="pr-xlsx", on_click="ignore",
                                icon=":material/table:")
            table = pr.table(df, lang())
            st.dataframe(table, hide_index=True, key="pr-table", column_config={
                t("pr_col_current"): st.column_config.TextColumn(width="large"),
                t("pr_col_women"): st.column_config.TextColumn(width="large"),
                t("pr_col_men"): st.column_config.TextColumn(width="large")})
        ui.report_pack_button(f"proposals-{mid}-{code}")
