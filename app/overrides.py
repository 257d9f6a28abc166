"""The user's gender-marker overrides file, as the Tag review page reads and writes it.

``data/gender_overrides.csv`` (or ``$IZLEK_OVERRIDES``) has the columns
``municipality_id,item_kind,item_key,marker,note,date,item_name`` — one row per item, the last word
wins. ``item_name`` is the item's name when the override was saved: should the id later name
another item (a re-issued document), the build reports the row instead of applying it.
The ETL reads it on the next build (``etl.analysis.marker.read_overrides``) and overrides win
over the rules; this module only edits the file:

* reading and writing go through :mod:`etl.usercsv`, the one reader/writer the build uses too:
  an Excel-saved file (UTF-8 BOM, ``;``, Windows-1254) is read correctly, and a save holds a
  lock across processes, re-reads the file under it, keeps a dated backup and swaps the new
  file in atomically — a reader (the build) sees the old file or the new one, never half;
* comment lines (``#…``) at the top and columns this module does not know are kept;
* nothing is written when the app runs read-only (the default; ``IZLEK_READ_ONLY=0`` allows writing): :class:`ReadOnly`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from app.settings import READ_ONLY_ENV, read_only  # noqa: F401  (READ_ONLY_ENV re-exported for callers)
from etl import usercsv

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = usercsv.DEFAULT_OVERRIDES
PATH_ENV = usercsv.OVERRIDES_ENV
FIELDS = ("municipality_id", "item_kind", "item_key", "marker", "note", "date", "item_name")
ITEM_KINDS = ("objective", "indicator", "activity")
MARKERS = (0, 1, 2)

Key = tuple[str, str, str]  # (municipality_id, item_kind, item_key), as the ETL keys overrides


class ReadOnly(PermissionError):
    """The app runs read-only (the default; ``IZLEK_READ_ONLY=0`` allows writing); overrides cannot be saved."""


def overrides_path() -> Path:
    """The overrides CSV: ``$IZLEK_OVERRIDES`` or ``data/gender_overrides.csv`` (the build's rule too)."""
    return usercsv.overrides_path()


def _clean(value: object) -> str:
    # The ETL skips physical lines starting with "#", so a line break inside a quoted note
    # could hide the rest of a row from it: keep every field on one line.
    return " ".join(str("" if value is None else value).split())


def read(path: Path | None = None) -> list[dict]:
    """The rows of the overrides file (all columns as text), in file order."""
    return [{f: r.get(f, "") for f in FIELDS} for r in usercsv.read(path or overrides_path()).rows]


def key_of(row: dict) -> Key:
    """(municipality_id, item_kind, item_key) of an override row."""
    return (str(row.get("municipality_id", "")).strip(), str(row.get("item_kind", "")).strip(),
            str(row.get("item_key", "")).strip())


def _validated(change: dict, today: str) -> dict:
    row = {f: _clean(change.get(f)) for f in FIELDS}
    if not row["municipality_id"] or not row["item_key"]:
        raise ValueError(f"an override needs municipality_id and item_key: {change!r}")
    if row["item_kind"] not in ITEM_KINDS:
        raise ValueError(f"item_kind must be one of {ITEM_KINDS}, not {row['item_kind']!r}")
    try:
        marker = int(float(row["marker"]))
    except ValueError:
        raise ValueError(f"marker must be 0, 1 or 2, not {row['marker']!r}") from None
    if marker not in MARKERS or float(row["marker"]) != marker:
        raise ValueError(f"marker must be 0, 1 or 2, not {row['marker']!r}")
    row["marker"] = str(marker)
    row["date"] = today
    return row


def save(changes: Iterable[dict], path: Path | None = None, today: dt.date | None = None) -> list[dict]:
    """Add or update one override per change (keyed by municipality, kind and item key).

    Each change needs ``municipality_id``, ``item_kind``, ``item_key``, ``marker`` (0/1/2) and
    may carry a ``note``; ``date`` is set to today (ISO). Returns the rows written. Raises
    :class:`ReadOnly` in read-only mode and ``ValueError`` for an invalid change (then nothing
    is written).
    """
    if read_only():
        raise ReadOnly("the app runs read-only (set IZLEK_READ_ONLY=0 to allow it); overrides are not saved")
    path = path or overrides_path()
    day = (today or dt.date.today()).isoformat()
    new = [_validated(c, day) for c in changes]
    if not new:
        return []

    def apply(rows: list[dict]) -> list[dict]:
        index = {key_of(r): i for i, r in enumerate(rows)}
        for row in new:
            k = key_of(row)
            if k in index:
                old = rows[index[k]]
                rows[index[k]] = {**old, **row, "item_name": row["item_name"] or old.get("item_name", "")}
            else:
                index[k] = len(rows)
                rows.append(row)
        return rows

    usercsv.update(path, FIELDS, apply)
    return new


def remove(keys: Iterable[Key], path: Path | None = None) -> int:
    """Delete the overrides with these keys; returns how many rows went. Read-only: :class:`ReadOnly`."""
    if read_only():
        raise ReadOnly("the app runs read-only (set IZLEK_READ_ONLY=0 to allow it); overrides are not changed")
    path = path or overrides_path()
    gone = {tuple(str(p).strip() for p in k) for k in keys}
    if not gone or not path.exists():
        return 0
    removed = 0

    def apply(rows: list[dict]) -> list[dict]:
        nonlocal removed
        kept = [r for r in rows if key_of(r) not in gone]
        removed = len(rows) - len(kept)
        return kept

    usercsv.update(path, FIELDS, apply)
    return removed
