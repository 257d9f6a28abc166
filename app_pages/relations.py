"""Warehouse page: every table and view of the warehouse with its row count, what a row is and its
columns (descriptions from etl/schema.py), and the whole warehouse as DuckDB or Parquet files."""

import streamlit as st

from app import data, ui
from app.i18n import t
from app.views import warehouse as wh

if ui.page_setup("warehouse_title"):
    path = data.warehouse_path()
    try:
        relations = data.list_relations(path)
    except Exception as error:  # a corrupt or locked file is shown to the reader, not raised
        st.error(t("wh_unreadable", path=path, error=ui.md_escape(error)))
        relations = None
    if relations is not None:
        st.caption(t("wh_caption", path=path, n=len(relations)))
        if not relations:
            st.warning(t("wh_empty"))
        else:
            st.markdown(t("wh_intro"))
            row = st.container(horizontal=True)
            row.download_button(t("wh_download_duckdb"), data=lambda: wh.duckdb_bytes(path),
                                file_name="izlek-warehouse.duckdb", mime="application/octet-stream",
                                key="wh-duckdb", on_click="ignore", icon=":material/database:")
            row.download_button(t("wh_download_parquet"), data=lambda: wh.parquet_zip(path),
                                file_name="izlek-warehouse-parquet.zip", mime="application/zip", key="wh-parquet",
                                on_click="ignore", icon=":material/folder_zip:")
            # Counts with the language's separators, and "–" where a view could not be counted.
            # "One row per" is a sentence (up to ~90 characters): a column wide enough for half of it and
            # rows tall enough for three lines, the height from which Streamlit's grid wraps cell text
            # (wh.WRAP_ROW_HEIGHT); one line cut it at 1400 px and at phone width.
            table, config = ui.number_display(wh.relations_table(relations), {
                "relation": st.column_config.TextColumn(t("wh_col_relation"), width=wh.RELATION_WIDTH),
                "kind": t("wh_col_kind"), "rows": t("wh_col_rows"),
                "grain": st.column_config.TextColumn(t("wh_col_grain"), width=wh.GRAIN_WIDTH),
                "public": st.column_config.CheckboxColumn(t("wh_col_public")),
                "columns": st.column_config.TextColumn(t("wh_col_columns"), width="large")})
            st.dataframe(table, hide_index=True, key="wh-relations", column_config=config,
                         row_height=wh.WRAP_ROW_HEIGHT, height=36 + 8 * wh.WRAP_ROW_HEIGHT)  # header + 8 rows
            names = [r.name for r in relations]
            chosen = st.selectbox(t("wh_relation"), names, placeholder=t("choose_one"), key="wh-relation")
            st.subheader(t("wh_columns_of", rel=chosen))
            st.dataframe(wh.columns_table(relations[names.index(chosen)]), hide_index=True, key="wh-columns",
                         row_height=wh.WRAP_ROW_HEIGHT,
                         column_config={"column": t("wh_col_column"), "type": t("wh_col_type"),
                                        "doc": st.column_config.TextColumn(t("wh_col_doc"), width="large")})
