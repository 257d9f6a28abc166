"""AppTest for every page of the dashboard on a warehouse built from the embedded sample."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import TEXTS
from tests.conftest import REPO, run_page

TITLE_KEYS = {"overview.py": "overview_title", "gender_budget.py": "gender_budget_title",
              "left_out.py": "left_out_title", "achievement.py": "achievement_title", "compare.py": "compare_title",
              "sources.py": "sources_title", "tag_review.py": "tag_review_title"}
# The upload page is registered only when configured with a password (tests/ui/test_upload.py).
OPTIONAL_PAGES = {"upload.py"}
PAGES = sorted(p.name for p in (REPO / "app_pages").glob("*.py") if p.name not in OPTIONAL_PAGES)


def _run(page: str, query: dict[str, str] | None = None) -> AppTest:
    return run_page(page, query)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["tr", "en"])
def test_every_page_runs_in_both_languages(sample_warehouse, page, lang):
    at = _run(page, {"lang": lang})
    assert not at.exception, at.exception
    assert at.title, page
    key = TITLE_KEYS.get(page)
    if key:  # ?lang= in the URL really switches the language
        assert at.title[0].value == TEXTS[key][lang]


def test_overview_shows_headline_and_documents(sample_warehouse):
    at = _run("overview.py")
    at.sidebar.selectbox(key="m").select("ilginkoy").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert any("2026" in label for label in labels), labels
    assert len(at.dataframe) == 2
    docs = at.dataframe[1].value
    assert len(docs) == 11 and set(docs["status"]) == {"Tamam"}  # the code, translated


def test_overview_follows_the_municipality_selector(sample_warehouse):
    # URL binding itself (?m=…) is a browser feature; tests/ui/test_browser.py checks the round trip.
    at = _run("overview.py")
    at.sidebar.selectbox(key="m").select("serinyurt").run()
    assert not at.exception
    docs = at.dataframe[1].value
    assert len(docs) == 11 and all(f.startswith("serinyurt_") for f in docs["file_name"])


def test_english_switch_translates_the_page(sample_warehouse):
    at = _run("overview.py")
    assert at.title[0].value == "Genel bakış"
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview"


def test_empty_state_without_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(tmp_path / "none.duckdb"))
    at = _run("overview.py")
    assert not at.exception
    assert "python -m etl build" in at.info[0].value


def test_municipality_comes_from_the_url_by_its_id(sample_warehouse):
    at = _run("overview.py", {"m": "serinyurt", "lang": "en"})
    assert at.sidebar.selectbox(key="m").value == "serinyurt"
    assert all(f.startswith("serinyurt_") for f in at.dataframe[1].value["file_name"])
    at.sidebar.selectbox(key="m").select("ilginkoy").run()
    assert at.query_params["m"] == "ilginkoy" and at.query_params["lang"] == "en"


def test_dashboard_router_runs(sample_warehouse):
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    assert not at.exception


# Codes the warehouse stores that a reader must never see as such (each has a translation).
RAW_CODES = {"strategic_plan", "performance_program", "activity_report", "ok", "partial", "failed", "error",
             "warning", "lattice", "stream", "none", "code", "rule", "pp_goal_card", "pp_activities",
             "pp_indicators", "sp_goal_list", "sp_scorecard", "fr_results", "fr_activity_costs", "met", "not_met",
             "no_data", "appropriation", "initial_appropriation", "spent", "None", "nan", "NaN",
             *(k.removeprefix("check_") for k in TEXTS if k.startswith("check_"))}
# The ETL's English sentences that the interface re-says in Turkish.
ENGLISH_MESSAGE = re.compile(r"^page \d+: a table headed|tables? on \d+ pages?|not recogni[sz]ed$")


# The menu's titles (dashboard.py), in order, and the whole interface's texts that differ between the
# languages: one of them shown in the other language is an untranslated string.
MENU_KEYS = ["overview_title", "gender_budget_title", "budget_title", "left_out_title", "achievement_title",
             "scorecard_title", "proposals_title", "letters_title", "calendar_title", "compare_title",
             "sources_title", "tag_review_title", "warehouse_title", "sql_title"]


def _other_language(lang: str) -> set[str]:
    """Texts of the interface (and of the Warehouse page's descriptions) in the language not chosen."""
    from app.views import warehouse as wh

    other = "en" if lang == "tr" else "tr"
    texts = {v[other] for v in TEXTS.values() if v.get(other) and v[other] != v.get(lang) and len(v[other]) > 3}
    if lang == "tr":  # etl/schema.py's English where the page has Turkish for it
        texts |= {en for en, tr in wh.TURKISH.items() if en != tr and len(en) > 3}
        texts |= {en for tr, en in wh.UNDESCRIBED.values() if en != tr}
    return texts


def _page_texts(at: AppTest) -> list[str]:
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "subheader", "header", "title"):
        texts += [e.value for e in at.get(kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [e.proto.label for e in at.get("expandable")]
    return texts


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["tr", "en"])
def test_no_raw_code_or_none_on_any_page(sample_warehouse, page, lang):
    at = _run(page, {"lang": lang, "m": "ilginkoy"})
    assert not at.exception, at.exception
    for text in _page_texts(at):
        assert "None" not in text.split(), (page, text)
    other = _other_language(lang)
    menu = [link.proto.label for link in at.sidebar.get("page_link") if link.proto.page_script_hash]
    # The sidebar: every page by its title in the chosen language, in the router's order.
    assert [m for m in menu if m in {TEXTS[k][lang] for k in MENU_KEYS}] == [TEXTS[k][lang] for k in MENU_KEYS], menu
    for text in _page_texts(at) + menu:
        assert text not in other, (page, lang, text)
    for frame in at.dataframe:
        df = frame.value
        headers = [c.get("label") for c in json.loads(frame.proto.columns or "{}").values() if isinstance(c, dict)]
        assert not set(headers) & other, (page, lang, set(headers) & other)
        for col in df.columns:
            if df[col].dtype == object:
                shown = {v for v in df[col].dropna() if isinstance(v, str)}
                assert not shown & RAW_CODES, (page, col, shown & RAW_CODES)
                assert "None" not in shown, (page, col)
                if lang == "tr":
                    english = [v for v in shown if ENGLISH_MESSAGE.search(v)] + sorted(shown & other)
                    assert not english, (page, col, english[:3])


# Streamlit's own English placeholder ("Choose an option", "Choose options") shows whenever a
# selector is emptied or searched; every selector names its own in the interface language.
PLACEHOLDER_FAULTS: dict[str, str] = {}  # page → why it still shows Streamlit's own placeholder


@pytest.mark.parametrize("page", [pytest.param(p, marks=pytest.mark.xfail(reason=PLACEHOLDER_FAULTS[p], strict=True))
                                  if p in PLACEHOLDER_FAULTS else p for p in PAGES])
def test_every_selector_has_a_placeholder_in_the_language(sample_warehouse, page):
    for lang in ("tr", "en"):
        at = _run(page, {"lang": lang, "m": "ilginkoy"})
        assert not at.exception, at.exception
        wanted = {TEXTS["choose_one"][lang], TEXTS["choose_many"][lang]}
        for kind in ("selectbox", "multiselect"):
            for widget in at.get(kind):
                assert widget.proto.placeholder in wanted, (page, lang, widget.proto.label, widget.proto.placeholder)


@pytest.mark.parametrize("page", ["gender_budget.py", "compare.py", "achievement.py"])
def test_percent_sign_before_the_number_in_turkish_charts(sample_warehouse, page):
    """Hover templates and axes follow the switch: "%60" in Turkish, never "60%" beside it."""
    import json

    at = _run(page, {"m": "ilginkoy"})
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert charts, page
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        axes = [v for k, v in spec["layout"].items() if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict)]
        assert not [a for a in axes if a.get("ticksuffix") == "%"], (page, axes)
        for trace in spec["data"]:
            template = trace.get("hovertemplate") or ""
            assert not re.search(r"%\{[^}]*\}%", template), (page, template)


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_warehouse_grain_wraps_whole_in_its_column(sample_warehouse, lang):
    """"One row per" was cut after ~30 characters at 1400 px: its rows are tall enough for Streamlit's
    grid to wrap text (more than 4rem, 64 px) and its column holds the longest sentence in three lines
    (at 7.5 px a character, Source Sans at 14 px, 8 px padding each side)."""
    at = _run("relations.py", {"lang": lang})
    assert not at.exception, at.exception
    frame = at.dataframe[0]
    assert frame.proto.row_height > 64
    lines = (frame.proto.row_height - 8) // 21  # 21 px a line
    columns = json.loads(frame.proto.columns)
    label = TEXTS["wh_col_grain"][lang]
    grain = next(c for c in columns.values() if isinstance(c, dict) and c.get("label") == label)
    per_line = (grain["width"] - 16) / 7.5
    longest = max(frame.value[label if label in frame.value.columns else "grain"].map(len))
    assert longest <= lines * per_line, (longest, lines, per_line)


# The tooltips of plotly.js' toolbar on a 2D chart, as Chromium showed them on Gender budget.
MODEBAR_TITLES = ["Download plot as a PNG", "Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes"]


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_chart_toolbar_in_the_language(sample_warehouse, lang):
    """plotly.js speaks English ("Download plot as a PNG", "Zoom"…) unless the chart's config carries
    a locale: in Turkish every chart has one naming each toolbar button; in English none is needed."""
    at = _run("gender_budget.py", {"m": "ilginkoy", "lang": lang})
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert config["displaylogo"] is False
        if lang == "tr":
            assert config["locale"] == "tr"
            words = config["locales"]["tr"]["dictionary"]
            assert all(words.get(title) and words[title] != title for title in MODEBAR_TITLES), config
            assert config["locales"]["tr"]["format"]["shortMonths"][0] == "Oca"
        else:
            assert "locale" not in config


def test_every_code_the_warehouse_holds_has_a_translation(sample_warehouse):
    """A code column's value without a text stays raw on the page (the Budget page's sources showed
    "added" / "reduced" among "başlangıç ödeneği" in Turkish): every value of every code column
    (app.i18n.CODE_COLUMNS) in every relation of the sample warehouse has its text in both languages.
    ``detection`` is a message (app.i18n.document_message re-says it), not a code."""
    import duckdb

    from app.i18n import CODE_COLUMNS

    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        columns = con.execute("select table_name, column_name from information_schema.columns "
                              "where data_type = 'VARCHAR'").fetchall()
        missing = {}
        for table, column in columns:
            if column in CODE_COLUMNS and column != "detection":
                values = {v for (v,) in con.execute(f'select distinct "{column}" from "{table}"').fetchall() if v}
                lost = sorted(v for v in values if not {"tr", "en"} <= set(TEXTS.get(CODE_COLUMNS[column] + v, {})))
                if lost:
                    missing[f"{table}.{column}"] = lost
    finally:
        con.close()
    assert not missing, missing
