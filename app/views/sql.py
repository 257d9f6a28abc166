"""Read-only SQL on the warehouse for analysts: one SELECT, a row limit, a time limit, no files.

Each query runs on its own in-memory DuckDB that attaches the warehouse ``READ_ONLY``, then turns
``enable_external_access`` off and locks the configuration, so no statement can read or write a
file (``read_csv('/etc/passwd')``, ``COPY … TO``, ``ATTACH``, ``INSTALL``) or switch that back on.
Only a single SELECT statement is accepted at all; a timer interrupts a query that runs too long,
and at most ``row_limit`` rows are fetched.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from app import data, i18n

ROW_LIMIT = 1000
TIME_LIMIT_S = 5.0
MEMORY_LIMIT = "512MB"

EXAMPLES: dict[str, str] = {
    "sql_ex_share": """select municipality_id, year, gender_share_pct,
       round(principal_budget / total_budget * 100, 2) as principal_pct,
       round(significant_budget / total_budget * 100, 2) as significant_pct
from gender_budget order by municipality_id, year""",
    "sql_ex_left_out": """select municipality_id, year, objective_code, objective_title, responsible_unit
from left_out_objectives where gender_marker >= 1
order by municipality_id, year, objective_code""",
    "sql_ex_scorecard": """select municipality_id, plan_start, score, gender_objective_answer, women_unit_answer,
       indicators_answer, sex_disaggregated_share_pct, budget_answer
from gender_scorecard order by score desc""",
    "sql_ex_proposals": """select municipality_id, responsible_unit, indicator_name, proposal_women, proposal_men,
       source_document_id, source_page
from indicator_kinds where source_kind = 'plan' and proposal_women is not null
order by municipality_id, responsible_unit""",
    "sql_ex_achievement": """select municipality_id, year, status, count(*) as indicators
from indicator_achievement group by all order by all""",
}

i18n.register({
    "sql_intro": {
        "tr": "Veri ambarında salt okunur SQL (DuckDB). Yalnızca tek bir SELECT sorgusu; en çok {rows} satır ve "
              "{secs} saniye. Dosya okunamaz, yazılamaz. İlişkiler ve sütunları Veri ambarı sayfasında.",
        "en": "Read-only SQL on the warehouse (DuckDB). One SELECT statement only; at most {rows} rows and "
              "{secs} seconds. No file can be read or written. Relations and their columns are on the Warehouse "
              "page."},
    "sql_example": {"tr": "Örnek sorgu", "en": "Example query"},
    "sql_query": {"tr": "Sorgu", "en": "Query"},
    "sql_run": {"tr": "Çalıştır", "en": "Run"},
    "sql_rows": {"tr": "{n} satır, {secs} sn", "en": "{n} rows, {secs} s"},
    "sql_truncated": {"tr": "İlk {n} satır gösteriliyor; daha fazlası için sorguyu daraltın.",
                      "en": "Showing the first {n} rows; narrow the query for the rest."},
    "sql_result": {"tr": "Sorgu sonucu", "en": "Query result"},
    "sql_err_empty": {"tr": "Sorgu boş.", "en": "The query is empty."},
    "sql_err_many": {"tr": "Tek bir sorgu yazın (noktalı virgülle ayrılmış birden çok ifade çalıştırılmaz).",
                     "en": "Write one statement (several statements separated by semicolons are not run)."},
    "sql_err_not_select": {"tr": "Yalnızca SELECT sorguları çalıştırılır (bu bir {kind} ifadesi).",
                           "en": "Only SELECT queries run here (this is a {kind} statement)."},
    "sql_err_timeout": {"tr": "Sorgu {secs} saniyede bitmedi ve durduruldu.",
                        "en": "The query did not finish within {secs} seconds and was stopped."},
    "sql_err": {"tr": "Sorgu çalışmadı: {error}", "en": "The query failed: {error}"},
    "sql_ex_share": {"tr": "Yıllara göre cinsiyet bütçe payı", "en": "Gender budget share by year"},
    "sql_ex_left_out": {"tr": "Programa alınmayan cinsiyetle ilgili hedefler", "en": "Gender-related objectives left out"},
    "sql_ex_scorecard": {"tr": "Cinsiyet eşitliği karneleri", "en": "Gender scorecards"},
    "sql_ex_proposals": {"tr": "Gösterge önerileri", "en": "Indicator proposals"},
    "sql_ex_achievement": {"tr": "Gösterge durumları", "en": "Indicator statuses"},
})


class QueryRefused(ValueError):
    """The query was not run or was stopped; ``key`` and ``fmt`` give the message to show."""

    def __init__(self, key: str, **fmt: object) -> None:
        super().__init__(f"{key} {fmt}")
        self.key, self.fmt = key, fmt


@dataclass
class Result:
    frame: pd.DataFrame
    truncated: bool
    seconds: float


def sandbox(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse attached read-only and every file access switched off."""
    path = Path(path or data.warehouse_path())
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    try:
        # The path comes from the settings, never from the user; quoted as a SQL string literal.
        literal = str(path).replace("'", "''")
        # sql-safe: the warehouse path from the settings (IZLEK_WAREHOUSE), quoted as a literal
        con.execute(f"ATTACH '{literal}' AS warehouse (READ_ONLY)")
        con.execute("USE warehouse")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.execute("SET threads = 1")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except Exception:
        con.close()
        raise
    return con


def check(sql: str) -> str:
    """The one SELECT statement of ``sql``, or QueryRefused."""
    text = (sql or "").strip().rstrip(";").strip()
    if not text:
        raise QueryRefused("sql_err_empty")
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        raise QueryRefused("sql_err", error=str(exc).splitlines()[0]) from exc
    if len(statements) != 1:
        raise QueryRefused("sql_err_many")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused("sql_err_not_select", kind=str(kind.name))
    return text


def run(sql: str, row_limit: int = ROW_LIMIT, time_limit: float = TIME_LIMIT_S, path: Path | None = None) -> Result:
    """Run one read-only SELECT with a row and a time limit; QueryRefused when refused or stopped."""
    text = check(sql)
    con = sandbox(path)
    timer = threading.Timer(time_limit, con.interrupt)
    t0 = time.perf_counter()
    timer.start()
    try:
        cur = con.execute(text)
        cols = [d[0] for d in cur.description]
        rows = cur.fetchmany(row_limit + 1)
    except duckdb.InterruptException as exc:
        raise QueryRefused("sql_err_timeout", secs=time_limit) from exc
    except duckdb.Error as exc:
        raise QueryRefused("sql_err", error=str(exc).splitlines()[0]) from exc
    finally:
        timer.cancel()
        con.close()
    frame = pd.DataFrame(rows[:row_limit], columns=cols)
    return Result(frame, len(rows) > row_limit, time.perf_counter() - t0)
