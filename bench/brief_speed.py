"""How long ``python -m app.brief`` takes to write a municipality brief, against the bare interpreter.

Runs the command line as a user would (a fresh process each time, so Chromium starts cold every
run) for a DOCX and a PDF, and, in the same run, the baseline: a process that only imports
``app.brief`` (interpreter, pandas, plotly, Streamlit). Then times the stages in one process:
collecting the figures from the warehouse, rendering the three chart images (cold kaleido, then
warm), writing the DOCX and the PDF. Prints figures only, no assertions (they depend on the
machine); the target of the issue is a DOCX with three charts and its source list in under 10 s.

    .venv/bin/python bench/brief_speed.py --warehouse /tmp/sample.duckdb [--municipality ilginkoy] [--year 2024]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _wall(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    run = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if run.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stderr}")
    return time.perf_counter() - t0, run.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--municipality", default="ilginkoy")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    env = {**os.environ, "IZLEK_WAREHOUSE": str(args.warehouse.resolve())}
    out = Path(tempfile.mkdtemp(prefix="izlek-brief-"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.reps} runs each, median (min–max)")
    base = [_wall([sys.executable, "-c", "import app.brief"], env)[0] for _ in range(args.reps)]
    rows = [("baseline: python -c 'import app.brief'", base, "")]
    for fmt in ("docx", "pdf"):
        times, said = [], ""
        for i in range(args.reps):
            t, said = _wall([sys.executable, "-m", "app.brief", "--municipality", args.municipality, "--year",
                             str(args.year), "--out", str(out / f"brief-{i}.{fmt}")], env)
            times.append(t)
        rows.append((f"python -m app.brief … --out FILE.{fmt}", times, said))
    b = statistics.median(base)
    print(f"\n{'':48} {'wall':>22} {'× baseline':>11}")
    for name, times, said in rows:
        m = statistics.median(times)
        print(f"{name:48} {m:7.2f} s ({min(times):.2f}–{max(times):.2f}) {m / b:10.1f}×")
        if said:
            print(f"{'':48} {said}")

    # Stages in one process (what the Overview's button costs on a warm server, after the first).
    os.environ["IZLEK_WAREHOUSE"] = env["IZLEK_WAREHOUSE"]
    sys.path.insert(0, str(REPO))
    from app import brief

    stages: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    b1 = brief.collect(args.municipality, args.year)
    stages.append(("collect (warehouse queries)", time.perf_counter() - t0))
    t0 = time.perf_counter()
    brief.render_charts(b1)
    stages.append(("3 chart images, cold kaleido", time.perf_counter() - t0))
    b2 = brief.collect(args.municipality, args.year)
    t0 = time.perf_counter()
    brief.render_charts(b2)
    stages.append(("3 chart images, warm kaleido", time.perf_counter() - t0))
    t0 = time.perf_counter()
    docx_size = len(brief.docx_bytes(b2))
    stages.append((f"DOCX written ({docx_size:,} bytes)", time.perf_counter() - t0))
    t0 = time.perf_counter()
    pdf_size = len(brief.pdf_bytes(b2))
    stages.append((f"PDF written ({pdf_size:,} bytes)", time.perf_counter() - t0))
    print("\nstages in one process")
    for name, s in stages:
        print(f"  {name:44} {s:6.2f} s")


if __name__ == "__main__":
    main()
