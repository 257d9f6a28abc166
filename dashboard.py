"""İzlek dashboard entry point: a thin router; every page is a script under pages/.

Run it with ``streamlit run dashboard.py`` (``bash scripts/start.sh`` does, after building the
warehouse). Adding a page is one line in ``PAGES``.
"""

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent / "pages"

# Section label → pages. Paths are absolute so the app runs from any working directory.
PAGES = {
    "Veri": [
        st.Page(PAGES_DIR / "relations.py", title="Warehouse", icon=":material/database:", default=True),
    ],
}

st.set_page_config(page_title="İzlek", page_icon=":material/query_stats:", layout="wide")
st.navigation(PAGES).run()
