"""Per-document extraction cache: a rebuild re-extracts only documents that changed.

Keyed by the file's sha256, the extractor version and the hash of the layout data files, so
editing a header synonym invalidates every entry while renaming a file invalidates none.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from etl.layout import layout_hash

EXTRACTOR_VERSION = "2"  # 2: table regions


def _path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256[:32]}-v{EXTRACTOR_VERSION}-{layout_hash()}.pickle"


def load(cache_dir: Path, sha256: str):
    """The cached DocumentResult for this content, or None."""
    p = _path(cache_dir, sha256)
    try:
        with open(p, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError):
        return None


def store(cache_dir: Path, sha256: str, result) -> None:
    """Write atomically, so a killed build never leaves a truncated entry."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    p = _path(cache_dir, sha256)
    tmp = p.with_name(p.name + f".tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, p)


def rebind(result, municipality_id: str, file_name: str):
    """Point a cached result at the file it is now loaded from (same content, maybe a new name)."""
    old_id = result.document["document_id"]
    new_id = f"{municipality_id}/{file_name}"
    result.document.update(document_id=new_id, municipality_id=municipality_id, file_name=file_name, from_cache=True)
    for rows in result.records.values():
        for r in rows:
            if r.get("source_document_id") == old_id:
                r["source_document_id"] = new_id
            if r.get("document_id") == old_id:
                r["document_id"] = new_id
            if "municipality_id" in r:
                r["municipality_id"] = municipality_id
    for t in [*result.tables, *getattr(result, "regions", [])]:
        t["document_id"] = new_id
    return result
