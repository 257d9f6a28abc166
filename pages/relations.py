"""Warehouse page: every table and view of the warehouse with its row count and columns.

What the ETL has loaded, for analysts who want to query the warehouse themselves.
"""

import pandas as pd
import streamlit as st

from app import data, ui
from app.i18n import register, t

register({
    "wh_caption": {"tr": "`{path}` · {n} ilişki (tablo ve görünüm)", "en": "`{path}` · {n} relations (tables and views)"},
    "wh_unreadable": {"tr": "Veri ambarı `{path}` okunamadı: {error}", "en": "Could not read the warehouse `{path}`: {error}"},
    "wh_empty": {"tr": "Veri ambarında tablo ya da görünüm yok. `python -m etl build` ile yeniden derleyin.",
                 "en": "The warehouse has no tables or views. Rebuild it with `python -m etl build`."},
    "wh_col_relation": {"tr": "İlişki", "en": "Relation"}, "wh_col_kind": {"tr": "Tür", "en": "Kind"},
    "wh_col_rows": {"tr": "Satır", "en": "Rows"}, "wh_col_columns": {"tr": "Sütunlar", "en": "Columns"},
    "wh_kind_table": {"tr": "tablo", "en": "table"}, "wh_kind_view": {"tr": "görünüm", "en": "view"},
    "wh_count_failed": {"tr": "sayılamadı", "en": "could not be counted"},
})

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
            # Raw names in the frame (analysts query them), the headers in the interface language.
            st.dataframe(
                pd.DataFrame({
                    "relation": [r.name for r in relations],
                    "kind": [t(f"wh_kind_{r.kind}") for r in relations],
                    "rows": pd.array([r.row_count for r in relations], dtype="Int64"),
                    "columns": [", ".join(r.columns) for r in relations],
                }),
                hide_index=True,
                column_config={"relation": t("wh_col_relation"), "kind": t("wh_col_kind"),
                               "rows": st.column_config.NumberColumn(t("wh_col_rows"), format="%d"),
                               "columns": t("wh_col_columns")},
            )
