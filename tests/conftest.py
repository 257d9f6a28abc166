"""Shared fixtures: the sample corpora and warehouses built from them once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.build import build

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _build_corpus(tmp_factory, name: str, folders: list[Path]) -> tuple[Path, object]:
    raw = tmp_factory.mktemp(f"{name}_raw")
    for f in folders:
        shutil.copytree(f, raw / f.name)
    wh = tmp_factory.mktemp(f"{name}_wh") / "warehouse.duckdb"
    report = build(raw, wh, jobs=2)
    return wh, report


@pytest.fixture(scope="session")
def shared_corpus(tmp_path_factory):
    """Warehouse built from ../shared/corpus (the project's yardstick) and its build report."""
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} not found: the shared sample corpus sits beside the repository in CI")
    folders = sorted(p for p in corpus.iterdir() if p.is_dir() and p.name != "truth")
    return _build_corpus(tmp_path_factory, "shared", folders)


@pytest.fixture(scope="session")
def embedded_sample(tmp_path_factory):
    """Warehouse built from the embedded synthetic sample in data/raw."""
    raw = REPO / "data" / "raw"
    folders = sorted(p for p in raw.iterdir() if p.is_dir() and any(p.glob("*.pdf")))
    if not folders:
        pytest.fail("data/raw holds no sample PDFs; regenerate them with `python -m etl.sample`")
    return _build_corpus(tmp_path_factory, "sample", folders)


def read_relation(warehouse: Path, name: str) -> list[dict]:
    """All rows of a relation as dicts (read-only connection)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(f'select * from "{name}"')
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
