"""Peak resident memory of the upload check on every file of the hostile corpus.

    .venv/bin/python bench/upload_rss.py [--memory-mb 3072] [--timeout 120]

Each file of ``tests/hostile_pdfs.py`` (and the sample performance program, as the good
case) goes through :func:`app.upload.parse_in_subprocess`, the dashboard's own path: the
worker process and its sandbox child. While it runs, this script sums the resident memory
(``/proc/<pid>/status`` VmRSS) of every descendant of its own process every 20 ms and prints
the peak per file, with the outcome's key and the seconds it took. It asserts nothing: the
target (the issue's "peak RSS under 2.5 GB whatever the input") is read off the output.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app import upload  # noqa: E402
from etl.sandbox import Limits  # noqa: E402
from tests import hostile_pdfs  # noqa: E402


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(root: int, include_root: bool = False) -> float:
    """Resident memory of ``root``'s descendants (and of ``root`` itself when asked), in MB."""
    kids, total, todo = _children(), 0, [root]
    seen = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        if pid != root or include_root:
            total += _rss_kb(pid)
        todo.extend(kids.get(pid, []))
    return total / 1024


def measure(name: str, data: bytes, cfg: upload.Config, municipality_id: str = "deneme") -> tuple[str, float, float]:
    """Upload ``data`` as ``name``; (outcome key, peak MB of the worker tree, seconds)."""
    peak, done = [0.0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mb(os.getpid()))
            time.sleep(0.02)

    t = threading.Thread(target=watch, daemon=True)
    t0 = time.perf_counter()
    t.start()
    try:
        out = upload.process_upload(name, data, municipality_id, cfg)
    finally:
        done.set()
        t.join()
    return out.key, peak[0], time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory-mb", type=int, default=3072)
    parser.add_argument("--timeout", type=int, default=120)
    args = parser.parse_args()
    files = {"nested_forms": hostile_pdfs.nested_forms(), "cyclic_tree": hostile_pdfs.cyclic_page_tree(),
             "huge_page": hostile_pdfs.huge_page(), "huge_image": hostile_pdfs.huge_image(),
             "javascript": hostile_pdfs.javascript(), "garbage_after_eof": hostile_pdfs.garbage_after_eof(),
             "html": hostile_pdfs.html_error_page()}
    good = sorted((REPO / "data" / "raw").glob("*/*performans*.pdf"))
    owner = {}
    if good:
        files["good_program"] = good[0].read_bytes()
        owner["good_program"] = good[0].parent.name
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        cfg = upload.Config(password="x", raw=raw, warehouse=Path(tmp) / "w.duckdb", max_mb=50,
                            parse_timeout_s=args.timeout, memory_mb=args.memory_mb)
        print(f"upload check, memory limit {args.memory_mb} MB (resident watch "
              f"{Limits(memory_mb=args.memory_mb).resident_limit_mb} MB), wall {args.timeout} s")
        print(f"  {'file':<20} {'outcome':<20} {'peak tree RSS':>14} {'seconds':>8}")
        worst = 0.0
        for name, data in files.items():
            key, mb, s = measure(f"{name}.pdf", data, cfg, owner.get(name, "deneme"))
            worst = max(worst, mb)
            print(f"  {name:<20} {key:<20} {mb:>11.0f} MB {s:>8.1f}")
        print(f"worst peak: {worst:.0f} MB ({worst / 1024:.2f} GB; target < 2.5 GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
