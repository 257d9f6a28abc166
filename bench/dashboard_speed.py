"""Dashboard speed in a real browser: each page's first render (cold and warm) and each chart export.

Starts the dashboard on a given warehouse (``python -m app.serve``, as scripts/start.sh does),
opens every page by its deep link in Debian's Chromium (Playwright, no browser download) and
prints seconds from navigation until the page has run to its end; then times the PNG, SVG and
PDF downloads of the Gender budget page's first chart and the report pack. Prints figures only,
no assertions (timings depend on the machine).

Three first renders per page: ``cold`` opens the deep link in a fresh browser context (no cache:
a shared link opened for the first time), ``click`` reaches the page from the menu of an open
session (how a reader moves between pages; the first visit of that page in the session), and
``warm`` reloads it. Beside them the same run measures a one-line Streamlit page
(``st.title``) served the same way, the floor no page can go under on this machine at this
load, and prints each page's cold time as a ratio of it. ``click`` is also each page's first run in
the server process, and the first line the first reader's (the Overview, right after the start).

    .venv/bin/python bench/dashboard_speed.py --warehouse /tmp/i11.duckdb [--port 8621] [--reps 2]
        [--cold 3] [--pages left_out,gender_budget] [--no-exports]

``--cold N`` opens each deep link in N fresh contexts and prints the median (and the floor's
median of N); ``--pages`` times only the pages whose path contains one of the words; the
``heavy chunks`` column names the large Streamlit script chunks (plotly.js, the code highlighter,
the data grid…) the cold first render fetched, the browser's biggest share of a cold render. ``--elements`` instead times one-line pages with
one element more each (a plotly chart, ``st.code``, a text area, a data grid) against the
one-line page, cold: what each of Streamlit's lazily loaded chunks adds to a first render here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
MENU = "[data-testid=stSidebar] a[data-testid=stPageLink-NavLink]"
PACK = "[data-testid=stSidebar] [data-testid=stDownloadButton]"
MAIN_DOWNLOAD = "[data-testid=stMain] [data-testid=stDownloadButton]"
PAGES = ["/?m=ilginkoy", "/gender_budget?m=ilginkoy", "/budget?m=ilginkoy", "/left_out?m=ilginkoy",
         "/achievement?m=ilginkoy", "/compare", "/sources?m=ilginkoy", "/relations", "/scorecard?m=ilginkoy",
         "/proposals?m=ilginkoy", "/letters?m=ilginkoy", "/calendar?m=ilginkoy", "/sql"]


def _wait_healthy(url: str, proc: subprocess.Popen, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the dashboard exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("the dashboard did not start")


# Streamlit's lazily loaded script chunks a cold render pays for (file name starts, static/js).
HEAVY = {"PlotlyChart": "plotly", "StreamlitSyntaxHighlighter": "highlighter", "DataFrame": "grid",
         "DeckGlJsonChart": "deck.gl", "EChartsChart": "echarts", "ArrowVegaLiteChart": "vega"}


def _open(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("h1")
    page.wait_for_selector(MENU)  # the router draws the menu after the page ran
    page.wait_for_selector(IDLE)
    return time.perf_counter() - start


def _click(page, path: str) -> float:
    """From an open page, the menu link to ``path``: seconds until the new page has run."""
    slug = path.split("?")[0].strip("/") or "home"
    before = page.locator("h1").first.inner_text()
    start = time.perf_counter()
    # The menu link whose path is the page's (hrefs are relative and carry the query string).
    page.evaluate("""([menu, slug]) => [...document.querySelectorAll(menu)]
                        .find(a => new URL(a.href).pathname.endsWith('/' + slug)).click()""", [MENU, slug])
    page.wait_for_function("t => { const h = document.querySelector('h1'); return h && h.innerText !== t; }",
                           arg=before)
    page.wait_for_selector(MENU)
    page.wait_for_selector(IDLE)
    return time.perf_counter() - start


def _baseline(browser, port: int, reps: int = 2) -> float:
    """First render (fresh context) of a one-line Streamlit page: the floor on this machine now."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "baseline.py"
        script.write_text('import streamlit as st\nst.title("Baseline")\n', encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                                 "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc)
            times = []
            for _ in range(reps):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("h1")
                page.wait_for_selector(IDLE)
                times.append(time.perf_counter() - start)
                ctx.close()
            return statistics.median(times) if reps > 2 else min(times)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


# One element on top of the one-line page, and the selector drawn once it is rendered.
ELEMENTS = {
    "one-line page": ("", None),
    "+ plotly chart": ("import plotly.express as px\nst.plotly_chart(px.bar(x=[1, 2], y=[3, 4]))\n",
                       ".js-plotly-plot .main-svg"),
    "+ st.code": ("st.code('hello', language=None)\n", "[data-testid=stCode]"),
    "+ text area": ("st.text_area('x', 'hello', height='content', on_change='ignore')\n",
                    "[data-testid=stTextArea] textarea"),
    "+ data grid": ("import pandas as pd\nst.dataframe(pd.DataFrame({'a': [1, 2]}))\n",
                    "[data-testid=stDataFrame] canvas"),
}


def _element_costs(browser, port: int, reps: int) -> None:
    """Print each ELEMENTS page's cold first render (median of ``reps`` fresh contexts, taken in
    turns so the load moves alike for all) and its difference to the one-line page."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        procs = {}
        for i, (name, (body, _)) in enumerate(ELEMENTS.items()):
            script = Path(tmp) / f"element{i}.py"
            script.write_text(f"import streamlit as st\nst.title('Baseline')\n{body}", encoding="utf-8")
            procs[name] = (f"http://127.0.0.1:{port + i}", subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.port",
                 str(port + i), "--browser.gatherUsageStats", "false"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        try:
            for url, proc in procs.values():
                _wait_healthy(url, proc)
            print(f"load average {os.getloadavg()[0]:.1f}")
            times: dict[str, list[float]] = {name: [] for name in ELEMENTS}
            for rep in range(reps + 1):  # round 0 is each server's first script run: not counted
                for name, (url, _) in procs.items():
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    start = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector("h1")
                    if ELEMENTS[name][1]:
                        page.wait_for_selector(ELEMENTS[name][1])
                    page.wait_for_selector(IDLE)
                    if rep:
                        times[name].append(time.perf_counter() - start)
                    ctx.close()
            floor = statistics.median(times["one-line page"])
            print(f"{'cold, fresh context':<28} {'median s':>8} {'+ s':>6}  (each)")
            for name, ts in times.items():
                print(f"{name:<28} {statistics.median(ts):8.2f} {statistics.median(ts) - floor:6.2f}  "
                      f"({', '.join(f'{t:.2f}' for t in ts)})")
            print(f"load average at the end {os.getloadavg()[0]:.1f}")
        finally:
            for _, proc in procs.values():
                proc.terminate()
                proc.wait(timeout=10)


def _download(page, locator) -> float:
    start = time.perf_counter()
    with page.expect_download(timeout=120_000) as info:
        locator.click()
    info.value.path()
    return time.perf_counter() - start


def main() -> None:
    """Start the server, time the pages and exports, print a table, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="the warehouse the dashboard reads (not for --elements)")
    parser.add_argument("--port", type=int, default=8621)
    parser.add_argument("--reps", type=int, default=2, help="warm repetitions per page")
    parser.add_argument("--cold", type=int, default=1, help="fresh contexts per page (median)")
    parser.add_argument("--pages", default="", help="comma-separated words: time only the pages matching one")
    parser.add_argument("--no-exports", action="store_true", help="skip the export downloads")
    parser.add_argument("--elements", action="store_true",
                        help="only time one-line pages with one element more each (--cold: repetitions)")
    args = parser.parse_args()
    words = [w for w in args.pages.split(",") if w]
    pages = [p for p in PAGES if not words or any(w in p for w in words)]
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Debian's chromium is not on PATH")
    if args.elements:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            _element_costs(browser, args.port, max(3, args.cold))
            browser.close()
        return
    if args.warehouse is None:
        parser.error("--warehouse is required")
    url = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "IZLEK_WAREHOUSE": str(args.warehouse.resolve()), "IZLEK_READ_ONLY": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "app.serve", "--server.headless", "true", "--server.port",
                             str(args.port), "--browser.gatherUsageStats", "false"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(url, proc)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            floor = _baseline(browser, args.port + 1, max(2, args.cold))
            print(f"load average {os.getloadavg()[0]:.1f}; a one-line Streamlit page: {floor:.2f} s cold")
            # In-session clicks first, in a session of their own: each page's first visit.
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            # The server's first reader: a page's first run in the process (imports, templates).
            first = _open(page, url + "/?m=ilginkoy")
            clicks = {path: _click(page, path) for path in pages if path != PAGES[0]}
            ctx.close()
            print(f"the server's first reader (/, fresh browser): {first:.2f} s")
            print(f"{'page':<28} {'cold s':>7} {'÷ floor':>8} {'click s':>8} {'warm s (median)':>16}  heavy chunks")
            for path in pages:
                colds, chunks = [], set()
                for _ in range(args.cold):
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    page.on("request", lambda r, seen=chunks: seen.update(
                        name for prefix, name in HEAVY.items() if r.url.rsplit("/", 1)[-1].startswith(prefix + ".")))
                    colds.append(_open(page, url + path))
                    if len(colds) < args.cold:
                        ctx.close()
                cold = statistics.median(colds)
                warm = statistics.median(_open(page, url + path) for _ in range(args.reps))
                click = f"{clicks[path]:8.2f}" if path in clicks else f"{'–':>8}"
                print(f"{path.split('?')[0] or '/':<28} {cold:7.2f} {cold / floor:8.1f} {click} {warm:16.2f}  "
                      f"{', '.join(sorted(chunks)) or '–'}")
                ctx.close()
            print(f"load average at the end {os.getloadavg()[0]:.1f}")
            if args.no_exports:
                browser.close()
                return
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page = ctx.new_page()
            _open(page, url + "/gender_budget?m=ilginkoy")
            print(f"\n{'export (Gender budget)':<28} {'first s':>7} {'again s':>16}")
            for label in ("PNG", "SVG", "PDF", "CSV (Excel)"):
                button = page.locator(MAIN_DOWNLOAD).filter(has_text=label).first
                first, again = _download(page, button), _download(page, button)
                print(f"{label:<28} {first:7.2f} {again:16.2f}")
            pack = page.locator(PACK).first
            first, again = _download(page, pack), _download(page, pack)
            print(f"{'report pack':<28} {first:7.2f} {again:16.2f}")
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
