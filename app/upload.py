"""Uploading PDFs from the dashboard: checks, a sandboxed test parse, then into ``data/raw/<id>/``.

Off unless ``IZLEK_UPLOAD_PASSWORD`` is set, and never on when the app is read-only (the default; ``IZLEK_READ_ONLY=0`` allows writing); the
router does not even register the page then. An upload is written to a private staging folder
(``data/raw/.upload-tmp/``, which the build skips because it starts with a dot), parsed by
``app.upload_worker`` in a child process with memory, CPU and wall-time limits, and only when
that parse succeeds linked into ``data/raw/<municipality_id>/`` under a sanitised name (atomic,
never over an existing file). Nothing here imports Streamlit: ``app_pages/upload.py`` draws,
``tests/ui/test_upload.py`` calls these functions directly.

Every outcome is an :class:`Outcome` with an i18n key (texts in :data:`TEXTS`) and the values
to format it with, so the page can say exactly what went wrong in Turkish or English.
"""

from __future__ import annotations

import contextlib
import fcntl
import hmac
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from app.settings import READ_ONLY_ENV, read_only  # noqa: F401  (READ_ONLY_ENV re-exported for callers)

REPO_ROOT = Path(__file__).resolve().parent.parent
PASSWORD_ENV = "IZLEK_UPLOAD_PASSWORD"
STAGING = ".upload-tmp"  # under the raw folder: same file system (atomic link), skipped by the build
RESULT_MARKER = "IZLEK_UPLOAD_RESULT "  # the worker's JSON line starts with this
MUNICIPALITY_ID = re.compile(r"[a-z0-9_-]{1,64}")
PDF_MAGIC = b"%PDF-"
MAX_NAME = 120
log = logging.getLogger("izlek.upload")
_TRANSLIT = str.maketrans("çğıöşüÇĞİÖŞÜâîûÂÎÛ", "cgiosuCGIOSUaiuAIU")


class UploadRejected(ValueError):
    """A check failed; ``key``/``fields`` say which, for the page's message."""

    def __init__(self, key: str, **fields: object):
        super().__init__(TEXTS.get(key, {}).get("en", key).format(**fields) if fields else key)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class Config:
    """Limits and places, from the environment (see :func:`config`)."""

    password: str
    raw: Path
    warehouse: Path
    max_mb: int = 50
    max_pages: int = 3000
    parse_timeout_s: int = 600
    memory_mb: int = 3072
    rebuild_timeout_s: int = 3600

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024


@dataclass
class Outcome:
    """What happened to one upload (or one rebuild): ok or not, and the message to show."""

    ok: bool
    key: str
    fields: dict = field(default_factory=dict)
    path: Path | None = None
    summary: dict = field(default_factory=dict)


def _int_env(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, "").strip() or default)
    except ValueError:
        return default
    return value if value > 0 else default


def enabled() -> bool:
    """Whether the upload page exists at all: a password is configured and the app is not read-only."""
    return bool(os.environ.get(PASSWORD_ENV, "")) and not read_only()


def config_max_mb() -> int:
    """``IZLEK_UPLOAD_MAX_MB`` (50): the largest upload accepted, in MB."""
    return _int_env("IZLEK_UPLOAD_MAX_MB", 50)


def config() -> Config:
    """Settings from the environment: ``IZLEK_UPLOAD_PASSWORD``, ``IZLEK_RAW`` (default data/raw),
    ``IZLEK_WAREHOUSE``, ``IZLEK_UPLOAD_MAX_MB`` (50), ``IZLEK_UPLOAD_MAX_PAGES`` (3000),
    ``IZLEK_UPLOAD_TIMEOUT`` (600 s per parse), ``IZLEK_UPLOAD_MEMORY_MB`` (3072, address space of
    the parse), ``IZLEK_REBUILD_TIMEOUT`` (3600 s)."""
    from app.data import warehouse_path  # duckdb only; keeps this module light for the worker

    raw = os.environ.get("IZLEK_RAW", "").strip()
    return Config(
        password=os.environ.get(PASSWORD_ENV, ""),
        raw=(Path(raw).expanduser() if raw else REPO_ROOT / "data" / "raw").resolve(),
        warehouse=warehouse_path(),
        max_mb=config_max_mb(),
        max_pages=_int_env("IZLEK_UPLOAD_MAX_PAGES", 3000),
        parse_timeout_s=_int_env("IZLEK_UPLOAD_TIMEOUT", 600),
        memory_mb=_int_env("IZLEK_UPLOAD_MEMORY_MB", 3072),
        rebuild_timeout_s=_int_env("IZLEK_REBUILD_TIMEOUT", 3600),
    )


# --- checks ---------------------------------------------------------------------------------

def password_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an unset password never matches."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class AttemptLimiter:
    """Failed password attempts, counted per client and over all clients, with a lockout.

    A client (an IP address, else a session) with ``per_client`` failures inside ``window_s``
    is locked out for ``lockout_s``; ``global_max`` failures inside the window from everyone
    together lock the sign-in for everyone (a guesser who rotates addresses). A successful
    sign-in clears that client's count. Kept in memory: it guards one server process.
    """

    def __init__(self, per_client: int = 5, global_max: int = 30, window_s: float = 900.0,
                 lockout_s: float = 900.0, clock=time.monotonic) -> None:
        self.per_client, self.global_max = per_client, global_max
        self.window_s, self.lockout_s, self.clock = window_s, lockout_s, clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._locked_until: dict[str, float] = {}
        self._all_locked_until = 0.0

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] <= now - self.window_s:
            q.popleft()

    def locked_for(self, client: str) -> float:
        """Seconds until ``client`` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            return max(0.0, self._locked_until.get(client, 0.0) - now, self._all_locked_until - now)

    def failed(self, client: str) -> None:
        """Record a wrong password from ``client``."""
        now = self.clock()
        with self._lock:
            q = self._failures.setdefault(client, deque())
            q.append(now)
            self._all.append(now)
            self._trim(q, now)
            self._trim(self._all, now)
            if len(q) >= self.per_client:
                self._locked_until[client] = now + self.lockout_s
                q.clear()
            if len(self._all) >= self.global_max:
                self._all_locked_until = now + self.lockout_s
                self._all.clear()
            if len(self._failures) > 10_000:  # forget idle clients rather than grow without bound
                for k in [k for k, v in self._failures.items() if not v][:5000]:
                    self._failures.pop(k, None)

    def succeeded(self, client: str) -> None:
        """A right password: that client's failures are forgotten."""
        with self._lock:
            self._failures.pop(client, None)


ATTEMPTS = AttemptLimiter()


def sign_in(given: str | None, expected: str, client: str, limiter: AttemptLimiter | None = None) -> Outcome:
    """Check a password under the attempt limits: ok, ``up_wrong_password`` or ``up_locked``.

    While a client (or everyone) is locked out the password is not even compared, so a right
    guess during the lockout tells the guesser nothing.
    """
    limiter = limiter or ATTEMPTS
    wait = limiter.locked_for(client)
    if wait > 0:
        return Outcome(False, "up_locked", {"minutes": max(1, round(wait / 60))})
    if password_ok(given, expected):
        limiter.succeeded(client)
        return Outcome(True, "up_signed_in")
    limiter.failed(client)
    wait = limiter.locked_for(client)
    if wait > 0:
        return Outcome(False, "up_locked", {"minutes": max(1, round(wait / 60))})
    return Outcome(False, "up_wrong_password")


def shown(value: object) -> str:
    """A user-typed value made harmless inside a message: one line, 80 characters, no backticks."""
    return " ".join(str(value).split())[:80].replace("`", "'")


def valid_municipality_id(value: str | None) -> bool:
    """Lower-case letters, digits, ``_`` and ``-``; 1–64 characters (it becomes a folder name)."""
    return isinstance(value, str) and MUNICIPALITY_ID.fullmatch(value) is not None


def safe_file_name(name: str | None) -> str:
    """The uploaded name reduced to a harmless ``*.pdf`` base name.

    Only the last path component (``/`` and ``\\`` both count), Turkish letters transliterated,
    anything outside ``[A-Za-z0-9._-]`` becomes ``_``, no leading dots, at most 120 characters,
    and always exactly one ``.pdf`` suffix.
    """
    base = re.split(r"[\\/]", str(name or ""))[-1].translate(_TRANSLIT)
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)
    base = re.sub(r"(?i)\.pdf$", "", base).lstrip("._-")
    base = re.sub(r"_+", "_", base)[: MAX_NAME - 4].rstrip("._-")
    return f"{base or 'belge'}.pdf"


def target_path(raw: Path, municipality_id: str, file_name: str) -> Path:
    """``raw/<municipality_id>/<safe name>``, resolved and proven to be inside that folder."""
    if not valid_municipality_id(municipality_id):
        raise UploadRejected("up_bad_id", id=shown(municipality_id))
    folder = (Path(raw) / municipality_id).resolve()
    final = (folder / safe_file_name(file_name)).resolve()
    if final.parent != folder or not final.is_relative_to(Path(raw).resolve()):
        raise UploadRejected("up_bad_name", name=shown(file_name))
    return final


def check_bytes(name: str, data: bytes, cfg: Config) -> None:
    """Size and magic-bytes checks, before anything is written."""
    if not data:
        raise UploadRejected("up_empty", name=safe_file_name(name))
    if len(data) > cfg.max_bytes:
        raise UploadRejected("up_too_big", name=safe_file_name(name), mb=round(len(data) / 1048576, 1),
                             max=cfg.max_mb)
    if not data.startswith(PDF_MAGIC):
        raise UploadRejected("up_not_pdf", name=safe_file_name(name))


# --- the sandboxed parse ----------------------------------------------------------------------

def worker_command(path: Path, municipality_id: str, cfg: Config) -> list[str]:
    return [sys.executable, "-m", "app.upload_worker", str(path), municipality_id,
            "--max-pages", str(cfg.max_pages), "--memory-mb", str(cfg.memory_mb),
            "--cpu-s", str(cfg.parse_timeout_s), "--wall-s", str(cfg.parse_timeout_s), "--raw", str(cfg.raw)]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop(PASSWORD_ENV, None)  # the parse of an untrusted file has no business knowing it
    # One thread per numeric library: each thread reserves address space, which RLIMIT_AS counts.
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONPATH=str(REPO_ROOT))
    return env


def parse_in_subprocess(path: Path, municipality_id: str, cfg: Config) -> Outcome:
    """Run ``app.upload_worker`` on ``path`` in a child; its JSON summary as an Outcome.

    The worker reads the file in the build's sandbox (:class:`etl.sandbox.Sandbox`: address
    space, CPU and wall time, resident memory watched), so the limits are set in a process of
    its own and never via ``preexec_fn``, which Python documents as unsafe in a threaded program
    such as Streamlit's server. Here a last wall-clock timeout (the parse's plus the time to
    start the reader) kills the worker's whole process group.
    """
    name = path.name
    try:
        proc = subprocess.Popen(worker_command(path, municipality_id, cfg), cwd=REPO_ROOT, env=_child_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, stdin=subprocess.DEVNULL)
    except OSError as exc:  # fork failed (process limit, memory): the file was never looked at
        log.warning("upload %s: the reading process could not start: %s", name, exc)
        return Outcome(False, "up_worker_start", {"name": name, "mb": cfg.memory_mb})
    try:
        stdout, stderr = proc.communicate(timeout=cfg.parse_timeout_s + min(60, cfg.parse_timeout_s))
    except subprocess.TimeoutExpired:
        # The whole group: the worker and its sandbox child (which a killed worker would orphan).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return Outcome(False, "up_timeout", {"name": name, "s": cfg.parse_timeout_s})
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # a sandbox child that a crashed worker left behind
    proc = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    summary = None
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            try:
                summary = json.loads(line[len(RESULT_MARKER):])
            except json.JSONDecodeError:
                summary = None
            break
    if summary is None:
        tail = " ".join(proc.stderr.strip().splitlines()[-1:])[:300]
        from etl.sandbox import classify_death  # the build's reading of a dead child, shared

        death = classify_death(proc.returncode, proc.stderr)
        if death == "timeout":
            return Outcome(False, "up_timeout", {"name": name, "s": cfg.parse_timeout_s})
        if death == "memory":
            return Outcome(False, "up_memory", {"name": name, "mb": cfg.memory_mb})
        log.warning("upload %s: the reading process ended with code %s: %s", name, proc.returncode, tail or "–")
        return Outcome(False, "up_crashed", {"name": name, "code": proc.returncode, "detail": tail or "–"})
    if summary.get("error") == "too_many_pages":
        return Outcome(False, "up_too_many_pages", {"name": name, "pages": summary.get("page_count"),
                                                    "max": cfg.max_pages}, summary=summary)
    error = summary.get("error")
    if error == "memory":
        return Outcome(False, "up_memory", {"name": name, "mb": cfg.memory_mb}, summary=summary)
    if error == "timeout":
        return Outcome(False, "up_timeout", {"name": name, "s": cfg.parse_timeout_s}, summary=summary)
    if error == "start":
        # Nothing of the file was read: the server, not the document, is the problem.
        log.warning("upload %s: the reading process could not start: %s", name, summary.get("detail"))
        return Outcome(False, "up_worker_start", {"name": name, "mb": cfg.memory_mb}, summary=summary)
    if error in ("crashed", "error"):
        log.warning("upload %s: the reader %s: %s %s", name, error, summary.get("detail"), summary.get("trace") or "")
        return Outcome(False, "up_crashed" if error == "crashed" else "up_reader_error", {"name": name},
                       summary=summary)
    if summary.get("status") not in ("ok", "partial"):
        return Outcome(False, "up_parse_failed", {"name": name, "message": summary.get("message") or "–"},
                       summary=summary)
    return Outcome(True, "up_parsed", {"name": name}, summary=summary)


# --- the whole upload -------------------------------------------------------------------------

def _describe(summary: dict) -> dict:
    start, end = summary.get("year_start"), summary.get("year_end")
    year = "–" if start is None else (str(start) if end in (None, start) else f"{start}-{end}")
    return {"doc_type": (summary.get("doc_type") or "–").replace("_", " "), "year": year,
            "pages": summary.get("page_count") or "–", "rows": summary.get("rows_loaded") or 0,
            "status": summary.get("status"), "message": summary.get("message") or ""}


def process_upload(name: str, data: bytes, municipality_id: str, cfg: Config) -> Outcome:
    """Check, stage, parse in a sandbox, and on success move into ``raw/<municipality_id>/``."""
    try:
        final = target_path(cfg.raw, municipality_id, name)
        check_bytes(name, data, cfg)
    except UploadRejected as exc:
        return Outcome(False, exc.key, dict(exc.fields))
    if final.exists():
        return Outcome(False, "up_exists", {"name": final.name, "id": municipality_id})
    staging_root = cfg.raw / STAGING
    staging_root.mkdir(parents=True, exist_ok=True, mode=0o700)
    stage_dir = Path(tempfile.mkdtemp(dir=staging_root))
    try:
        staged = stage_dir / final.name  # the worker's messages then name the file as the user will see it
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        parsed = parse_in_subprocess(staged, municipality_id, cfg)
        if not parsed.ok:
            return parsed
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged, 0o644)
        try:
            os.link(staged, final)  # atomic, and fails instead of replacing a file that appeared meanwhile
        except FileExistsError:
            return Outcome(False, "up_exists", {"name": final.name, "id": municipality_id})
        fields = {"name": final.name, "id": municipality_id, **_describe(parsed.summary)}
        return Outcome(True, "up_stored_partial" if parsed.summary.get("status") == "partial" else "up_stored",
                       fields, path=final, summary=parsed.summary)
    finally:
        shutil.rmtree(stage_dir, ignore_errors=True)


def rebuild(cfg: Config) -> Outcome:
    """``python -m etl build`` on the raw folder into the app's warehouse, with a timeout.

    One rebuild at a time (a lock file in the staging folder); the build itself writes a temp
    file and renames it, so the running dashboard keeps reading the old warehouse meanwhile.
    """
    if not cfg.raw.is_dir():
        return Outcome(False, "up_rebuild_failed", {"code": 2, "detail": f"{cfg.raw} does not exist"})
    staging_root = cfg.raw / STAGING
    staging_root.mkdir(exist_ok=True, mode=0o700)
    with open(staging_root / "rebuild.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return Outcome(False, "up_rebuild_busy")
        from etl import usercsv

        # The same overrides file the Tag review page writes ($IZLEK_OVERRIDES included).
        cmd = [sys.executable, "-m", "etl", "build", "--raw", str(cfg.raw), "--warehouse", str(cfg.warehouse),
               "--overrides", str(usercsv.overrides_path()), "--quiet"]
        env = _child_env()
        try:
            proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                                  timeout=cfg.rebuild_timeout_s, start_new_session=True, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return Outcome(False, "up_rebuild_timeout", {"s": cfg.rebuild_timeout_s})
    output = (proc.stdout + proc.stderr).strip()
    tail = "\n".join(output.splitlines()[-15:])
    if proc.returncode != 0:
        return Outcome(False, "up_rebuild_failed", {"code": proc.returncode, "detail": tail})
    return Outcome(True, "up_rebuilt", {"detail": tail})


TEXTS: dict[str, dict[str, str]] = {
    "upload_title": {"tr": "Belge yükle", "en": "Upload documents"},
    "up_intro": {
        "tr": "Bir belediyenin PDF'lerini ekleyin. Her dosya önce ayrı bir süreçte sınırlı bellek ve süreyle "
              "okunur; yalnızca okunabilenler `data/raw/<belediye>/` klasörüne taşınır.",
        "en": "Add a municipality's PDFs. Each file is first read in a separate process with limited memory "
              "and time; only files that read correctly are moved into `data/raw/<municipality>/`."},
    "up_password": {"tr": "Yükleme parolası", "en": "Upload password"},
    "up_login": {"tr": "Giriş", "en": "Sign in"},
    "up_wrong_password": {"tr": "Parola yanlış.", "en": "Wrong password."},
    "up_locked": {"tr": "Çok fazla yanlış parola denendi; {minutes} dakika sonra yeniden deneyin.",
                  "en": "Too many wrong passwords; try again in {minutes} minutes."},
    "up_signed_in": {"tr": "Giriş yapıldı.", "en": "Signed in."},
    "up_municipality": {"tr": "Belediye kimliği", "en": "Municipality id"},
    "up_municipality_help": {
        "tr": "Klasör adı: küçük harf, rakam, `_` ve `-` (en çok 64). Var olanlar: {ids}",
        "en": "Folder name: lower-case letters, digits, `_` and `-` (at most 64). Existing: {ids}"},
    "up_files": {"tr": "PDF dosyaları (her biri en çok {mb} MB)", "en": "PDF files (at most {mb} MB each)"},
    "up_submit": {"tr": "Yükle ve denetle", "en": "Upload and check"},
    "up_no_files": {"tr": "Dosya seçilmedi.", "en": "No file chosen."},
    "up_checking": {"tr": "{name} okunuyor…", "en": "Reading {name}…"},
    "up_bad_id": {
        "tr": "Belediye kimliği geçersiz: `{id}`. Yalnızca küçük harf (a-z), rakam, `_` ve `-`; 1-64 karakter.",
        "en": "Invalid municipality id: `{id}`. Only lower-case letters (a-z), digits, `_` and `-`; 1-64 characters."},
    "up_bad_name": {"tr": "Dosya adı kabul edilmedi: `{name}`.", "en": "File name refused: `{name}`."},
    "up_empty": {"tr": "{name}: dosya boş.", "en": "{name}: the file is empty."},
    "up_too_big": {"tr": "{name}: {mb} MB, sınır {max} MB.", "en": "{name}: {mb} MB, the limit is {max} MB."},
    "up_not_pdf": {
        "tr": "{name}: PDF değil (dosya `%PDF-` ile başlamıyor). Uzantısı .pdf olsa bile içeriği başka bir biçimde.",
        "en": "{name}: not a PDF (the file does not start with `%PDF-`), whatever its extension says."},
    "up_exists": {
        "tr": "{name}: `data/raw/{id}/` içinde bu adda bir dosya zaten var. Önce onu silin ya da dosyayı yeniden "
              "adlandırın.",
        "en": "{name}: `data/raw/{id}/` already holds a file with this name. Delete it first or rename the upload."},
    "up_too_many_pages": {"tr": "{name}: {pages} sayfa, sınır {max} sayfa.",
                          "en": "{name}: {pages} pages, the limit is {max}."},
    "up_timeout": {"tr": "{name}: okuma {s} saniyede bitmedi ve durduruldu.",
                   "en": "{name}: reading did not finish within {s} seconds and was stopped."},
    "up_memory": {"tr": "{name}: okuma {mb} MB bellek sınırını aştı ve durduruldu.",
                  "en": "{name}: reading exceeded the {mb} MB memory limit and was stopped."},
    "up_crashed": {
        "tr": "{name}: dosyayı okuyan süreç bu dosyada beklenmedik biçimde durdu; dosya büyük olasılıkla bozuk. "
              "Bir PDF görüntüleyicide açın; açılıyorsa PDF olarak yeniden kaydedip (\"PDF olarak yazdır\") o kopyayı "
              "yükleyin.",
        "en": "{name}: the process reading the file stopped unexpectedly on it; the file is probably damaged. Open "
              "it in a PDF viewer; if it opens, save it again as PDF (\"Print to PDF\") and upload that copy."},
    "up_reader_error": {
        "tr": "{name}: okuyucu bu dosyada bir hataya takıldı. Dosya eklenmedi; ayrıntı sunucu günlüğünde. Lütfen "
              "dosyayı proje ekibine bildirin.",
        "en": "{name}: the reader hit an error on this file. It was not added; the details are in the server "
              "log. Please report the file to the project team."},
    "up_worker_start": {
        "tr": "{name} okunamadı çünkü okuyucu süreç başlatılamadı (sunucuda bellek ya da süreç yetmiyor, ya da "
              "IZLEK_UPLOAD_MEMORY_MB={mb} okuyucuyu başlatmaya yetmiyor). Dosya hakkında bir yargıya varılmadı: "
              "biraz sonra yeniden deneyin; sürerse sunucu yöneticisine bildirin.",
        "en": "{name} was not read because the reading process could not start (the server is short of memory "
              "or processes, or IZLEK_UPLOAD_MEMORY_MB={mb} is too low to start the reader). Nothing was decided "
              "about the file: try again in a while; if it persists, tell the server's administrator."},
    "up_parse_failed": {"tr": "{name} eklenmedi: {message}", "en": "{name} was not added: {message}"},
    "up_parsed": {"tr": "{name} okundu.", "en": "{name} was read."},
    "up_stored": {
        "tr": "{name} `data/raw/{id}/` klasörüne eklendi: {doc_type} {year}, {pages} sayfa, {rows} satır.",
        "en": "{name} added to `data/raw/{id}/`: {doc_type} {year}, {pages} pages, {rows} rows."},
    "up_stored_partial": {
        "tr": "{name} `data/raw/{id}/` klasörüne eklendi ama kısmen okundu ({doc_type} {year}): {message}",
        "en": "{name} added to `data/raw/{id}/` but only partly read ({doc_type} {year}): {message}"},
    "up_rebuild_hint": {
        "tr": "Yeni belgeler veri ambarı yeniden derlenince görünür: `python -m etl build` ya da aşağıdaki düğme.",
        "en": "New documents appear once the warehouse is rebuilt: `python -m etl build`, or the button below."},
    "up_rebuild": {"tr": "Şimdi yeniden derle", "en": "Rebuild now"},
    "up_rebuilding": {"tr": "Veri ambarı derleniyor…", "en": "Building the warehouse…"},
    "up_rebuilt": {"tr": "Veri ambarı yeniden derlendi.", "en": "The warehouse was rebuilt."},
    "up_rebuild_busy": {"tr": "Başka bir derleme sürüyor; bitince yeniden deneyin.",
                        "en": "Another build is running; try again when it has finished."},
    "up_rebuild_timeout": {"tr": "Derleme {s} saniyede bitmedi ve durduruldu; eski veri ambarı yerinde.",
                           "en": "The build did not finish within {s} seconds and was stopped; the old warehouse "
                                 "is still in place."},
    "up_rebuild_failed": {"tr": "Derleme başarısız (çıkış kodu {code}); eski veri ambarı yerinde.",
                          "en": "The build failed (exit code {code}); the old warehouse is still in place."},
    "up_disabled": {"tr": "Yükleme kapalı.", "en": "Uploading is switched off."},
}
