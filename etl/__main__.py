"""Command line: ``python -m etl build`` and friends. Run ``python -m etl --help``."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

# The rest of the ETL is imported inside main(): a build launches its reader child first, so
# the child starts while this process imports (and the child, which runs this module again
# under "spawn", imports nothing it does not need).
from etl.sandbox import Limits, cores, prestart, read_ahead_for


def _report(rep) -> None:
    print("\nDocuments")
    print(f"  {'document':<55} {'type':<20} {'years':<10} {'pages':>5} {'tables':>6} {'rows':>6}  status   message")
    for d in rep.documents:
        years = "" if d.get("year_start") is None else (
            str(d["year_start"]) if d["year_start"] == d["year_end"] else f"{d['year_start']}-{d['year_end']}")
        print(f"  {d['document_id'][:55]:<55} {str(d.get('doc_type') or '-'):<20} {years:<10} "
              f"{d.get('page_count') or 0:>5} {d.get('tables_found') or 0:>6} {d.get('rows_loaded') or 0:>6}  "
              f"{d['status']:<8} {d.get('message') or ''}")
    print("\nRows per relation")
    for name, n in rep.counts.items():
        print(f"  {name:<24} {n:>7}")
    errors = sum(1 for i in rep.issues if i["severity"] == "error")
    print(f"\nValidation: {errors} errors, {len(rep.issues) - errors} warnings (relation validation_issues)")
    for i in [i for i in rep.issues if i["severity"] == "error"][:10]:
        print(f"  ERROR {i['document_id']}: {i['message']}")
    status = {s: sum(1 for d in rep.documents if d["status"] == s) for s in ("ok", "partial", "failed")}
    print(f"\n{len(rep.documents)} documents ({status['ok']} ok, {status['partial']} partial, {status['failed']} failed"
          f"{f', {rep.cached} from cache' if rep.cached else ''}) → {rep.warehouse} in {rep.seconds:.1f} s"
          + (" (up to date: nothing changed since the last build)" if rep.up_to_date else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="İzlek ETL: municipal strategic plans, performance programs and activity reports (PDF) "
                    "→ DuckDB warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="extract every PDF under the raw folder and (re)write the warehouse",
                       description="Extract every data/raw/<municipality_id>/*.pdf and atomically replace the "
                                   "warehouse. Exit 0 when a warehouse was written, even if some documents "
                                   "failed (see the report and the documents relation); non-zero only when "
                                   "nothing could be built.")
    b.add_argument("--raw", type=Path, default=Path("data/raw"),
                   help="input folder with one sub-folder per municipality (default: data/raw)")
    b.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"),
                   help="DuckDB file to write; replaced atomically when the build completes "
                        "(default: data/warehouse.duckdb)")
    b.add_argument("--jobs", type=int, default=1,
                   help="documents extracted in parallel by a process pool; the output is identical for any "
                        "value (default: 1)")
    b.add_argument("--cache", type=Path, default=Path("data/cache"),
                   help="per-document extraction cache folder, keyed by file content, extractor version and "
                        "layout files (default: data/cache)")
    b.add_argument("--no-cache", action="store_true", help="extract every document again, ignoring the cache")
    b.add_argument("--overrides", type=Path, default=None,
                   help="gender-marker overrides CSV (municipality_id,item_kind,item_key,marker,note,date); "
                        "objective_links.csv beside it links renumbered objectives by hand "
                        "(default: $IZLEK_OVERRIDES, else data/gender_overrides.csv — the dashboard's rule)")
    b.add_argument("--doc-timeout", type=float, default=600, metavar="S",
                   help="wall-time limit per document in seconds; a document over it fails, the others load "
                        "(default: 600)")
    b.add_argument("--doc-memory-mb", type=int, default=3072, metavar="MB",
                   help="memory (address-space) limit per document; its resident memory is held to this "
                        "minus 1280 MB; a document over it fails, the others load (default: 3072)")
    b.add_argument("--accept-shrink", action="store_true",
                   help="replace the warehouse even when the new build loses documents or rows it has (by "
                        "default such a build is refused and the current warehouse kept)")
    b.add_argument("--wait", type=float, default=None, metavar="S",
                   help="when another build of the same warehouse runs, wait at most S seconds for it "
                        "(default: wait until it ends; 0: give up at once)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="extract on a Dask distributed cluster instead of the local pool: 'local' starts a "
                        "LocalCluster here (--jobs workers when given, else one per CPU), tcp://host:8786 uses "
                        "a running scheduler whose workers have this repository, its venv, the PDFs and the "
                        "cache folder at the same paths; the load stays here")
    b.add_argument("--quiet", action="store_true", help="no progress bar, only the report")
    a = sub.add_parser("analyse", aliases=["analyze"],
                       help="re-compute the analysis relations of an existing warehouse (no PDF is read)",
                       description="Re-compute gender tags, coverage, left-out objectives, achievement, gender "
                                   "budget and budget execution from the extracted relations of a warehouse and "
                                   "the user's CSV files, and replace the warehouse atomically. Run it after "
                                   "editing the gender overrides or the objective links.")
    a.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"),
                   help="DuckDB file to re-analyse in place (default: data/warehouse.duckdb)")
    a.add_argument("--overrides", type=Path, default=Path("data/gender_overrides.csv"),
                   help="gender-marker overrides CSV; objective_links.csv beside it (default: data/gender_overrides.csv)")
    a.add_argument("--jobs", type=int, default=None,
                   help="worker processes that analyse batches of municipalities while this process writes "
                        "them; the output is identical for any value (default: one per CPU)")
    s = sub.add_parser("schema", help="print the warehouse relations (the data dictionary) as Markdown")
    s.add_argument("--write-readme", type=Path, metavar="README",
                   help="rewrite the relations table between the markers of this README instead of printing")
    args = parser.parse_args(argv)
    if args.command == "build" and (args.no_cache or not args.cache.exists()) and not args.scheduler \
            and args.jobs >= 1 and args.doc_timeout > 0 and args.doc_memory_mb >= 256:
        # Every document will be read: start the first reader child now (from a cache most
        # builds read nothing, and a child would only cost memory).
        prestart(Limits(memory_mb=args.doc_memory_mb, wall_s=args.doc_timeout), read_ahead_for(args.jobs))
    from etl import usercsv
    from etl.build import BuildError, ShrinkRefused, build, print_progress
    from etl.schema import markdown_table, readme_with_relations

    if args.command == "schema":
        if args.write_readme:
            text = args.write_readme.read_text(encoding="utf-8")
            args.write_readme.write_text(readme_with_relations(text), encoding="utf-8")
        else:
            print(markdown_table())
        return 0
    if args.command in ("analyse", "analyze"):
        return _analyse(args)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.doc_timeout <= 0 or args.doc_memory_mb < 256:
        parser.error("--doc-timeout must be positive and --doc-memory-mb at least 256")
    try:
        with _mapper(args) as map_jobs:
            rep = build(args.raw, args.warehouse, jobs=args.jobs, cache_dir=None if args.no_cache else args.cache,
                        progress=None if args.quiet else print_progress,
                        overrides_path=args.overrides or usercsv.overrides_path(),
                        limits=Limits(memory_mb=args.doc_memory_mb, wall_s=args.doc_timeout),
                        accept_shrink=args.accept_shrink, lock_wait_s=args.wait,
                        notify=lambda m: print(m, file=sys.stderr, flush=True), map_jobs=map_jobs)
    except ShrinkRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (BuildError, OSError) as exc:
        # OSError: missing or unreadable folder, a full disk; the message says which.
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _report(rep)
    return 0


@contextmanager
def _mapper(args):
    """The Dask cluster's map when --scheduler is given, else None (the local pool)."""
    if not args.scheduler:
        yield None
        return
    from etl.distributed import dask_mapper

    with dask_mapper(args.scheduler, args.jobs if args.jobs > 1 else None) as run:
        yield run


def _analyse(args) -> int:
    from etl.analysis.warehouse import reanalyse

    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    try:
        rep = reanalyse(args.warehouse, args.overrides, jobs=args.jobs or cores())
    except (FileNotFoundError, PermissionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"analysed {rep.municipalities} municipalities of {rep.warehouse} in {rep.seconds:.1f} s")
    for name, n in rep.counts.items():
        print(f"  {name:<24} {n:>7}")
    for w in rep.warnings:
        print(f"  warning: {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
