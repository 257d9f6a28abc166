"""Ruled tables read ahead in a second process (etl.lattice_worker): the same tables as reading
them in the sandbox child itself, and nothing lost or kept alive when the worker goes."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from etl.build import build
from etl.extract import extract_document
from etl.sandbox import Limits, Sandbox
from tests.conftest import REPO, read_relation
from tests.processes import gone

RAW = REPO / "data" / "raw" / "ilginkoy"
PDFS = [RAW / "ilginkoy_2020-2024_stratejik_plan.pdf", RAW / "ilginkoy_2024_performans_programi.pdf",
        RAW / "ilginkoy_2024_faaliyet_raporu.pdf"]
READER = ("etl.extract", "numpy", "tests.integration.test_read_ahead")
LIMITS = Limits(memory_mb=3072, wall_s=300)


def _comparable(result) -> dict:
    doc = {k: v for k, v in result.document.items() if k != "seconds"}
    return {"document": doc, "records": result.records, "tables": result.tables, "regions": result.regions}


def extract_counting(path: Path, kill_worker: bool = False) -> tuple[dict, list[tuple[str, int]], int | None]:
    """In the sandbox child: extract ``path`` and say which pages this process read with camelot
    itself (the worker read the others), after killing the worker first if asked."""
    from etl import lattice_worker, tables

    worker = lattice_worker.current()
    pid = worker.pid if worker else None
    if kill_worker and worker:
        os.kill(worker.pid, signal.SIGKILL)
    here: list[tuple[str, int]] = []
    original = tables.read_camelot

    def counting(p, pages, flavor, password=None):
        here.extend((flavor, n) for n in pages)
        return original(p, pages, flavor, password)

    tables.read_camelot = counting
    try:
        result = extract_document(path, "ilginkoy")
    finally:
        tables.read_camelot = original
    return _comparable(result), here, pid


@pytest.fixture(scope="module")
def read_here():
    """Every document read the plain way, camelot in this process."""
    return {p.name: _comparable(extract_document(p, "ilginkoy")) for p in PDFS}


def test_the_worker_reads_the_tables_and_they_are_the_same(read_here):
    with Sandbox(LIMITS, preload=READER, read_ahead=True) as box:
        for path in PDFS:
            ahead, here, pid = box.call(extract_counting, path)
            assert pid is not None, "no lattice worker was started"
            assert ahead == read_here[path.name], path.name
            assert ahead["document"]["table_pages"] > 3
            # Lattice pages all came from the worker; only hybrid retries may be read here.
            assert [p for flavor, p in here if flavor == "lattice"] == [], path.name


def test_a_dead_worker_loses_nothing(read_here):
    path = PDFS[0]
    with Sandbox(LIMITS, preload=READER, read_ahead=True) as box:
        ahead, here, pid = box.call(extract_counting, path, True)
        assert gone(pid)
        assert ahead == read_here[path.name]
        assert len({p for flavor, p in here if flavor == "lattice"}) == ahead["document"]["table_pages"]
        # The child goes on without a worker for the next document.
        again, here_again, pid_again = box.call(extract_counting, PDFS[1])
        assert pid_again is None and again == read_here[PDFS[1].name]


def test_the_worker_dies_with_its_child():
    box = Sandbox(LIMITS, preload=READER, read_ahead=True)
    try:
        _, _, pid = box.call(extract_counting, PDFS[1])
        child = box._proc.pid
        os.kill(child, signal.SIGKILL)
        assert gone(child) and gone(pid), "the lattice worker outlived its sandbox child"
    finally:
        box.close()


def test_a_build_reads_ahead_only_with_a_free_core(tmp_path, monkeypatch):
    import etl.build as build_module
    from etl import sandbox

    seen: list[bool] = []
    real = build_module.Sandbox

    def recording(limits, read_ahead=False, **kw):
        seen.append(read_ahead)
        return real(limits, read_ahead=read_ahead, **kw)

    monkeypatch.setattr(build_module, "Sandbox", recording)
    raw = tmp_path / "raw" / "ilginkoy"
    raw.mkdir(parents=True)
    (raw / PDFS[1].name).symlink_to(PDFS[1])
    monkeypatch.setattr(sandbox, "cores", lambda: 2)
    build(tmp_path / "raw", tmp_path / "one.duckdb")
    monkeypatch.setattr(sandbox, "cores", lambda: 1)
    build(tmp_path / "raw", tmp_path / "two.duckdb")
    assert seen == [True, False]
    assert read_relation(tmp_path / "one.duckdb", "activities") == read_relation(tmp_path / "two.duckdb",
                                                                                "activities")


def test_a_child_launched_ahead_is_the_one_the_build_uses(tmp_path, monkeypatch):
    import etl.build as build_module
    from etl import sandbox

    raw = tmp_path / "raw" / "ilginkoy"
    raw.mkdir(parents=True)
    (raw / PDFS[1].name).symlink_to(PDFS[1])
    created: list[Sandbox] = []
    real = build_module.Sandbox
    monkeypatch.setattr(build_module, "Sandbox", lambda *a, **kw: created.append(real(*a, **kw)) or created[-1])
    limits = Limits(memory_mb=3072, wall_s=300)
    sandbox.prestart(limits, sandbox.read_ahead_for(1))
    launched = sandbox._prestarted[0]._proc.pid
    build(tmp_path / "raw", tmp_path / "w.duckdb", cache_dir=tmp_path / "cache", limits=limits)
    assert created == [] and sandbox._prestarted == [] and gone(launched)
    assert read_relation(tmp_path / "w.duckdb", "documents")[0]["status"] == "ok"
    # Nothing to read (all from the cache): the child launched ahead is stopped, not left behind.
    sandbox.prestart(limits, sandbox.read_ahead_for(1))
    unused = sandbox._prestarted[0]._proc.pid
    build(tmp_path / "raw", tmp_path / "w.duckdb", cache_dir=tmp_path / "cache", limits=limits)
    assert sandbox._prestarted == [] and gone(unused)


def _serve_logging(conn, other_end, log: str, fail_page: int | None) -> None:
    """The worker's loop in a forked process, each camelot read logged as "pid page,page" (and
    the forked reader killed on ``fail_page``)."""
    from etl import lattice_worker, tables

    other_end.close()  # or the test's end stays open here and the loop never sees it close
    original = tables.read_camelot

    def logging(p, pages, flavor, password=None):
        if pages:
            with open(log, "a", encoding="ascii") as fh:
                fh.write(f"{os.getpid()} {','.join(map(str, pages))}\n")
            if fail_page in pages and os.getpid() != worker:
                os._exit(3)
        return original(p, pages, flavor, password)

    worker = os.getpid()
    tables.read_camelot = logging
    lattice_worker._serve(conn)


def _ask_worker(tmp_path: Path, pages: list[int], fail_page: int | None = None):
    """Send one document's pages and the collect at once, as a child whose text pass is done."""
    import multiprocessing

    log = tmp_path / f"reads-{fail_page}.log"
    mine, theirs = multiprocessing.Pipe()
    proc = multiprocessing.get_context("fork").Process(target=_serve_logging, args=(theirs, mine, str(log), fail_page))
    proc.start()
    theirs.close()
    try:
        mine.send(("begin", 1, str(PDFS[1]), None))
        mine.send(("read", 1, "lattice", pages))
        mine.send(("collect", 1))
        assert mine.poll(120), "the worker did not answer"
        job, done = mine.recv()
    finally:
        mine.close()
        proc.join(30)
    reads = [(int(pid), [int(p) for p in pages.split(",")]) for pid, pages in
             (line.split() for line in log.read_text().splitlines())]
    return job, done, reads


def test_a_waiting_child_has_its_backlog_shared_by_a_second_reader(tmp_path):
    from etl.tables import read_camelot

    pages = [7, 8, 9, 10, 11, 12, 13, 14]
    job, done, reads = _ask_worker(tmp_path, pages)
    assert job == 1
    assert len({pid for pid, _ in reads}) == 2, reads
    assert sorted(p for _, ps in reads for p in ps) == pages  # each page read once
    here = {}
    for t in read_camelot(PDFS[1], pages, "lattice"):
        here.setdefault(t.page, []).append(t)
    assert {p for _, p in done} == set(pages)
    assert all(done[("lattice", p)] == here.get(p, []) for p in pages)


def test_a_second_reader_that_dies_leaves_its_pages_to_the_child(tmp_path):
    pages = [7, 8, 9, 10, 11, 12, 13, 14]
    _, done, reads = _ask_worker(tmp_path, pages, fail_page=14)
    lost = next(ps for pid, ps in reads if 14 in ps)
    assert 14 not in pages[:len(pages) - len(lost)]
    # The worker's own half is answered; the dead reader's pages are not (the child reads them).
    assert {p for _, p in done} == set(pages) - set(lost) and lost
