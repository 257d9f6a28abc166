"""Smoke tests of the dashboard skeleton: the router, the Warehouse page and app/data.py.

Each test builds a real, tiny DuckDB file in tmp_path and points the app at it through
IZLEK_WAREHOUSE, so nothing depends on the ETL having run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import data

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"
RELATIONS_PAGE = ROOT / "app_pages" / "relations.py"
APP_FILES = [DASHBOARD, RELATIONS_PAGE]
# A cold first run imports pandas, pyarrow and duckdb: give AppTest more than its default 3 s.
TIMEOUT = 60


def make_warehouse(path: Path, rows: int = 3) -> Path:
    """Write a tiny warehouse: a table with `rows` rows, an empty table and a view."""
    connection = duckdb.connect(str(path))
    try:
        connection.execute(
            "CREATE TABLE municipalities (municipality_id VARCHAR, name VARCHAR, population BIGINT)"
        )
        connection.executemany(
            "INSERT INTO municipalities VALUES (?, ?, ?)",
            [(f"m{i}", f"Belediye {i}", 1000 * i) for i in range(rows)],
        )
        connection.execute("CREATE TABLE goals (municipality_id VARCHAR, goal_code VARCHAR, source_page INTEGER)")
        connection.execute("CREATE VIEW big_municipalities AS SELECT * FROM municipalities WHERE population > 0")
    finally:
        connection.close()
    return path


@pytest.fixture(autouse=True)
def _fresh_connections() -> Iterator[None]:
    """Start and end every test without cached connections, so tmp files can go."""
    data.close_all()
    yield
    data.close_all()


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_warehouse(tmp_path / "warehouse.duckdb")
    monkeypatch.setenv(data.WAREHOUSE_ENV, str(path))
    return path


def page_text(app: AppTest) -> str:
    """All the text a reader sees, for loose assertions."""
    parts = [element.value for kind in ("title", "caption", "markdown", "info", "warning", "error")
             for element in getattr(app, kind)]
    return "\n".join(str(part) for part in parts)


# --- app/data.py, without Streamlit -------------------------------------------------------


def test_warehouse_path_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(data.WAREHOUSE_ENV, str(tmp_path / "w.duckdb"))
    assert data.warehouse_path() == (tmp_path / "w.duckdb").resolve()
    monkeypatch.delenv(data.WAREHOUSE_ENV)
    assert data.warehouse_path() == ROOT / "data" / "warehouse.duckdb"


def test_list_relations_gives_names_kinds_counts_and_columns(warehouse: Path) -> None:
    relations = {r.name: r for r in data.list_relations()}
    assert set(relations) == {"municipalities", "goals", "big_municipalities"}
    assert relations["municipalities"].row_count == 3
    assert relations["municipalities"].kind == "table"
    assert relations["municipalities"].columns == ("municipality_id", "name", "population")
    assert relations["goals"].row_count == 0
    assert relations["big_municipalities"].kind == "view"
    assert relations["big_municipalities"].row_count == 2


def test_missing_warehouse_raises_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(data.WAREHOUSE_ENV, str(tmp_path / "absent.duckdb"))
    assert not data.warehouse_exists()
    assert data.warehouse_version() is None
    with pytest.raises(data.WarehouseMissing, match="etl build"):
        data.list_relations()


def test_reconnects_after_the_file_is_replaced_by_a_rename(warehouse: Path, tmp_path: Path) -> None:
    assert data.query("SELECT count(*) AS n FROM municipalities")["n"].item() == 3
    before = data.warehouse_version()
    # What the ETL does: build a new file beside the old one, then rename it over.
    replacement = make_warehouse(tmp_path / "warehouse.duckdb.tmp", rows=7)
    os.replace(replacement, warehouse)
    assert data.warehouse_version() != before
    assert data.query("SELECT count(*) AS n FROM municipalities")["n"].item() == 7


def test_a_repeated_query_is_answered_from_memory_as_a_fresh_copy(warehouse: Path) -> None:
    first = data.query("SELECT count(*) AS n FROM municipalities")
    first.loc[0, "n"] = -1  # a page changing its frame must not change the next page's
    again = data.query("SELECT count(*) AS n FROM municipalities")
    assert again["n"].item() == 3
    key = next(k for k in data._results if k[2] == "SELECT count(*) AS n FROM municipalities")
    assert key[1] == data.warehouse_version()  # the answer belongs to this version of the file


def test_the_app_holds_no_write_lock(warehouse: Path) -> None:
    data.list_relations()  # opens and caches the connection
    # Another process can still open the file: it could not if the app held the write lock.
    script = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).execute('SELECT 1')"
    subprocess.run([sys.executable, "-c", script, str(warehouse)], check=True, timeout=60)
    with pytest.raises(duckdb.Error):
        data.query("CREATE TABLE written_by_the_app (x INTEGER)")


# --- the Streamlit app ---------------------------------------------------------------------


def open_warehouse_page(script: Path) -> AppTest:
    """Run the Warehouse page, directly or through the router (where it is not the default page)."""
    app = AppTest.from_file(str(script), default_timeout=TIMEOUT).run()
    if script == DASHBOARD:
        app.switch_page("app_pages/relations.py").run()
    return app


@pytest.mark.parametrize("script", APP_FILES, ids=lambda p: p.name)
def test_app_lists_the_relations_with_their_counts(script: Path, warehouse: Path) -> None:
    app = open_warehouse_page(script)
    assert not app.exception, [e.value for e in app.exception]
    assert [t.value for t in app.title] in (["Veri ambarı"], ["Warehouse"])
    table = app.dataframe[0]  # the relations; the second lists the chosen relation's columns
    shown = table.value.set_index("relation")
    assert shown.loc["municipalities", "rows"] == 3
    assert shown.loc["goals", "rows"] == 0
    assert shown.loc["big_municipalities", "rows"] == 2
    assert shown.loc["big_municipalities", "kind"] in ("görünüm", "view")
    assert shown.loc["goals", "columns"] == "municipality_id, goal_code, source_page"
    assert "3 ilişki" in page_text(app) or "3 relations" in page_text(app)


@pytest.mark.parametrize("script", APP_FILES, ids=lambda p: p.name)
def test_app_shows_how_to_build_when_the_warehouse_is_missing(
    script: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(data.WAREHOUSE_ENV, str(tmp_path / "absent.duckdb"))
    app = open_warehouse_page(script)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.dataframe
    (info,) = app.info
    assert "Henüz veri ambarı yok" in info.value or "No warehouse yet" in info.value
    assert "python -m etl build" in info.value


def test_app_reports_an_unreadable_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "warehouse.duckdb"
    broken.write_bytes(b"this is not a DuckDB file" * 100)
    monkeypatch.setenv(data.WAREHOUSE_ENV, str(broken))
    app = open_warehouse_page(DASHBOARD)
    assert not app.exception, [e.value for e in app.exception]
    (error,) = app.error
    assert "okunamadı" in error.value or "Could not read the warehouse" in error.value


def test_app_follows_a_rebuilt_warehouse(warehouse: Path, tmp_path: Path) -> None:
    app = open_warehouse_page(DASHBOARD)
    assert app.dataframe[0].value.set_index("relation").loc["municipalities", "rows"] == 3
    os.replace(make_warehouse(tmp_path / "next.duckdb", rows=5), warehouse)
    app.run()
    assert app.dataframe[0].value.set_index("relation").loc["municipalities", "rows"] == 5
