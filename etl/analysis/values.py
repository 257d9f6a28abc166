"""What the analysis reads of ``indicator_values``, reduced set-wise by DuckDB.

``indicator_values`` is the largest relation the analysis reads (about 3,400 rows a
municipality-decade: every indicator × year × kind). Three rules use it, and none needs its rows
one by one: coverage needs which objectives and indicators each program refers to, achievement
the first value of each kind per indicator × year (and the program targets an activity report
leaves out), the indicator kinds one row per program indicator. :func:`from_warehouse` computes
those four sets in DuckDB SQL over a batch's rows, :func:`from_rows` runs the same SQL over rows
held in memory (tests, ``analyse()``), so there is one definition either way. "First" is in
stored order, as the rules' walks over the rows took it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from etl.load import insert_rows
from etl.schema import RELATIONS

PP_KINDS = ("program_target", "program_prior_actual", "program_estimate")
# The kinds achievement reads a value of (vals.get(kind)); any other kind is never read.
VALUE_KINDS = ("reported_target", "program_target", "plan_target", "actual")
TARGET_COLUMNS = ("municipality_id", "year", "indicator_code", "indicator_name", "unit", "performance_goal_code",
                  "objective_code", "source_document_id", "source_page")
# Every column the queries below read (a batch reads only these of the relation).
COLUMNS = ("municipality_id", "indicator_code", "indicator_name", "year", "kind", "value", "unit",
           "performance_goal_code", "objective_code", "source_document_id", "source_page")


@dataclass
class ValueSets:
    """The four sets the rules read, for one batch of municipalities."""

    # program_target's source document → the year of its first row (a PP document the documents
    # relation does not date is dated by its targets).
    doc_years: dict[str | None, int | None]
    # Distinct (municipality_id, source_document_id, year, objective_code, indicator_code) of the
    # program kinds (target, prior actual, estimate): what each program refers to.
    pp_refs: list[tuple]
    # (municipality_id, indicator_code, year) → {kind: the first row's value} for VALUE_KINDS.
    values: dict[tuple, dict[str, float | None]]
    # The first program_target row of each (municipality_id, year, indicator_code, indicator_name),
    # in stored order, with TARGET_COLUMNS.
    targets: list[dict]


def _queries(source: str) -> dict[str, str]:
    """The four queries over ``source``: a relation of COLUMNS plus ``ord`` (stored order)."""
    kinds = ", ".join(f"'{k}'" for k in PP_KINDS)
    pivot = ", ".join(f"first(value order by ord) filter (where kind = '{k}') as \"{k}\"" for k in VALUE_KINDS)
    cols = ", ".join(TARGET_COLUMNS)
    return {
        "doc_years": f"select source_document_id, first(year order by ord) from {source} "
                     "where kind = 'program_target' group by source_document_id",
        "pp_refs": f"select distinct municipality_id, source_document_id, year, objective_code, indicator_code "
                   f"from {source} where kind in ({kinds})",
        "values": f"select municipality_id, indicator_code, year, {pivot} from {source} "
                  "group by municipality_id, indicator_code, year",
        "targets": f"select {cols} from (select {cols}, ord, row_number() over (partition by municipality_id, year, "
                   f"indicator_code, indicator_name order by ord) as n from {source} where kind = 'program_target') "
                   "where n = 1 order by ord",
    }


def _run(con: duckdb.DuckDBPyConnection, source: str, params: list | None) -> ValueSets:
    q = _queries(source)

    def fetch(name: str) -> list[tuple]:
        return con.execute(q[name], params).fetchall()

    values = {(m, c, y): dict(zip(VALUE_KINDS, vals, strict=True)) for m, c, y, *vals in fetch("values")}
    return ValueSets(doc_years=dict(fetch("doc_years")), pp_refs=fetch("pp_refs"), values=values,
                     targets=con.sql(q["targets"], params=params).to_arrow_table().to_pylist())


def from_warehouse(con: duckdb.DuckDBPyConnection, where: str = "", params: list | None = None) -> ValueSets:
    """The sets of the ``indicator_values`` rows of ``con`` that ``where`` (SQL, with ``params``) keeps."""
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    source = f'(select rowid as ord, {cols} from "indicator_values" {where})'
    return _run(con, source, list(params) if params else None)


def from_rows(rows: list[dict]) -> ValueSets:
    """The sets of ``rows`` (``indicator_values`` dicts, in their order), by the same SQL in memory."""
    con = duckdb.connect()
    try:
        con.execute(next(r for r in RELATIONS if r.name == "indicator_values").ddl())
        insert_rows(con, "indicator_values", rows)
        return from_warehouse(con)
    finally:
        con.close()
