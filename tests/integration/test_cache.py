"""A cache that cannot be stale: keyed by the code, failures never stored, bad entries missed."""

from __future__ import annotations

import gzip
import shutil

import pytest

from etl import cache
from etl.build import build
from tests.conftest import read_relation
from tests.integration.test_hostile_inputs import FONT, _report

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
ROWS = [("PG1.1.1", "Kadın sayısı", "kişi", "100", "90", "90,00"), ("PG1.1.2", "Kurs", "adet", "4", "4", "100,00")]


@pytest.fixture()
def raw(tmp_path):
    folder = tmp_path / "raw" / "deneme"
    folder.mkdir(parents=True)
    _report(folder / "fr2024.pdf", ROWS)
    (folder / "bozuk.pdf").write_bytes(b"%PDF-1.7\n garbage")
    return tmp_path / "raw"


def test_cached_build_equals_cold_build_and_failures_are_not_stored(raw, tmp_path):
    c = tmp_path / "cache"
    cold = build(raw, tmp_path / "cold.duckdb", cache_dir=c)
    warm = build(raw, tmp_path / "warm.duckdb", cache_dir=c)
    assert cold.cached == 0 and warm.cached == 1  # the broken file is extracted again, never cached
    assert len(list(c.glob("*.json.gz"))) == 1
    for rel in ("documents", "report_results", "extracted_tables", "table_regions"):
        strip = ({"seconds", "from_cache", "message"} if rel == "documents" else set())
        rows = [[{k: v for k, v in r.items() if k not in strip} for r in read_relation(tmp_path / f"{w}.duckdb", rel)]
                for w in ("cold", "warm")]
        assert rows[0] == rows[1], rel


def test_a_code_change_makes_the_next_build_a_cold_one(raw, tmp_path, monkeypatch):
    c, wh = tmp_path / "cache", tmp_path / "w.duckdb"
    build(raw, wh, cache_dir=c)
    assert build(raw, wh, cache_dir=c).up_to_date
    # Edit a copy of etl/checks.py (the probe of the issue): the stamp and every entry go stale.
    etl_copy = tmp_path / "etl"
    shutil.copytree(cache.ETL_DIR, etl_copy, ignore=shutil.ignore_patterns("__pycache__", "sample"))
    with open(etl_copy / "checks.py", "a", encoding="utf-8") as fh:
        fh.write("\n# an edit\n")
    monkeypatch.setattr(cache, "ETL_DIR", etl_copy)
    cache.code_hash.cache_clear()
    try:
        again = build(raw, wh, cache_dir=c)
    finally:
        cache.code_hash.cache_clear()
    assert not again.up_to_date and again.cached == 0


def test_an_unreadable_entry_is_a_miss(raw, tmp_path):
    c = tmp_path / "cache"
    build(raw, tmp_path / "a.duckdb", cache_dir=c)
    (entry,) = c.glob("*.json.gz")
    good = entry.read_bytes()
    for i, content in enumerate((b"", b"\x80\x04garbage pickle", gzip.compress(b"{not json"),
                                 gzip.compress(b'{"document": {"status": "ok"}}'))):
        entry.write_bytes(content)
        again = build(raw, tmp_path / f"b{i}.duckdb", cache_dir=c)
        assert again.cached == 0, content
        assert {d["file_name"]: d["status"] for d in again.documents}["fr2024.pdf"] == "ok"
        assert entry.read_bytes() != content  # rewritten by the build that missed it
    assert len(good) > 100
