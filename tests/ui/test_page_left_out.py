"""Left-out objectives page: AppTest through the router on the embedded sample, and its view functions."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from app import data
from app.views import left_out as view
from tests.conftest import open_for
from tests.conftest import run_page as _run
from tests.ui.test_page_gender_budget import edited_warehouse  # noqa: F401  (fixture)

PAGE = "left_out.py"


def _rows(warehouse, sql: str, params: list | None = None) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def _open(municipality: str = "ilginkoy", year: int = 2024, lang: str | None = None):
    return open_for(PAGE, municipality, year, lang)


def _expected(warehouse, mid: str, year: int) -> pd.DataFrame:
    return _rows(warehouse, "select objective_code, gender_marker, responsible_unit, plan_start, plan_end "
                            "from left_out_objectives where municipality_id = ? and year = ?", [mid, year])


def _letters(at) -> list[str]:
    """The letters' texts as the page shows them (the text areas' values)."""
    return [area.value for area in at.text_area if area.key.startswith("lo-letter-")]


# In both years the gender-related objective is not the first by code, so the order is visible.
@pytest.mark.parametrize(("mid", "year"), [("ilginkoy", 2026), ("altinsogut", 2026), ("ilginkoy", 2024)])
def test_left_out_objectives_gender_first_with_contacts_and_letter(sample_warehouse, mid, year):  # noqa: F811
    expected = _expected(sample_warehouse, mid, year)
    assert len(expected) > 0 and (expected["gender_marker"] > 0).any()  # the sample has one to show
    order = sorted(zip(expected["gender_marker"], expected["objective_code"], strict=True),
                   key=lambda mc: (-mc[0], [int(p) for p in mc[1][1:].split(".")]))
    at = _open(mid, year)
    assert at.title[0].value == "Programa alınmayan hedefler"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Alınmayan hedef"] == str(len(expected))
    assert metrics["Temel (2)"] == str((expected["gender_marker"] == 2).sum())
    assert metrics["Önemli (1)"] == str((expected["gender_marker"] == 1).sum())

    table = at.session_state["_pack"]["tables"]
    missing = next(df for name, df in table.items() if "programına alınmayan" in name)
    assert list(missing["objective_code"]) == [code for _, code in order]

    # one expander per objective, gender-related ones open; each with contacts and a letter, in a text
    # area with its .txt download (no st.code: its highlighter added 0.6 s to a cold render, bench/README.md)
    assert len(at.expander) == len(expected) == len(_letters(at))
    assert all(len(e.get("download_button")) == 1 for e in at.expander)
    assert not at.code
    first = missing.iloc[0]
    assert at.expander[0].label.startswith(first["objective_code"])
    assert at.expander[0].proto.expanded == (first["gender_marker"] > 0)
    contacts = at.expander[0].markdown[1].value
    assert f"Sorumlu birim: {first['responsible_unit']}" in contacts
    assert "Kadın Erkek Eşitliği Komisyonu" in contacts
    letter = _letters(at)[0]
    plan = f"{int(first['plan_start'])}–{int(first['plan_end'])}"
    for part in (first["objective_code"], first["objective_title"], f"{year} yılı Performans Programı", plan,
                 "Kadın Erkek Eşitliği Komisyonu", "rica ederiz", "stratejik_plan.pdf"):
        assert part in letter, part


def test_year_change_and_coverage_table(sample_warehouse):  # noqa: F811
    at = _open("ilginkoy", 2024)
    at.sidebar.selectbox(key="y").select(2026).run()
    assert not at.exception
    expected = _expected(sample_warehouse, "ilginkoy", 2026)
    assert {m.label: m.value for m in at.metric}["Alınmayan hedef"] == str(len(expected))
    # the letter is the new year's, not the 2024 text kept by the widget
    assert "2026 yılı Performans Programı" in _letters(at)[0] and "2025–2029" in _letters(at)[0]

    cov = _rows(sample_warehouse, "select covered from objective_coverage "
                                  "where municipality_id = 'ilginkoy' and year = 2026")
    shown = next(df for name, df in at.session_state["_pack"]["tables"].items() if "kapsama" in name)
    assert len(shown) == len(cov)
    assert {"covered", "matched_how", "confidence"} <= set(shown.columns)
    assert list(shown["covered"]) == sorted(shown["covered"])  # left out first
    assert {m.label: m.value for m in at.metric}["Programda olan hedef"] == f"{int(cov['covered'].sum())} / {len(cov)}"

    counts = next(fig for name, fig in at.session_state["_pack"]["charts"].items() if "yıllara göre" in name)
    per_year = _rows(sample_warehouse, "select year, count(*) n from left_out_objectives "
                                       "where municipality_id = 'ilginkoy' group by year")
    totals = pd.DataFrame({tr.name: dict(zip(tr.x, tr.y, strict=True)) for tr in counts.data}).sum(axis=1)
    assert totals.to_dict() == dict(zip(per_year["year"], per_year["n"], strict=True))


def test_english_letter(sample_warehouse):  # noqa: F811
    at = _open("ilginkoy", 2024, lang="en")
    assert at.title[0].value == "Objectives left out"
    letter = _letters(at)[0]
    assert "Dear Sir or Madam" in letter and "Equality Committee" in letter and "2024 Performance Program" in letter
    assert "Sayın" not in letter


def test_empty_state_without_program(edited_warehouse, monkeypatch):  # noqa: F811
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(edited_warehouse))
    at = _run(PAGE)
    at.sidebar.selectbox(key="m").select("serinyurt").run()
    assert not at.exception
    assert "performans programı yok" in at.info[0].value
    assert not at.metric and not _letters(at)


# --- the view functions, without Streamlit ----------------------------------------------------

OBJ = {"objective_code": "H2.2", "printed_code": "Stratejik Hedef 2.2", "objective_title": "Kadına yönelik şiddeti önlemek",
       "responsible_unit": "Kadın ve Aile Hizmetleri Müdürlüğü", "gender_marker": 2, "plan_start": 2025,
       "plan_end": 2029, "source_document": "x_2025-2029_stratejik_plan.pdf", "source_page": 12}


def test_letter_in_both_languages():
    tr = view.letter(OBJ, "Örnek Belediyesi", 2026, "tr", ["Kadın ve Aile Hizmetleri Müdürlüğü"])
    assert "Kime: Kadın ve Aile Hizmetleri Müdürlüğü" in tr
    assert "2025–2029 Stratejik Planı" in tr and "2026 yılı Performans Programı" in tr
    assert "H2.2 (Stratejik Hedef 2.2)" in tr and "temel, 2" in tr and "s. 12" in tr
    assert "Bilgi: Belediye Meclisi Kadın Erkek Eşitliği Komisyonu\n" in tr  # women's unit is already the addressee
    en = view.letter({**OBJ, "gender_marker": 0}, "Örnek Belediyesi", 2026, "en", ["Kadın Çalışmaları Birimi"])
    assert "not in the 2026 Performance Program" in en and "p. 12" in en
    assert "Cc: the municipal council's Equality Committee (Kadın Erkek Eşitliği Komisyonu); Kadın Çalışmaları" in en
    assert "marker" not in en  # no gender sentence for marker 0


def test_contacts():
    assert view.contacts("Fen İşleri Müdürlüğü", ["Kadın Çalışmaları Daire Başkanlığı"], "tr") == [
        "Sorumlu birim: Fen İşleri Müdürlüğü", "Belediye Meclisi Kadın Erkek Eşitliği Komisyonu",
        "Kadın birimi: Kadın Çalışmaları Daire Başkanlığı"]
    assert len(view.contacts("Kadın Birimi", ["Kadın Birimi"], "en")) == 2
    assert "ask the municipality" in view.contacts(None, [], "en")[-1]


def test_gender_first_ordering_and_women_units(sample_warehouse):  # noqa: F811
    df = pd.DataFrame({"objective_code": ["H1.10", "H1.2", "H3.1", "H1.9"], "gender_marker": [0, 1, 2, 0]})
    ordered = view._gender_first(df)
    assert ordered["objective_code"].tolist() == ["H3.1", "H1.2", "H1.9", "H1.10"]
    assert ordered["marker_label"].tolist()[0] == "Temel (2)"
    data.close_all()
    assert view.women_units("serinyurt") == ["Kadın Çalışmaları Daire Başkanlığı"]
    assert view.program_years("ilginkoy") == [2026, 2025, 2024, 2023, 2022]
