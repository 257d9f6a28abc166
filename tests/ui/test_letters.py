"""Documents ready to send: each DOCX opened with python-docx and checked for the figures and pages
it cites; the page's download made through AppTest."""

from __future__ import annotations

import io

import docx
import duckdb
import pytest

from app.views import letters as lt
from tests.conftest import run_page

SENDER = lt.Sender(organisation="Ilgınköy Kadın Dayanışma Derneği", address="Çarşı Mah. 1", contact="a@b.org",
                   signatory="Ayşe Yılmaz, Başkan", date="15.05.2026")


def _text(blob: bytes) -> tuple[str, list[list[str]]]:
    d = docx.Document(io.BytesIO(blob))
    return "\n".join(p.text for p in d.paragraphs), [[c.text for c in r.cells] for t in d.tables for r in t.rows]


def _one(warehouse, sql: str, params: list) -> tuple:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_left_out_letter_cites_plan_page_and_program(sample_warehouse, lang):
    row = lt.left_out_options("ilginkoy", 2026).iloc[0].to_dict()
    assert row["gender_marker"] >= 1  # gender-related first
    text, _ = _text(lt.left_out_docx(row, "Ilgınköy Belediyesi", "ilginkoy", 2026, SENDER, lang))
    assert row["objective_code"] in text and row["objective_title"] in text
    page = _one(sample_warehouse, "select source_page from objectives where municipality_id = 'ilginkoy' and "
                "plan_start = ? and objective_code = ?", [int(row["plan_start"]), row["objective_code"]])[0]
    assert f"ilginkoy_2025-2029_stratejik_plan.pdf, {'s.' if lang == 'tr' else 'p.'} {page}" in text
    first, last = _one(sample_warehouse, "select min(source_page), max(source_page) from activities where "
                       "municipality_id = 'ilginkoy' and year = 2026", [])
    assert f"ilginkoy_2026_performans_programi.pdf, {'s.' if lang == 'tr' else 'p.'} {first}–{last}" in text
    assert ("Kadın Erkek Eşitliği Komisyonu" in text) and SENDER.organisation in text and "15.05.2026" in text


def test_info_request_names_activities_budgets_and_pages(sample_warehouse):
    acts = lt.gender_activities("ilginkoy", 2024).head(3)
    text, cells = _text(lt.info_request_docx(acts, "Ilgınköy Belediyesi", 2024, SENDER, "tr"))
    assert "4982 sayılı Bilgi Edinme Hakkı Kanunu" in text and "15 iş günü" in text and "yetki belgesi" in text
    for i, r in enumerate(acts.itertuples(), start=1):
        total, page = _one(sample_warehouse, "select total, source_page from activities where activity_id = ?",
                           [r.activity_id])
        amount = f"{total:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".") + " TL"
        assert [str(i), r.activity_name, r.performance_goal_code, r.responsible_unit, amount, str(page)] in cells
    assert "ilginkoy_2024_performans_programi.pdf, s. " in text
    english, _ = _text(lt.info_request_docx(acts, "Ilgınköy Belediyesi", 2024, SENDER, "en"))
    assert "Law No. 4982 on the Right to Information" in english and "Article 11" in english


def test_cooperation_offer_cites_indicators_targets_and_pages(sample_warehouse):
    objs = lt.objectives("ilginkoy")
    obj = objs.iloc[0].to_dict()
    inds = lt.objective_indicators("ilginkoy", int(obj["plan_start"]), obj["objective_code"])
    assert not inds.empty
    text, cells = _text(lt.cooperation_docx(obj, inds, "Ilgınköy Belediyesi", "", SENDER, "en"))
    assert f"objective {obj['objective_code']}" in text and obj["objective_title"] in text
    first = inds.iloc[0]
    target = _one(sample_warehouse, "select value from indicator_values where municipality_id = 'ilginkoy' and "
                  "indicator_code = ? and kind = 'plan_target' and year = 2029", [first["indicator_code"]])[0]
    row = next(r for r in cells if r[0] == first["indicator_code"])
    assert row[1] == first["indicator_name"] and float(row[4].replace(",", "")) == pytest.approx(target)
    assert row[5] == str(int(first["page"]))
    assert "volunteer support" in text  # the default offer when the user wrote none


def test_letters_page_makes_each_document(sample_warehouse):
    at = run_page("letters.py")
    at.sidebar.selectbox(key="m").select("ilginkoy").run()
    at.text_input(key="lt-org").input(SENDER.organisation).run()
    assert not at.exception, at.exception
    for kind, key in (("left_out", "lt-dl-left-out"), ("info_request", "lt-dl-info"), ("cooperation", "lt-dl-coop")):
        at.segmented_control(key="lt-kind").set_value(kind).run()
        assert not at.exception, at.exception
        assert [b.key for b in at.get("download_button") if b.key == key], kind
