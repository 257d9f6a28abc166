"""A build killed with SIGKILL at any moment leaves the previous warehouse intact and readable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from etl.build import build
from tests.conftest import REPO, SHARED, read_relation


@pytest.fixture()
def two_folders(tmp_path):
    src = SHARED / "corpus" / "yesilvadi"
    if not src.is_dir():
        pytest.skip("shared corpus absent")
    small, big = tmp_path / "small" / "yesilvadi", tmp_path / "big" / "yesilvadi"
    small.mkdir(parents=True)
    big.mkdir(parents=True)
    shutil.copy(src / "yesilvadi_2025_faaliyet_raporu.pdf", small)
    for f in sorted(src.glob("*.pdf")):
        shutil.copy(f, big)
    return tmp_path


@pytest.mark.parametrize("delay", [0.5, 2.0, 5.0, 9.0])
def test_sigkill_leaves_previous_warehouse_intact(two_folders, delay):
    wh = two_folders / "warehouse.duckdb"
    build(two_folders / "small", wh)
    before = read_relation(wh, "report_results")
    proc = subprocess.Popen([sys.executable, "-m", "etl", "build", "--raw", str(two_folders / "big"),
                             "--warehouse", str(wh), "--no-cache", "--quiet"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    after = read_relation(wh, "documents")
    if finished:  # the build won the race: then it must be the complete new warehouse
        assert len(after) == 11
    else:
        assert len(after) == 1 and read_relation(wh, "report_results") == before
    # The next build clears what the killed one left behind and succeeds.
    build(two_folders / "small", wh)
    assert not [p for p in two_folders.iterdir() if ".tmp-" in p.name]


def test_sigkill_while_the_new_warehouse_is_being_written(two_folders):
    wh = two_folders / "warehouse.duckdb"
    build(two_folders / "small", wh)
    proc = subprocess.Popen([sys.executable, "-m", "etl", "build", "--raw", str(two_folders / "big"),
                             "--warehouse", str(wh), "--no-cache", "--quiet"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if any(".tmp-" in p.name for p in two_folders.iterdir()):
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait(timeout=60)
    if proc.returncode == -signal.SIGKILL:
        assert len(read_relation(wh, "documents")) == 1  # the old warehouse, untouched
        assert [p for p in two_folders.iterdir() if ".tmp-" in p.name]  # the half-written file
    build(two_folders / "small", wh)
    assert not [p for p in two_folders.iterdir() if ".tmp-" in p.name]
    assert len(read_relation(wh, "documents")) == 1
