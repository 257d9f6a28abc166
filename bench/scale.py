"""How the dashboard and the ETL behave at scale: 400 municipalities × 10 years.

    .venv/bin/python bench/scale.py [--municipalities 400] [--runs 10] [--samples 30] [--out bench/out]
    .venv/bin/python bench/scale.py --quick          # 40 municipalities, 3 page runs, ETL with --jobs 1/2 still
    .venv/bin/python bench/scale.py --skip-etl       # only the dashboard part
    .venv/bin/python bench/scale.py --warehouse bench/out/scale_1400.duckdb --skip-etl   # an existing one, re-used

1. **Synthetic warehouse.** Builds the embedded sample (``data/raw``, 3 municipalities, program
   years 2022–2026; cached in ``data/cache``) and copies every relation of ``etl.schema.RELATIONS``
   with DuckDB SQL: municipality ``i`` takes the rows of sample municipality ``i % 3`` twice, once
   as they are and once five years earlier (plans 2015–2019 and 2020–2024, programs 2017–2026),
   with ids, document ids, activity ids and tag keys rewritten. So every relation keeps the
   sample's shape per municipality and year (about 20 performance goals, 42 activities, 64 FR
   result rows, 9 economic codes × 3 phases, tags, left-out, achievement, gender_budget).
2. **Queries.** With ``IZLEK_WAREHOUSE`` pointing at it, calls each page's ``app/views`` reading
   functions (the ones the page calls) for ``--samples`` random municipality/year pairs; prints
   p50/p95 of the page's total query time and of its slowest query, in ms.
3. **Page runs.** Each page through the real router with Streamlit's ``AppTest``, ``--runs`` times
   with a different ``?m=``; prints p50/p95 of ``switch_page(...).run()``.
4. **ETL throughput** on ``../shared/corpus`` with ``--jobs 1`` and ``--jobs 2`` (``--no-cache``,
   each its own subprocess): wall seconds, pages/s, speed-up.

Figures only, no assertions; targets printed beside them: p95 query < 300 ms, page run p95 < 1 s, cold and warm.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
SHIFTED = ("year", "year_start", "year_end", "plan_start", "plan_end")
QUERY_TARGET_MS, PAGE_TARGET_S = 300, 1.0


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(q / 100 * len(s) + 0.5) - 1))]


# --------------------------------------------------------------------------- 1. the warehouse

def sample_warehouse(out: Path) -> Path:
    from etl.build import build

    target = out / "scale_sample.duckdb"
    report = build(ROOT / "data" / "raw", target, jobs=2, cache_dir=ROOT / "data" / "cache")
    print(f"sample warehouse: {len(report.documents)} documents ({report.cached} from cache) in {report.seconds:.1f} s")
    return target


def _select_list(relation, era_shift: str) -> str:
    cols = []
    for c in relation.column_names:
        if c == "municipality_id":
            cols.append("x.nm")
        elif c in SHIFTED:
            cols.append(f"r.{c} + {era_shift}")
        elif c in ("document_id", "source_document_id"):
            cols.append(f"regexp_replace(r.{c}, '^[^/]+/', x.nm || '/e' || x.era || '_')")
        elif c in ("activity_id", "item_key"):
            cols.append(f"shift_key(r.{c}, x.src, x.nm, {era_shift})")
        elif c == "name" and relation.name == "municipalities":
            cols.append("'Sentetik ' || x.i || ' Belediyesi'")
        elif c == "population" and relation.name == "municipalities":
            cols.append("r.population + x.i * 997")
        else:
            cols.append(f"r.{c}")
    return ", ".join(f'{expr} as "{c}"' for expr, c in zip(cols, relation.column_names, strict=True))


def synthetic_warehouse(source: Path, target: Path, municipalities: int) -> dict[str, int]:
    """Write ``target`` with every relation, ``municipalities`` × 2 eras of the sample's rows."""
    import duckdb

    from etl.schema import RELATIONS

    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"attach '{source}' as src (read_only)")
        con.execute("""create macro shift_key(k, src, nm, sh) as case
            when k is null then null
            when regexp_matches(k, '^\\d{4}:') then (cast(split_part(k, ':', 1) as int) + sh)::varchar || substr(k, 5)
            when starts_with(k, src || ':') and regexp_matches(k, '^[^:]+:\\d{4}')
                then nm || ':' || (cast(split_part(k, ':', 2) as int) + sh)::varchar || substr(k, length(src) + 6)
            else replace(k, src, nm) end""")
        sources = [r[0] for r in con.execute("select municipality_id from src.municipalities order by 1").fetchall()]
        con.execute("create temp table munis as select i, 'm' || lpad(i::varchar, 4, '0') as nm, "
                    "list_extract(?::varchar[], (i % ?) + 1) as src, era from range(?) t(i), "
                    "(values (0), (1)) e(era)", [sources, len(sources), municipalities])
        for rel in RELATIONS:
            con.execute(rel.ddl())
            names = set(rel.column_names)
            if "municipality_id" in names:
                owner = "r.municipality_id"
                if rel.name == "validation_issues":
                    owner = "coalesce(r.municipality_id, split_part(r.document_id, '/', 1))"
            elif "document_id" in names:
                owner = "split_part(r.document_id, '/', 1)"
            else:  # across municipalities (peer_medians): the sample's rows as they are
                con.execute(f'insert into "{rel.name}" select * from src."{rel.name}"')
                continue
            era_filter = "and x.era = 0" if rel.name == "municipalities" else ""
            # Grouped by municipality, as a build writes them (DuckDB's zone maps then skip the
            # row groups of other municipalities, as they do in a real warehouse).
            con.execute(f'insert into "{rel.name}" select {_select_list(rel, "(-5 * x.era)")} '
                        f'from src."{rel.name}" r join munis x on {owner} = x.src {era_filter} '
                        'order by x.nm, x.era desc, r.rowid')
        counts = {rel.name: con.execute(f'select count(*) from "{rel.name}"').fetchone()[0] for rel in RELATIONS}
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(tmp, target)
    return counts


# --------------------------------------------------------------------------- 2. the queries

def page_workloads(munis: list[str]) -> dict[str, Callable[[str, int, random.Random], list[tuple[str, Callable]]]]:
    """For each page, the view functions it calls (as (name, thunk)) for one municipality and year."""
    from app import data
    from app.views import achievement as ach
    from app.views import compare as cmp
    from app.views import gender_budget as gb
    from app.views import left_out as lo
    from app.views import overview as ov
    from app.views import sources as src
    from app.views import tag_review as tr

    munis_q = "select municipality_id, name, kind, province, population from municipalities order by name"
    markers = [2, 1, 0]

    def overview(mid, year, rng):
        return [("municipalities", lambda: data.query(munis_q)), ("headline", lambda: ov.headline(mid)),
                ("plan_periods", lambda: ov.plan_periods(mid)), ("documents", lambda: ov.documents(mid))]

    def gender_budget(mid, year, rng):
        return [("municipalities", lambda: data.query(munis_q)), ("yearly", lambda: gb.yearly(mid)),
                ("by_directorate", lambda: gb.by_directorate(mid, year)),
                ("activities", lambda: gb.activities(mid, year))]

    def left_out(mid, year, rng):
        return [("municipalities", lambda: data.query(munis_q)), ("program_years", lambda: lo.program_years(mid)),
                ("left_out", lambda: lo.left_out(mid, year)), ("coverage", lambda: lo.coverage(mid, year)),
                ("by_year", lambda: lo.by_year(mid)), ("women_units", lambda: lo.women_units(mid))]

    def achievement(mid, year, rng):
        def trend():
            period = ach.plan_period(mid, year - 1) or (2020, 2024)
            res = ach.results(mid, period[0], markers)
            code = res["indicator_code"].iloc[0] if len(res) else "PG1.1"
            return ach.trend(mid, code, *period), ach.baseline(mid, code, period[0])
        return [("municipalities", lambda: data.query(munis_q)), ("report_years", lambda: ach.report_years(mid)),
                ("plan_period", lambda: ach.plan_period(mid, year - 1)),
                ("results", lambda: ach.results(mid, 2020, markers)),
                ("rollup", lambda: ach.rollup(mid, year - 1, markers)),
                ("mismatches", lambda: ach.mismatches(mid, markers)), ("trend+baseline", trend)]

    def compare(mid, year, rng):
        ids = rng.sample(munis, cmp.MAX_SELECTED)
        return [("municipalities", cmp.municipalities), ("summary", lambda: cmp.summary(ids)),
                ("gender_share", lambda: cmp.gender_share(ids)), ("left_out_rate", lambda: cmp.left_out_rate(ids)),
                ("achievement_years", lambda: cmp.achievement_years(ids)),
                ("status_distribution", lambda: cmp.status_distribution(ids, year - 1)),
                ("missing_population", lambda: cmp.missing_population(ids))]

    def sources(mid, year, rng):
        def viewer():
            docs = src.documents(mid)
            doc = docs["document_id"].iloc[0]
            counts = src.rows_per_relation(doc, 3)
            rel = next((r for r, n in counts.items() if n), "activities")
            return src.known_document(doc), src.tables_on_page(doc, 3), src.rows_on_page(rel, doc, 3)
        return [("municipalities", lambda: data.query(munis_q)), ("documents", lambda: src.documents(mid)),
                ("issues", lambda: src.issues(mid)), ("viewer", viewer)]

    def tag_review(mid, year, rng):
        return [("municipalities", lambda: data.query(munis_q)), ("tags", lambda: tr.tags(mid)),
                ("pending", lambda: tr.pending(mid))]

    def relations(mid, year, rng):
        return [("list_relations", data.list_relations)]

    return {"overview.py": overview, "gender_budget.py": gender_budget, "left_out.py": left_out,
            "achievement.py": achievement, "compare.py": compare, "sources.py": sources,
            "tag_review.py": tag_review, "relations.py": relations}


def time_queries(munis: list[str], years: list[int], samples: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    pairs = [(rng.choice(munis), rng.choice(years)) for _ in range(samples)]
    print(f"\n## Queries: app/views functions per page, {samples} random municipality/year pairs "
          f"(target: p95 query < {QUERY_TARGET_MS} ms)")
    print(f"{'page':<18}{'page p50':>10}{'page p95':>10}{'slowest query (p95)':>34}{'query p95':>11}  target")
    for page, workload in page_workloads(munis).items():
        totals, per_query = [], {}
        for mid, year in pairs:
            total = 0.0
            for name, thunk in workload(mid, year, rng):
                t0 = time.perf_counter()
                thunk()
                ms = 1000 * (time.perf_counter() - t0)
                per_query.setdefault(name, []).append(ms)
                total += ms
            totals.append(total)
        worst = max(per_query, key=lambda n: pct(per_query[n], 95))
        worst_p95 = pct(per_query[worst], 95)
        ok = "ok" if worst_p95 < QUERY_TARGET_MS else "OVER"
        print(f"{page:<18}{pct(totals, 50):>8.1f}ms{pct(totals, 95):>8.1f}ms{worst:>34}{worst_p95:>9.1f}ms  {ok}")


# --------------------------------------------------------------------------- 3. page runs

def time_pages(munis: list[str], runs: int) -> None:
    import streamlit as st
    from streamlit import logger
    from streamlit.testing.v1 import AppTest

    logger.set_log_level("error")  # "No runtime found" after every cache clear outside a server
    pages = sorted(p.name for p in (ROOT / "app_pages").glob("*.py"))
    print(f"\n## Page runs: AppTest through the router, {runs} runs each with a different ?m= "
          f"(target: page run p95 < {PAGE_TARGET_S:.0f} s, cold and warm)")
    print("cold = st.cache_data/st.cache_resource cleared before the run (a first visit); "
          "warm = the same session run again (a rerun after a click)")
    print(f"{'page':<18}{'cold p50':>9}{'cold p95':>9}{'warm p50':>9}{'warm p95':>9}  target  tables  exceptions")
    for page in pages:
        cold, warm, errors, tables = [], [], 0, 0
        for i in range(runs):
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
            at.query_params["m"] = munis[(i * 37) % len(munis)]
            at.run()
            t0 = time.perf_counter()
            at = at.switch_page(f"app_pages/{page}").run()
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
            errors += bool(at.exception)
            tables += len(at.dataframe)
        ok = "ok" if max(pct(cold, 95), pct(warm, 95)) < PAGE_TARGET_S else "OVER"
        print(f"{page:<18}{pct(cold, 50):>8.2f}s{pct(cold, 95):>8.2f}s{pct(warm, 50):>8.2f}s{pct(warm, 95):>8.2f}s"
              f"  {ok:<6}  {tables / runs:>6.1f}  {errors}")


# --------------------------------------------------------------------------- 4. ETL throughput

def time_etl(out: Path) -> None:
    import duckdb

    if not CORPUS.is_dir():
        print(f"\n## ETL: {CORPUS} not found, skipped")
        return
    print(f"\n## ETL throughput: python -m etl build --no-cache on {CORPUS}")
    walls = {}
    for jobs in (1, 2):
        wh = out / f"scale_etl_jobs{jobs}.duckdb"
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "etl", "build", "--raw", str(CORPUS), "--warehouse", str(wh),
                               "--jobs", str(jobs), "--no-cache", "--quiet"], cwd=ROOT, capture_output=True, text=True)
        walls[jobs] = time.perf_counter() - t0
        if proc.returncode:
            print(f"--jobs {jobs}: failed ({proc.returncode}): {proc.stderr[-400:]}")
            return
        con = duckdb.connect(str(wh), read_only=True)
        docs, pages = con.execute("select count(*), sum(page_count) from documents").fetchone()
        con.close()
        print(f"--jobs {jobs}: {docs} PDFs, {pages} pages, wall {walls[jobs]:.1f} s, {pages / walls[jobs]:.1f} pages/s")
    print(f"speed-up jobs 2 / jobs 1: {walls[1] / walls[2]:.2f}x  (machine has {os.cpu_count()} CPUs)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=400)
    parser.add_argument("--runs", type=int, default=10, help="AppTest runs per page")
    parser.add_argument("--samples", type=int, default=30, help="municipality/year pairs per page for the queries")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--quick", action="store_true", help="40 municipalities, 3 page runs, 10 samples")
    parser.add_argument("--skip-etl", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--warehouse", type=Path, help="time this synthetic warehouse (an earlier run's, or one "
                                                       "`python -m etl analyse` re-analysed) instead of writing one")
    args = parser.parse_args(argv)
    if args.quick:
        args.municipalities, args.runs, args.samples = 40, 3, 10
    args.out.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    print(f"# bench/scale.py: {args.municipalities} municipalities x 10 years, {args.samples} query samples, "
          f"{args.runs} page runs{' (--quick)' if args.quick else ''}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")

    if args.warehouse:
        target = args.warehouse
        print(f"warehouse {target} ({target.stat().st_size / 1e6:.0f} MB), as it is")
    else:
        source = sample_warehouse(args.out)
        target = args.out / f"scale_{args.municipalities}.duckdb"
        t0 = time.perf_counter()
        counts = synthetic_warehouse(source, target, args.municipalities)
        print(f"synthetic warehouse {target.name}: {sum(counts.values()):,} rows, "
              f"{target.stat().st_size / 1e6:.0f} MB, written in {time.perf_counter() - t0:.1f} s")
        print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if v))

    os.environ["IZLEK_WAREHOUSE"] = str(target)
    os.environ.setdefault("IZLEK_UPLOAD_PASSWORD", "bench")  # so the upload page is in the router and timed
    os.environ.setdefault("IZLEK_READ_ONLY", "0")  # and Tag review (nothing is written unless a button is clicked)
    import duckdb

    con = duckdb.connect(str(target), read_only=True)
    munis = [r[0] for r in con.execute("select municipality_id from municipalities order by 1").fetchall()]
    years = [r[0] for r in con.execute("select distinct year from gender_budget order by 1").fetchall()]
    con.close()
    print(f"program years {years[0]}–{years[-1]} ({len(years)})")
    time_queries(munis, years, args.samples)
    if not args.skip_pages:
        time_pages(munis, args.runs)
    if not args.skip_etl:
        time_etl(args.out)
    print(f"\ntotal {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
