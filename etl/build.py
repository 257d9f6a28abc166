"""The build: find the PDFs, extract each (in parallel when asked), validate, load.

Raw folder layout: ``<raw>/<municipality_id>/*.pdf`` plus an optional
``<raw>/<municipality_id>/municipality.toml`` (name, province, kind, population).
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from etl import cache, stamp
from etl.analysis.user_files import user_file_paths
from etl.extract import DocumentResult, extract_document, sha256_of
from etl.records.common import Records
from etl.schema import RELATIONS

METADATA_FILE = "municipality.toml"
KINDS = ("district", "metropolitan", "provincial")


@dataclass
class BuildReport:
    """What a build did, for the CLI report and the tests."""

    documents: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    issues: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    warehouse: Path | None = None
    cached: int = 0
    up_to_date: bool = False


def find_documents(raw: Path) -> list[tuple[str, Path]]:
    """(municipality_id, path) of every PDF under ``raw/<municipality_id>/``, sorted."""
    out = []
    for folder in sorted(p for p in raw.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for f in sorted(folder.iterdir()):
            if f.is_file() and f.suffix.lower() == ".pdf":
                out.append((folder.name, f))
    return out


def read_metadata(folder: Path) -> tuple[dict, list[str]]:
    """The folder's municipality.toml (validated) and messages about what is wrong in it."""
    path = folder / METADATA_FILE
    if not path.exists():
        return {}, []
    try:
        with open(path, "rb") as fh:
            meta = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, OSError) as exc:
        return {}, [f"{path}: not valid TOML ({exc}); fix it or delete it. Name and kind were detected instead."]
    problems = []
    if meta.get("kind") is not None and meta["kind"] not in KINDS:
        problems.append(f"{path}: kind must be one of {', '.join(KINDS)}, not {meta['kind']!r}")
        meta.pop("kind")
    if meta.get("population") is not None and not isinstance(meta["population"], int):
        problems.append(f"{path}: population must be a whole number, not {meta['population']!r}")
        meta.pop("population")
    return meta, problems


def _extract_job(args: tuple[str, str, str, str | None]) -> DocumentResult:
    mid, path, sha, cache_dir = args
    if cache_dir:
        hit = cache.load(Path(cache_dir), sha)
        if hit is not None:
            return cache.rebind(hit, mid, Path(path).name)
    result = extract_document(Path(path), mid, sha)
    if cache_dir:
        cache.store(Path(cache_dir), sha, result)
    return result


def build(raw: Path, warehouse: Path, jobs: int = 1, cache_dir: Path | None = None,
          progress: Callable[[int, int, dict], None] | None = None,
          overrides_path: Path | None = None,
          map_jobs: Callable[[Callable, list], Iterable[DocumentResult]] | None = None) -> BuildReport:
    """Build the warehouse from ``raw``; returns the report. Raises FileNotFoundError when
    ``raw`` does not exist (nothing can be built).

    ``overrides_path`` is the user's gender-marker overrides CSV (objective links sit beside
    it); the analysis runs after extraction, so changing it never invalidates the cache.
    ``map_jobs(fn, args)``, when given, runs the per-document extraction instead of the local
    pool and yields the results in order (``etl.distributed.dask_mapper``: a Dask cluster).
    """
    t0 = time.perf_counter()
    raw = Path(raw)
    if not raw.is_dir():
        raise FileNotFoundError(f"raw input folder {raw} does not exist; create it and put "
                                "<municipality_id>/<document>.pdf files in it")
    found = find_documents(raw)
    args = [(mid, str(p), sha256_of(p), str(cache_dir) if cache_dir else None) for mid, p in found]
    print_ = stamp.fingerprint(raw, [(m, Path(p).name, s) for m, p, s, _ in args],
                               list(user_file_paths(overrides_path)))
    previous = stamp.up_to_date(Path(warehouse), print_) if cache_dir else None
    if previous is not None:
        # Nothing the build reads has changed, nor the warehouse file: keep it as it is.
        return BuildReport(documents=previous["documents"], counts=previous["counts"], issues=previous["issues"],
                           seconds=time.perf_counter() - t0, warehouse=Path(warehouse),
                           cached=len(previous["documents"]), up_to_date=True)
    # Imported here: pandas, DuckDB and rapidfuzz cost ~0.4 s that an up-to-date build skips.
    from etl.analysis import analyse
    from etl.checks import run_checks
    from etl.load import write_warehouse

    results: list[DocumentResult] = []
    if map_jobs is not None:
        for i, res in enumerate(map_jobs(_extract_job, args), start=1):
            results.append(res)
            if progress:
                progress(i, len(args), res.document)
    elif jobs > 1 and len(args) > 1:
        # "spawn": pdfium keeps process-global state that a forked child must not inherit.
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            for i, res in enumerate(pool.map(_extract_job, args), start=1):
                results.append(res)
                if progress:
                    progress(i, len(args), res.document)
    else:
        for i, a in enumerate(args, start=1):
            res = _extract_job(a)
            results.append(res)
            if progress:
                progress(i, len(args), res.document)
    report = BuildReport(cached=sum(1 for r in results if r.document.get("from_cache")))
    rows = Records()
    _resolve_duplicates(results)
    for res in results:
        if res.document.get("superseded"):
            continue
        rows.extend(res.records)
    rows["documents"] = [r.document for r in results]
    rows["extracted_tables"] = [t for r in results for t in r.tables]
    rows["table_regions"] = [g for r in results for g in getattr(r, "regions", [])]
    rows["municipalities"] = _municipalities(raw, results, rows)
    analyse(rows, overrides_path)
    rows["validation_issues"].extend(run_checks(rows))
    _mark_partial(rows)
    report.warehouse = write_warehouse(warehouse, rows)
    report.documents = rows["documents"]
    report.issues = rows["validation_issues"]
    report.counts = {rel.name: len(rows.get(rel.name, [])) for rel in RELATIONS}
    report.seconds = time.perf_counter() - t0
    stamp.write(Path(warehouse), print_, {"documents": report.documents, "counts": report.counts,
                                          "issues": report.issues})
    return report


def _resolve_duplicates(results: list[DocumentResult]) -> None:
    """Same file twice, or two documents claiming the same municipality, type and year(s).

    Both keep their ``documents`` row; only the first by file name (a deterministic winner)
    contributes records, the other is marked and explained.
    """
    seen_sha: dict[str, str] = {}
    seen_slot: dict[tuple, str] = {}
    for res in sorted(results, key=lambda r: r.document["document_id"]):
        d = res.document
        if d["status"] == "failed":
            continue
        if d["sha256"] in seen_sha:
            d.update(superseded=True, status="failed",
                     message=f"{d['file_name']}: the same file as {seen_sha[d['sha256']]} (identical content); "
                             "loaded once. Delete one of the two copies.")
            continue
        seen_sha[d["sha256"]] = d["file_name"]
        slot = (d["municipality_id"], d["doc_type"], d["year_start"], d["year_end"])
        if slot in seen_slot:
            d.update(superseded=True, status="partial",
                     message=f"{d['file_name']}: {seen_slot[slot]} is also a {d['doc_type'].replace('_', ' ')} "
                             f"for {d['year_start']}; that one (first by file name) was loaded, this one was not. "
                             "Remove the outdated version.")
            continue
        seen_slot[slot] = d["file_name"]


def _municipalities(raw: Path, results: list[DocumentResult], rows: Records) -> list[dict]:
    out = []
    names: dict[str, Counter] = {}
    for r in results:
        if r.document.get("detected_name"):
            names.setdefault(r.document["municipality_id"], Counter())[r.document["detected_name"]] += 1
    # A folder is a municipality when it holds PDFs or a municipality.toml (not, e.g., truth/).
    folders = {p.name for p in raw.iterdir() if p.is_dir() and (p / METADATA_FILE).exists()}
    for mid in sorted({r.document["municipality_id"] for r in results} | folders):
        if mid.startswith("."):
            continue
        meta, problems = read_metadata(raw / mid)
        for msg in problems:
            rows["validation_issues"].append({"document_id": None, "municipality_id": mid, "severity": "warning",
                                              "check_name": "municipality_metadata", "message": msg, "source_page": None})
        detected = names.get(mid, Counter()).most_common(1)
        out.append({"municipality_id": mid, "name": meta.get("name") or (detected[0][0] if detected else mid),
                    "province": meta.get("province"), "kind": meta.get("kind"), "population": meta.get("population"),
                    "metadata_source": METADATA_FILE if meta else "detected"})
    return out


def _mark_partial(rows: Records) -> None:
    errors = Counter(i["document_id"] for i in rows["validation_issues"] if i["severity"] == "error")
    for d in rows["documents"]:
        if d["status"] == "ok" and errors.get(d["document_id"]):
            d["status"] = "partial"
            d["message"] = (d.get("message") or "") + f"; {errors[d['document_id']]} validation errors (see validation_issues)"


def print_progress(i: int, n: int, doc: dict) -> None:
    """One line per document: a bar, the file and its status."""
    width = 24
    filled = int(width * i / max(n, 1))
    bar = "#" * filled + "." * (width - filled)
    print(f"[{bar}] {i:>3}/{n} {doc['status']:<7} {doc['document_id']}", file=sys.stderr, flush=True)
