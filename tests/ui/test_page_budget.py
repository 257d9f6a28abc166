"""Budget page (AppTest on the embedded sample): the whole budget by economic code, program vs
appropriation vs spent, opened on the latest year that has spending."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import run_page


def _sums(warehouse, mid: str, year: int) -> tuple[float, float]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # Codes 01 … 09: the TOTAL row is their sum, counted once.
        return con.execute("select sum(appropriation), sum(spent) from budget_execution "
                           "where municipality_id = ? and year = ? and economic_code <> 'TOTAL'", [mid, year]).fetchone()


def test_budget_opens_on_the_latest_year_with_spending(sample_warehouse):
    at = run_page("budget.py", {"m": "ilginkoy"}, deep_link=True)
    assert not at.exception, at.exception
    assert at.title[0].value == "Bütçe ve gerçekleşme"
    assert at.sidebar.selectbox(key="y").value == 2025  # 2026 has its program only
    appropriation, spent = _sums(sample_warehouse, "ilginkoy", 2025)
    metrics = {m.label: m for m in at.metric}
    assert metrics["Harcama"].proto.help == f"{spent:,.0f} TL".replace(",", ".")
    rate = metrics["Gerçekleşme oranı"].value
    assert rate == f"%{spent / appropriation * 100:.1f}".replace(".", ",")
    table = at.session_state["_pack"]["tables"]
    codes = next(df for name, df in table.items() if "bütçe gerçekleşmesi" in name)
    assert len(codes) == 10 and codes["spent"].sum() == pytest.approx(2 * spent)  # 01 … 09 and their total
    assert metrics["Harcama"].value == f"{spent / 1e6:,.2f} mn".replace(",", "X").replace(".", ",").replace("X", ".")
    assert any("Ilgınköy Belediyesi" in m.value and "2025" in m.value for m in at.markdown)


def test_program_only_year_says_so_in_english(sample_warehouse):
    at = run_page("budget.py", {"m": "serinyurt", "y": "2026"}, deep_link=True, lang="en")
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="y").value == 2026
    assert any("No activity report for 2026" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Spent"] == "–"


@pytest.mark.parametrize(("mid", "layout"), [("ilginkoy", "FR performans sonuçları"), ("serinyurt", "FR faaliyet maliyetleri")])
def test_spending_by_activity_from_every_layout_of_activity_cost(sample_warehouse, mid, layout):
    """Ilgınköy prints its activity costs as TL rows of the results table, Serinyurt in a table of
    their own: both show, with the report's page."""
    at = run_page("budget.py", {"m": mid, "y": "2024"}, deep_link=True)
    assert not at.exception, at.exception
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        expected = con.execute(
            "select count(*), sum(s) from (select actual as s from report_results where municipality_id = ? "
            "and year = 2024 and row_type = 'activity_cost' union all select spent from activity_results "
            "where municipality_id = ? and year = 2024)", [mid, mid]).fetchone()
    assert expected[0] >= 30
    acts = next(d.value for d in at.dataframe if "activity_name" in d.value.columns)
    assert len(acts) == expected[0] and acts["spent"].sum() == pytest.approx(expected[1])
    assert set(acts["relation"]) == {layout}
    assert acts["source_link"].str.contains("faaliyet_raporu").all()
    assert any(c.value.startswith(f"{expected[0]} faaliyet:") for c in at.caption)
