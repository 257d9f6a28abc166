"""The Warehouse page's Turkish for etl/schema.py: complete, current, and used by the page's tables."""

from __future__ import annotations

from app import data, i18n
from app.views import warehouse as wh
from etl.schema import BY_NAME


def _english() -> set[str]:
    return {s for r in BY_NAME.values() for s in (r.grain, *(c.doc for c in r.columns)) if s}


def test_every_description_in_etl_schema_has_its_turkish():
    missing = sorted(_english() - set(wh.TURKISH))
    assert not missing, f"add these to app/views/warehouse_tr.toml [text]: {missing}"


def test_no_turkish_is_left_for_an_english_text_etl_schema_no_longer_has():
    stale = sorted(set(wh.TURKISH) - _english())
    assert not stale, f"etl/schema.py changed these; translate the new wording instead: {stale}"


def test_undescribed_columns_are_named_as_etl_schema_has_them():
    undescribed = {c.name for r in BY_NAME.values() for c in r.columns if not c.doc}
    assert set(wh.UNDESCRIBED) <= undescribed, sorted(set(wh.UNDESCRIBED) - undescribed)
    assert all(len(pair) == 2 and all(pair) for pair in wh.UNDESCRIBED.values())


def _as(language: str, monkeypatch) -> None:
    monkeypatch.setattr(i18n, "lang", lambda: language)


def test_the_tables_speak_the_interface_language_and_never_say_none(monkeypatch):
    activities = BY_NAME["activities"]
    relations = [data.Relation("activities", "table", 3, tuple(activities.column_names)),
                 data.Relation("my_view", "view", None, ("municipality_id", "mystery"))]
    _as("tr", monkeypatch)
    table = wh.relations_table(relations)
    assert list(table["kind"]) == ["tablo", "görünüm"]
    assert table.loc[0, "grain"] == "PP faaliyeti"
    assert "etl/schema.py'de tanımlı değil" in table.loc[1, "grain"] and not table.loc[1, "public"]
    cols = wh.columns_table(relations[0]).set_index("column")
    assert cols.loc["source_page", "doc"] == "satırın basılı olduğu PDF sayfası (1'den başlar)"
    assert cols.loc["budget", "doc"] == "bütçe (TL)"  # undescribed in etl/schema.py
    assert cols.loc["budget", "type"] == "ondalıklı sayı (DOUBLE)"
    view_cols = wh.columns_table(relations[1]).set_index("column")
    assert view_cols.loc["municipality_id", "doc"] == "Belediye kodu"  # the dashboard's header
    assert list(view_cols.loc["mystery"]) == ["–", "–"]
    assert table["rows"].isna().tolist() == [False, True]  # a view that could not be counted: "–" on the page
    for frame in (table.drop(columns="rows"), cols, view_cols):
        assert not frame.isna().any().any() and "None" not in frame.astype(str).to_numpy()
    _as("en", monkeypatch)
    assert wh.relations_table(relations).loc[0, "grain"] == "PP activity"
    assert wh.columns_table(relations[0]).set_index("column").loc["budget", "type"] == "decimal number (DOUBLE)"
