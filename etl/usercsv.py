"""The one reader and writer of the CSV files people edit by hand (overrides, objective links).

People open these files in Excel and save them again. Excel writes a UTF-8 byte-order mark,
uses ``;`` as the separator in a Turkish locale, and Notepad on a Turkish Windows saves
Windows-1254. All of that is read correctly here (:func:`read`): the BOM is dropped, the
separator is taken from the header line, and a file that is not UTF-8 is decoded as
cp1254 with a warning. Header names are matched without case or surrounding blanks.

Every change goes through :func:`update`, which holds a lock (a ``flock`` on a file beside
the CSV, so two processes saving at once both keep their rows), re-reads the file under it,
keeps a dated copy of the previous file in ``backups/`` beside it, writes a temporary file and
swaps it in with ``os.replace`` (a reader sees the old file or the new one, never half).

The build, the analysis, the Tag review page and the upload page's "Rebuild now" find the
overrides file the same way: :func:`overrides_path` (``$IZLEK_OVERRIDES``, else
``data/gender_overrides.csv``); the links file sits beside it (``objective_links.csv``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import io
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OVERRIDES_ENV = "IZLEK_OVERRIDES"
DEFAULT_OVERRIDES = REPO_ROOT / "data" / "gender_overrides.csv"
BACKUP_DIR = "backups"
KEEP_BACKUPS = 20
BOM = "\ufeff"

_thread_locks: dict[str, threading.Lock] = {}
_registry_lock = threading.Lock()


def overrides_path() -> Path:
    """The user's overrides CSV: ``$IZLEK_OVERRIDES`` or ``data/gender_overrides.csv``."""
    configured = os.environ.get(OVERRIDES_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_OVERRIDES


def decode(data: bytes, what: str = "the file") -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): UTF-8 (BOM dropped), else Windows-1254 with a warning."""
    if data.startswith(BOM.encode()):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1254", errors="replace")
    return text, "cp1254", [f"{what} is not UTF-8; it was read as Windows-1254 (Turkish Windows). "
                            "Save it as 'CSV UTF-8' (or UTF-8 in Notepad) to silence this warning."]


@dataclass
class CsvFile:
    """A hand-edited CSV as read: leading comments, header, rows and how it was written."""

    comments: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # physical line number of each row
    delimiter: str = ","
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    @property
    def bom(self) -> bool:
        # Excel needs the BOM to read UTF-8; a file that came from Excel (or cp1254) keeps one.
        return self.encoding in ("utf-8-sig", "cp1254")


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read(path: Path | None) -> CsvFile:
    """The file (an empty :class:`CsvFile` when it does not exist). Comment lines (``#``)
    before the header are kept in ``comments``; later ones are skipped."""
    out = CsvFile()
    if path is None or not Path(path).is_file():
        return out
    text, out.encoding, out.warnings = decode(Path(path).read_bytes(), str(path))
    lines = text.splitlines()
    i = 0
    while i < len(lines) and lines[i].lstrip().startswith("#"):
        out.comments.append(lines[i])
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        return out
    out.delimiter = _delimiter(lines[i])
    body = [(n + 1, ln) for n, ln in enumerate(lines) if n >= i and not ln.lstrip().startswith("#")]
    reader = csv.reader((ln for _, ln in body), delimiter=out.delimiter)
    numbers = iter(n for n, _ in body)
    header = next(reader, [])
    next(numbers, None)
    out.fields = [h.replace(BOM, "").strip().lower() for h in header]
    for cells in reader:
        n = next(numbers, 0)
        if not any(c.strip() for c in cells):
            continue
        row = {f: (cells[k].strip() if k < len(cells) else "") for k, f in enumerate(out.fields) if f}
        out.rows.append(row)
        out.lines.append(n)
    return out


def rows(path: Path | None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of every data row; nothing when the file does not exist."""
    f = read(path)
    yield from zip(f.lines, f.rows, strict=True)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Exclusive lock for changing ``path``: across threads and processes (``flock``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _registry_lock:
        tlock = _thread_locks.setdefault(str(path.resolve()), threading.Lock())
    with tlock, open(path.with_name(f".{path.name}.lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _backup(path: Path) -> None:
    if not path.is_file():
        return
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S.%f")
    (folder / f"{path.name}.{stamp}.bak").write_bytes(path.read_bytes())
    old = sorted(folder.glob(f"{path.name}.*.bak"))
    for p in old[:-KEEP_BACKUPS]:
        p.unlink(missing_ok=True)


def write(path: Path, csvfile: CsvFile, fields: list[str]) -> None:
    """Write ``csvfile`` (its comments, rows and separator) with columns ``fields`` atomically,
    after a dated backup of the current file. Call it inside :func:`locked`."""
    path = Path(path)
    out = io.StringIO()
    for c in csvfile.comments:
        out.write(c + "\n")
    writer = csv.DictWriter(out, fieldnames=fields, delimiter=csvfile.delimiter, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows({f: r.get(f, "") for f in fields} for r in csvfile.rows)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    _backup(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if csvfile.bom else "utf-8", newline="") as fh:
            fh.write(out.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update(path: Path, fields: tuple[str, ...] | list[str],
           change: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> CsvFile:
    """Read ``path`` under the lock, replace its rows by ``change(rows)``, write it back.

    Columns are ``fields`` followed by any other column the file already had (kept, not lost).
    Returns the file as written.
    """
    path = Path(path)
    with locked(path):
        current = read(path)
        current.rows = change([dict(r) for r in current.rows])
        columns = list(fields) + [f for f in current.fields if f and f not in fields]
        write(path, current, columns)
    return current
