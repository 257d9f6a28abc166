"""The analysis on the shared corpus: the test builds it, reads every relation back, runs
:func:`etl.analysis.analyse` itself (so it does not depend on the build calling it) and
compares with the truth files. The unit tests on inline rows are tests/unit/test_analysis.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.analysis import analyse
from etl.schema import RELATIONS
from tests.conftest import SHARED


def _read_rows(path: Path) -> dict[str, list[dict]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        have = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        rows: dict[str, list[dict]] = {}
        for rel in RELATIONS:
            if rel.name not in have:
                rows[rel.name] = []
                continue
            cur = con.execute(f'select * from "{rel.name}"')
            cols = [d[0] for d in cur.description]
            rows[rel.name] = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        return rows
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus_rows(tmp_path_factory) -> tuple[dict[str, list[dict]], list[dict]]:
    corpus = SHARED / "corpus"
    if not (corpus / "truth").is_dir():
        pytest.skip(f"shared corpus not found at {corpus}; the integration test needs ../shared/corpus")
    from etl.build import build

    raw = tmp_path_factory.mktemp("analysis_raw")
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name != "truth"):
        shutil.copytree(folder, raw / folder.name)
    wh = tmp_path_factory.mktemp("analysis_wh") / "warehouse.duckdb"
    build(raw, wh, jobs=2)
    rows = _read_rows(wh)
    analyse(rows, None)
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus / "truth").glob("*.json"))]
    return rows, truths


def test_corpus_left_out_exact(corpus_rows) -> None:
    rows, truths = corpus_rows
    got: dict[tuple[str, int], set[str]] = {}
    for r in rows["left_out_objectives"]:
        got.setdefault((r["municipality_id"], r["year"]), set()).add(r["objective_code"])
    for t in truths:
        for y, codes in t["derived"]["left_out"].items():
            assert got.get((t["municipality_id"], int(y)), set()) == set(codes), (t["municipality_id"], y)


def test_corpus_gender_budget(corpus_rows) -> None:
    rows, truths = corpus_rows
    gb = {(r["municipality_id"], r["year"]): r for r in rows["gender_budget"]}
    cols = {"principal": "principal_budget", "significant": "significant_budget", "all_activities_total": "total_budget",
            "principal_budget_only": "principal_budget_only", "significant_budget_only": "significant_budget_only"}
    for t in truths:
        for y, want in t["derived"]["gender_budget"].items():
            r = gb[(t["municipality_id"], int(y))]
            for k, col in cols.items():
                assert r[col] == pytest.approx(want[k], rel=0.005), (t["municipality_id"], y, col)
            assert r["gender_share_pct"] == pytest.approx(want["share_pct"], abs=0.1)


def test_corpus_achievement_exact(corpus_rows) -> None:
    rows, truths = corpus_rows
    ach = {(r["municipality_id"], r["year"], r["indicator_code"]): r["achievement_pct"]
           for r in rows["indicator_achievement"]}
    n = 0
    for t in truths:
        for y, per in t["derived"]["achievement"].items():
            for code, want in per.items():
                got = ach.get((t["municipality_id"], int(y), code))
                n += 1
                if want is None:
                    assert got is None, (t["municipality_id"], y, code)
                else:
                    assert got == pytest.approx(want, abs=0.011), (t["municipality_id"], y, code)
    assert n > 100


def test_corpus_every_item_tagged(corpus_rows) -> None:
    rows, _ = corpus_rows
    for rel in ("objectives", "indicators", "activities"):
        assert rows[rel] and all(r["gender_marker"] in (0, 1, 2) for r in rows[rel])
    assert len(rows["gender_tags"]) == sum(len(rows[r]) for r in ("objectives", "indicators", "activities"))
    assert all(t["reason"] for t in rows["gender_tags"])
