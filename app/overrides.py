"""The user's gender-marker overrides file, as the Tag review page reads and writes it.

``data/gender_overrides.csv`` (or ``$IZLEK_OVERRIDES``) has the columns
``municipality_id,item_kind,item_key,marker,note,date`` — one row per item, the last word wins.
The ETL reads it on the next build (``etl.analysis.marker.read_overrides``) and overrides win
over the rules; this module only edits the file:

* every write goes to a temporary file beside it, then ``os.replace`` — a reader (the build)
  sees the old file or the new one, never half of one;
* comment lines (``#…``) at the top are kept;
* nothing is written when the app runs read-only (the default; ``IZLEK_READ_ONLY=0`` allows writing): :class:`ReadOnly`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from app.settings import READ_ONLY_ENV, read_only  # noqa: F401  (READ_ONLY_ENV re-exported for callers)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO_ROOT / "data" / "gender_overrides.csv"
PATH_ENV = "IZLEK_OVERRIDES"
FIELDS = ("municipality_id", "item_kind", "item_key", "marker", "note", "date")
ITEM_KINDS = ("objective", "indicator", "activity")
MARKERS = (0, 1, 2)

Key = tuple[str, str, str]  # (municipality_id, item_kind, item_key), as the ETL keys overrides

# One writer at a time inside this process (Streamlit runs a thread per session).
_write_lock = threading.Lock()


class ReadOnly(PermissionError):
    """The app runs read-only (the default; ``IZLEK_READ_ONLY=0`` allows writing); overrides cannot be saved."""




def overrides_path() -> Path:
    """The overrides CSV: ``$IZLEK_OVERRIDES`` or ``data/gender_overrides.csv``."""
    configured = os.environ.get(PATH_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_PATH


def _clean(value: object) -> str:
    # The ETL skips physical lines starting with "#", so a line break inside a quoted note
    # could hide the rest of a row from it: keep every field on one line.
    return " ".join(str("" if value is None else value).split())


def _split(path: Path) -> tuple[list[str], list[dict]]:
    """Leading comment lines and the rows of the file (no file: nothing)."""
    if not path.exists():
        return [], []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    comments = []
    while lines and lines[0].lstrip().startswith("#"):
        comments.append(lines.pop(0).rstrip("\r\n"))
    body = [ln for ln in lines if not ln.lstrip().startswith("#")]
    rows = [{f: (r.get(f) or "").strip() for f in FIELDS} for r in csv.DictReader(io.StringIO("".join(body)))]
    return comments, rows


def read(path: Path | None = None) -> list[dict]:
    """The rows of the overrides file (all columns as text), in file order."""
    return _split(path or overrides_path())[1]


def key_of(row: dict) -> Key:
    return (str(row["municipality_id"]).strip(), str(row["item_kind"]).strip(), str(row["item_key"]).strip())


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


def _write(path: Path, comments: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    for c in comments:
        out.write(c + "\n")
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(out.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    with _write_lock:
        comments, rows = _split(path)
        index = {key_of(r): i for i, r in enumerate(rows)}
        for row in new:
            k = key_of(row)
            if k in index:
                rows[index[k]] = row
            else:
                index[k] = len(rows)
                rows.append(row)
        _write(path, comments, rows)
    return new


def remove(keys: Iterable[Key], path: Path | None = None) -> int:
    """Delete the overrides with these keys; returns how many rows went. Read-only: :class:`ReadOnly`."""
    if read_only():
        raise ReadOnly("the app runs read-only (set IZLEK_READ_ONLY=0 to allow it); overrides are not changed")
    path = path or overrides_path()
    gone = {tuple(str(p).strip() for p in k) for k in keys}
    with _write_lock:
        comments, rows = _split(path)
        kept = [r for r in rows if key_of(r) not in gone]
        if len(kept) != len(rows):
            _write(path, comments, kept)
    return len(rows) - len(kept)
