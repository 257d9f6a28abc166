"""Re-run the analysis on an existing warehouse: ``python -m etl analyse``.

The analysis is a function of the extracted relations and the user's CSV files, so after an
edit of the gender overrides or the objective links it can be re-computed from the warehouse
alone, without opening a PDF. The result is written like a build: every relation into a
temporary DuckDB file beside the warehouse, then an atomic rename over it.

Every analysis relation is keyed by municipality, so the warehouse is read, analysed and
written one batch of municipalities at a time: memory stays bounded by the batch, whatever
the number of municipalities, and rows keep their order (the build writes them grouped by
municipality, in sorted order).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.analysis import USER_FILES_CHECK, Analysis, Spanning, spanning
from etl.analysis import values as indicator_values
from etl.analysis.user_files import NAME_COLUMNS, item_names, named_overrides
from etl.load import columns_of, insert_rows, insert_table
from etl.records.common import Records
from etl.schema import RELATIONS

# What the analysis writes (whole relations) and the rows it annotates (gender_marker).
ANALYSIS_RELATIONS = ("gender_tags", "left_out_objectives", "objective_coverage", "left_out_rate",
                      "indicator_achievement",
                      "objective_achievement", "gender_budget", "gender_budget_units", "budget_execution",
                      "indicator_kinds", "gender_scorecard", "gender_scorecard_evidence", "compare_figures")
# Written once after every batch: it spans municipalities.
ACROSS_RELATIONS = ("peer_medians",)
TAGGED_RELATIONS = ("objectives", "indicators", "activities")
# The extracted relations the analysis reads (besides the tagged ones).
INPUT_RELATIONS = ("municipalities", "municipality_population", "documents", "goals", "performance_goals",
                   "indicator_values", "report_results", "activity_results", "budget_lines", "extracted_tables",
                   "page_texts")
# Relations the analysis reads only some columns of: the scorecard looks for tables headed by sex,
# and the printed text of figures (``raw``, ``*_raw``, deviation reasons) is never analysed; the
# rest of the read is building the rows' dicts, so fewer columns is less time.
READ_COLUMNS = {
    "extracted_tables": ("document_id", "page", "last_page", "kind", "header"),
    "indicator_values": indicator_values.COLUMNS,
    "report_results": ("municipality_id", "year", "row_type", "performance_goal_code", "indicator_code", "name",
                       "unit", "target", "actual", "published_rate_pct", "source_document_id", "source_page"),
    "budget_lines": ("municipality_id", "year", "phase", "economic_code", "label", "amount"),
    "documents": ("document_id", "municipality_id", "doc_type", "year_start", "year_end", "status"),
    # The tagged relations are read for their texts and keys; they are written back by SQL
    # (:func:`set_markers`), so the columns no rule reads (printed codes, costs, frequencies) stay out.
    "objectives": ("municipality_id", "plan_start", "plan_end", "objective_code", "objective_title",
                   "responsible_unit", "cooperating_units", "risks", "strategies", "findings", "needs",
                   "gender_marker", "source_document_id", "source_page"),
    "indicators": ("municipality_id", "plan_start", "plan_end", "indicator_code", "objective_code", "indicator_name",
                   "unit", "weight_pct", "baseline_value", "gender_marker", "source_document_id", "source_page"),
    "activities": ("activity_id", "municipality_id", "year", "performance_goal_code", "objective_code",
                   "activity_name", "responsible_unit", "budget", "total", "gender_marker", "source_document_id",
                   "source_page"),
}
# How gender_tags names the rows of each tagged relation (``marker.plan_key``: Python prints a
# missing value as 'None'), for setting gender_marker in SQL.
_TAG_KEYS = {
    "objectives": ("objective", "coalesce(cast(r.plan_start as varchar), 'None') || ':' || "
                                "coalesce(r.objective_code, 'None')"),
    "indicators": ("indicator", "coalesce(cast(r.plan_start as varchar), 'None') || ':' || "
                                "coalesce(r.indicator_code, 'None')"),
    "activities": ("activity", "r.activity_id"),
}
_BY_NAME = {r.name: r for r in RELATIONS}
CHECKPOINT_MB = 256  # DuckDB's write-ahead log size that triggers a checkpoint while batches are written
BATCH = 50  # municipalities per batch: ~50 MB of rows, and DuckDB's per-query cost is negligible


@dataclass
class AnalyseReport:
    """What ``python -m etl analyse`` did."""

    warehouse: Path
    municipalities: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _owner_filter(name: str, municipalities: list[str]) -> tuple[str, list]:
    """SQL ``where`` for the rows of ``name`` that belong to ``municipalities``, and its parameters.

    The range test comes first: a build writes rows grouped by municipality in sorted order, so
    DuckDB's min/max statistics skip the row groups of every other batch and the cost of a batch
    does not grow with the warehouse (a bare ``in`` list scanned every row for each batch). The
    exact test then keeps only the batch's municipalities, whatever the order.
    """
    lo, hi = min(municipalities), max(municipalities)
    cols = _BY_NAME[name].column_names
    if "municipality_id" in cols:
        return ("where municipality_id between ? and ? and municipality_id in (select unnest(?::varchar[]))",
                [lo, hi, municipalities])
    # document_id is '<municipality_id>/<file>': '/' sorts right before '0', so the batch's ids lie
    # in [lo + '/', hi + '0').
    return ("where document_id >= ? and document_id < ? "
            "and split_part(document_id, '/', 1) in (select unnest(?::varchar[]))",
            [lo + "/", hi + "0", municipalities])


def read_rows(con: duckdb.DuckDBPyConnection, relations: tuple[str, ...],
              municipalities: list[str] | None = None,
              columns: dict[str, tuple[str, ...]] | None = None) -> Records:
    """Rows of ``relations`` as dicts in stored order, only of ``municipalities`` when given,
    only the ``columns`` named for a relation when given."""
    rows = Records()
    for name in relations:
        where, params = "", []
        if municipalities is not None:
            if not municipalities:
                rows[name] = []
                continue
            where, params = _owner_filter(name, municipalities)
        cols = ", ".join(f'"{c}"' for c in (columns or {}).get(name, ())) or "*"
        # Arrow builds the dicts in C++: several times faster than zipping fetchall() tuples.
        rel = con.sql(f'select {cols} from "{name}" {where} order by rowid', params=params or None)
        rows[name] = rel.to_arrow_table().to_pylist()
    return rows


def set_markers(con: duckdb.DuckDBPyConnection) -> None:
    """Set ``gender_marker`` of every objective, indicator and activity from ``gender_tags``.

    The marker is a function of the tag's key (rows sharing a key share their tag), so one
    ``update`` per relation gives each row the marker the analysis set on its dict, without
    writing the relation back from Python (its stored order is kept).
    """
    for name, (kind, key) in _TAG_KEYS.items():
        con.execute(f'''update "{name}" as r set gender_marker = t.marker
            from (select distinct municipality_id, item_key, marker from gender_tags where item_kind = ?) t
            where t.municipality_id = r.municipality_id and t.item_key = {key}''', [kind])


def municipality_groups(con: duckdb.DuckDBPyConnection, batch: int = BATCH) -> tuple[list[list[str]], int]:
    """The municipalities of a warehouse in batches of ``batch`` (stored order), and how many.

    Rows of municipalities the municipalities relation does not list (none in a build) still get
    analysed: they are appended as a last batch.
    """
    munis = [r[0] for r in con.execute("select municipality_id from municipalities order by rowid").fetchall()]
    others = sorted({r[0] for r in con.execute(
        "select distinct municipality_id from documents where municipality_id not in "
        "(select municipality_id from municipalities)").fetchall()})
    groups = [munis[i:i + batch] for i in range(0, len(munis), batch)] + ([others] if others else [])
    return groups, len(munis) + len(others)


def _input_names(present: set[str] | None) -> tuple[tuple[str, ...], bool]:
    """The relations a batch reads as rows, and whether ``indicator_values`` is there to reduce.

    indicator_values (the largest relation) is not read as rows: DuckDB reduces it to what the
    rules use (etl.analysis.values), a third of the rows and no per-row walk in Python.
    """
    names = tuple(n for n in TAGGED_RELATIONS + INPUT_RELATIONS
                  if (present is None or n in present) and n != "indicator_values")
    return names, present is None or "indicator_values" in present


def analyse_group(read_from: duckdb.DuckDBPyConnection, analysis: Analysis, group: list[str],
                  present: set[str] | None = None, superseded: frozenset[str] = frozenset()
                  ) -> tuple[dict[str, list[dict]], Spanning]:
    """Read one group of municipalities from ``read_from`` and compute its analysis relations
    (:meth:`Analysis.compute`: nothing is remembered, so a worker process can run it); returns
    the rows of every relation in ANALYSIS_RELATIONS and what of them spans groups."""
    names, with_values = _input_names(present)
    rows = read_rows(read_from, names, group, READ_COLUMNS)
    for d in rows.get("documents") or []:
        if d["document_id"] in superseded:
            d["superseded"] = True
    values = (indicator_values.from_warehouse(read_from, *_owner_filter("indicator_values", group))
              if with_values and group else indicator_values.from_rows([]))
    analysis.compute(rows, values)
    return {name: rows.get(name) or [] for name in ANALYSIS_RELATIONS}, spanning(rows)


# One worker process's state (``analyse_batches`` with jobs > 1): its read-only connection to the
# warehouse, the analysis (the writer's, pickled) and what the batches read.
_worker: tuple | None = None


def _start_worker(source: str, analysis: Analysis, present: set[str] | None, superseded: frozenset[str]) -> None:
    global _worker
    # One DuckDB thread: the worker's SQL is a small part of its batch, and the processes
    # already fill the cores (more threads only contend).
    _worker = (duckdb.connect(source, read_only=True, config={"threads": 1}), analysis, present, superseded)


def _worker_group(group: list[str]) -> tuple[dict, Spanning]:
    """One group computed in a worker, its relations as column tables: they pickle as buffers,
    and the writer inserts them without building columns from dicts."""
    con, analysis, present, superseded = _worker
    rows, spans = analyse_group(con, analysis, group, present, superseded)
    return {name: columns_of(name, rows.pop(name)) for name in ANALYSIS_RELATIONS}, spans


def _computed(groups: list[list[str]], jobs: int, source: Path, analysis: Analysis, present: set[str] | None,
              superseded: frozenset[str]) -> Iterator[tuple[dict, Spanning]]:
    """The groups' analysis relations (column tables) in the order of ``groups``, computed by
    ``jobs`` worker processes, each with its own read-only connection to ``source``.

    At most ``jobs + 1`` groups are in flight, so memory holds a few batches whatever their
    number. Spawned, not forked: the parent holds DuckDB connections and their threads.
    """
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_start_worker,
                             initargs=(str(source), analysis, present, superseded)) as pool:
        ahead: deque = deque()
        todo = iter(groups)
        try:
            for group in itertools.islice(todo, jobs + 1):
                ahead.append(pool.submit(_worker_group, group))
            while ahead:
                done = ahead.popleft().result()
                for group in itertools.islice(todo, 1):
                    ahead.append(pool.submit(_worker_group, group))
                yield done
        finally:
            for f in ahead:
                f.cancel()


def analyse_batches(con: duckdb.DuckDBPyConnection, analysis: Analysis, groups: list[list[str]],
                    read_from: duckdb.DuckDBPyConnection | None = None,
                    present: set[str] | None = None, superseded: frozenset[str] = frozenset(),
                    jobs: int = 1, source: Path | None = None) -> None:
    """Analyse ``groups`` of municipalities one at a time and write every analysis relation into
    ``con`` (whose tagged relations already hold their rows); the extracted rows are read from
    ``read_from`` (default ``con``), only the relations in ``present`` (default all).

    ``superseded``: ids of documents a build loaded no records of (a duplicate); the documents
    relation does not say so, and the scorecard leaves their tables out.

    ``jobs`` > 1 with ``source`` (the file ``read_from`` reads, which no process is writing):
    that many worker processes compute the groups (:func:`analyse_group`), each reading
    ``source`` itself, while this process writes their results in order — the single writer.
    Every group is a function of its own municipalities' rows, so the rows are those of one
    process, in the same order.
    """
    read_from = read_from or con
    # Each batch appends to a dozen relations: at DuckDB's default 16 MB write-ahead log it
    # checkpointed (compressed and rewrote the open row groups) every batch or two, a third of the
    # write's CPU; a larger log checkpoints every few batches, memory still bounded.
    con.execute(f"set checkpoint_threshold = '{CHECKPOINT_MB}MB'")
    if jobs > 1 and source is not None and len(groups) > 1:
        for tables, spans in _computed(groups, min(jobs, len(groups)), source, analysis, present, superseded):
            analysis.absorb(spans)
            for name in ANALYSIS_RELATIONS:
                insert_table(con, name, tables.pop(name))
    else:
        for group in groups:
            rows, spans = analyse_group(read_from, analysis, group, present, superseded)
            analysis.absorb(spans)
            for name in ANALYSIS_RELATIONS:
                insert_rows(con, name, rows.pop(name))
    set_markers(con)
    insert_rows(con, "peer_medians", analysis.peer_medians())


@contextmanager
def atomic_target(target: Path, copy_of: Path | None = None) -> Iterator[tuple[Path, duckdb.DuckDBPyConnection]]:
    """A connection to a temp file beside ``target`` that replaces it when the block ends
    without an error (the same naming and fsyncs as :func:`etl.load.write_warehouse`); the temp
    file starts as a byte copy of ``copy_of`` when given."""
    from etl.load import remove_stale_temp_files

    remove_stale_temp_files(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if copy_of is not None:
        shutil.copyfile(copy_of, tmp)
    con = duckdb.connect(str(tmp))
    try:
        yield tmp, con
        con.execute("checkpoint")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def reanalyse(warehouse: Path, overrides_path: Path | None, batch: int = BATCH, jobs: int = 1) -> AnalyseReport:
    """Re-compute every analysis relation of ``warehouse`` in place (atomically); no PDF is read.

    ``jobs`` > 1: that many worker processes compute the batches, reading the warehouse
    read-only, and this process writes them (:func:`analyse_batches`); the result is the same.
    Raises FileNotFoundError when the warehouse does not exist.
    """
    t0 = time.perf_counter()
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist; build it first with `python -m etl build`")
    report = AnalyseReport(warehouse=warehouse)
    src = duckdb.connect(str(warehouse), read_only=True)
    names = ExitStack()  # the build's check: an override whose item_name no longer matches is not applied
    try:
        used, name_problems, shown = names.enter_context(named_overrides(overrides_path, lambda keys: item_names(
            read_rows(src, TAGGED_RELATIONS, sorted({k[0] for k in keys}), NAME_COLUMNS))))
        analysis = Analysis.load(used)
        groups, report.municipalities = municipality_groups(src, batch)
        src_relations = {r[0] for r in src.execute(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        # The extracted relations are kept as they are: the new file starts as a byte copy of the
        # warehouse (DuckDB re-encoding 13 M rows cost more CPU than analysing 300 municipalities).
        # A write-ahead log beside it holds changes the file does not: then every relation is copied by SQL.
        as_bytes = not warehouse.with_name(warehouse.name + ".wal").exists()
        with atomic_target(warehouse, copy_of=warehouse if as_bytes else None) as (tmp, con):
            if as_bytes:
                for rel in RELATIONS:
                    if rel.name in ANALYSIS_RELATIONS + ACROSS_RELATIONS:
                        con.execute(f'drop table if exists "{rel.name}"')
                    if rel.name in ANALYSIS_RELATIONS + ACROSS_RELATIONS or rel.name not in src_relations:
                        con.execute(rel.ddl())
                con.execute("delete from validation_issues where check_name is not distinct from ?", [USER_FILES_CHECK])
            else:
                con.execute(f"attach '{warehouse}' as src (read_only)")
                for rel in RELATIONS:
                    con.execute(rel.ddl())
                for rel in RELATIONS:
                    if rel.name in ANALYSIS_RELATIONS + ACROSS_RELATIONS or rel.name not in src_relations:
                        continue
                    cols = ", ".join(f'"{c}"' for c in rel.column_names)
                    keep = (f"where check_name is distinct from '{USER_FILES_CHECK}'"
                            if rel.name == "validation_issues" else "")
                    con.execute(f'insert into "{rel.name}" ({cols}) select {cols} from src."{rel.name}" {keep} '
                                'order by rowid')
                con.execute("detach src")
            # A warehouse built before a relation existed reads it as empty.
            analyse_batches(con, analysis, groups, read_from=src, present=src_relations, jobs=jobs, source=warehouse)
            report.warnings = [shown(m) for m in name_problems + analysis.problems()]
            insert_rows(con, "validation_issues", [
                {"document_id": None, "municipality_id": None, "severity": "warning", "check_name": USER_FILES_CHECK,
                 "message": m, "source_page": None} for m in report.warnings])
            report.counts = {name: con.execute(f'select count(*) from "{name}"').fetchone()[0]
                             for name in TAGGED_RELATIONS + ANALYSIS_RELATIONS + ACROSS_RELATIONS}
    finally:
        names.close()
        src.close()
    report.seconds = time.perf_counter() - t0
    return report

