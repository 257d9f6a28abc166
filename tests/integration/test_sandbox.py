"""Every document in its own child process: limits hold, the child dies, the build goes on.

The hostile corpus (tests/hostile_pdfs.py) goes through a real build next to one good
document; the limits are tight so the suite stays fast.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import re
import signal
import subprocess
import sys

import pytest

from etl.build import build
from etl.sandbox import Limits, Sandbox, SandboxFailure, classify_death
from tests import hostile_pdfs
from tests.conftest import REPO, read_relation
from tests.hostile_pdfs import _abort, _allocate, _grow, _grow_in_grandchild, _pid, _raise, _sleep
from tests.integration.test_hostile_inputs import FONT, _report
from tests.processes import gone

HERE = ("tests.hostile_pdfs",)  # the helpers the child runs; nothing heavy to import
SAMPLE_PP = REPO / "data" / "raw" / "ilginkoy" / "ilginkoy_2024_performans_programi.pdf"
TIGHT = Limits(memory_mb=2560, wall_s=30)  # a camelot child maps ~1.6 GB of address space at rest


def test_a_hung_call_is_stopped_at_the_wall_time_limit():
    with Sandbox(Limits(memory_mb=0, wall_s=1), preload=HERE) as box:
        with pytest.raises(SandboxFailure) as exc:
            box.call(_sleep, 30)
        assert exc.value.kind == "timeout"
        assert box.call(_sleep, 0) == "woke"  # a fresh child took over


def test_memory_limit_failure_and_the_child_is_replaced():
    with Sandbox(Limits(memory_mb=1024, wall_s=30), preload=HERE) as box:
        first = box.call(_pid)
        with pytest.raises(SandboxFailure) as exc:
            box.call(_allocate, 4096)
        assert exc.value.kind == "memory"
        assert box.call(_allocate, 16) == 16 * 1024 * 1024
        assert box.call(_pid) != first


def test_resident_memory_is_watched_below_the_address_space_limit():
    assert Limits().resident_limit_mb == 1792 and Limits(memory_mb=1024).resident_limit_mb == 512
    with Sandbox(Limits(memory_mb=0, wall_s=60, resident_mb=256), preload=HERE) as box:
        with pytest.raises(SandboxFailure) as exc:
            box.call(_grow, 2048)  # no address-space limit at all: only the watch stops it
        assert exc.value.kind == "memory" and "256 MB" in str(exc.value)
        assert box.call(_grow, 64) == 2  # a fresh child took over and may use memory below the limit


def test_resident_memory_counts_the_processes_the_child_forks(tmp_path):
    with Sandbox(Limits(memory_mb=0, wall_s=60, resident_mb=256), preload=HERE) as box:
        with pytest.raises(SandboxFailure) as exc:
            box.call(_grow_in_grandchild, 2048, str(tmp_path / "pid"))  # as the worker's second reader
        assert exc.value.kind == "memory"
        assert gone(int((tmp_path / "pid").read_text()), tries=10), "the grandchild outlived its sandbox"
        assert box.call(_grow_in_grandchild, 64) == "grew"


def test_an_aborting_child_and_an_exception_are_reported_not_raised_raw():
    with Sandbox(Limits(memory_mb=0, wall_s=30), preload=HERE) as box:
        pid = box.call(_pid)
        with pytest.raises(SandboxFailure) as exc:
            box.call(_raise)
        assert exc.value.kind == "error" and "ValueError: boom" in str(exc.value)
        assert box.call(_pid) == pid  # an exception does not cost the child
        with pytest.raises(SandboxFailure) as exc:
            box.call(_abort)
        assert exc.value.kind == "memory"  # what PDFium's abort() under RLIMIT_AS looks like


def test_a_child_that_cannot_start_is_a_start_failure(monkeypatch):
    with Sandbox(Limits(memory_mb=0, wall_s=30), preload=("tests.no_such_module_izlek",)) as box:
        with pytest.raises(SandboxFailure) as exc:
            box.call(_pid)
        assert exc.value.kind == "start" and "could not start" in str(exc.value)

    def refused(self):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.get_context("spawn").Process, "start", refused)
    with Sandbox(Limits(memory_mb=0, wall_s=30), preload=HERE) as box:
        with pytest.raises(SandboxFailure) as exc:
            box.call(_pid)
        assert exc.value.kind == "start" and "Resource temporarily unavailable" in str(exc.value)


def test_a_build_whose_reader_cannot_start_blames_no_document_and_caches_nothing(tmp_path):
    raw = tmp_path / "raw"
    (raw / "ilginkoy").mkdir(parents=True)
    (raw / "ilginkoy" / SAMPLE_PP.name).write_bytes(SAMPLE_PP.read_bytes())
    # 200 MB of address space is too little to import the reader: no document is ever opened.
    report = build(raw, tmp_path / "w.duckdb", cache_dir=tmp_path / "cache", limits=Limits(memory_mb=200, wall_s=60))
    (doc,) = report.documents
    assert doc["status"] == "failed" and doc["sandbox"] == "start"
    assert "could not start" in doc["message"] and "was not judged" in doc["message"]
    assert "damaged" not in doc["message"] and "memory per document" not in doc["message"]
    assert not list((tmp_path / "cache").rglob("*.json")) and not (tmp_path / ".w.duckdb.stamp.json").exists()


def test_a_child_ends_when_its_parent_is_killed():
    # A build killed while a document is read: its reader must not run on alone.
    script = ("from etl.sandbox import Limits, Sandbox\nfrom tests.hostile_pdfs import _pid, _sleep\n"
              "with Sandbox(Limits(memory_mb=0, wall_s=300), preload=('tests.hostile_pdfs',)) as box:\n"
              "    print(box.call(_pid), flush=True)\n    box.call(_sleep, 300)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        child = int(parent.stdout.readline())
    finally:
        parent.kill()
        parent.wait()
    if not gone(child, tries=200):
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the sandbox child outlived its killed parent")


def test_classify_death():
    assert classify_death(-signal.SIGXCPU) == "timeout"
    assert classify_death(1, "MemoryError") == "memory"
    assert classify_death(-signal.SIGSEGV) == "crashed"


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
def test_hostile_corpus_fails_each_file_and_loads_the_good_one(tmp_path):
    folder = tmp_path / "raw" / "deneme"
    folder.mkdir(parents=True)
    _report(folder / "iyi_rapor.pdf", [("PG1.1.1", "Kadın sayısı", "kişi", "100", "90", "90,00")])
    files = {"nested_forms": hostile_pdfs.nested_forms(), "cyclic_tree": hostile_pdfs.cyclic_page_tree(),
             "huge_page": hostile_pdfs.huge_page(), "huge_image": hostile_pdfs.huge_image(),
             "javascript": hostile_pdfs.javascript(), "garbage_after_eof": hostile_pdfs.garbage_after_eof(),
             "html": hostile_pdfs.html_error_page()}
    for name, data in files.items():
        (folder / f"{name}.pdf").write_bytes(data)
    assert len(files["nested_forms"]) < 10_000  # a few KB that PDFium would grow to gigabytes
    report = build(tmp_path / "raw", tmp_path / "w.duckdb", jobs=2, limits=TIGHT)
    docs = {d["file_name"]: d for d in report.documents}
    assert docs["iyi_rapor.pdf"]["status"] == "ok", docs["iyi_rapor.pdf"]["message"]
    assert read_relation(tmp_path / "w.duckdb", "report_results")
    for name in files:
        d = docs[f"{name}.pdf"]
        assert d["status"] == "failed" and d["message"].startswith(f"{name}.pdf: "), d
        # Plain words for readers: no library's exception name or text (that is the row's detail).
        assert not re.search(r"pdfium|\w+(Error|Exception)\b|Traceback", d["message"], re.I), d["message"]
    assert "list of pages is damaged" in docs["cyclic_tree.pdf"]["message"]
    assert "Pdfium" in docs["cyclic_tree.pdf"].get("detail", "")
    assert "memory" in docs["nested_forms.pdf"]["message"] or "longer than" in docs["nested_forms.pdf"]["message"]
    assert "not a PDF" in docs["html.pdf"]["message"]
    # The JavaScript file is read as any other: nothing ran, it just holds no table.
    assert "activity report 2024" in docs["javascript.pdf"]["message"]
    # No sandbox failure is cached or stamped: the next build tries the stopped file again.
    assert not (tmp_path / ".w.duckdb.stamp.json").exists()
