"""Read-only access to the warehouse for the dashboard: the only place the app opens DuckDB.

The warehouse file is written by the ETL (``python -m etl build``) into a temporary file that
is then renamed over ``data/warehouse.duckdb``. The app therefore

* opens it with ``read_only=True``, so it never holds the write lock;
* keeps one cached connection per path and hands out a fresh cursor per query, because a
  DuckDB connection must not be used from two threads (Streamlit runs a thread per session);
* notices when the file was replaced (its device, inode, mtime or size changed) and reconnects,
  because the open connection would otherwise keep reading the old, unlinked file;
* keeps the results of recent queries per version of the file (a page asks the same questions on
  every rerun and every visit; the warehouse only changes by a rebuild, which changes the key).

The warehouse is found through the environment variable ``IZLEK_WAREHOUSE``, else
``data/warehouse.duckdb`` under the repository root.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"
WAREHOUSE_ENV = "IZLEK_WAREHOUSE"

# Schemas DuckDB fills itself; everything else in the file is the warehouse's own.
_SYSTEM_SCHEMAS = ("information_schema", "pg_catalog")

FileKey = tuple[int, int, int, int]


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet (nothing has been built)."""


@dataclass(frozen=True)
class Relation:
    """One table or view of the warehouse, as the Warehouse page lists it."""

    name: str
    kind: str  # "table" or "view"
    row_count: int | None  # None when counting failed (e.g. a view that no longer binds)
    columns: tuple[str, ...]


@dataclass
class _Open:
    key: FileKey
    connection: duckdb.DuckDBPyConnection


_lock = threading.Lock()
_open: dict[Path, _Open] = {}

# Recent results: (path, file key, sql, params) → frame. Bounded in entries and in rows, so a
# server with 1,400 municipalities keeps the hot pages' answers and not the whole warehouse.
_RESULTS_MAX = 512
_RESULT_ROWS_MAX = 20_000
_results: OrderedDict[tuple, pd.DataFrame] = OrderedDict()


def warehouse_path() -> Path:
    """The warehouse file the app reads: ``$IZLEK_WAREHOUSE`` or ``data/warehouse.duckdb``."""
    configured = os.environ.get(WAREHOUSE_ENV, "").strip()
    path = Path(configured).expanduser() if configured else DEFAULT_WAREHOUSE
    return path.resolve()


def _file_key(path: Path) -> FileKey | None:
    """What identifies one version of the file; None when there is no file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)


def warehouse_version(path: Path | None = None) -> FileKey | None:
    """A value that changes whenever the warehouse file is rebuilt; None when it is missing.

    Pages can pass it to ``st.cache_data`` functions so cached results expire with the file.
    """
    return _file_key(path or warehouse_path())


def warehouse_exists(path: Path | None = None) -> bool:
    """Whether a warehouse file is there to read."""
    return _file_key(path or warehouse_path()) is not None


def _connection(path: Path) -> duckdb.DuckDBPyConnection:
    """The cached read-only connection to the current version of ``path``."""
    with _lock:
        key = _file_key(path)
        cached = _open.get(path)
        if cached is not None and cached.key == key:
            return cached.connection
        if cached is not None:
            # Close before reconnecting: DuckDB shares one database instance per path inside a
            # process, so while the old connection is open a new connect() would get the old,
            # replaced file again. Queries already running on its cursors still finish; later
            # ones fail with ConnectionException and are retried in `_run`.
            del _open[path]
            cached.connection.close()
        if key is None:
            raise WarehouseMissing(f"no warehouse at {path}; build it with `python -m etl build`")
        connection = duckdb.connect(str(path), read_only=True)
        _open[path] = _Open(key, connection)
        return connection


def _run(path: Path | None, work: Any) -> Any:
    """Call ``work(cursor)`` on a fresh cursor, once more if the file was swapped meanwhile."""
    path = path or warehouse_path()
    for attempt in range(2):
        cursor = _connection(path).cursor()
        try:
            return work(cursor)
        except duckdb.ConnectionException:
            # Another thread closed the connection because the file was replaced.
            if attempt:
                raise
        finally:
            cursor.close()
    raise AssertionError("unreachable")


def _hashable(params: Sequence[Any] | None) -> tuple | None:
    try:
        key = tuple(tuple(p) if isinstance(p, list | tuple) else p for p in params or ())
        hash(key)
    except TypeError:
        return None
    return key


def query(sql: str, params: Sequence[Any] | None = None, *, path: Path | None = None) -> pd.DataFrame:
    """Run one read-only SQL statement on the warehouse and return its result.

    The result is a fresh copy each time (callers may change it); a repeated question on the same
    version of the file is answered from memory.
    """
    path = path or warehouse_path()
    args = _hashable(params)
    version = _file_key(path)
    key = None if args is None or version is None else (path, version, sql, args)
    if key is not None:
        with _lock:
            cached = _results.get(key)
            if cached is not None:
                _results.move_to_end(key)
        if cached is not None:
            return cached.copy()
    df = _run(path, lambda cursor: cursor.execute(sql, params).df())
    if key is not None and len(df) <= _RESULT_ROWS_MAX:
        with _lock:
            _results[key] = df.copy()
            while len(_results) > _RESULTS_MAX:
                _results.popitem(last=False)
    return df


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def list_relations(path: Path | None = None) -> list[Relation]:
    """Every table and view of the warehouse with its row count and columns, sorted by name.

    Relations outside the ``main`` schema are named ``schema.name``.
    """

    def work(cursor: duckdb.DuckDBPyConnection) -> list[Relation]:
        placeholders = ", ".join("?" for _ in _SYSTEM_SCHEMAS)
        relations = cursor.execute(
            f"""
            SELECT table_schema, table_name, table_type
            FROM information_schema.tables
            WHERE table_catalog = current_database() AND table_schema NOT IN ({placeholders})
            ORDER BY table_schema <> 'main', table_schema, table_name
            """,
            list(_SYSTEM_SCHEMAS),
        ).fetchall()
        columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in cursor.execute(
            """
            SELECT table_schema, table_name, column_name
            FROM information_schema.columns
            WHERE table_catalog = current_database()
            ORDER BY table_schema, table_name, ordinal_position
            """
        ).fetchall():
            columns.setdefault((schema, table), []).append(column)

        result = []
        for schema, table, table_type in relations:
            qualified = f"{_quote(schema)}.{_quote(table)}"
            try:
                (row_count,) = cursor.execute(f"SELECT count(*) FROM {qualified}").fetchone()
            except duckdb.ConnectionException:
                raise
            except duckdb.Error:
                # One broken view must not hide the rest of the warehouse.
                row_count = None
            result.append(
                Relation(
                    name=table if schema == "main" else f"{schema}.{table}",
                    kind="view" if table_type == "VIEW" else "table",
                    row_count=row_count,
                    columns=tuple(columns.get((schema, table), ())),
                )
            )
        return result

    return _run(path, work)


def close_all() -> None:
    """Close every cached connection (tests use it; the app never needs to)."""
    with _lock:
        for cached in _open.values():
            cached.connection.close()
        _open.clear()
        _results.clear()
