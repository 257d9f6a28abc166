"""Overrides that cannot be lost: what Excel saves is read, saves are locked and backed up,
and every reader (build, analysis, Tag review, "Rebuild now") finds the same file."""

from __future__ import annotations

import multiprocessing
import subprocess

import pytest

from app import overrides, upload
from etl import usercsv
from etl.__main__ import main
from etl.analysis.marker import read_overrides

HEADER = ["municipality_id", "item_kind", "item_key", "marker", "note", "date"]
ROWS = [["altinsogut", "objective", "2020:H1.1", "2", "kadın", "2026-01-01"],
        ["ilginkoy", "activity", "ilginkoy:2024:PH1.1:kod-1", "1", "", "2026-01-02"],
        ["serinyurt", "indicator", "2021:PG2.1", "0", "değil", "2026-01-03"]]


def _excel(delimiter: str, encoding: str) -> bytes:
    lines = [delimiter.join(HEADER)] + [delimiter.join(r) for r in ROWS]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8-sig"), (";", "utf-8-sig"), (";", "cp1254"),
                                                     (",", "utf-8")])
def test_an_excel_saved_file_survives_a_save_and_the_build_reads_every_row(tmp_path, monkeypatch, delimiter,
                                                                            encoding):
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    path = tmp_path / "gender_overrides.csv"
    path.write_bytes(_excel(delimiter, encoding))
    parsed, problems = read_overrides(path)  # what the build applies
    assert len(parsed) == 3 and problems == []
    assert parsed[("serinyurt", "indicator", "2021:PG2.1")]["note"] == "değil"
    overrides.save([{"municipality_id": "yesilvadi", "item_kind": "objective", "item_key": "2025:H1.1",
                     "marker": 1}], path)
    rows = overrides.read(path)
    assert [r["municipality_id"] for r in rows] == ["altinsogut", "ilginkoy", "serinyurt", "yesilvadi"]
    parsed, problems = read_overrides(path)
    assert len(parsed) == 4 and problems == []
    written = usercsv.read(path)
    assert written.delimiter == delimiter and written.encoding != "cp1254"  # Excel's separator kept, UTF-8 now


def _save_many(path: str, worker: int, n: int) -> None:
    import os

    os.environ["IZLEK_READ_ONLY"] = "0"
    from app import overrides as ov

    for i in range(n):
        ov.save([{"municipality_id": "m", "item_kind": "activity", "item_key": f"w{worker}-{i}", "marker": 1}],
                __import__("pathlib").Path(path))


def test_two_processes_saving_at_once_keep_every_row(tmp_path):
    path = tmp_path / "o.csv"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_save_many, args=(str(path), w, 50)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert len(overrides.read(path)) == 100
    assert len(list((tmp_path / "backups").glob("o.csv.*.bak"))) == usercsv.KEEP_BACKUPS


def test_the_cli_build_uses_izlek_overrides(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setenv("IZLEK_OVERRIDES", str(tmp_path / "mine.csv"))
    monkeypatch.setattr("etl.build.build", lambda *a, **kw: seen.update(kw) or (_ for _ in ()).throw(
        FileNotFoundError("stop")))
    assert main(["build", "--raw", str(tmp_path), "--quiet"]) == 2
    assert seen["overrides_path"] == tmp_path / "mine.csv"


def test_rebuild_now_passes_the_same_overrides_file(tmp_path, monkeypatch):
    monkeypatch.setenv("IZLEK_OVERRIDES", str(tmp_path / "mine.csv"))
    (tmp_path / "raw").mkdir()
    cfg = upload.Config(password="x", raw=tmp_path / "raw", warehouse=tmp_path / "w.duckdb")
    calls = []

    def fake_run(cmd, **_kw):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, "done", "")

    monkeypatch.setattr(upload.subprocess, "run", fake_run)
    assert upload.rebuild(cfg).ok
    cmd = calls[0]
    assert cmd[cmd.index("--overrides") + 1] == str(tmp_path / "mine.csv")
