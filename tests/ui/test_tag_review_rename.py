"""An override saved on the Tag review page carries the item's name: when a re-issued document
gives the same key to a renamed item, the build reports the override instead of applying it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app import data, overrides
from etl.build import build
from tests.conftest import REPO
from tests.fixtures.sample.content import build_corpus
from tests.fixtures.sample.render import render_plan

NEW_TITLE = "Park ve bahçelerin bakım ve onarımını yapmak"


def _plan_pdf(path, rename: str | None = None):
    """One real strategic plan PDF of the synthetic sample; its first objective renamed if asked."""
    m = build_corpus()[0]
    plan = m.plans[-1]
    if rename:
        plan.objectives[0].title = rename
    path.parent.mkdir(parents=True, exist_ok=True)
    render_plan(m, plan, path)
    return m, plan


def _objective_tag(wh, key: str) -> dict:
    # Through app.data, which reconnects when the build swaps the file: a plain duckdb.connect
    # in this process would get the instance the page still holds open, i.e. the old file.
    (row,) = data.query("select * from gender_tags where item_kind = 'objective' and item_key = ?", [key],
                        path=wh).to_dict("records")
    return row


def _tag_review() -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/tag_review.py").run()
    assert not at.exception, at.exception
    return at


def test_a_renamed_item_reports_the_override_and_leaves_its_marker(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    m, plan = _plan_pdf(raw / "m" / "plan.pdf")
    wh, csv = tmp_path / "w.duckdb", tmp_path / "gender_overrides.csv"
    build(raw, wh, overrides_path=csv)
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(wh))
    monkeypatch.setenv("IZLEK_OVERRIDES", str(csv))
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    key = f"{plan.start}:{plan.objectives[0].code}"
    old = _objective_tag(wh, key)
    new_marker = 0 if old["marker"] != 0 else 1

    # The user corrects the objective's marker on the page, as a person would.
    at = _tag_review()
    (editor,) = at.data_editor
    row = next(i for i, k in enumerate(editor.value["item_key"]) if k == key)
    at.session_state[editor.key] = {"edited_rows": {row: {"new_marker": new_marker, "note": "el ile"}},
                                    "added_rows": [], "deleted_rows": []}
    next(b for b in at.button if b.label == "Değişiklikleri kaydet").click().run()
    assert not at.exception, at.exception
    (saved,) = overrides.read(csv)
    assert saved["item_key"] == key and saved["item_name"] == old["item_name"] == plan.objectives[0].title

    # Applied while the name is the same.
    build(raw, wh, overrides_path=csv)
    tag = _objective_tag(wh, key)
    assert tag["tag_source"] == "override" and tag["marker"] == new_marker

    # A re-issued plan renames the objective that had that code: reported, not applied.
    _plan_pdf(raw / "m" / "plan.pdf", rename=NEW_TITLE)
    report = build(raw, wh, overrides_path=csv)
    tag = _objective_tag(wh, key)
    assert tag["item_name"] == NEW_TITLE
    assert tag["tag_source"] == "rule" and tag["marker"] == tag["rule_marker"] != new_marker
    (issue,) = [i for i in report.issues if "not applied" in i["message"]]
    assert str(csv) in issue["message"] and key in issue["message"] and NEW_TITLE[:40] in issue["message"]
    assert overrides.read(csv) == [saved]  # the user's row is kept for them to correct

    # The page says why the override is not in the warehouse.
    at = _tag_review()
    pending = next(d.value for d in at.dataframe if "warehouse_marker" in d.value.columns)
    assert list(pending["status"]) == ["öğe adı değişti, uygulanmadı"]
