"""Shared fixtures: the sample corpora and warehouses built from them once per session."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.build import build

REPO = Path(__file__).resolve().parents[1]
# ../shared (sample corpora with truth, the contract) sits beside the repository in CI; tests
# that need it skip without it. IZLEK_SHARED points elsewhere (e.g. nowhere, to check the skips).
SHARED = Path(os.environ.get("IZLEK_SHARED") or REPO.parent / "shared")
SAMPLE_TRUTH = REPO / "tests" / "fixtures" / "sample" / "truth"


_FOLDER_MARKERS = ("unit", "integration", "ui")


def pytest_collection_modifyitems(config, items) -> None:
    """Mark each test with its folder's marker (tests/unit → ``unit``…), so ``-m unit`` selects
    the fast part; a file still at tests/ root (not sorted yet) gets none."""
    for item in items:
        path = Path(str(item.path))
        parts = path.relative_to(REPO / "tests").parts if path.is_relative_to(REPO / "tests") else ()
        if len(parts) > 1 and parts[0] in _FOLDER_MARKERS:
            item.add_marker(getattr(pytest.mark, parts[0]))


def need_shared(*parts: str) -> Path:
    """``SHARED/<parts>``, or skip the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: the shared sample corpus sits beside the repository in CI")
    return path


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
    """Warehouse built from a temp copy of the embedded synthetic sample: exactly the files its
    generator's truth lists (what else a user put into data/raw, e.g. by uploading, stays out)."""
    raw = REPO / "data" / "raw"
    picked = tmp_path_factory.mktemp("sample_pick")
    for truth_file in sorted(SAMPLE_TRUTH.glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        mid = truth["municipality_id"]
        (picked / mid).mkdir()
        for name in [d["file"] for d in truth["documents"]] + ["municipality.toml"]:
            src = raw / mid / name
            if not src.exists() and name != "municipality.toml":
                pytest.fail(f"{src} is missing; regenerate the sample with `python -m tests.fixtures.sample`")
            if src.exists():
                shutil.copy2(src, picked / mid / name)
    return _build_corpus(tmp_path_factory, "sample", sorted(p for p in picked.iterdir() if p.is_dir()))


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
    """Run ``app_pages/<page>`` through the real router (so page links resolve) with URL parameters.

    ``deep_link`` opens the page on the first run, as a shared link does; otherwise the app
    starts on its default page and then switches, as a click in the menu does. A ``lang``
    other than Turkish is chosen with the sidebar switch, as a person would.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if deep_link:
        at.switch_page(f"app_pages/{page}").run()
    else:
        at.run()
        at.switch_page(f"app_pages/{page}").run()
    if lang != "tr":
        at.sidebar.segmented_control(key="lang").set_value(lang).run()
    return at


def open_for(page: str, municipality: str, year: int, lang: str | None = None):
    """``app_pages/<page>`` with a municipality and a year chosen in the sidebar, as a person would."""
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
