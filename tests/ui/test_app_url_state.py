"""Values in a shared link the app cannot use are named in a warning, never silently replaced
(AppTest through the real router, opened as a deep link)."""

from __future__ import annotations

import pytest

from tests.conftest import run_page


def _warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


@pytest.mark.parametrize(("page", "query", "named"), [
    ("overview.py", {"m": "doesnotexist"}, ["doesnotexist", "m="]),
    ("gender_budget.py", {"m": "ilginkoy", "y": "abc", "view": "foo"}, ["abc", "y=", "foo", "view="]),
    ("left_out.py", {"m": "ilginkoy", "y": "2030"}, ["2030", "y="]),
    ("compare.py", {"ms": ["x", "ilginkoy", "ilginkoy", "serinyurt"]}, ["x", "birden çok"]),
])
def test_ignored_url_values_are_named(sample_warehouse, page, query, named):
    at = run_page(page, query, deep_link=True)
    assert not at.exception, at.exception
    text = _warnings(at)
    for part in named:
        assert part in text, text


def test_a_valid_link_shows_its_municipality_and_language(sample_warehouse):
    at = run_page("left_out.py", {"m": "serinyurt", "lang": "en"}, deep_link=True)
    assert not at.exception, at.exception
    assert not at.warning
    assert at.title[0].value == "Objectives left out"
    assert at.sidebar.selectbox(key="m").value == "serinyurt"
    assert any(m.value.startswith("**Serinyurt") for m in at.markdown)  # whose figures, under the title
