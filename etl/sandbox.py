"""Run untrusted work (one PDF) in a child process with a wall-time and a memory limit.

A PDF can make PDFium or camelot allocate without bound (nested form XObjects), loop for
hours, or abort the process from C code; none of that may take the build down with it. A
:class:`Sandbox` owns one child process, reused from document to document (importing camelot
costs a second), and replaced when a document kills it or runs out of time.

The limits are set by the child on itself (:func:`limit_self`): ``RLIMIT_AS`` (address space,
so a runaway allocation fails instead of swapping the machine), ``RLIMIT_CPU`` and no core
dumps. Address space is a loose bound on what a child really holds (camelot's libraries map
~1.6 GB without touching it), so while it works the parent also watches the child's resident
memory and stops it past :attr:`Limits.resident_limit_mb`: a PDF that explodes takes the machine
to that much, not to the address-space limit. ``app.upload_worker`` uses the same function and the same reading of what a dead child
means (:func:`classify_death`), so the CLI build and the dashboard's upload agree. A child whose
parent dies (a build killed mid-document) ends itself within half a second instead of reading on.
A child that cannot start (fork refused, the reader not loadable under the limits) is the
failure kind "start": the machine, never the document, is at fault.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# How running out of address space shows up: Python's error, a library that cannot be mapped, C++.
OUT_OF_MEMORY = ("MemoryError", "failed to map segment", "Cannot allocate memory", "bad_alloc",
                 "std::length_error", "out of memory")
# One thread per numeric library: each thread reserves address space, which RLIMIT_AS counts.
THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# What a child maps without using: the address-space limit minus this is its resident budget.
_MAPPED_AT_REST_MB = 1280
# How often the parent looks at the child's resident memory while it works.
_WATCH_S = 0.05
# How often the child looks whether its parent is still there.
_ORPHAN_CHECK_S = 0.5


@dataclass(frozen=True)
class Limits:
    """Per-document limits; 0 switches one off. ``resident_mb`` None: derived from ``memory_mb``."""

    memory_mb: int = 3072
    wall_s: float = 600.0
    cpu_s: int = 0
    resident_mb: int | None = None

    @property
    def resident_limit_mb(self) -> int:
        """Resident memory the child may hold: ``memory_mb`` minus what the libraries map at rest
        (3072 → 1792 MB), at least half of ``memory_mb``; 0 (off) when ``memory_mb`` is 0."""
        if self.resident_mb is not None:
            return self.resident_mb
        if self.memory_mb <= 0:
            return 0
        return max(self.memory_mb - _MAPPED_AT_REST_MB, self.memory_mb // 2)


def _process_tree(pid: int, helper: int | None) -> list[int]:
    """``pid`` and its descendants (Linux's ``/proc/PID/task/PID/children``); where that cannot
    be read, ``pid`` and the ``helper`` it reported."""
    tree, todo = [], [pid]
    while todo:
        here = todo.pop()
        tree.append(here)
        try:
            with open(f"/proc/{here}/task/{here}/children", encoding="ascii") as fh:
                todo.extend(int(n) for n in fh.read().split())
        except (OSError, ValueError):
            if here == pid:
                return [pid] + ([helper] if helper is not None else [])
    return tree


class SandboxFailure(Exception):
    """The work did not finish: ``kind`` is "timeout", "memory", "crashed", "error" (the work
    raised) or "start" (the child could not be started at all: the machine, not the input)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def limit_self(memory_mb: int, cpu_s: int = 0) -> None:
    """Limit this process: address space ``memory_mb`` MB, ``cpu_s`` CPU seconds, no core file."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_s > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))  # SIGXCPU at soft, SIGKILL at hard
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def looks_out_of_memory(text: str | None) -> bool:
    """Whether an error message or stderr tail says the process ran out of (address) space."""
    return bool(text) and any(sign in text for sign in OUT_OF_MEMORY)


def classify_death(returncode: int | None, stderr: str = "") -> str:
    """What a child that died without answering ran into: "timeout", "memory" or "crashed"."""
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL) or "SIGXCPU" in stderr:
        return "timeout"  # the CPU limit: SIGXCPU at the soft limit, SIGKILL at the hard one
    # PDFium and the C++ runtime abort() when an allocation fails under RLIMIT_AS.
    if looks_out_of_memory(stderr) or returncode == -signal.SIGABRT:
        return "memory"
    return "crashed"


def _exit_with_parent(parent: int) -> None:
    """End this child once its parent is gone: a build (or dashboard) killed while a document is
    read must not leave the reader running on, holding its memory, until its own limits."""
    while os.getppid() == parent:
        time.sleep(_ORPHAN_CHECK_S)
    os._exit(1)


def _serve(conn, memory_mb: int, cpu_s: int, preload: tuple[str, ...], read_ahead: bool = False) -> None:
    """The child: set the limits, import ``preload``, say so, then run ``(fn, args)`` requests
    until the pipe closes."""
    import importlib
    import threading

    limit_self(memory_mb, cpu_s)
    helper = None
    if read_ahead and "etl.extract" in preload:
        # Forked first, while this process has one thread and camelot is not loaded.
        from etl.lattice_worker import start

        helper = start()
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="izlek-orphan-watch", daemon=True).start()
    try:
        for name in preload:
            importlib.import_module(name)
    except BaseException as exc:  # noqa: BLE001  (reported: the parent decides)
        conn.send((False, "error", f"cannot start: {type(exc).__name__}: {exc}"))
        return
    if "etl.extract" in preload and helper is None:
        # camelot (half a second of imports) loads while the first document's text pass runs; if
        # it cannot load under the limits, the reader raises ReaderUnavailable, a "start" failure.
        from etl.tables import preload_camelot

        preload_camelot()
    conn.send((True, None, helper))  # ready; the lattice worker's pid, whose memory counts too
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            value = fn(*args)
        except MemoryError:
            conn.send((False, "memory", "MemoryError"))
            return  # a process that ran out of memory may be in any state: start afresh
        except BaseException as exc:  # noqa: BLE001  (reported to the parent, which decides)
            kind = "start" if type(exc).__name__ == "ReaderUnavailable" else "error"
            conn.send((False, kind, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
            continue
        try:
            conn.send((True, None, value))
        except MemoryError:
            return


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_ahead_for(readers: int) -> bool:
    """Whether ``readers`` children reading at once leave a core free for each one's lattice
    worker (:mod:`etl.lattice_worker`); with no core free a second process only adds work."""
    return readers < cores()


_prestarted: list[Sandbox] = []


def prestart(limits: Limits, read_ahead: bool = False) -> None:
    """Launch a reader child now, for the first :func:`take_prestarted` with the same settings:
    a command that will read documents starts its child before it imports the rest of the ETL."""
    box = Sandbox(limits, read_ahead=read_ahead)
    box.launch()
    _prestarted.append(box)


def take_prestarted(limits: Limits, read_ahead: bool) -> Sandbox | None:
    """A child :func:`prestart` launched with these settings, or None."""
    for box in _prestarted:
        if box.limits == limits and box.read_ahead == read_ahead and box.preload == Sandbox.READER:
            _prestarted.remove(box)
            return box
    return None


def discard_prestarted() -> None:
    """Stop the children launched ahead that nothing took (every document came from the cache)."""
    while _prestarted:
        _prestarted.pop().close()


class Sandbox:
    """One child process that runs functions under :class:`Limits`; not thread-safe (one per thread).

    ``fn`` and its arguments are pickled (``fn`` must be a module-level function). The child is
    started on first use with the "spawn" method: PDFium keeps process-global state that a
    forked child must not inherit. With ``read_ahead`` a reader child forks its lattice worker
    (:mod:`etl.lattice_worker`) before it loads anything else; the worker's resident memory
    counts as the child's.
    """

    # Starting a child and importing camelot in it is not the document's time.
    STARTUP_S = 300.0

    # The reader. camelot (which etl.tables imports lazily) is loaded by the child in the
    # background while the first document's text pass runs; a child that cannot load it under
    # its limits fails with kind "start" (etl.tables.ReaderUnavailable), and no file is blamed.
    # numpy loads first, in the foreground: OpenBLAS aborts the process (no MemoryError) when it
    # cannot allocate, and an abort while a document is read would blame the document.
    READER = ("etl.extract", "numpy")

    def __init__(self, limits: Limits | None = None, preload: tuple[str, ...] = READER,
                 read_ahead: bool = False) -> None:
        self.limits = limits or Limits()
        self.preload = preload
        self.read_ahead = read_ahead
        self._proc = None
        self._conn = None
        self._helper: int | None = None
        self._starting = False  # launched, its "ready" not read yet

    def launch(self) -> None:
        """Start the child without waiting for it to be ready (the first :meth:`call` waits):
        its start-up then overlaps whatever the caller does meanwhile. A child that cannot be
        started here is started again, and reported, by that call."""
        if self._proc is None:
            with contextlib.suppress(SandboxFailure):
                self._launch()

    def _start(self) -> None:
        self._launch()
        self._await_ready()

    def _launch(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        saved = {k: os.environ.get(k) for k in THREAD_ENV}
        os.environ.update(THREAD_ENV)  # inherited by the child at start, before numpy is imported there
        try:
            proc = ctx.Process(target=_serve, args=(child, self.limits.memory_mb, self.limits.cpu_s, self.preload, self.read_ahead),
                               daemon=True, name="izlek-sandbox")
            proc.start()
        except OSError as exc:  # EAGAIN (process limit), ENOMEM, EMFILE: the machine is short of something
            parent.close()
            child.close()
            raise SandboxFailure("start", f"the worker process could not start ({type(exc).__name__}: {exc})") \
                from None
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        child.close()
        self._proc, self._conn = proc, parent
        self._starting = True

    def _await_ready(self) -> None:
        proc, parent = self._proc, self._conn
        self._starting = False
        try:
            ready = parent.recv() if parent.poll(self.STARTUP_S) else (False, None, "no answer")
        except (EOFError, OSError):
            proc.join(timeout=10)
            ready = (False, None, f"exit code {proc.exitcode}")
        self._helper = ready[2] if ready[0] and isinstance(ready[2], int) else None
        if not ready[0]:
            self.close()
            # Whatever stopped it (an import failing under the memory limit, a child killed while
            # it started), no input has been read yet: "start", never the input's fault.
            raise SandboxFailure("start", f"the worker process could not start ({ready[2]})")

    def close(self) -> None:
        """Stop the child and what it forked (killed: they hold nothing worth saving)."""
        if self._conn is not None:
            self._conn.close()
        if self._proc is not None:
            if self._proc.is_alive():
                # Its descendants first, while they can still be found: once the child is gone
                # they belong to init, and only the lattice worker's own watch would end them.
                for pid in _process_tree(self._proc.pid, self._helper)[1:]:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                self._proc.kill()
            self._proc.join(timeout=10)
        self._proc = self._conn = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _resident_mb(self) -> float:
        """The child's resident memory, with its lattice worker's and the reader that worker may
        fork (one document, up to three processes)."""
        total = 0.0
        for pid in _process_tree(self._proc.pid, self._helper):
            try:
                with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                    total += int(fh.read().split()[1]) * _PAGE / 2**20
            except (OSError, ValueError, IndexError):
                pass  # not Linux, or the process just went: the address-space limit still holds
        return total

    def _wait(self) -> None:
        """Until the child answers; stop it past the wall time or the resident-memory limit."""
        wall = self.limits.wall_s if self.limits.wall_s > 0 else None
        deadline = None if wall is None else time.monotonic() + wall
        resident = self.limits.resident_limit_mb
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                self.close()
                raise SandboxFailure("timeout", f"took longer than {self.limits.wall_s:g} s")
            step = left if not resident else (_WATCH_S if left is None else min(_WATCH_S, left))
            if self._conn.poll(step):
                return
            if resident and self._resident_mb() > resident:
                self.close()
                raise SandboxFailure("memory", f"its resident memory passed {resident} MB")

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` in the child; raises :class:`SandboxFailure` when it dies, runs out of
        memory or time, or raises (kind "error", with the traceback as the message)."""
        if self._proc is None or not self._proc.is_alive():
            self.close()
            self._start()
        elif self._starting:
            self._await_ready()
        try:
            self._conn.send((fn, args))
            self._wait()
            ok, kind, value = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            proc = self._proc
            if proc is not None:
                proc.join(timeout=10)
            code = proc.exitcode if proc is not None else None
            self.close()
            raise SandboxFailure(classify_death(code), f"the worker process died (exit code {code})") from None
        if not ok:
            if kind == "memory":
                self.close()
            raise SandboxFailure(kind, value)
        return value
