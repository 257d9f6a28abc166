"""The build: find the PDFs, extract each in its own sandbox, validate, guard, load.

Raw folder layout: ``<raw>/<municipality_id>/*.pdf`` plus an optional
``<raw>/<municipality_id>/municipality.toml`` (name, province, kind, population, aliases).

What a build promises:

* one bad file never stops it: every document is extracted by :func:`run_document` in a
  child process with a wall-time and a memory limit (:mod:`etl.sandbox`); a document that
  hangs, eats memory or crashes PDFium becomes a ``failed`` row with a message;
* names, ``municipality.toml`` and the user's CSVs are decoded defensively (UTF-8, else
  Windows-1254 with a warning), metadata values are validated, a full disk is reported plainly
  and leaves no temp file behind;
* a document whose title page names another municipality than its folder's is ``failed``;
* a worse warehouse never silently replaces a good one (:func:`shrinkage`): when a
  municipality's loaded documents vanish or its rows drop sharply the build refuses
  (:class:`ShrinkRefused`) unless ``accept_shrink``; an empty or mis-shaped raw folder is an
  error; one build at a time per warehouse (a lock file beside it).

``run_document`` is a plain function of a :class:`DocumentJob`, so any executor can call it;
``build(executor=...)`` takes one (the default runs documents on ``jobs`` threads, each with
its own sandbox child).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import sys
import threading
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from etl import cache, ids, layout_file, stamp, usercsv
from etl.analysis.user_files import OVERRIDES_FILE, item_names, named_overrides, user_file_paths
from etl.extract import DocumentResult, extract_document, sha256_of
from etl.records.common import Records
from etl.sandbox import (
    Limits,
    Sandbox,
    SandboxFailure,
    discard_prestarted,
    looks_out_of_memory,
    read_ahead_for,
    take_prestarted,
)
from etl.schema import RELATIONS
from etl.turkish import casefold_tr

METADATA_FILE = "municipality.toml"
KINDS = ("district", "metropolitan", "provincial")
METADATA_KEYS = ("name", "province", "kind", "population", "population_year", "population_source",
                 "population_by_year", "aliases")
MAX_POPULATION = 100_000_000  # Türkiye has ~86 million people; beyond this a value is a typo
# Relations whose rows a municipality should not lose silently, and how much of a drop is "sharp".
GUARDED = ("goals", "objectives", "indicators", "indicator_values", "performance_goals", "activities",
           "budget_lines", "report_results")
SHRINK_RATIO = 0.5
SHRINK_MIN_ROWS = 10  # a relation this small may change shape legitimately


class BuildError(Exception):
    """Nothing could be built (or the build refused to replace the warehouse); the message says why."""


class ShrinkRefused(BuildError):
    """The new warehouse would lose data the current one has; ``problems`` lists what."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the new build would lose data the current warehouse has, so the warehouse was kept:\n  "
                         + "\n  ".join(problems)
                         + "\nFix the raw folder, or build with --accept-shrink if the loss is intended.")
        self.problems = problems


class BuildLocked(BuildError):
    """Another build holds the warehouse's lock."""


class DiskFull(BuildError):
    """No space left for the warehouse; the previous one is unchanged."""


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


@dataclass(frozen=True)
class DocumentJob:
    """One document to extract: where it is, what to call it, and its limits."""

    municipality_id: str
    path: str
    file_name: str
    sha256: str | None
    cache_dir: str | None = None
    limits: Limits = Limits()
    warning: str | None = None  # e.g. the file name was not UTF-8


# --- names ----------------------------------------------------------------------------------------

def decoded_name(name: str) -> tuple[str, str | None]:
    """A file or folder name as text, and a warning when it was not valid UTF-8.

    On Linux an undecodable name arrives with surrogate escapes; it is read as Windows-1254
    (what a Turkish Windows writes into a zip), the usual source of such names.
    """
    try:
        name.encode("utf-8")
        return name, None
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    text = raw.decode("cp1254", errors="replace")
    return text, (f"the name {text!r} is not valid UTF-8 and was read as Windows-1254; rename it "
                  f"(e.g. to {text!r} in UTF-8) so that the page viewer can find the file")


@dataclass(frozen=True)
class Found:
    """A PDF under the raw folder."""

    municipality_id: str
    path: Path
    file_name: str
    warning: str | None = None


def _municipality_folders(raw: Path) -> Iterator[tuple[str, Path, str | None]]:
    for folder in sorted(p for p in raw.iterdir() if p.is_dir() and not p.name.startswith(".")):
        mid, warning = decoded_name(folder.name)
        yield mid, folder, warning


def find_pdfs(raw: Path) -> list[Found]:
    """Every PDF under ``raw/<municipality_id>/``, sorted; names decoded (see :func:`decoded_name`)."""
    out = []
    for mid, folder, folder_warning in _municipality_folders(raw):
        for f in sorted(folder.iterdir()):
            if f.is_file() and f.suffix.lower() == ".pdf":
                name, warning = decoded_name(f.name)
                out.append(Found(mid, f, name, "; ".join(w for w in (folder_warning, warning) if w) or None))
    return out


def find_documents(raw: Path) -> list[tuple[str, Path]]:
    """(municipality_id, path) of every PDF under ``raw/<municipality_id>/``, sorted."""
    return [(f.municipality_id, f.path) for f in find_pdfs(raw)]


def check_raw_shape(raw: Path, found: list[Found]) -> None:
    """Raise :class:`BuildError` when the raw folder holds no document where the build looks."""
    if found:
        return
    loose = sorted(p.name for p in raw.glob("*.pdf")) + sorted(p.name for p in raw.glob("*.PDF"))
    deep = sorted(str(p.relative_to(raw)) for p in raw.glob("*/*/**/*") if p.suffix.lower() == ".pdf")
    hint = ""
    if loose:
        hint = (f" {len(loose)} PDF(s) lie directly in it ({', '.join(loose[:3])}); put each into a folder named "
                "for its municipality: <raw>/<municipality_id>/<file>.pdf.")
    elif deep:
        hint = (f" {len(deep)} PDF(s) are one folder too deep ({', '.join(deep[:3])}); move them up to "
                "<raw>/<municipality_id>/<file>.pdf.")
    raise BuildError(f"no PDF found in {raw}/<municipality_id>/; nothing to build, the current warehouse "
                     f"(if any) is kept.{hint}")


# --- metadata -------------------------------------------------------------------------------------

def read_metadata(folder: Path) -> tuple[dict, list[str]]:
    """The folder's municipality.toml (validated) and messages about what is wrong in it.

    UTF-8, else Windows-1254 (as Notepad on a Turkish Windows saves it) with a warning; every
    value is checked (a wrong one is dropped with a message, the rest is kept).
    """
    path = folder / METADATA_FILE
    shown = decoded_name(str(path))[0]
    if not path.exists():
        return {}, []
    problems: list[str] = []
    try:
        text, _, warnings = usercsv.decode(path.read_bytes(), shown)
        problems += warnings
        meta = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, OSError) as exc:
        return {}, [f"{shown}: not valid TOML ({exc}); fix it or delete it. Name and kind were detected instead."]
    for key in [k for k in meta if k not in METADATA_KEYS]:
        problems.append(f"{shown}: unknown key {key!r} ignored (known: {', '.join(METADATA_KEYS)})")
        meta.pop(key)
    for key in ("name", "province"):
        value = meta.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip() or len(value) > 200):
            problems.append(f"{shown}: {key} must be a non-empty text of at most 200 characters, not {value!r}")
            meta.pop(key)
    if meta.get("kind") is not None and meta["kind"] not in KINDS:
        problems.append(f"{shown}: kind must be one of {', '.join(KINDS)}, not {meta['kind']!r}")
        meta.pop("kind")
    pop = meta.get("population")
    if pop is not None and (isinstance(pop, bool) or not isinstance(pop, int) or not 0 < pop <= MAX_POPULATION):
        problems.append(f"{shown}: population must be a whole number between 1 and {MAX_POPULATION:,}, "
                        f"not {str(pop)[:40]!r}")
        meta.pop("population")
    year = meta.get("population_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100):
        problems.append(f"{shown}: population_year must be a year such as 2024, not {str(year)[:40]!r}")
        meta.pop("population_year")
    source = meta.get("population_source")
    if source is not None and (not isinstance(source, str) or not source.strip() or len(source) > 200):
        problems.append(f"{shown}: population_source must be a text such as \"TÜİK ADNKS 2024\", not {source!r}")
        meta.pop("population_source")
    by_year = meta.get("population_by_year")
    if by_year is not None:
        good = {}
        for key, value in (by_year.items() if isinstance(by_year, dict) else []):
            ok_year = str(key).isdigit() and 1900 <= int(key) <= 2100
            ok_pop = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_POPULATION
            if ok_year and ok_pop:
                good[int(key)] = value
            else:
                problems.append(f"{shown}: population_by_year: {str(key)[:10]} = {str(value)[:40]!r} ignored "
                                f"(a year = a whole number between 1 and {MAX_POPULATION:,})")
        if not isinstance(by_year, dict):
            problems.append(f"{shown}: population_by_year must be a table of year = population, e.g. "
                            "[population_by_year] 2024 = 214380")
        meta["population_by_year"] = good
    aliases = meta.get("aliases")
    if aliases is not None and (not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases)):
        problems.append(f"{shown}: aliases must be a list of names, e.g. aliases = [\"Eski Adı Belediyesi\"]")
        meta.pop("aliases")
    return meta, problems


# --- whose document is it -------------------------------------------------------------------------

_ASCII = str.maketrans("çğıöşüâîû", "cgiosuaiu")
_NOT_NAME = re.compile(r"\b(t\s*c|buyuksehir|belediyesi|belediye|il|ilce)\b")


def name_key(name: str | None) -> str:
    """"T.C. Yeşilvadi Belediyesi" → "yesilvadi": what identifies a municipality in a title or folder."""
    folded = casefold_tr(str(name or "")).translate(_ASCII).replace("i̇", "i")
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    return re.sub(r"\s+", "", _NOT_NAME.sub(" ", folded))


def _same(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or a in b or b in a)


def name_conflict(detected: str | None, municipality_id: str, meta: dict) -> str | None:
    """The message when a title page names another municipality than the folder's, else None.

    The folder's identity is its municipality.toml ``name`` and ``aliases``, and the folder id
    itself; a title page matching any of them is this municipality's.
    """
    got = name_key(detected)
    if not got:
        return None
    known = [meta.get("name"), *(meta.get("aliases") or []), municipality_id]
    if any(_same(got, name_key(k)) for k in known if k):
        return None
    expected = meta.get("name") or municipality_id
    return (f"the title page names {detected!r}, but the file is in the folder of {expected!r} "
            f"({municipality_id}/). Move it to that municipality's folder; if this is the right folder, add the "
            f"name to {METADATA_FILE}: aliases = [{detected!r}].")


def _check_owners(results: list[DocumentResult], metas: dict[str, dict]) -> None:
    by_folder: dict[str, list[DocumentResult]] = defaultdict(list)
    for r in results:
        by_folder[r.document["municipality_id"]].append(r)
    for mid, group in by_folder.items():
        meta = metas.get(mid, {})
        # A folder id that resembles none of its documents' titles (and no name given) is opaque
        # ("m01"): then only the majority of titles can say which one is the odd one out.
        opaque = not meta.get("name") and not any(
            _same(name_key(r.document.get("detected_name")), name_key(mid)) for r in group)
        names = Counter(name_key(r.document.get("detected_name")) for r in group if r.document.get("detected_name"))
        majority = names.most_common(1)[0] if names else None
        for r in group:
            d = r.document
            if d["status"] == "failed" or not d.get("detected_name"):
                continue
            if opaque:
                if not majority or majority[1] < 2 or name_key(d["detected_name"]) == majority[0]:
                    continue
                message = (f"the title page names {d['detected_name']!r}, unlike the other documents in "
                           f"{mid}/. Move it to its municipality's folder.")
            else:
                message = name_conflict(d["detected_name"], mid, meta)
            if message:
                d.update(status="failed", wrong_municipality=True, message=f"{d['file_name']}: {message}")


# --- one document ---------------------------------------------------------------------------------

def _failed(job: DocumentJob, message: str, **extra) -> DocumentResult:
    return DocumentResult({
        "document_id": f"{job.municipality_id}/{job.file_name}", "municipality_id": job.municipality_id,
        "file_name": job.file_name, "sha256": job.sha256, "doc_type": None, "year_start": None, "year_end": None,
        "page_count": None, "status": "failed", "message": message, "detected_name": None, "detection": None,
        "table_pages": 0, "tables_found": 0, "rows_loaded": 0, **extra})


_local = threading.local()
_sandboxes: list[Sandbox] = []
_sandboxes_lock = threading.Lock()


# Whether a sandbox child reads ruled tables ahead in a second process (etl.lattice_worker):
# only while fewer documents are read at once than there are cores (set by run_documents).
_read_ahead = True


def _sandbox(limits: Limits) -> Sandbox:
    box = getattr(_local, "sandbox", None)
    if box is None or box.limits != limits:
        if box is not None:
            box.close()
        box = take_prestarted(limits, _read_ahead) or Sandbox(limits, read_ahead=_read_ahead)
        _local.sandbox = box
        with _sandboxes_lock:
            _sandboxes.append(box)
    return box


def close_sandboxes() -> None:
    """Stop every sandbox child this process started (the build calls it when it ends)."""
    with _sandboxes_lock:
        boxes, _sandboxes[:] = list(_sandboxes), []
    for box in boxes:
        box.close()
    discard_prestarted()
    _local.__dict__.pop("sandbox", None)


def _cache_key(job: DocumentJob) -> str:
    """The file's sha256, combined with its folder's layout file when there is one: editing
    layout.toml re-reads that folder's documents."""
    digest = layout_file.digest_for(Path(job.path))
    return job.sha256 if digest is None else hashlib.sha256(f"{job.sha256}:{digest}".encode()).hexdigest()


def run_document(job: DocumentJob) -> DocumentResult:
    """Extract one document: from the cache, else in a sandbox child; never raises.

    A plain function of ``job``: executors other than :func:`build`'s own may call it. The
    sandbox child of the calling thread is reused from document to document.
    """
    if job.sha256 is None:
        return _failed(job, f"{job.file_name}: the file cannot be read (permission denied or removed while "
                            "the build ran); check the file and build again.")
    key = _cache_key(job)
    if job.cache_dir:
        hit = cache.load(Path(job.cache_dir), key)
        if hit is not None:
            return cache.rebind(hit, job.municipality_id, job.file_name)
    limits = job.limits
    try:
        result = _sandbox(limits).call(extract_document, Path(job.path), job.municipality_id, job.sha256)
    except SandboxFailure as exc:
        if exc.kind == "timeout":
            why = (f"reading it took longer than the limit of {limits.wall_s:g} s per document, so it was stopped. "
                   "The PDF may be built to loop (e.g. nested forms); if it is genuine, raise --doc-timeout.")
        elif exc.kind == "memory":
            why = (f"reading it needed more than the limit of {limits.memory_mb} MB of memory per document, so it "
                   "was stopped. The PDF may be built to explode (e.g. nested forms or a huge image); if it is "
                   "genuine, raise --doc-memory-mb.")
        elif exc.kind == "start":
            # Nothing of the file was read: say so, and never blame (or cache) the document.
            return _failed(job, f"{job.file_name}: not read, because the worker process that reads a document "
                                f"could not start ({str(exc).splitlines()[0][:200]}). The file was not judged. The "
                                "machine is short of memory or processes, or --doc-memory-mb is too low to start "
                                "the reader: free memory (or raise the limit) and build again.", sandbox="start")
        elif exc.kind == "error":
            # The exception's name and traceback are for the log, not for readers.
            print(f"{job.file_name}: extraction failed: {exc}", file=sys.stderr)
            why = ("the reader stopped with an unexpected error on it (details in the build log). Open it in "
                   "a PDF viewer; if it opens, save it again as PDF and put that copy in its place; if it "
                   "still fails, please report this file.")
        else:
            why = f"the PDF reader crashed on it ({exc}); the file is probably damaged. Download it again."
        return _failed(job, f"{job.file_name}: {why} The other documents were loaded.", sandbox=exc.kind)
    if result.document.get("file_name") != job.file_name:
        cache.rebind(result, job.municipality_id, job.file_name, from_cache=False)
    if looks_out_of_memory(result.document.get("message")) and result.document["status"] == "failed":
        result.document.update(sandbox="memory", message=(
            f"{job.file_name}: reading it needed more than the limit of {limits.memory_mb} MB of memory per "
            "document, so it was stopped. If the PDF is genuine, raise --doc-memory-mb."))
    if job.cache_dir and result.document["status"] != "failed":
        problem = cache.store(Path(job.cache_dir), key, result)
        if problem:
            result.document["cache_problem"] = problem
    return result


def _mapped(map_jobs: Callable[[Callable, list], Iterable[DocumentResult]]) -> Executor:
    """An executor that hands the per-document unit to ``map_jobs`` (a Dask cluster)."""
    def run(jobs: list[DocumentJob], workers: int, progress=None) -> list[DocumentResult]:
        global _read_ahead
        _read_ahead = False  # a cluster's workers already use its cores
        results = []
        for i, res in enumerate(map_jobs(run_document, jobs), start=1):
            results.append(res)
            if progress:
                progress(i, len(jobs), res.document)
        return results
    return run


def run_documents(jobs: list[DocumentJob], workers: int,
                  progress: Callable[[int, int, dict], None] | None = None) -> list[DocumentResult]:
    """The default executor: ``workers`` threads, each driving its own sandbox child; job order kept."""
    global _read_ahead
    _read_ahead = read_ahead_for(min(workers, len(jobs)))
    results: list[DocumentResult] = []
    try:
        if workers > 1 and len(jobs) > 1:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="izlek-doc") as pool:
                for i, res in enumerate(pool.map(run_document, jobs), start=1):
                    results.append(res)
                    if progress:
                        progress(i, len(jobs), res.document)
        else:
            for i, job in enumerate(jobs, start=1):
                res = run_document(job)
                results.append(res)
                if progress:
                    progress(i, len(jobs), res.document)
    finally:
        close_sandboxes()
    return results


Executor = Callable[[list[DocumentJob], int, Callable[[int, int, dict], None] | None], list[DocumentResult]]


# --- one build at a time --------------------------------------------------------------------------

def lock_path(warehouse: Path) -> Path:
    """The lock file beside the warehouse."""
    return warehouse.with_name(f".{warehouse.name}.lock")


@contextlib.contextmanager
def build_lock(warehouse: Path, wait_s: float | None = None,
               notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the warehouse's build lock; wait up to ``wait_s`` seconds (None: as long as it takes).

    Raises :class:`BuildLocked`, naming the holder (pid, start time, raw folder), when the wait ends.
    """
    path = lock_path(Path(warehouse))
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115  (held for the whole build)
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if wait_s is not None and wait_s <= 0:
                raise BuildLocked(f"another build of {warehouse} is running ({holder}); try again when it ends") \
                    from None
            if notify:
                notify(f"waiting for the other build of {warehouse} to finish ({holder})")
            deadline = None if wait_s is None else time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() > deadline:
                        raise BuildLocked(f"another build of {warehouse} is still running ({holder}) after "
                                          f"{wait_s:g} s") from None
                    time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        fh.flush()
        yield
    finally:
        fh.close()  # releases the lock


# --- a worse warehouse never replaces a good one --------------------------------------------------

def previous_state(warehouse: Path) -> dict | None:
    """Loaded documents and guarded row counts per municipality of the current warehouse (None: none)."""
    if not Path(warehouse).is_file():
        return None
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None  # unreadable: nothing worth protecting
    try:
        docs = con.execute("select municipality_id, document_id, sha256, status from documents").fetchall()
        counts: dict[tuple[str, str], int] = {}
        for rel in GUARDED:
            with contextlib.suppress(duckdb.Error):
                for mid, n in con.execute(f'select municipality_id, count(*) from "{rel}" group by 1').fetchall():
                    counts[(mid, rel)] = n
        activities = []
        with contextlib.suppress(duckdb.Error):  # only the id migration needs them
            cols = ("activity_id", "municipality_id", "year", "performance_goal_code", "printed_code", "activity_name")
            activities = [dict(zip(cols, r, strict=True))
                          for r in con.execute(f"select {', '.join(cols)} from activities").fetchall()]
    except duckdb.Error:
        return None
    finally:
        con.close()
    return {"documents": [{"municipality_id": m, "document_id": d, "sha256": s, "status": st}
                          for m, d, s, st in docs], "counts": counts, "activities": activities}


def shrinkage(previous: dict | None, rows: Records) -> list[str]:
    """What the new rows lose against the current warehouse: documents that loaded before and
    do not now, municipalities that vanish, relations that drop below half."""
    if not previous:
        return []
    problems = []
    loaded_now = {d["sha256"] for d in rows["documents"] if d["status"] != "failed" and not d.get("superseded")}
    now_by_id = {d["document_id"]: d for d in rows["documents"]}
    for d in previous["documents"]:
        if d["status"] == "failed" or d["sha256"] in loaded_now:
            continue
        now = now_by_id.get(d["document_id"])
        if now is not None and now["status"] != "failed" and not now.get("superseded"):
            continue  # the same file name, new content that still reads: a revised edition
        if now is None:
            problems.append(f"{d['document_id']}: loaded in the current warehouse, missing from the raw folder now")
        else:
            problems.append(f"{d['document_id']}: loaded in the current warehouse, now {now['status']}: "
                            f"{(now.get('message') or '')[:200]}")
    new_counts = Counter()
    for rel in GUARDED:
        for r in rows.get(rel) or []:
            new_counts[(r.get("municipality_id"), rel)] += 1
    for (mid, rel), old in sorted(previous["counts"].items()):
        new = new_counts.get((mid, rel), 0)
        if old >= SHRINK_MIN_ROWS and new < old * SHRINK_RATIO:
            problems.append(f"{mid}: {rel} would drop from {old} to {new} rows")
    return problems


# --- the build ------------------------------------------------------------------------------------

def _jobs(found: list[Found], cache_dir: Path | None, limits: Limits) -> list[DocumentJob]:
    out = []
    for f in found:
        try:
            sha = sha256_of(f.path)
        except OSError:
            sha = None
        out.append(DocumentJob(f.municipality_id, str(f.path), f.file_name, sha,
                               str(cache_dir) if cache_dir else None, limits, f.warning))
    return out


def _user_file_issues(overrides_path: Path | None) -> list[dict]:
    out = []
    for p in user_file_paths(overrides_path):
        for w in usercsv.read(p).warnings if p is not None else []:
            out.append({"document_id": None, "municipality_id": None, "severity": "warning",
                        "check_name": "analysis_user_files", "message": w, "source_page": None})
    return out


def _migrate_overrides(overrides_path: Path | None, previous: dict | None) -> list[str]:
    """Rewrite positional activity ids in the overrides file once, from the warehouse that made them."""
    ov_path = user_file_paths(overrides_path)[0]
    if ov_path is None or not previous or not ov_path.is_file():
        return []
    current = usercsv.read(ov_path)
    if not any(r.get("item_kind") == "activity" and ids.is_positional(r.get("item_key", "")) for r in current.rows):
        return []
    mapping = ids.migration_map(previous["activities"])
    if not mapping:
        return []
    missing: list[str] = []

    names = {a["activity_id"]: a.get("activity_name") for a in previous["activities"]}

    def change(rows: list[dict]) -> list[dict]:
        nonlocal missing
        olds = [r.get("item_key", "") for r in rows]
        out, missing = ids.migrate_rows(rows, mapping)
        for old_key, r in zip(olds, out, strict=True):
            if old_key in mapping and not r.get("item_name") and names.get(old_key):
                r["item_name"] = names[old_key]  # so that a later mismatch is caught, not applied
        return out

    try:
        usercsv.update(ov_path, [*current.fields, *(["item_name"] if "item_name" not in current.fields else [])],
                       change)
    except OSError as exc:
        return [f"{ov_path}: activity ids could not be migrated to the content-based form ({exc})"]
    notes = [f"{ov_path}: activity overrides migrated to content-based ids (the previous file is in backups/)"]
    notes += [f"{ov_path}: override for activity {k} matched no activity of the previous warehouse; check it"
              for k in missing]
    return notes


def build(raw: Path, warehouse: Path, jobs: int = 1, cache_dir: Path | None = None,
          progress: Callable[[int, int, dict], None] | None = None,
          overrides_path: Path | None = None, limits: Limits | None = None, accept_shrink: bool = False,
          lock_wait_s: float | None = None, notify: Callable[[str], None] | None = None,
          executor: Executor | None = None,
          map_jobs: Callable[[Callable, list], Iterable[DocumentResult]] | None = None) -> BuildReport:
    """Build the warehouse from ``raw``; returns the report.

    Raises FileNotFoundError when ``raw`` does not exist, :class:`BuildError` when it holds no
    document, :class:`ShrinkRefused` when the result would lose data the current warehouse has
    (unless ``accept_shrink``), :class:`BuildLocked` when another build holds the lock after
    ``lock_wait_s`` seconds, :class:`DiskFull` when the warehouse cannot be written. In every
    one of these cases the current warehouse is left as it was.

    ``overrides_path`` is the user's gender-marker overrides CSV (objective links sit beside
    it); the analysis runs after extraction, so changing it never invalidates the cache.
    ``limits`` are the per-document sandbox limits. ``map_jobs(fn, jobs)``, when given, runs the
    per-document unit elsewhere and yields the results in order (``etl.distributed.dask_mapper``:
    a Dask cluster); the load stays here.
    """
    t0 = time.perf_counter()
    try:
        raw, warehouse = Path(raw), Path(warehouse)
        if not raw.is_dir():
            raise FileNotFoundError(f"raw input folder {raw} does not exist; create it and put "
                                    "<municipality_id>/<document>.pdf files in it")
        found = find_pdfs(raw)
        check_raw_shape(raw, found)
        if map_jobs is not None and executor is None:
            executor = _mapped(map_jobs)
        with build_lock(warehouse, lock_wait_s, notify):
            return _build_locked(raw, warehouse, found, jobs, cache_dir, progress, overrides_path,
                                 limits or Limits(), accept_shrink, executor, t0)
    finally:
        discard_prestarted()  # a reader child launched for this build and not used (nothing to read)


def _build_locked(raw, warehouse, found, jobs, cache_dir, progress, overrides_path, limits, accept_shrink,
                  executor, t0) -> BuildReport:
    doc_jobs = _jobs(found, cache_dir, limits)
    print_ = stamp.fingerprint(raw, [(j.municipality_id, j.file_name, j.sha256 or "?") for j in doc_jobs],
                               list(user_file_paths(overrides_path)))
    up = stamp.up_to_date(warehouse, print_) if cache_dir else None
    if up is not None:
        # Nothing the build reads has changed, nor the warehouse file: keep it as it is.
        return BuildReport(documents=up["documents"], counts=up["counts"], issues=up["issues"],
                           seconds=time.perf_counter() - t0, warehouse=warehouse,
                           cached=len(up["documents"]), up_to_date=True)
    # Imported here, not at the top: pandas, DuckDB and rapidfuzz cost 1-2 s that an up-to-date
    # build skips. A thread imports them while the documents are extracted (the main thread only
    # waits on the sandbox child then), so a one-document build does not pay them after it.
    warm = threading.Thread(target=_import_post_extraction, name="izlek-imports", daemon=True)
    warm.start()
    results = (executor or run_documents)(doc_jobs, jobs, progress)
    warm.join()
    from etl.link import link_program_objectives

    previous = previous_state(warehouse)
    report = BuildReport(cached=sum(1 for r in results if r.document.get("from_cache")))
    rows = Records()
    metas, meta_issues = _metadata(raw, results)
    _check_owners(results, metas)
    _resolve_duplicates(results)
    for res in results:
        if res.document.get("superseded") or res.document.get("wrong_municipality"):
            continue
        rows.extend(res.records)
    link_program_objectives(rows)
    _assign_activity_ids(rows)
    rows["documents"] = [r.document for r in results]
    rows["extracted_tables"] = [t for r in results for t in r.tables]
    rows["table_regions"] = [g for r in results for g in getattr(r, "regions", [])]
    # Running text of the documents that loaded (a superseded copy or another municipality's file adds none).
    rows["page_texts"] = [t for r in results if r.document.get("status") != "failed"
                          and not (r.document.get("superseded") or r.document.get("wrong_municipality"))
                          for t in getattr(r, "page_texts", [])]
    rows["municipalities"] = _municipalities(raw, results, metas)
    rows["municipality_population"] = _populations(rows["municipalities"], metas)
    rows["validation_issues"].extend(meta_issues)
    rows["validation_issues"].extend(_name_issues(doc_jobs))
    rows["validation_issues"].extend(_user_file_issues(overrides_path))
    rows["validation_issues"].extend(_cache_issues(results))
    problems = shrinkage(previous, rows)
    if problems and not accept_shrink:
        raise ShrinkRefused(problems)
    migrated = _migrate_overrides(overrides_path, previous)
    if migrated:
        # The overrides file changed: the stamp must see its new content.
        print_ = stamp.fingerprint(raw, [(j.municipality_id, j.file_name, j.sha256 or "?") for j in doc_jobs],
                                   list(user_file_paths(overrides_path)))
    for res in results:  # ``rows`` holds the records now: the per-document lists go with ``rows``
        res.records, res.tables, res.regions, res.page_texts = Records(), [], [], []
    report.documents = rows["documents"]
    with _named_overrides(overrides_path, rows) as (analysis_path, name_problems):
        try:
            report.warehouse, issues, report.counts = load_and_analyse(
                warehouse, rows, analysis_path, overrides_path, migrated + name_problems)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(str(exc)) from exc
            raise
    report.issues = issues
    report.seconds = time.perf_counter() - t0
    if not any(d.get("sandbox") or d.get("cache_problem") for d in report.documents):
        # A document stopped by a limit is retried next time, so the build is not "up to date".
        stamp.write(warehouse, print_, {"documents": report.documents, "counts": report.counts,
                                        "issues": report.issues})
    return report


def load_and_analyse(warehouse: Path, rows: Records, analysis_path: Path | None, overrides_path: Path | None,
                     warnings: list[str]) -> tuple[Path, list[dict], dict[str, int]]:
    """The build after extraction: checks, load, analysis; returns (warehouse, issues, row counts).

    The checks read extracted rows only, so they run first and their errors mark documents
    partial before the documents relation is written. Then every extracted relation goes into
    the new warehouse file, each relation's dicts released once written (``rows`` is emptied),
    and the analysis reads the records back from that file a batch of municipalities at a time:
    memory after the load is one batch's rows, whatever the number of municipalities. The file
    replaces ``warehouse`` atomically when everything is written. ``analysis_path`` is the
    overrides file the analysis applies (a filtered copy of ``overrides_path``, the user's, whose
    name the messages keep); ``warnings`` become ``analysis_user_files`` issues.
    """
    from etl.analysis import Analysis
    from etl.analysis.warehouse import analyse_batches, municipality_groups
    from etl.checks import run_checks
    from etl.load import insert_rows, write_warehouse

    checks = run_checks(rows)
    issues = rows.pop("validation_issues", None) or []
    _mark_partial(rows["documents"], issues + checks)
    analysis = Analysis(analysis_path)
    counts: dict[str, int] = {}
    superseded = frozenset(d["document_id"] for d in rows["documents"] if d.get("superseded"))

    def analyse_loaded(con) -> None:
        analyse_batches(con, analysis, municipality_groups(con)[0], superseded=superseded)
        found = analysis.issues()
        if analysis_path != overrides_path:  # messages name the user's file, not the filtered copy
            real = str(user_file_paths(overrides_path)[0])
            for i in found:
                i["message"] = i["message"].replace(str(Path(analysis_path) / OVERRIDES_FILE), real)
        issues.extend(found + checks)
        issues.extend({"document_id": None, "municipality_id": None, "severity": "warning",
                       "check_name": "analysis_user_files", "message": m, "source_page": None} for m in warnings)
        insert_rows(con, "validation_issues", issues)
        counts.update({rel.name: con.execute(f'select count(*) from "{rel.name}"').fetchone()[0]
                       for rel in RELATIONS})

    path = write_warehouse(warehouse, rows, after=analyse_loaded, release=True)
    return path, issues, counts


def _import_post_extraction() -> None:
    """Import what the steps after extraction need (run in a thread during the extraction)."""
    import duckdb  # noqa: F401

    import etl.analysis.warehouse  # noqa: F401
    import etl.checks  # noqa: F401
    import etl.load  # noqa: F401


@contextlib.contextmanager
def _named_overrides(overrides_path: Path | None, rows: Records) -> Iterator[tuple[Path | None, list[str]]]:
    """The overrides to apply: rows whose ``item_name`` no longer matches the item's name are
    reported and left out (:func:`etl.analysis.user_files.named_overrides`, which ``python -m
    etl analyse`` uses too)."""
    with named_overrides(overrides_path, lambda _keys: item_names(rows)) as (path, problems, _shown):
        yield path, problems


def _assign_activity_ids(rows: Records) -> None:
    """Content-based activity ids (see :mod:`etl.ids`), unique within the build."""
    acts = rows.get("activities") or []
    for a in acts:
        a["activity_id"] = ids.activity_id(a["municipality_id"], a.get("year"), a.get("performance_goal_code"),
                                           a.get("printed_code"), a.get("activity_name"))
    ids.dedupe(acts)


def _name_issues(doc_jobs: list[DocumentJob]) -> list[dict]:
    return [{"document_id": f"{j.municipality_id}/{j.file_name}", "municipality_id": j.municipality_id,
             "severity": "warning", "check_name": "file_name", "message": j.warning, "source_page": None}
            for j in doc_jobs if j.warning]


def _cache_issues(results: list[DocumentResult]) -> list[dict]:
    problems = sorted({r.document.pop("cache_problem") for r in results if r.document.get("cache_problem")})
    return [{"document_id": None, "municipality_id": None, "severity": "warning", "check_name": "cache",
             "message": f"the extraction cache could not be written ({p}); the warehouse is complete, the next "
                        "build only takes longer. Free space in the cache folder.", "source_page": None}
            for p in problems[:1]]


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


def _metadata(raw: Path, results: list[DocumentResult]) -> tuple[dict[str, dict], list[dict]]:
    """municipality.toml of every municipality folder (validated), and the problems found."""
    metas: dict[str, dict] = {}
    issues = []
    with_documents = {r.document["municipality_id"] for r in results}
    for mid, folder, _ in _municipality_folders(raw):
        if mid not in with_documents and not (folder / METADATA_FILE).exists():
            continue
        metas[mid], problems = read_metadata(folder)
        issues += [{"document_id": None, "municipality_id": mid, "severity": "warning",
                    "check_name": "municipality_metadata", "message": msg, "source_page": None} for msg in problems]
    return metas, issues


def _municipalities(raw: Path, results: list[DocumentResult], metas: dict[str, dict]) -> list[dict]:
    out = []
    names: dict[str, Counter] = {}
    for r in results:
        if r.document.get("detected_name") and not r.document.get("wrong_municipality"):
            names.setdefault(r.document["municipality_id"], Counter())[r.document["detected_name"]] += 1
    # A folder is a municipality when it holds PDFs or a municipality.toml (not, e.g., truth/).
    with_toml = {mid for mid, folder, _ in _municipality_folders(raw) if (folder / METADATA_FILE).exists()}
    for mid in sorted({r.document["municipality_id"] for r in results} | with_toml):
        meta = metas.get(mid, {})
        detected = names.get(mid, Counter()).most_common(1)
        out.append({"municipality_id": mid, "name": meta.get("name") or (detected[0][0] if detected else mid),
                    "province": meta.get("province"), "kind": meta.get("kind"), "population": meta.get("population"),
                    "metadata_source": METADATA_FILE if meta else "detected"})
    return out


def _populations(municipalities: list[dict], metas: dict[str, dict]) -> list[dict]:
    """municipality_population rows: the figures by year of municipality.toml, and its single
    ``population`` (for ``population_year`` when given) unless a by-year figure covers that year."""
    out = []
    for m in municipalities:
        meta = metas.get(m["municipality_id"], {})
        source = meta.get("population_source") or METADATA_FILE
        by_year = dict(meta.get("population_by_year") or {})
        if meta.get("population") and meta.get("population_year") not in by_year:
            out.append({"municipality_id": m["municipality_id"], "year": meta.get("population_year"),
                        "population": meta["population"], "source": source})
        out += [{"municipality_id": m["municipality_id"], "year": y, "population": p, "source": source}
                for y, p in sorted(by_year.items())]
    return out


def _mark_partial(documents: list[dict], issues: list[dict]) -> None:
    """A document that loaded with validation errors, or whose warehouse-wide checks found it
    short (etl.completeness.checked_shortfalls), is ``partial``."""
    from etl.completeness import checked_shortfalls

    errors = Counter(i["document_id"] for i in issues if i["severity"] == "error")
    by_doc: dict[str, list[dict]] = {}
    for i in issues:
        by_doc.setdefault(i["document_id"], []).append(i)
    for d in documents:
        gaps = checked_shortfalls(by_doc.get(d["document_id"], []))
        if gaps:
            d["status"] = "partial" if d["status"] == "ok" else d["status"]
            d["message"] = "; ".join([d.get("message") or "", *gaps]).lstrip("; ")
        if d["status"] == "ok" and errors.get(d["document_id"]):
            d["status"] = "partial"
            d["message"] = (d.get("message") or "") + f"; {errors[d['document_id']]} validation errors (see validation_issues)"


def print_progress(i: int, n: int, doc: dict) -> None:
    """One line per document: a bar, the file and its status."""
    width = 24
    filled = int(width * i / max(n, 1))
    bar = "#" * filled + "." * (width - filled)
    print(f"[{bar}] {i:>3}/{n} {doc['status']:<7} {doc['document_id']}", file=sys.stderr, flush=True)

