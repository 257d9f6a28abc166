"""İzlek dashboard entry point: a thin router; every page is a script under pages/.

Run it with ``streamlit run dashboard.py`` (``bash scripts/start.sh`` does, after building the
warehouse). Adding a page is one line in ``PAGES``. The Tag review page is hidden when the app
runs read-only (``IZLEK_READ_ONLY=1``).
"""

import os
from pathlib import Path

import streamlit as st

from app.i18n import t
from app.views import upload as upload_page

PAGES_DIR = Path(__file__).resolve().parent / "pages"
READ_ONLY = os.environ.get("IZLEK_READ_ONLY", "").strip().lower() in ("1", "true", "yes")


def _page(file: str, title_key: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(PAGES_DIR / file, title=t(title_key), icon=icon, default=default, url_path=file[:-3])


PAGES = {
    t("municipality"): [
        _page("overview.py", "overview_title", ":material/dashboard:", default=True),
        _page("gender_budget.py", "gender_budget_title", ":material/payments:"),
        _page("left_out.py", "left_out_title", ":material/playlist_remove:"),
        _page("achievement.py", "achievement_title", ":material/insights:"),
    ],
    t("municipalities"): [_page("compare.py", "compare_title", ":material/compare_arrows:")],
    t("sources_title"): [
        _page("sources.py", "sources_title", ":material/description:"),
        *([] if READ_ONLY else [_page("tag_review.py", "tag_review_title", ":material/label:")]),
        *([_page("upload.py", "upload_title", ":material/upload_file:")] if upload_page.enabled() else []),
        _page("relations.py", "warehouse_title", ":material/database:"),
    ],
}

st.set_page_config(page_title="İzlek", page_icon=":material/query_stats:", layout="wide")
st.navigation(PAGES).run()
