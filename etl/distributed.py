"""The per-document extraction on a Dask distributed cluster: ``python -m etl build --scheduler``.

The build's unit of work, one document → one picklable ``DocumentResult``, is mapped over the
cluster's workers instead of the local process pool; results come back to the driver in the
order of the documents, and everything after extraction (duplicates, analysis, checks, the
single-writer DuckDB load) stays on the driver, so the warehouse is the same as with
``--jobs 1``. Workers need the repository importable (the same checkout and venv), the PDFs at
the same paths and, for the extraction cache, the same cache folder (a shared file system).

``dask[distributed]`` is imported only here, only when a scheduler is asked for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

LOCAL = "local"
Mapper = Callable[[Callable[[Any], Any], list], Iterator[Any]]


@contextmanager
def dask_mapper(scheduler: str, workers: int | None = None) -> Iterator[Mapper]:
    """A ``map(fn, items)`` that runs on a Dask cluster and yields results in order.

    ``scheduler`` is ``"local"`` (a ``LocalCluster`` of ``workers`` single-threaded worker
    processes on this machine, default one per CPU, closed afterwards) or the address of a
    running scheduler (``tcp://host:8786``).
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is in requirements.txt
        raise RuntimeError("--scheduler needs dask[distributed]: pip install -r requirements.txt") from exc
    import dask

    # Each document is read in a sandbox child process with time and memory limits
    # (etl.sandbox); a daemonic worker may not start one, so workers are not daemons.
    # Remote workers need the same setting (distributed.worker.daemon: false).
    dask.config.set({"distributed.worker.daemon": False})
    cluster = None
    if scheduler == LOCAL:
        # Processes, one thread each: pdfium and camelot are not thread-safe, and the GIL would
        # serialise them anyway. No dashboard: nothing to serve, no port to take.
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        def run(fn: Callable[[Any], Any], items: list) -> Iterator[Any]:
            # pure=False: the same arguments twice (a copied PDF) are still two tasks, as in the pool.
            futures = client.map(fn, items, pure=False)
            for future in futures:
                yield future.result()

        yield run
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
