"""The scaling table: analysis and post-extraction build by warehouse size, and the Dask build.

    .venv/bin/python bench/scale_table.py                       # sizes 3,6,48,96,400,1400; Dask on data/raw
    .venv/bin/python bench/scale_table.py --sizes 3,48 --skip-dask   # a quick look

1. **Warehouses**: ``bench/scale.py``'s synthetic warehouse for each size (the embedded sample's
   rows, municipality ``i`` a copy of sample municipality ``i % 3`` twice, as it is and five
   years earlier: 10 years each).
2. **Analysis**, each measurement its own child process (wall and CPU seconds and peak RSS from
   the child's ``os.wait4`` rusage):
   * ``analyse``: ``python -m etl analyse`` on a copy of the warehouse (read, analyse, write,
     batch by batch);
   * ``in memory``: ``etl.analysis.analyse`` on every row at once, the way the build calls it;
   * ``old``: the same with the analysis as it was before this change (``etl/analysis`` at
     ``--baseline-ref``, loaded from git), only up to ``--old-max`` municipalities (it is
     quadratic); its results are compared with the new ones row for row.
   * ``build after extraction``: what ``etl.build.build`` does after its pool — analysis, checks,
     the DuckDB load — on every extracted row at once, up to ``--build-max`` municipalities (it
     holds every row in memory).
3. **Dask**: ``python -m etl build --no-cache`` on ``data/raw`` with ``--jobs 1``, ``--jobs 2`` and
   ``--scheduler local --jobs 2`` (a LocalCluster of 2 worker processes); wall seconds, speed-up
   against ``--jobs 1`` and whether the warehouses are identical row for row.

Figures only, no assertions. The machine's load is printed: on a shared machine wall seconds
swing with it, CPU seconds much less, ratios within one run least.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BASELINE_REF = "50b3aa0"  # main before the scorecard's quadratic scans were removed (2026-12-01)
OLD_FILES = ("__init__", "achievement", "budget", "coverage", "marker", "user_files", "scorecard", "proposals")
NEW_RELATIONS = {"compare_figures"}  # added since: not compared with the old rows


class _Clock:
    """Wall and CPU seconds of a block (CPU swings less on a shared machine)."""

    def __enter__(self) -> _Clock:
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.t0, time.process_time() - self.c0

    def result(self, **more) -> dict:
        return {"seconds": self.wall, "cpu_s": self.cpu, **more}


# --------------------------------------------------------------------------- children

def _old_analysis(out: Path, ref: str) -> Path | None:
    """etl/analysis at ``ref`` as the package ``old_analysis`` under ``out`` (None without git history)."""
    pkg = out / "old_analysis"
    pkg.mkdir(parents=True, exist_ok=True)
    for name in OLD_FILES:
        proc = subprocess.run(["git", "show", f"{ref}:etl/analysis/{name}.py"], cwd=ROOT, capture_output=True,
                              text=True)
        if proc.returncode:
            return None
        (pkg / f"{name}.py").write_text(re.sub(r"\betl\.analysis\.", "old_analysis.", proc.stdout), encoding="utf-8")
    for data in ("gender_lexicon.toml", "cpi_tr.csv", "scorecard.toml"):
        shutil.copy(ROOT / "etl" / "analysis" / data, pkg / data)
    return out


def child(mode: str, warehouse: Path, extra: str | None) -> dict:
    """One measurement, run in its own process; returns what to print as JSON."""
    import duckdb

    from etl.analysis.warehouse import (
        ANALYSIS_RELATIONS,
        INPUT_RELATIONS,
        READ_COLUMNS,
        TAGGED_RELATIONS,
        read_rows,
    )

    if mode == "analyse":
        from etl.analysis.warehouse import reanalyse
        from etl.sandbox import cores

        with _Clock() as clock:  # with the command's default worker processes (their CPU is in the rusage)
            rep = reanalyse(warehouse, None, jobs=cores())
        return clock.result(municipalities=rep.municipalities)
    con = duckdb.connect(str(warehouse), read_only=True)
    if mode == "build":
        from etl.build import load_and_analyse
        from etl.schema import RELATIONS

        rows = read_rows(con, tuple(r.name for r in RELATIONS if r.name not in ANALYSIS_RELATIONS))
        con.close()
        rows["validation_issues"] = [i for i in rows["validation_issues"] if i["check_name"] != "analysis_user_files"]
        for r in ("objectives", "indicators", "activities"):
            for row in rows[r]:
                row["gender_marker"] = None  # as extraction gives them
        with _Clock() as clock:
            load_and_analyse(Path(extra), rows, None, None, [])
        return clock.result()
    if mode == "build-old":  # the step as it was before the load came first: every row held to the end
        from etl import load
        from etl.analysis import analyse
        from etl.build import _mark_partial
        from etl.checks import run_checks
        from etl.schema import RELATIONS

        rows = read_rows(con, tuple(r.name for r in RELATIONS if r.name not in ANALYSIS_RELATIONS))
        con.close()
        rows["validation_issues"] = [i for i in rows["validation_issues"] if i["check_name"] != "analysis_user_files"]
        with _Clock() as clock:
            analyse(rows, None)
            rows["validation_issues"].extend(run_checks(rows))
            _mark_partial(rows["documents"], rows["validation_issues"])
            target = duckdb.connect(extra)
            for rel in RELATIONS:  # the pandas frames of etl/load.py before the Arrow inserts
                target.execute(rel.ddl())
                if rows.get(rel.name):
                    df = load._frame(rel, rows[rel.name])  # noqa: F841
                    cols = ", ".join(f'"{c}"' for c in rel.column_names)
                    target.execute(f'insert into "{rel.name}" ({cols}) select {cols} from df')
            target.execute("checkpoint")
            target.close()
        return clock.result()
    rows = read_rows(con, TAGGED_RELATIONS + INPUT_RELATIONS, columns=READ_COLUMNS)
    con.close()
    if mode == "old":
        sys.path.insert(0, extra)
        from old_analysis import analyse
    else:
        from etl.analysis import analyse
    with _Clock() as clock:
        analyse(rows, None)
    import hashlib

    old_shape = [rows[name] for name in TAGGED_RELATIONS + ANALYSIS_RELATIONS + ("validation_issues",)
                 if name not in NEW_RELATIONS]
    return clock.result(digest=hashlib.sha256(repr(old_shape).encode()).hexdigest())


def run_child(mode: str, warehouse: Path, extra: str | None = None) -> dict:
    """Run :func:`child` in a fresh interpreter; add its wall, CPU and peak RSS."""
    cmd = [sys.executable, __file__, "--child", mode, str(warehouse)] + ([extra] if extra else [])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{mode} on {warehouse} failed: {err[-800:]}")
    res = json.loads(out.strip().splitlines()[-1])
    res.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024)
    return res


# --------------------------------------------------------------------------- the table

def table(sizes: list[int], out: Path, old_max: int, build_max: int, ref: str, memory_max: int,
          build_old_max: int = 400) -> None:
    from scale import sample_warehouse, synthetic_warehouse

    source = sample_warehouse(out)
    old_pkg = _old_analysis(out, ref)
    if old_pkg is None:
        print(f"(no git history for {ref}: the old-analysis baseline is skipped)")
    print(f"\n## Analysis by size (10 years each; load average {os.getloadavg()[0]:.1f} at start)")
    print(f"{'municipalities':>14}{'rows':>12}{'MB':>6} | {'analyse wall':>12}{'cpu':>7}{'ms/muni':>8}{'RSS MB':>7}"
          f" | {'in memory':>9}{'ms/muni':>8}{'x 6':>6} | {'old':>7}{'speed-up':>9}{'same':>6}"
          f" | {'build after extr.':>17}{'RSS MB':>7} | {'old step':>9}{'RSS MB':>7}")
    per_muni: dict[int, float] = {}
    for n in sizes:
        wh = out / f"scale_{n}.duckdb"
        counts = synthetic_warehouse(source, wh, n)
        size_mb = wh.stat().st_size / 1e6
        work = out / f"scale_{n}.analyse.duckdb"
        shutil.copy(wh, work)
        a = run_child("analyse", work)
        work.unlink()
        ref6 = per_muni.get(6)
        mem = run_child("new", wh) if n <= memory_max else None
        if mem is None:  # every row in memory would not fit: the streamed command's CPU stands in
            print(f"{n:>14,}{sum(counts.values()):>12,}{size_mb:>6.0f} | {a['wall']:>11.1f}s{a['cpu']:>6.1f}s"
                  f"{1000 * a['cpu'] / n:>8.0f}{a['rss_mb']:>7.0f} | (in memory, old and build: over --memory-max)",
                  flush=True)
            continue
        per_muni[n] = mem["cpu_s"] / n
        old = run_child("old", wh, str(old_pkg)) if old_pkg and n <= old_max else None
        build = run_child("build", wh, str(out / f"scale_{n}.built.duckdb")) if n <= build_max else None
        build_old = (run_child("build-old", wh, str(out / f"scale_{n}.built-old.duckdb"))
                     if n <= build_old_max else None)
        for f in out.glob(f"scale_{n}.built*.duckdb"):
            f.unlink()
        print(f"{n:>14,}{sum(counts.values()):>12,}{size_mb:>6.0f} | {a['wall']:>11.1f}s{a['cpu']:>6.1f}s"
              f"{1000 * a['cpu'] / n:>8.0f}{a['rss_mb']:>7.0f} | {mem['cpu_s']:>8.2f}s{1000 * per_muni[n]:>8.1f}"
              f"{(per_muni[n] / ref6) if ref6 else float('nan'):>6.2f} | "
              + (f"{old['cpu_s']:>6.1f}s{old['cpu_s'] / mem['cpu_s']:>8.1f}x{str(old['digest'] == mem['digest']):>6}"
                 if old else f"{'–':>7}{'–':>9}{'–':>6}")
              + " | " + (f"{build['cpu_s']:>16.1f}s{build['rss_mb']:>7.0f}" if build else f"{'–':>17}{'–':>7}")
              + " | " + (f"{build_old['cpu_s']:>8.1f}s{build_old['rss_mb']:>7.0f}" if build_old else f"{'–':>9}{'–':>7}"),
              flush=True)
    print("analyse = python -m etl analyse (wall of the child process, its CPU user+sys, ms of CPU per "
          "municipality, peak RSS); in memory = CPU seconds of analyse() on every row at once (x 6: its CPU per "
          f"municipality over that at 6); old = the same for the analysis at {ref}, same = identical rows in "
          "every relation it wrote; build after extraction = CPU seconds of checks + load + analysis from the "
          "loaded file (etl.build.load_and_analyse) on every extracted row, and the child's peak RSS (the rows "
          "read in included); old step = the same step as it was (every row analysed in memory, then written "
          "through pandas frames), up to --build-old-max.")


def dask_vs_pool(out: Path) -> None:
    import duckdb

    from etl.schema import RELATIONS

    raw = ROOT / "data" / "raw"
    print(f"\n## Build of {raw} (--no-cache): Dask LocalCluster vs the process pool "
          f"(load average {os.getloadavg()[0]:.1f})")
    runs = {"--jobs 1": ["--jobs", "1"], "--jobs 2": ["--jobs", "2"],
            "--scheduler local --jobs 2": ["--scheduler", "local", "--jobs", "2"]}
    walls, tables = {}, {}
    for label, extra in runs.items():
        wh = out / f"dask_{len(walls)}.duckdb"
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "etl", "build", "--raw", str(raw), "--warehouse", str(wh),
                               "--no-cache", "--quiet", "--overrides", str(out / "none.csv"), *extra],
                              cwd=ROOT, capture_output=True, text=True)
        walls[label] = time.perf_counter() - t0
        if proc.returncode:
            print(f"{label}: failed: {proc.stderr[-600:]}")
            return
        con = duckdb.connect(str(wh), read_only=True)
        tables[label] = {r.name: con.execute(
            f'select {", ".join(chr(34) + c + chr(34) for c in r.column_names if c != "seconds")} '
            f'from "{r.name}" order by rowid').fetchall() for r in RELATIONS}
        con.close()
    base = walls["--jobs 1"]
    for label, wall in walls.items():
        same = tables[label] == tables["--jobs 1"]
        print(f"{label:<28} wall {wall:>6.1f} s   speed-up {base / wall:>4.2f}x   identical to --jobs 1: {same}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3,6,48,96,400,1400")
    parser.add_argument("--old-max", type=int, default=48, help="largest size the old analysis is timed at")
    parser.add_argument("--build-max", type=int, default=400, help="largest size of the build's post-extraction step")
    parser.add_argument("--build-old-max", type=int, default=400, help="largest size of that step as it was")
    parser.add_argument("--memory-max", type=int, default=400,
                        help="largest size analysed with every row in memory (1,400 x 10 years would need ~15 GB)")
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-table", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, path, *extra = args.child
        print(json.dumps(child(mode, Path(path), extra[0] if extra else None)))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"# bench/scale_table.py, {os.cpu_count()} CPUs")
    if not args.skip_table:
        table([int(s) for s in args.sizes.split(",")], args.out, args.old_max, args.build_max, args.baseline_ref,
              args.memory_max, args.build_old_max)
    if not args.skip_dask:
        dask_vs_pool(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
