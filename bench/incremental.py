"""Incremental builds: a rebuild with nothing changed, and with one PDF changed, against a cold build.

Usage: .venv/bin/python bench/incremental.py [--raw ../shared/corpus] [--runs 3]

Each build is a separate ``python -m etl build`` process (what a user runs); figures are
medians of ``--runs`` runs of wall seconds and of CPU seconds (user + sys of the child), and
the ratios warm/cold are computed in the same run. Target from the reliability issue: a
rebuild with nothing changed under 5 % of a cold build. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "etl", "build", "--quiet", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        for folder in sorted(p for p in a.raw.iterdir() if p.is_dir() and any(p.glob("*.pdf"))):
            shutil.copytree(folder, raw / folder.name)
        pdfs = sorted(raw.glob("*/*.pdf"))
        cache, wh = Path(tmp) / "cache", Path(tmp) / "w.duckdb"
        common = ["--raw", str(raw), "--warehouse", str(wh), "--cache", str(cache)]
        cold, warm, one = [], [], []
        for i in range(a.runs):
            shutil.rmtree(cache, ignore_errors=True)  # cold: no cache, no previous warehouse or stamp
            for p in Path(tmp).glob(f"*{wh.name}*"):
                p.unlink()
            cold.append(_run(common))
            warm.append(_run(common))
            with open(pdfs[i % len(pdfs)], "ab") as fh:  # new bytes, same document: one cache miss
                fh.write(f"\n% bench {i}\n".encode())
            one.append(_run(common))
    med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
    print(f"{len(pdfs)} PDFs from {a.raw}, {a.runs} runs each, medians")
    print(f"  {'build':<34} {'wall s':>8} {'cpu s':>8} {'wall/cold':>10} {'cpu/cold':>9}")
    for name, xs in (("cold (empty cache)", cold), ("warm, nothing changed", warm), ("warm, one PDF changed", one)):
        print(f"  {name:<34} {med(xs, 0):8.2f} {med(xs, 1):8.2f} {med(xs, 0) / med(cold, 0):9.1%} "
              f"{med(xs, 1) / med(cold, 1):9.1%}")
    print("  target: warm, nothing changed < 5 % of cold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
