"""A second process that reads a document's ruled tables with camelot while the text pass runs.

The sandbox child (:mod:`etl.sandbox`) reads a document in two passes: pdfium's text pass over
every page, then camelot on the pages that hold tables. camelot's import (pandas, OpenCV, playa:
about half a second) and its page reading are Python holding the GIL, so a thread cannot overlap
them with the text pass; a second process can, on the second core. The child forks this worker
when it starts (one thread, camelot not loaded yet); the worker imports camelot at once and, as
the text pass finds a table page, reads it while the text pass goes on.

The worker only makes reading faster. Whatever it does not answer (it died, ran out of memory
or CPU time, camelot raised on a page) the child reads again itself, exactly as it would
without a worker: what a document does to the reader is still seen, and judged, in the child.
The worker has the child's limits (inherited), holds no file the child's parent watches, and
dies with the child (``PR_SET_PDEATHSIG``, and a poll of its parent where that is missing).
Without ``fork`` (or with other threads already running) there is no worker and the child
reads everything itself.

Once the child waits for the answer (its text pass is done, a core is free), the worker
splits the pages still to read with a reader it forks from itself, camelot already loaded: two
processes finish the backlog in about half the time. That reader dies with the worker, answers
through its own pipe, and what it does not answer the child reads itself as before.

Messages, child → worker: ``("begin", job, path, password)``, ``("read", job, flavor, pages)``,
``("collect", job)``; worker → child, for each collect: ``(job, {(flavor, page): [CamelotTable]})``
with every page read since the last collect (a page without tables maps to ``[]``).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time
from collections import deque
from pathlib import Path

# Table pages sent to the worker at a time; it reads those waiting in one camelot call (each
# call opens the document and loads its fonts again), at most READ_PAGES while the text pass
# runs so that, when the child starts waiting, the rest can still be shared with a second reader.
BATCH_PAGES = 2
READ_PAGES = 4
# Pages left when the child waits from which a second reader pays for its fork (~30 ms a call).
SPLIT_PAGES = 4
_PR_SET_PDEATHSIG = 1
_ORPHAN_CHECK_S = 0.5

_worker: Worker | None = None


class Worker:
    """The child's end of its worker: the pipe and the worker's process id."""

    def __init__(self, pid: int, conn) -> None:
        self.pid = pid
        self.conn = conn
        self.jobs = 0
        self.alive = True

    def send(self, message: tuple) -> bool:
        """Send ``message``; False (and the worker given up) when it is gone."""
        if not self.alive:
            return False
        try:
            self.conn.send(message)
            return True
        except (OSError, ValueError):
            self.give_up()
            return False

    def give_up(self) -> None:
        """Stop using the worker (it died or misbehaved): the child reads everything itself."""
        self.alive = False
        with contextlib.suppress(OSError):
            self.conn.close()
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ChildProcessError):
            os.waitpid(self.pid, 0)


def start() -> int | None:
    """Fork the worker (call in the sandbox child before camelot or any thread starts);
    its process id, or None when there is none."""
    global _worker
    if _worker is not None:
        return _worker.pid if _worker.alive else None
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return None  # forking a process with other threads running can copy a held lock
    parent = os.getpid()

    def serve(theirs) -> None:
        _close_other_files(keep={0, 1, 2, theirs.fileno()})
        _die_with(parent)
        _serve(theirs)

    forked = _fork(serve, duplex=True)
    if forked is None:
        return None
    pid, mine = forked
    _worker = Worker(pid, mine)
    return pid


def current() -> Worker | None:
    """This process's worker, while it is alive."""
    return _worker if _worker is not None and _worker.alive else None


class Reading:
    """One document read ahead by the worker: :meth:`offer` pages as the text pass finds them,
    then :meth:`tables` gives what the worker read."""

    def __init__(self, worker: Worker, path: Path, password: str | None) -> None:
        self.worker = worker
        worker.jobs += 1
        self.job = worker.jobs
        self.pending: list[int] = []
        self.sent: dict[str, set[int]] = {}
        self.got: dict[tuple[str, int], list] = {}
        # Pages the worker must not read: stored turned, they are read from an upright copy.
        self.exclude: set[int] = set()
        worker.send(("begin", self.job, str(path), password))

    def offer(self, page: int) -> None:
        """A page the text pass marked as a table page: the worker reads it with lattice."""
        self.pending.append(page)
        if len(self.pending) >= BATCH_PAGES:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self._send("lattice", self.pending)
            self.pending = []

    def _send(self, flavor: str, pages: list[int]) -> None:
        if self.worker.send(("read", self.job, flavor, list(pages))):
            self.sent.setdefault(flavor, set()).update(pages)

    def tables(self, flavor: str, pages: list[int]) -> dict[int, list]:
        """``{page: [CamelotTable]}`` for those of ``pages`` the worker read with ``flavor``
        (pages not offered yet are sent first); pages it did not answer are left out."""
        self._flush()
        todo = [p for p in pages if p not in self.sent.get(flavor, set()) and p not in self.exclude]
        if todo:
            self._send(flavor, todo)
        if self.worker.alive and self.worker.send(("collect", self.job)):
            try:
                job, done = self.worker.conn.recv()
            except (EOFError, OSError, MemoryError):
                self.worker.give_up()
            else:
                if job == self.job:
                    self.got.update(done)
                else:  # an answer out of turn: the worker cannot be trusted any more
                    self.worker.give_up()
        return {p: self.got[(flavor, p)] for p in pages if (flavor, p) in self.got}


def reading(path: Path, password: str | None = None) -> Reading | None:
    """Start reading ``path`` ahead on this process's worker; None without one."""
    worker = current()
    return Reading(worker, path, password) if worker is not None else None


# --------------------------------------------------------------------------- the worker's side


def _close_other_files(keep: set[int]) -> None:
    """Close every inherited descriptor but ``keep``: the sandbox's parent learns that the child
    ended when the child's ends of their pipes close, which this process must not delay."""
    try:
        fds = sorted(int(n) for n in os.listdir("/proc/self/fd"))
    except OSError:  # no /proc: every descriptor up to the usual limit
        fds = list(range(3, 1024))
    for fd in fds:
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends: at once where Linux's parent-death signal exists,
    within half a second otherwise."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_ORPHAN_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="izlek-worker-orphan-watch", daemon=True).start()


def _serve(conn) -> None:
    from etl.tables import ReaderUnavailable, read_camelot

    try:
        read_camelot(None, [], "lattice")  # imports camelot now, while the text pass runs
        usable = True
    except ReaderUnavailable:
        usable = False  # every page goes unanswered: the child's own import says why
    job, path, password = None, None, None
    done: dict[tuple[str, int], list] = {}
    queue: deque = deque()
    while True:
        if not queue:
            try:
                queue.append(conn.recv())
            except (EOFError, OSError):
                return
        while conn.poll(0):
            queue.append(conn.recv())
        message = queue.popleft()
        if message[0] == "begin":
            job, path, password = message[1], message[2], message[3]
            done = {}
        elif message[0] == "collect":
            if message[1] == job:
                conn.send((job, done))
                done = {}
        elif message[0] == "read" and message[1] == job and usable:
            if any(m[0] == "begin" for m in queue):
                continue  # the child has moved on to another document
            flavor, pages = message[2], list(message[3])
            # Pages queued meanwhile go in the same read: the text pass running ahead makes the
            # reads fewer, not longer.
            for later in [m for m in queue if m[0] == "read" and m[1] == job and m[2] == flavor]:
                queue.remove(later)
                pages.extend(later[3])
            second = None
            if any(m[0] == "collect" and m[1] == job for m in queue):
                if len(pages) >= SPLIT_PAGES:  # the child waits: its core reads the second half
                    pages, theirs = pages[:(len(pages) + 1) // 2], pages[(len(pages) + 1) // 2:]
                    second = _fork_reader(conn, Path(path), theirs, flavor, password)
                    if second is None:
                        pages += theirs
            elif len(pages) > READ_PAGES:
                queue.appendleft(("read", job, flavor, pages[READ_PAGES:]))
                pages = pages[:READ_PAGES]
            _record(done, flavor, pages, _read_or_none(Path(path), pages, flavor, password))
            if second is not None:
                _record(done, flavor, second[2], _answer_of(second))


def _read_or_none(path: Path, pages: list[int], flavor: str, password: str | None) -> list | None:
    """camelot's tables on ``pages``; None when it raised (the child reads them again itself)."""
    from etl.tables import read_camelot

    try:
        return read_camelot(path, pages, flavor, password)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001  (unanswered: the child reads these pages itself and judges)
        return None


def _record(done: dict, flavor: str, pages: list[int], found: list | None) -> None:
    if found is None:
        return
    for p in pages:
        done.setdefault((flavor, p), [])
    for t in found:
        done.setdefault((flavor, t.page), []).append(t)


def _fork_reader(conn, path: Path, pages: list[int], flavor: str,
                 password: str | None) -> tuple[int, object, list[int]] | None:
    """Fork a reader of ``pages`` (process id, the end of its pipe, the pages); None without."""
    parent = os.getpid()

    def serve(theirs) -> None:
        conn.close()  # only the worker talks to the child
        _die_with(parent)
        theirs.send(_read_or_none(path, pages, flavor, password))

    forked = _fork(serve, duplex=False)
    return None if forked is None else (forked[0], forked[1], pages)


def _fork(serve, duplex: bool) -> tuple[int, object] | None:
    """Fork a process that runs ``serve`` on its end of a new pipe, then exits (code 1 when it
    raised: the child reads whatever is not answered); (its process id, this end), or None."""
    from multiprocessing.connection import Pipe

    mine, theirs = Pipe(duplex=duplex)
    try:
        pid = os.fork()
    except OSError:
        mine.close()
        theirs.close()
        return None
    if pid == 0:
        code = 0
        try:
            mine.close()
            serve(theirs)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    theirs.close()
    return pid, mine


def _answer_of(second: tuple[int, object, list[int]]) -> list | None:
    """What the forked reader found; None when it died without answering."""
    pid, pipe, _ = second
    try:
        return pipe.recv()
    except (EOFError, OSError, MemoryError):
        return None
    finally:
        pipe.close()
        with contextlib.suppress(OSError, ChildProcessError):
            os.waitpid(pid, 0)
