"""The Tag review page (AppTest through the router) and app/overrides.py (unit)."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from app import overrides
from etl.analysis.marker import read_overrides
from tests.conftest import REPO, run_page

FIELDS_LINE = "municipality_id,item_kind,item_key,marker,note,date"


@pytest.fixture
def csv_path(tmp_path, monkeypatch):
    """The overrides file of this test (never data/gender_overrides.csv), writable."""
    path = tmp_path / "overrides" / "gender_overrides.csv"
    monkeypatch.setenv("IZLEK_OVERRIDES", str(path))
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    return path


def _run(lang: str = "tr") -> AppTest:
    return run_page("tag_review.py", lang=lang, deep_link=True)


def _editor(at: AppTest):
    (editor,) = at.data_editor
    return editor


def _edit_and_save(at: AppTest, edits: dict[int, dict]) -> AppTest:
    """Edit rows of the marker table (by position) and press Save, as a user would."""
    at.session_state[_editor(at).key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    save = next(b for b in at.button if b.label in ("Değişiklikleri kaydet", "Save changes"))
    return save.click().run()


# --- the page -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "title", "save"), [("tr", "Etiket incelemesi", "Değişiklikleri kaydet"),
                                                     ("en", "Tag review", "Save changes")])
def test_page_runs_in_both_languages(sample_warehouse, csv_path, lang, title, save):
    at = _run(lang)
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert save in [b.label for b in at.button]
    assert not csv_path.exists()  # looking writes nothing


def test_every_tag_of_the_municipality_with_reason_and_source(sample_warehouse, csv_path):
    at = _run()
    tags = _editor(at).value
    assert len(tags) == 322  # altinsogut: 28 objectives + 88 indicators + 206 activities in the sample
    assert set(tags["item_kind"]) == {"objective", "indicator", "activity"}
    assert set(tags["tag_source"]) == {"rule"}
    assert {"item_name", "marker", "reason", "matched_terms", "rule_marker", "new_marker", "note"} <= set(tags.columns)
    assert (tags["new_marker"] == tags["marker"]).all()
    caption = next(c.value for c in at.caption if "öğe:" in c.value)
    n2, n1 = (tags["marker"] == 2).sum(), (tags["marker"] == 1).sum()
    assert f"{n2} temel (2), {n1} önemli (1)" in caption


def test_filters_narrow_the_table(sample_warehouse, csv_path):
    at = _run()
    at.pills(key="kind").set_value(["indicator"]).run()
    at.pills(key="mk").set_value([2]).run()
    assert not at.exception
    tags = _editor(at).value
    assert len(tags) > 0 and set(tags["item_kind"]) == {"indicator"} and set(tags["marker"]) == {2}


def test_saving_a_marker_writes_the_override_file(sample_warehouse, csv_path):
    at = _run()
    first = _editor(at).value.iloc[0]
    new = 2 if first["marker"] != 2 else 0
    at = _edit_and_save(at, {0: {"new_marker": new, "note": "kadın danışma\nmerkezi"}})
    assert not at.exception, at.exception
    assert any("python -m etl build" in s.value for s in at.success)
    rows = overrides.read(csv_path)
    assert rows == [{"municipality_id": "altinsogut", "item_kind": first["item_kind"], "item_key": first["item_key"],
                     "marker": str(new), "note": "kadın danışma merkezi", "date": dt.date.today().isoformat(),
                     "item_name": first["item_name"]}]
    # The ETL reads what the page wrote, and the page lists it as pending until the next build.
    parsed, problems = read_overrides(csv_path)
    assert problems == [] and parsed[("altinsogut", first["item_kind"], first["item_key"])]["marker"] == new
    pending = next(d.value for d in at.dataframe if "warehouse_marker" in d.value.columns)
    assert list(pending["status"]) == ["bekliyor"]
    # The editor starts from the pending value now.
    assert _editor(at).value.iloc[0]["new_marker"] == new


def test_saving_again_updates_the_row_and_remove_deletes_it(sample_warehouse, csv_path):
    at = _run()
    at = _edit_and_save(at, {1: {"new_marker": 2, "note": "first"}})
    at = _edit_and_save(at, {1: {"new_marker": 1, "note": "second"}})
    rows = overrides.read(csv_path)
    assert len(rows) == 1 and rows[0]["marker"] == "1" and rows[0]["note"] == "second"
    key = (rows[0]["item_kind"], rows[0]["item_key"])
    at.multiselect(key="remove").select(key).run()
    next(b for b in at.button if b.label == "Seçili düzeltmeleri kaldır").click().run()
    assert not at.exception
    assert overrides.read(csv_path) == []


def test_saving_without_changes_writes_nothing(sample_warehouse, csv_path):
    at = _run()
    save = next(b for b in at.button if b.label == "Değişiklikleri kaydet")
    at = save.click().run()
    assert not at.exception
    assert any("Değişiklik yok" in i.value for i in at.info)
    assert not csv_path.exists()


def test_read_only_hides_the_page_and_refuses_it_by_url(sample_warehouse, csv_path, monkeypatch):
    monkeypatch.setenv("IZLEK_READ_ONLY", "1")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    with pytest.raises(Exception):  # noqa: B017 - not in the navigation at all
        at.switch_page("app_pages/tag_review.py").run()
    # Opened directly (a bookmarked URL runs the page script): it explains and draws no editor.
    direct = AppTest.from_file(str(REPO / "app_pages" / "tag_review.py"), default_timeout=60).run()
    assert not direct.exception, direct.exception
    assert "IZLEK_READ_ONLY" in direct.error[0].value
    assert not direct.data_editor and not direct.button
    assert not csv_path.exists()
    with pytest.raises(overrides.ReadOnly):
        overrides.save([{"municipality_id": "altinsogut", "item_kind": "objective", "item_key": "2020:H1.1",
                         "marker": 2}])
    assert not csv_path.exists()


# --- app/overrides.py -----------------------------------------------------------------------------

def _change(key: str = "2020:H1.1", marker: object = 2, note: str = "", kind: str = "objective") -> dict:
    return {"municipality_id": "altinsogut", "item_kind": kind, "item_key": key, "marker": marker, "note": note}


def test_save_appends_updates_and_keeps_comments(tmp_path, monkeypatch):
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    path = tmp_path / "o.csv"
    path.write_text("# user corrections\n" + FIELDS_LINE + "\nilginkoy,activity,act-1,1,kept,2024-01-01\n",
                    encoding="utf-8")
    day = dt.date(2026, 3, 8)
    overrides.save([_change(note="a")], path, today=day)
    overrides.save([_change(marker="0", note="b"), _change("2025:H1.1", 1)], path, today=day)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# user corrections\n" + FIELDS_LINE + ",item_name\n")  # the name column is added
    rows = overrides.read(path)
    assert [(r["item_key"], r["marker"], r["note"], r["date"]) for r in rows] == [
        ("act-1", "1", "kept", "2024-01-01"), ("2020:H1.1", "0", "b", "2026-03-08"), ("2025:H1.1", "1", "", "2026-03-08")]
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind
    # The file as it was before each save is kept, dated: the first backup is the hand-written file.
    backups = sorted((tmp_path / "backups").iterdir())
    assert len(backups) == 2 and "ilginkoy,activity,act-1" in backups[0].read_text(encoding="utf-8")
    parsed, problems = read_overrides(path)
    assert problems == [] and len(parsed) == 3


@pytest.mark.parametrize("bad", [_change(marker=3), _change(marker="x"), _change(marker=1.5), _change(kind="goal"),
                                 _change(key=""), {"item_kind": "objective", "item_key": "k", "marker": 1}])
def test_save_rejects_invalid_changes_and_writes_nothing(tmp_path, monkeypatch, bad):
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    path = tmp_path / "o.csv"
    with pytest.raises(ValueError):
        overrides.save([_change(), bad], path)
    assert not path.exists()


def test_notes_stay_on_one_line_for_the_etl_reader(tmp_path, monkeypatch):
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    path = tmp_path / "o.csv"
    overrides.save([_change(note="line one\n# not a comment, \"quoted\", comma"), _change("2020:H1.2", 1)], path)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3
    parsed, problems = read_overrides(path)
    assert problems == [] and len(parsed) == 2
    assert parsed[("altinsogut", "objective", "2020:H1.1")]["note"] == 'line one # not a comment, "quoted", comma'


def test_write_is_atomic_when_it_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    path = tmp_path / "o.csv"
    overrides.save([_change()], path)
    before = path.read_bytes()

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(overrides.usercsv.os, "replace", boom)
    with pytest.raises(OSError):
        overrides.save([_change(marker=0)], path)
    assert path.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_read_only_refuses_save_and_remove(tmp_path, monkeypatch, value):
    path = tmp_path / "o.csv"
    path.write_text(FIELDS_LINE + "\naltinsogut,objective,2020:H1.1,2,,2024-01-01\n", encoding="utf-8")
    before = path.read_bytes()
    monkeypatch.setenv("IZLEK_READ_ONLY", value)
    with pytest.raises(overrides.ReadOnly):
        overrides.save([_change()], path)
    with pytest.raises(overrides.ReadOnly):
        overrides.remove([("altinsogut", "objective", "2020:H1.1")], path)
    assert path.read_bytes() == before


def test_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("IZLEK_OVERRIDES", str(tmp_path / "x.csv"))
    assert overrides.overrides_path() == tmp_path / "x.csv"
    monkeypatch.delenv("IZLEK_OVERRIDES")
    assert overrides.overrides_path() == REPO / "data" / "gender_overrides.csv"


def test_the_item_name_is_saved_and_kept_when_a_change_brings_none(tmp_path, monkeypatch):
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    path = tmp_path / "o.csv"
    overrides.save([{**_change(note="a"), "item_name": "Kadın danışma merkezi"}], path)
    overrides.save([_change(marker=1, note="b")], path)  # e.g. a hand-made change without the name
    (row,) = overrides.read(path)
    assert (row["marker"], row["note"], row["item_name"]) == ("1", "b", "Kadın danışma merkezi")
