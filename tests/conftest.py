"""Shared fixtures: the sample corpora and warehouses built from them once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.build import build

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _build_corpus(tmp_factory, name: str, folders: list[Path]) -> tuple[Path, object]:
    raw = tmp_factory.mktemp(f"{name}_raw")
    for f in folders:
        shutil.copytree(f, raw / f.name)
    wh = tmp_factory.mktemp(f"{name}_wh") / "warehouse.duckdb"
    report = build(raw, wh, jobs=2)
    return wh, report


@pytest.fixture(scope="session")
def shared_corpus(tmp_path_factory):
    """Warehouse built from ../shared/corpus (the project's yardstick) and its build report."""
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} not found: the shared sample corpus sits beside the repository in CI")
    folders = sorted(p for p in corpus.iterdir() if p.is_dir() and p.name != "truth")
    return _build_corpus(tmp_path_factory, "shared", folders)


@pytest.fixture(scope="session")
def embedded_sample(tmp_path_factory):
    """Warehouse built from the embedded synthetic sample in data/raw."""
    raw = REPO / "data" / "raw"
    folders = sorted(p for p in raw.iterdir() if p.is_dir() and any(p.glob("*.pdf")))
    if not folders:
        pytest.fail("data/raw holds no sample PDFs; regenerate them with `python -m etl.sample`")
    return _build_corpus(tmp_path_factory, "sample", folders)


def read_relation(warehouse: Path, name: str) -> list[dict]:
    """All rows of a relation as dicts (read-only connection)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(f'select * from "{name}"')
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="session")
def sample_warehouse(embedded_sample):
    """The embedded-sample warehouse, set as the dashboard's IZLEK_WAREHOUSE for the session
    (writable, so the Tag review page is registered)."""
    mp = pytest.MonkeyPatch()
    path, _ = embedded_sample
    mp.setenv("IZLEK_WAREHOUSE", str(path))
    mp.setenv("IZLEK_READ_ONLY", "0")  # every page, Tag review included, is under test
    yield path
    mp.undo()


def run_page(page: str, query: dict[str, str] | None = None, lang: str = "tr", deep_link: bool = False):
    """Run ``pages/<page>`` through the real router (so page links resolve) with URL parameters.

    ``deep_link`` opens the page on the first run, as a shared link does; otherwise the app
    starts on its default page and then switches, as a click in the menu does. A ``lang``
    other than Turkish is chosen with the sidebar switch, as a person would.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if deep_link:
        at.switch_page(f"pages/{page}").run()
    else:
        at.run()
        at.switch_page(f"pages/{page}").run()
    if lang != "tr":
        at.sidebar.segmented_control(key="lang").set_value(lang).run()
    return at


def open_for(page: str, municipality: str, year: int, lang: str | None = None):
    """``pages/<page>`` with a municipality and a year chosen in the sidebar, as a person would."""
    at = run_page(page, lang=lang or "tr")
    at.sidebar.selectbox(key="m").select(municipality).run()
    at.sidebar.selectbox(key="y").select(year).run()
    assert not at.exception, at.exception
    return at


def plotly_array(value) -> list:
    """A chart array as a list: Plotly sends numeric arrays base64-encoded ({"bdata", "dtype"})."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)
