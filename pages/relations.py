"""Warehouse page: every table and view of the warehouse with its row count and columns.

What the ETL has loaded, for analysts who want to query the warehouse themselves.
"""

import pandas as pd
import streamlit as st

from app import data
from app.i18n import language_switch, t

language_switch()
st.title(t("warehouse_title"))
path = data.warehouse_path()

if not data.warehouse_exists(path):
    st.info(
        f"No warehouse yet: `{path}` does not exist.\n\n"
        "Put the PDFs under `data/raw/<municipality_id>/` and build it with "
        "`python -m etl build` (`bash scripts/start.sh` builds it before starting the dashboard)."
    )
    st.stop()

try:
    relations = data.list_relations(path)
except Exception as error:  # a corrupt or locked file is shown to the reader, not raised
    st.error(f"Could not read the warehouse `{path}`: {error}")
    st.stop()

st.caption(f"`{path}` · {len(relations)} relations")
if not relations:
    st.warning("The warehouse has no tables or views. Rebuild it with `python -m etl build`.")
    st.stop()

st.dataframe(
    pd.DataFrame(
        {
            "relation": [r.name for r in relations],
            "kind": [r.kind for r in relations],
            "rows": pd.array([r.row_count for r in relations], dtype="Int64"),
            "columns": [", ".join(r.columns) for r in relations],
        }
    ),
    hide_index=True,
)
