"""A build killed with SIGKILL at any moment leaves the previous warehouse intact and readable.

The kill is forced at chosen points (no race with a timer): the build runs in a child Python
that wraps one function of etl.load to SIGKILL itself when that point is reached — halfway
through the DuckDB inserts, and after the temp file is complete but before the rename.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from etl.build import build
from tests.conftest import REPO, read_relation
from tests.integration.test_hostile_inputs import FONT, _report

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
ROWS = [(f"PG1.1.{i}", f"Gösterge {i}", "adet", "100", "90", "90,00") for i in range(1, 6)]

# Kill this process at the n-th call of <module>.<function>, then run the CLI build.
KILLER = """
import importlib, os, signal, sys
module, name, n = importlib.import_module(sys.argv[1]), sys.argv[2], int(sys.argv[3])
real, calls = getattr(module, name), [0]
def wrapped(*args, **kwargs):
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(module, name, wrapped)
from etl.__main__ import main
sys.exit(main(sys.argv[4:]))
"""


@pytest.fixture()
def raws(tmp_path):
    small, big = tmp_path / "small" / "deneme", tmp_path / "big" / "deneme"
    small.mkdir(parents=True)
    big.mkdir(parents=True)
    _report(small / "fr2024.pdf", ROWS)
    _report(big / "fr2024.pdf", ROWS)
    _report(big / "fr2023.pdf", ROWS, title="2023 YILI FAALİYET RAPORU")
    return tmp_path


# etl.load.insert_rows is called once per relation (the 10th: halfway through the inserts);
# os.replace first runs to swap the finished temp file in (no cache, no stamp yet).
@pytest.mark.parametrize(("module", "function", "nth"), [("etl.load", "insert_rows", 10), ("os", "replace", 1)])
def test_sigkill_inside_the_write_leaves_the_previous_warehouse(raws, module, function, nth):
    wh = raws / "warehouse.duckdb"
    build(raws / "small", wh)
    before = wh.read_bytes()
    proc = subprocess.run([sys.executable, "-c", KILLER, module, function, str(nth), "build", "--raw",
                           str(raws / "big"), "--warehouse", str(wh), "--quiet", "--no-cache"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr  # killed where we said, every time
    assert wh.read_bytes() == before
    assert len(read_relation(wh, "documents")) == 1
    assert [p for p in raws.iterdir() if ".tmp-" in p.name]  # the half-written (or unswapped) temp file
    # The next build clears what the killed one left behind and succeeds.
    build(raws / "big", wh)
    assert not [p for p in raws.iterdir() if ".tmp-" in p.name]
    assert len(read_relation(wh, "documents")) == 2
