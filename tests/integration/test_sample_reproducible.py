"""The sample generator makes the same bytes on every run (tests/fixtures/sample).

Two runs in their own processes, under different ``PYTHONHASHSEED`` values (set iteration
order was what once made the sample differ between runs), for the municipality whose program
exercises that path; ``python -m tests.fixtures.sample --check`` compares a whole fresh run
with the embedded sample (13 s, so not here).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _generate(out: Path, seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "tests.fixtures.sample", "--only", "ilginkoy", "--out", str(out / "raw"),
                    "--truth", str(out / "truth")], cwd=REPO, env=env, check=True, capture_output=True)
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_runs_make_identical_bytes(tmp_path):
    first, second = _generate(tmp_path / "a", "1"), _generate(tmp_path / "b", "2")
    assert len([n for n in first if n.endswith(".pdf")]) == 11 and "truth/ilginkoy.json" in first
    assert first == second
