"""Gender scorecard of a strategic plan (guide Q14): six answers, each with its verdict and evidence."""

import streamlit as st

from app import ui, url_state
from app.i18n import lang, t
from app.views import scorecard as sc

PCT = st.column_config.NumberColumn(format="%.1f %%")

if ui.page_setup("scorecard_title"):
    mid = ui.select_municipality()
    plans = sc.plans(mid) if mid else []
    if mid and not plans:
        st.info(t("sc_no_plan"))
    elif mid:
        url_state.seed("sp", plans)
        if st.session_state.get("sp") not in plans:
            st.session_state.pop("sp", None)
        plan = st.sidebar.selectbox(t("sc_plan"), plans, format_func=lambda p: f"{p}–{p + 4}", placeholder=t("choose_one"), key="sp",
                                    persist_state="session")
        url_state.sync("sp", plan, default=plans[0])
        card = sc.card(mid, plan)
        name = ui.municipalities().set_index("municipality_id").loc[mid, "name"]
        st.caption(t("sc_intro"))
        st.metric(t("sc_score"), f"{card['score']:g} / {len(sc.QUESTIONS)}", help=t("sc_score_help"))
        for q in sc.QUESTIONS:
            answer = card[f"{q}_answer"]
            with st.container(border=True):
                st.markdown(f"**{t(f'sc_q_{q}')}**")
                st.badge(t(f"sc_answer_{answer}"), icon=sc.ANSWER_ICONS[answer], color=sc.ANSWER_COLOURS[answer])
                # The verdict quotes unit names from the documents: escaped, never Markdown.
                st.markdown(sc.md_escape(sc.verdict(q, card, lang())))
                ev = sc.evidence(mid, plan, q)
                if not ev.empty:
                    with st.expander(t("sc_evidence", n=len(ev))):
                        ui.show_table(ev, f"{name} {plan} {t(f'sc_short_{q}')}", key=f"sc-ev-{q}", column_config={
                            "item_kind": t("sc_col_kind"), "item_code": t("sc_col_code"),
                            "item_name": st.column_config.TextColumn(t("sc_col_name"), width="medium"),
                            "detail": t("sc_col_detail"), "year": st.column_config.NumberColumn(t("sc_col_year"),
                                                                                                 format="%d"),
                            "value": t("sc_col_value"), "document": t("sc_col_document"),
                            "page": st.column_config.NumberColumn(t("sc_col_page"), format="%d"),
                            "open": st.column_config.LinkColumn(t("sc_col_open"), display_text=t("sc_open_page"))})
        st.subheader(t("sc_ranking"), help=t("sc_ranking_help"))
        table = sc.ranking_table(sc.ranking(), lang())
        ui.show_table(table, t("sc_ranking"), key="sc-ranking", column_config={
            c: PCT for c in (t("sc_col_share"), t("sc_col_principal"), t("sc_col_significant"))})
        ui.report_pack_button(f"scorecard-{mid}-{plan}")
