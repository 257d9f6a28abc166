"""The read-only SQL page: what runs, what is refused, and the sandbox against file access,
writes, attachments and a runaway query."""

from __future__ import annotations

import pytest

from app.views import sql
from tests.conftest import run_page


@pytest.mark.parametrize("query", [
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/passwd')",
    "select * from read_parquet('/tmp/anything.parquet')",
])
def test_no_file_can_be_read(sample_warehouse, query):
    with pytest.raises(sql.QueryRefused) as refused:
        sql.run(query)
    assert refused.value.key == "sql_err" and "Permission Error" in refused.value.fmt["error"]


@pytest.mark.parametrize(("query", "kind"), [
    ("COPY documents TO '/tmp/izlek-leak.csv'", "COPY"),
    ("ATTACH '/tmp/izlek-other.duckdb' AS other", "ATTACH"),
    ("SET enable_external_access = true", "SET"),
    ("INSTALL httpfs", "LOAD"),
    ("CREATE TABLE t AS SELECT 1", "CREATE"),
    ("DELETE FROM documents", "DELETE"),
])
def test_only_select_runs(sample_warehouse, query, kind, tmp_path):
    with pytest.raises(sql.QueryRefused) as refused:
        sql.run(query)
    assert refused.value.key == "sql_err_not_select" and kind in refused.value.fmt["kind"]


def test_sandbox_itself_blocks_files_even_for_a_statement_that_got_through(sample_warehouse, tmp_path):
    con = sql.sandbox()
    try:
        target = tmp_path / "out.csv"
        for statement in (f"COPY documents TO '{target}'", f"ATTACH '{tmp_path / 'x.duckdb'}' AS x",
                          "SET enable_external_access = true"):
            with pytest.raises(Exception, match="Permission|Cannot change"):
                con.execute(statement)
        assert not target.exists()
        assert con.execute("select count(*) from documents").fetchone()[0] == 33
    finally:
        con.close()


def test_several_statements_and_empty_queries_are_refused(sample_warehouse):
    for query, key in (("select 1; select 2", "sql_err_many"), ("  ;", "sql_err_empty")):
        with pytest.raises(sql.QueryRefused) as refused:
            sql.run(query)
        assert refused.value.key == key


def test_runaway_query_is_stopped(sample_warehouse):
    with pytest.raises(sql.QueryRefused) as refused:
        sql.run("select count(*) from range(1000000000000) a, range(1000) b", time_limit=0.5)
    assert refused.value.key == "sql_err_timeout"


def test_row_limit(sample_warehouse):
    result = sql.run("select * from range(5000)", row_limit=100)
    assert len(result.frame) == 100 and result.truncated
    assert not sql.run("select * from range(5)").truncated


def test_every_example_runs(sample_warehouse):
    for key, query in sql.EXAMPLES.items():
        assert not sql.run(query).frame.empty, key


def test_sql_page_runs_a_query_and_shows_refusals(sample_warehouse):
    at = run_page("sql.py")
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 15  # the first example: gender budget, 3 municipalities × 5 years
    at.text_area(key="sql-text").input("select * from read_csv('/etc/passwd')")
    at.button[0].click().run()
    assert not at.exception and "Permission Error" in at.error[0].value
    at.text_area(key="sql-text").input("select municipality_id, count(*) as n from documents group by 1 order by 1")
    at.button[0].click().run()
    assert at.dataframe[0].value["n"].tolist() == [11, 11, 11]
