"""Write the warehouse: every relation of etl.schema into a temporary DuckDB file, then an
atomic rename over the old one, so readers never see a half-built warehouse and a killed
build leaves the previous one intact. Any failure while writing (a full disk above all)
removes the temp file and is raised as an ``OSError`` whose message says what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from etl.schema import RELATIONS

_BY_NAME = {r.name: r for r in RELATIONS}


def _frame(relation, rows: list[dict]) -> pd.DataFrame:
    cols = relation.column_names
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    return df.astype(object).where(pd.notna(df), None) if len(df) else df


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Delete temp files that builds killed mid-write left beside ``target`` (their process is gone)."""
    removed = []
    for p in target.parent.glob(f".{target.name}.tmp-*"):
        pid = p.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def _no_space(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    # DuckDB reports I/O errors as its own exception type, with the OS message inside.
    return isinstance(exc, duckdb.Error) and ("No space left" in str(exc) or "Disk quota" in str(exc))


def columns_of(name: str, rows: list[dict]) -> pa.Table | pd.DataFrame:
    """``rows`` (dicts) of relation ``name`` as a table of its columns, missing keys NULL, for
    :func:`insert_table`.

    Column lists go to an Arrow table (types inferred in C++, cast to the relation's types on
    insert): a fraction of the memory and time of a pandas frame of objects. A column Arrow
    cannot type (an int among strings) goes through the pandas frame as before. Either pickles
    cheaply, so a worker process can build it for the writing process.
    """
    rel = _BY_NAME[name]
    try:
        return pa.table({c: [r.get(c) for r in rows] for c in rel.column_names})
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _frame(rel, rows)


def insert_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table | pd.DataFrame) -> None:
    """Append ``table`` (:func:`columns_of`) to relation ``name``."""
    if not len(table):
        return
    names = ", ".join(f'"{c}"' for c in _BY_NAME[name].column_names)
    con.execute(f'insert into "{name}" ({names}) select {names} from "table"')  # DuckDB's replacement scan


def insert_rows(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict]) -> None:
    """Append ``rows`` (dicts) to relation ``name``; missing keys are NULL."""
    if rows:
        insert_table(con, name, columns_of(name, rows))


def _write(tmp: Path, rows: dict[str, list[dict]], after: Callable[[duckdb.DuckDBPyConnection], None] | None,
           release: bool) -> None:
    con = duckdb.connect(str(tmp))
    try:
        for rel in RELATIONS:
            con.execute(rel.ddl())
            # ``release``: a relation's dicts are dropped once written, so memory holds one
            # relation's Arrow copy at a time, not a second copy of everything.
            data = (rows.pop(rel.name, None) if release else rows.get(rel.name)) or []
            insert_rows(con, rel.name, data)
            del data
        if after is not None:
            after(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def write_warehouse(target: Path, rows: dict[str, list[dict]],
                    after: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
                    release: bool = False) -> Path:
    """Create all relations with ``rows`` in a temp file next to ``target`` and swap it in.

    ``after(con)`` runs on the temp file's connection once every relation is written, before the
    swap (the build analyses the loaded rows there); an error in it leaves ``target`` as it was.
    ``release`` removes each relation from ``rows`` once it is written.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    leftovers = (tmp, tmp.with_name(tmp.name + ".wal"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        _write(tmp, rows, after, release)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        if _no_space(exc):
            free = shutil.disk_usage(target.parent).free // (1024 * 1024)
            raise OSError(errno.ENOSPC, f"no space left on the disk of {target.parent} ({free} MB free) while "
                                        f"writing the warehouse; the previous {target.name} is unchanged and the "
                                        "temporary file was removed. Free some space and build again.") from exc
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return target
