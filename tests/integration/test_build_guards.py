"""A worse warehouse never silently replaces a good one; names, metadata and disks that bite.

Small synthetic activity reports (tests/integration/test_hostile_inputs.py's generator) keep this fast:
each probe of issue 13 is one test here, and each failed on the code before it.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import build as build_mod
from etl import load
from etl.__main__ import main
from etl.build import BuildError, BuildLocked, DiskFull, ShrinkRefused, build, build_lock, name_conflict
from tests.conftest import read_relation
from tests.integration.test_hostile_inputs import FONT, _report

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
ROWS = [(f"PG1.1.{i}", f"Gösterge {i}", "adet", "100", "90", "90,00") for i in range(1, 13)]


def _raw(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """raw/deneme/ with one activity report per file name (value: the title line)."""
    folder = tmp_path / "raw" / "deneme"
    folder.mkdir(parents=True, exist_ok=True)
    for name, title in (files or {"fr2024.pdf": "2024 YILI FAALİYET RAPORU"}).items():
        _report(folder / name, ROWS, title=title)
    return tmp_path / "raw"


def test_a_vanished_document_keeps_the_warehouse_unless_accepted(tmp_path, capsys):
    raw = _raw(tmp_path, {"fr2023.pdf": "2023 YILI FAALİYET RAPORU", "fr2024.pdf": "2024 YILI FAALİYET RAPORU"})
    wh = tmp_path / "w.duckdb"
    build(raw, wh)
    before = wh.read_bytes()
    (raw / "deneme" / "fr2023.pdf").unlink()
    with pytest.raises(ShrinkRefused) as exc:
        build(raw, wh)
    assert "deneme/fr2023.pdf" in str(exc.value) and "--accept-shrink" in str(exc.value)
    assert wh.read_bytes() == before
    assert main(["build", "--raw", str(raw), "--warehouse", str(wh), "--quiet", "--no-cache"]) == 3
    assert "would lose data" in capsys.readouterr().err and wh.read_bytes() == before
    assert main(["build", "--raw", str(raw), "--warehouse", str(wh), "--quiet", "--accept-shrink"]) == 0
    assert len(read_relation(wh, "documents")) == 1


def test_a_pdf_replaced_by_an_html_error_page_is_refused(tmp_path):
    raw = _raw(tmp_path)
    wh = tmp_path / "w.duckdb"
    build(raw, wh)
    n = len(read_relation(wh, "report_results"))
    (raw / "deneme" / "fr2024.pdf").write_bytes(b"<html><body>503 Service Unavailable</body></html>")
    with pytest.raises(ShrinkRefused) as exc:
        build(raw, wh)
    assert "now failed" in str(exc.value) and f"report_results would drop from {n} to 0" in str(exc.value)
    assert len(read_relation(wh, "report_results")) == n


def test_empty_or_misshapen_raw_folder_is_an_error(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "deneme").mkdir(parents=True)
    with pytest.raises(BuildError, match="no PDF found"):
        build(raw, tmp_path / "w.duckdb")
    (raw / "deneme" / "2024").mkdir()
    _report(raw / "deneme" / "2024" / "fr.pdf", ROWS)
    with pytest.raises(BuildError, match="one folder too deep"):
        build(raw, tmp_path / "w.duckdb")
    assert main(["build", "--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb"), "--quiet"]) == 2
    assert "deneme/2024/fr.pdf" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


def test_a_second_build_says_who_holds_the_lock(tmp_path):
    raw = _raw(tmp_path)
    wh = tmp_path / "w.duckdb"
    with build_lock(wh), pytest.raises(BuildLocked, match=f"pid {os.getpid()}"):
        build(raw, wh, lock_wait_s=0)
    # Released: the next build runs.
    assert build(raw, wh, lock_wait_s=0).documents[0]["status"] == "ok"


def test_another_municipalitys_document_in_the_wrong_folder_fails(tmp_path):
    raw = _raw(tmp_path)
    other = raw / "baska"
    other.mkdir()
    shutil.copy(raw / "deneme" / "fr2024.pdf", other / "yanlis.pdf")
    (other / "municipality.toml").write_text('name = "Başka Belediyesi"\n', encoding="utf-8")
    report = build(raw, tmp_path / "w.duckdb")
    docs = {d["document_id"]: d for d in report.documents}
    wrong = docs["baska/yanlis.pdf"]
    assert wrong["status"] == "failed" and "Deneme Belediyesi" in wrong["message"] and "aliases" in wrong["message"]
    assert docs["deneme/fr2024.pdf"]["status"] == "ok"
    results = read_relation(tmp_path / "w.duckdb", "report_results")
    assert {r["municipality_id"] for r in results} == {"deneme"}


def test_name_conflict_rule():
    assert name_conflict("Yeşilvadi Belediyesi", "yesilvadi", {}) is None
    assert name_conflict("Ilgınköy Belediyesi", "ilginkoy", {}) is None
    assert name_conflict("Aydınlıkova Büyükşehir Belediyesi", "aydinlikova", {}) is None
    assert name_conflict("Yeşilvadi Belediyesi", "aydinlikova", {}) is not None
    assert name_conflict("Eski Ad Belediyesi", "m01", {"aliases": ["Eski Ad Belediyesi"]}) is None
    assert name_conflict(None, "m01", {}) is None


def test_names_that_are_not_utf8_are_read_as_cp1254_with_a_warning(tmp_path):
    raw = _raw(tmp_path)
    folder = os.fsencode(raw / "deneme")
    os.rename(os.fsencode(raw / "deneme" / "fr2024.pdf"), folder + b"/rapor_\xfd\xfe.pdf")  # "ış" in cp1254
    report = build(raw, tmp_path / "w.duckdb")
    assert [d["document_id"] for d in report.documents] == ["deneme/rapor_ış.pdf"]
    assert report.documents[0]["status"] == "ok"
    assert any(i["check_name"] == "file_name" and "Windows-1254" in i["message"] for i in report.issues)


def test_cp1254_metadata_and_a_population_beyond_bigint(tmp_path):
    raw = _raw(tmp_path)
    toml = raw / "deneme" / "municipality.toml"
    toml.write_bytes('name = "Deneme Belediyesi"\nprovince = "Iğdır"\npopulation = 99999999999999999999\n'
                     .encode("cp1254"))
    report = build(raw, tmp_path / "w.duckdb")
    muni = read_relation(tmp_path / "w.duckdb", "municipalities")[0]
    assert muni["province"] == "Iğdır" and muni["population"] is None
    messages = " ".join(i["message"] for i in report.issues)
    assert "Windows-1254" in messages and "population must be a whole number" in messages
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_disk_full_is_reported_and_leaves_no_temp_file(tmp_path, monkeypatch, capsys):
    raw = _raw(tmp_path)
    wh = tmp_path / "w.duckdb"
    build(raw, wh)
    before = wh.read_bytes()
    real = load.insert_rows

    def full(con, name, rows):
        if name == "report_results":
            raise duckdb.IOException("IO Error: Could not write file: No space left on device")
        return real(con, name, rows)

    monkeypatch.setattr(load, "insert_rows", full)
    with pytest.raises(DiskFull, match="no space left"):
        build(raw, wh, accept_shrink=True)
    assert main(["build", "--raw", str(raw), "--warehouse", str(wh), "--quiet", "--no-cache"]) == 2
    assert "no space left" in capsys.readouterr().err
    assert wh.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_a_full_cache_folder_does_not_block_the_build(tmp_path, monkeypatch):
    raw = _raw(tmp_path)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_mod.cache.gzip, "open", full)
    report = build(raw, tmp_path / "w.duckdb", cache_dir=tmp_path / "cache")
    assert report.documents[0]["status"] == "ok"
    assert any(i["check_name"] == "cache" and "No space left" in i["message"] for i in report.issues)
    assert not list((tmp_path / "cache").glob("*.tmp-*"))
