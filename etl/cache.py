"""Per-document extraction cache: a rebuild re-extracts only documents that changed.

An entry is keyed by the file's sha256 and :func:`code_hash` — a hash of every source file
under ``etl/`` and of the layout data files — so any edit to the code that produces a result
(``etl/checks.py`` included) makes every entry a miss: a build after a code change equals a
cold build. There is no version number to bump by hand.

Entries are gzipped JSON, never pickle (loading a pickle runs code and breaks when classes
move). Only documents that were read (``ok`` or ``partial``) are stored: a failure may be a
timeout, a full disk or a bug fixed tomorrow, so it is retried on the next build. Anything
unreadable — truncated, corrupt, another format, a value of the wrong shape — is a miss.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
from functools import cache
from pathlib import Path

from etl.layout import layout_hash

ETL_DIR = Path(__file__).resolve().parent
FORMAT = "1"  # the entry layout below; part of the key so a new layout never reads an old one


@cache
def code_hash() -> str:
    """Hash of every ``*.py`` and data file under ``etl/`` (the embedded sample generator excepted)."""
    h = hashlib.sha256(f"format {FORMAT} layout {layout_hash()}\n".encode())
    files = sorted(p for p in ETL_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".csv")
                   and "__pycache__" not in p.parts and "sample" not in p.relative_to(ETL_DIR).parts)
    for p in files:
        h.update(str(p.relative_to(ETL_DIR)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256[:32]}-{code_hash()}.json.gz"


def load(cache_dir: Path, sha256: str):
    """The cached DocumentResult for this content, or None (absent or unreadable: a miss)."""
    from etl.extract import DocumentResult
    from etl.records.common import Records

    try:
        with gzip.open(_path(cache_dir, sha256), "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        records = Records()
        for relation, rows in data["records"].items():
            records[relation] = [dict(r) for r in rows]
        result = DocumentResult(dict(data["document"]), records, [dict(t) for t in data["tables"]],
                                [dict(g) for g in data["regions"]], [dict(t) for t in data.get("page_texts", [])])
        if result.document.get("sha256") != sha256 or result.document.get("status") == "failed":
            return None
        return result
    except Exception:  # noqa: BLE001  (any unreadable entry is a miss, never a crash)
        return None


def store(cache_dir: Path, sha256: str, result) -> str | None:
    """Write the entry atomically; returns why not when it could not be written (e.g. disk full).

    Failed documents are never stored. A cache that cannot be written only costs time on the
    next build, so no error here stops a build; the half-written temp file is removed.
    """
    if result.document.get("status") == "failed":
        return None
    p = _path(cache_dir, sha256)
    tmp = p.with_name(p.name + f".tmp-{os.getpid()}")
    try:
        payload = json.dumps({"document": result.document, "records": dict(result.records),
                              "tables": result.tables, "regions": getattr(result, "regions", []),
                              "page_texts": getattr(result, "page_texts", [])},
                             ensure_ascii=False, allow_nan=True)
        cache_dir.mkdir(parents=True, exist_ok=True)
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as fh:
            fh.write(payload)
        os.replace(tmp, p)
    except (OSError, TypeError, ValueError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return f"{type(exc).__name__}: {exc}"
    return None


def rebind(result, municipality_id: str, file_name: str, from_cache: bool = True):
    """Point a result at the file it is now loaded from (same content, maybe a new name)."""
    old_id = result.document["document_id"]
    old_mid = result.document.get("municipality_id")
    new_id = f"{municipality_id}/{file_name}"
    old_name = result.document.get("file_name")
    result.document.update(document_id=new_id, municipality_id=municipality_id, file_name=file_name)
    if from_cache:
        result.document["from_cache"] = True
    if old_name and old_name != file_name and result.document.get("message"):
        result.document["message"] = result.document["message"].replace(old_name, file_name)
    for rows in result.records.values():
        for r in rows:
            if r.get("source_document_id") == old_id:
                r["source_document_id"] = new_id
            if r.get("document_id") == old_id:
                r["document_id"] = new_id
            if "municipality_id" in r:
                r["municipality_id"] = municipality_id
            # Ids that start with the municipality (activity_id) follow the folder too.
            if old_mid and old_mid != municipality_id and str(r.get("activity_id") or "").startswith(old_mid + ":"):
                r["activity_id"] = municipality_id + r["activity_id"][len(old_mid):]
    for t in [*result.tables, *getattr(result, "regions", []), *getattr(result, "page_texts", [])]:
        t["document_id"] = new_id
    return result
