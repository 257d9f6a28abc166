"""Resident memory of the dashboard's whole process tree while a reader downloads chart exports.

Starts the dashboard (``python -m app.serve``, as scripts/start.sh does) on a warehouse, opens
the Gender budget page in Debian's Chromium (Playwright, no browser download), then asks for
one export URL at a time — the first chart's PNG, SVG and PDF, then the report pack (every
chart of the page as a PNG inside a workbook) — and, every 50 ms, sums the RSS of the server
process and all its descendants (kaleido's Chromium processes included). Prints the tree's
RSS after the page, the peak during each export and its processes at the end. With
``--compare`` it runs once with Chromium's default process model (``IZLEK_CHROMIUM_FLAGS=""``)
and once with the dashboard's own flags, in the same run. Asserts nothing: the issue's target
is "server RSS under 1 GB for any single URL".

    .venv/bin/python bench/server_rss.py --warehouse /tmp/w.duckdb [--port 8631] [--compare]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from dashboard_speed import _wait_healthy  # noqa: E402
from upload_rss import _children, _rss_kb, tree_rss_mb  # noqa: E402

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
PACK = "[data-testid=stSidebar] [data-testid=stDownloadButton]"
MAIN_DOWNLOAD = "[data-testid=stMain] [data-testid=stDownloadButton]"


class Peak:
    """The largest tree RSS of ``pid`` seen since the last :meth:`reset`, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.value, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.value = max(self.value, tree_rss_mb(self.pid, include_root=True))
            time.sleep(0.05)

    def reset(self) -> None:
        self.value = tree_rss_mb(self.pid, include_root=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _download(page, locator) -> int:
    with page.expect_download(timeout=180_000) as info:
        locator.click()
    return Path(info.value.path()).stat().st_size


def _processes(root: int) -> list[str]:
    kids, todo, out = _children(), [root], []
    while todo:
        pid = todo.pop()
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            cmd = "?"
        kind = next((w for w in cmd.split() if w.startswith("--type=")), "")
        out.append(f"    {_rss_kb(pid) / 1024:6.0f} MB  {Path(cmd.split()[0]).name if cmd.split() else '?'} {kind}")
        todo.extend(kids.get(pid, []))
    return out


def run(warehouse: Path, port: int, chromium: str, flags: str | None) -> None:
    """One server: the page, then each export, printing the tree's peak RSS."""
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "IZLEK_WAREHOUSE": str(warehouse.resolve()), "IZLEK_READ_ONLY": "1"}
    if flags is not None:
        env["IZLEK_CHROMIUM_FLAGS"] = flags
    proc = subprocess.Popen([sys.executable, "-m", "app.serve", "--server.headless", "true", "--server.port",
                             str(port), "--browser.gatherUsageStats", "false"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    label = "dashboard's flags" if flags is None else f"IZLEK_CHROMIUM_FLAGS={flags!r}"
    peak = Peak(proc.pid)
    try:
        _wait_healthy(url, proc, limit=120)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page = ctx.new_page()
            page.goto(url + "/gender_budget?m=ilginkoy")
            page.wait_for_selector(PACK)
            page.wait_for_selector(IDLE)
            time.sleep(3)  # the prewarmed kaleido has drawn its first figure
            print(f"\n{label}: server tree after the page {tree_rss_mb(proc.pid, include_root=True):.0f} MB "
                  f"(peak so far {peak.value:.0f} MB)")
            worst = 0.0
            for what in ("PNG", "SVG", "PDF", "pack"):
                button = page.locator(PACK).first if what == "pack" else \
                    page.locator(MAIN_DOWNLOAD).filter(has_text=what).first
                peak.reset()
                size = _download(page, button)
                worst = max(worst, peak.value)
                print(f"  {what:<5} {size:>9} bytes   peak tree RSS {peak.value:6.0f} MB")
            print(f"  worst single export: {worst:.0f} MB ({worst / 1024:.2f} GB; target < 1 GB)")
            print("  processes now:")
            print("\n".join(_processes(proc.pid)))
            browser.close()
    finally:
        peak.stop()
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    """Parse the arguments and measure once, or twice with ``--compare``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8631)
    parser.add_argument("--compare", action="store_true", help="first with Chromium's default process model")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Debian's chromium is not on PATH")
    if args.compare:
        run(args.warehouse, args.port, chromium, "")
    run(args.warehouse, args.port + 1, chromium, None)


if __name__ == "__main__":
    main()
