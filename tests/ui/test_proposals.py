"""Indicator proposals (guide Q15): the page, and its DOCX and XLSX opened with python-docx and openpyxl."""

from __future__ import annotations

import io

import docx
import duckdb
import openpyxl
import pandas as pd

from app.views import proposals as pr
from tests.conftest import run_page


def _expected(warehouse, mid: str, year: int) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select responsible_unit, indicator_code, indicator_name, proposal_women, proposal_men, source_page "
            "from indicator_kinds where municipality_id = ? and source_kind = 'program' and year = ? "
            "and counts_people and not names_women and not names_men order by all", [mid, year]).fetchall()
    finally:
        con.close()


def test_page_lists_the_pairs_by_directorate_and_exports_them(sample_warehouse):
    at = run_page("proposals.py")
    at.sidebar.selectbox(key="m").select("ilginkoy").run()
    at.sidebar.selectbox(key="src").select("program-2026").run()
    assert not at.exception, at.exception
    expected = _expected(sample_warehouse, "ilginkoy", 2026)
    assert expected, "the sample's 2026 program has people counts that name neither sex"
    shown = at.dataframe[0].value
    assert len(shown) == len(expected) == int(at.metric[0].value)
    assert set(shown["Önerilen: kadın"]) == {e[3] for e in expected}

    df = pr.proposals("ilginkoy", ("program", 2026, None))
    name = "Ilgınköy Belediyesi"
    document = docx.Document(io.BytesIO(pr.docx_bytes(df, name, ("program", 2026, None), "tr")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Performans programı 2026" in text and f"{len(expected)} gösterge" in text
    units = {e[0] for e in expected}
    assert all(f"Sorumlu birim: {u}" in text for u in units)
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    # Every proposal is in a table with the page its indicator is printed on.
    for _unit, code, name_, women, men, page in expected:
        assert [code, name_, women, men, "ilginkoy_2026_performans_programi.pdf", str(page)] in cells

    wb = openpyxl.load_workbook(io.BytesIO(pr.xlsx_bytes(df, name, ("program", 2026, None), "en")))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[2]]
    assert header[:2] == ["Responsible directorate", "Indicator code"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert len(rows) == len(expected)
    assert {r[header.index("Proposed: men")] for r in rows} == {e[4] for e in expected}


def test_document_text_is_never_a_formula():
    df = pd.DataFrame({"responsible_unit": ["=HYPERLINK(\"http://x\")"], "indicator_code": ["PG1"],
                       "objective_code": ["H1"], "performance_goal_code": [None],
                       "indicator_name": ["=1+1 kişi sayısı"], "unit": ["kişi"],
                       "proposal_women": ["=1+1 kadın sayısı"], "proposal_men": ["@SUM(A1) erkek sayısı"],
                       "document": ["x.pdf"], "page": [3]})
    wb = openpyxl.load_workbook(io.BytesIO(pr.xlsx_bytes(df, "=X", ("plan", 2025, 2029), "tr")))
    title_and_headers = [c for row in wb.worksheets[0].iter_rows(max_row=2) for c in row if c.value is not None]
    assert title_and_headers[0].value.startswith("=X") and {c.data_type for c in title_and_headers} == {"s"}
    cells = [c for row in wb.worksheets[0].iter_rows(min_row=3) for c in row if c.value is not None]
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    assert cells[0].value == "=HYPERLINK(\"http://x\")"
    document = docx.Document(io.BytesIO(pr.docx_bytes(df, "X <b>*", ("plan", 2025, 2029), "en")))
    assert document.paragraphs[0].text == "X <b>*: proposals for sex-disaggregated indicators"
