"""İzlek dashboard entry point: a thin router; every page is a script under app_pages/.

Run it with ``streamlit run dashboard.py`` (``bash scripts/start.sh`` does, after building the
warehouse). Adding a page is one line in ``PAGES``. The Tag review page is hidden when the app
runs read-only, which is the default (``IZLEK_READ_ONLY=0`` allows writing; see app/settings.py).

The menu is drawn by ``ui.finish_page`` after the page ran, not by ``st.navigation``: Streamlit's
own menu drops the query string, so the first click after a shared link showed the default
municipality in the default language; these links carry ``m``, ``lang`` and ``y``.

The folder is not called ``pages/`` on purpose: Streamlit treats a ``pages/`` folder beside the
entry script as a legacy multipage app until some session has called ``st.navigation``, so on a
fresh ``streamlit run dashboard.py`` a shared deep link ran the page file without this router and
the menu listed the file names ("gender budget", "left out") in both languages.
"""

from pathlib import Path

import streamlit as st

from app import ui
from app.i18n import lang_from_url, t
from app.settings import read_only
from app.views import upload as upload_page

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"
READ_ONLY = read_only()


def _page(file: str, title_key: str, icon: str, default: bool = False) -> st.Page:
    # The default page is served at "/"; its own path is never shown.
    return st.Page(PAGES_DIR / file, title=t(title_key), icon=icon, default=default,
                   url_path="home" if default else file[:-3])


def _overview_alias() -> None:
    """``/overview?…`` (a natural link to the default page) lands on the Overview at ``/``."""
    st.switch_page(PAGES_DIR / "overview.py", query_params=st.query_params.to_dict())


lang_from_url()

alias = st.Page(_overview_alias, title=t("overview_title"), url_path="overview", visibility="hidden")
alias._izlek_hidden = True  # reachable by address, not listed in the menu
PAGES = {
    t("municipality"): [
        _page("overview.py", "overview_title", ":material/dashboard:", default=True),
        _page("gender_budget.py", "gender_budget_title", ":material/payments:"),
        _page("budget.py", "budget_title", ":material/account_balance:"),
        _page("left_out.py", "left_out_title", ":material/playlist_remove:"),
        _page("achievement.py", "achievement_title", ":material/insights:"),
        _page("scorecard.py", "scorecard_title", ":material/fact_check:"),
    ],
    t("act"): [
        _page("proposals.py", "proposals_title", ":material/wc:"),
        _page("letters.py", "letters_title", ":material/mail:"),
        _page("calendar.py", "calendar_title", ":material/calendar_month:"),
    ],
    t("municipalities"): [_page("compare.py", "compare_title", ":material/compare_arrows:")],
    t("sources_title"): [
        _page("sources.py", "sources_title", ":material/description:"),
        *([] if READ_ONLY else [_page("tag_review.py", "tag_review_title", ":material/label:")]),
        *([_page("upload.py", "upload_title", ":material/upload_file:")] if upload_page.enabled() else []),
        _page("relations.py", "warehouse_title", ":material/database:"),
        _page("sql.py", "sql_title", ":material/terminal:"),
        alias,
    ],
}

st.set_page_config(page_title="İzlek", page_icon=":material/query_stats:", layout="wide")
current = st.navigation(PAGES, position="hidden")
menu = st.sidebar.container()
st.session_state["_context"] = {}  # a page without page_setup must not inherit the last page's line
try:
    current.run()
finally:
    ui.finish_page(menu, PAGES)
