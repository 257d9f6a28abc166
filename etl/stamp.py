"""The build stamp: a small JSON file beside the warehouse saying what it was built from.

When the inputs (every PDF's sha256, the municipality.toml files, the user's overrides and
links, the layout and analysis data files, the ETL's own source code) and the warehouse file are
unchanged, a rebuild has nothing to do and ends at once with the previous report.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from etl.cache import code_hash

SCHEMA_FILE = Path(__file__).with_name("schema.py")
ANALYSIS_DIR = Path(__file__).parent / "analysis"


def _path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.stamp.json")


def _file_key(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_mtime_ns, st.st_size]


def fingerprint(raw: Path, documents: list[tuple[str, str, str]], user_files: list[Path | None]) -> str:
    """Hash of everything a build reads: (municipality_id, file name, sha256) of every PDF and more."""
    h = hashlib.sha256()
    h.update(f"code {code_hash()}\n".encode())
    for mid, name, sha in sorted(documents):
        h.update(f"{mid}/{name} {sha}\n".encode())
    # The analysis code and the schema too: a new analysis relation or rule must rebuild an
    # unchanged raw folder (the extraction still comes from the cache).
    extra = sorted(raw.glob("*/municipality.toml")) + sorted(raw.glob("*/layout.toml")) + sorted(ANALYSIS_DIR.glob("*.toml")) + \
        sorted(ANALYSIS_DIR.glob("*.csv")) + sorted(ANALYSIS_DIR.glob("*.py")) + [SCHEMA_FILE] + \
        [p for p in user_files if p is not None]
    for p in extra:
        h.update(str(p).encode())
        h.update(Path(p).read_bytes() if Path(p).is_file() else b"(absent)")
    return h.hexdigest()


def up_to_date(warehouse: Path, print_: str) -> dict | None:
    """The previous build's report when the stamp matches ``print_`` and the warehouse is untouched."""
    try:
        stamp = json.loads(_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stamp.get("fingerprint") != print_ or stamp.get("warehouse") != _file_key(warehouse):
        return None
    return stamp.get("report")


def write(warehouse: Path, print_: str, report: dict) -> None:
    """Record what the warehouse just written was built from (atomically)."""
    path = _path(warehouse)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps({"fingerprint": print_, "warehouse": _file_key(warehouse), "report": report},
                                  ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        # No stamp only means the next build does the work again (e.g. the disk is full).
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
