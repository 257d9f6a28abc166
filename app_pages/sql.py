"""SQL query: one read-only SELECT on the warehouse, with example queries, a row limit and a time limit."""

import streamlit as st

from app import ui
from app.i18n import t
from app.views import sql

if ui.page_setup("sql_title"):
    st.caption(t("sql_intro", rows=sql.ROW_LIMIT, secs=f"{sql.TIME_LIMIT_S:g}"))
    examples = list(sql.EXAMPLES)

    def _use_example() -> None:
        st.session_state["sql-text"] = sql.EXAMPLES[st.session_state["sql-example"]]

    st.selectbox(t("sql_example"), examples, format_func=t, placeholder=t("choose_one"), key="sql-example", on_change=_use_example)
    st.session_state.setdefault("sql-text", sql.EXAMPLES[examples[0]])
    with st.form("sql-form"):
        text = st.text_area(t("sql_query"), key="sql-text", height=180)
        submitted = st.form_submit_button(t("sql_run"), icon=":material/play_arrow:", type="primary")
    if submitted or "sql-result" not in st.session_state:
        try:
            st.session_state["sql-result"] = sql.run(text)
        except sql.QueryRefused as refused:
            st.session_state["sql-result"] = refused
    result = st.session_state["sql-result"]
    if isinstance(result, sql.QueryRefused):
        st.error(t(result.key, **result.fmt))
    else:
        st.caption(t("sql_rows", n=len(result.frame), secs=f"{result.seconds:.2f}"))
        if result.truncated:
            st.warning(t("sql_truncated", n=sql.ROW_LIMIT))
        ui.show_table(result.frame, t("sql_result"), key="sql-result-table")
