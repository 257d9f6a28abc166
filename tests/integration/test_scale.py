"""Analysis on an existing warehouse (``python -m etl analyse``), its batching, its behaviour on
replicated municipalities, and the build on a Dask cluster.

Speed is measured in ``bench/scale.py``; these tests only check that the results are the same.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import main
from etl.analysis import analyse
from etl.analysis.warehouse import ANALYSIS_RELATIONS, INPUT_RELATIONS, TAGGED_RELATIONS, read_rows, reanalyse
from etl.load import insert_rows
from etl.schema import RELATIONS

REPO = Path(__file__).resolve().parents[2]


def relations(warehouse: Path, skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every relation's rows in stored order (documents without the extraction seconds)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for rel in RELATIONS:
            if rel.name in skip:
                continue
            cols = ", ".join(f'"{c}"' for c in rel.column_names if c != "seconds")
            out[rel.name] = con.execute(f'select {cols} from "{rel.name}" order by rowid').fetchall()
        return out
    finally:
        con.close()


def assert_same(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert len(a[name]) == len(b[name]), name
        assert a[name] == b[name], name


@pytest.fixture
def sample_copy(embedded_sample, tmp_path) -> Path:
    wh = tmp_path / "warehouse.duckdb"
    shutil.copy(embedded_sample[0], wh)
    return wh


def test_reanalyse_reproduces_the_build(embedded_sample, sample_copy) -> None:
    built = relations(embedded_sample[0])
    assert built["gender_tags"] and built["left_out_objectives"] and built["gender_budget"]
    assert main(["analyse", "--warehouse", str(sample_copy), "--overrides", str(sample_copy.parent / "none.csv")]) == 0
    assert_same(relations(sample_copy), built)


def test_batches_do_not_change_the_result(embedded_sample, sample_copy) -> None:
    """One municipality at a time: the same rows (relations stored batch after batch, so a
    relation like gender_tags lists each municipality's objectives, indicators, activities
    in turn instead of all objectives first; no query depends on stored order)."""
    reanalyse(sample_copy, None, batch=1)
    got, want = relations(sample_copy), relations(embedded_sample[0])
    assert got.keys() == want.keys()
    for name in want:
        assert sorted(map(repr, got[name])) == sorted(map(repr, want[name])), name


def test_worker_processes_give_the_serial_result(embedded_sample, tmp_path, monkeypatch) -> None:
    """``--jobs 2``: two worker processes analyse the batches (one municipality each here), this
    process writes them; every relation, in stored order, and the warnings are those of one
    process, and an override matched in a worker's batch is not reported as matching nothing."""
    import etl.analysis.warehouse as warehouse

    con = duckdb.connect(str(embedded_sample[0]), read_only=True)
    mid, key = con.execute("select municipality_id, item_key from gender_tags where item_kind = 'activity' "
                           "and marker = 0 and municipality_id = (select max(municipality_id) from municipalities) "
                           "order by item_key limit 1").fetchone()
    con.close()
    ov = tmp_path / "gender_overrides.csv"
    ov.write_text("municipality_id,item_kind,item_key,marker,note,date\n"
                  f"{mid},activity,{key},2,women's cooperative stand,2026-12-01\n"
                  f"{mid},activity,{mid}:1999:PH1:1,2,a typo,2026-12-01\n", encoding="utf-8")
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    for wh in (serial, parallel):
        shutil.copy(embedded_sample[0], wh)
    pools = []
    computed = warehouse._computed
    monkeypatch.setattr(warehouse, "_computed", lambda *a: pools.append(a[1]) or computed(*a))
    one = reanalyse(serial, ov, batch=1, jobs=1)
    assert pools == []
    two = reanalyse(parallel, ov, batch=1, jobs=2)
    assert pools == [2]  # the batches went to two worker processes
    got, want = relations(parallel), relations(serial)
    assert_same(got, want)
    assert sum("matches no item" in w for w in two.warnings) == 1 and two.warnings == one.warnings
    assert (2, "override") in {(r[4], r[6]) for r in got["gender_tags"] if r[2] == key}, "the override was applied"
    assert len({r[0] for r in got["gender_tags"]}) == 3 and got["peer_medians"]


def test_overrides_applied_and_undone(embedded_sample, sample_copy) -> None:
    con = duckdb.connect(str(sample_copy), read_only=True)
    mid, key, marker, total = con.execute(
        "select t.municipality_id, t.item_key, t.marker, g.total_budget from gender_tags t "
        "join activities a on a.activity_id = t.item_key "
        "join gender_budget g on g.municipality_id = a.municipality_id and g.year = a.year "
        "where t.item_kind = 'activity' and t.marker = 0 and a.total > 0 order by t.item_key limit 1").fetchone()
    con.close()
    ov = sample_copy.parent / "gender_overrides.csv"
    ov.write_text("municipality_id,item_kind,item_key,marker,note,date\n"
                  f"{mid},activity,{key},2,women's cooperative stand,2026-12-01\n"
                  f"{mid},activity,{mid}:1999:PH1:1,2,a typo,2026-12-01\n", encoding="utf-8")
    rep = reanalyse(sample_copy, ov)
    assert any("matches no item" in w for w in rep.warnings)
    con = duckdb.connect(str(sample_copy), read_only=True)
    tag = con.execute("select marker, tag_source, rule_marker from gender_tags where item_key = ?", [key]).fetchone()
    act = con.execute("select gender_marker, year, total from activities where activity_id = ?", [key]).fetchone()
    principal = con.execute("select principal_budget, total_budget from gender_budget where municipality_id = ? "
                            "and year = ?", [mid, act[1]]).fetchone()
    warnings = con.execute("select count(*) from validation_issues where check_name = 'analysis_user_files'").fetchone()
    con.close()
    assert tag == (2, "override", 0) and act[0] == 2
    assert principal[1] == total and principal[0] >= act[2] > 0
    assert warnings == (1,)
    ov.write_text("municipality_id,item_kind,item_key,marker,note,date\n", encoding="utf-8")
    reanalyse(sample_copy, ov)  # the edit undone: back to the build, the old warning gone
    assert_same(relations(sample_copy), relations(embedded_sample[0]))


def test_the_build_analyses_the_loaded_file_as_analyse_does_in_memory(embedded_sample) -> None:
    """The build loads the records first and analyses them back from the new file a batch at a
    time (etl.build.load_and_analyse); the result is what analyse() gives on every row at once."""
    con = duckdb.connect(str(embedded_sample[0]), read_only=True)
    rows = read_rows(con, TAGGED_RELATIONS + INPUT_RELATIONS)
    built = {name: read_rows(con, (name,))[name] for name in TAGGED_RELATIONS + ANALYSIS_RELATIONS}
    con.close()
    for name in TAGGED_RELATIONS:
        for r in rows[name]:
            r["gender_marker"] = None  # as extraction gives them
    analyse(rows, None)
    for name in TAGGED_RELATIONS + ANALYSIS_RELATIONS:
        # Through DuckDB, as the build's rows are: the same column types both sides.
        mem = duckdb.connect()
        mem.execute(next(r for r in RELATIONS if r.name == name).ddl())
        insert_rows(mem, name, rows[name])
        got = read_rows(mem, (name,))[name]
        mem.close()
        assert got == built[name] and len(got) > 0, name
    assert any(r["gender_marker"] for r in built["activities"])  # the markers the update set


def test_missing_warehouse_is_an_error(tmp_path, capsys) -> None:
    assert main(["analyse", "--warehouse", str(tmp_path / "nope.duckdb")]) == 2
    assert "build it first" in capsys.readouterr().err


def _replicated(rows: dict[str, list[dict]], copies: int) -> dict[str, list[dict]]:
    """The rows ``copies`` times, municipality ``m`` as ``m~0`` … (ids rewritten the way the build forms them)."""
    out: dict[str, list[dict]] = {}
    for name, part in rows.items():
        out[name] = []
        for i in range(copies):
            for r in part:
                r = copy.copy(r)
                for col in ("municipality_id", "document_id", "source_document_id", "sp_document_id", "activity_id"):
                    v = r.get(col)
                    if isinstance(v, str):
                        head, sep, tail = v.partition("/" if "document" in col else ":")
                        r[col] = f"{head}~{i}{sep}{tail}"
                out[name].append(r)
    return out


def test_replicated_municipalities_analyse_like_the_original(embedded_sample) -> None:
    """Analysing the sample 4 times over under new ids gives the sample's results 4 times over:
    nothing leaks between municipalities, whatever indexes the analysis builds."""
    con = duckdb.connect(str(embedded_sample[0]), read_only=True)
    rows = read_rows(con, TAGGED_RELATIONS + INPUT_RELATIONS)
    con.close()
    many = _replicated(rows, 4)
    analyse(rows, None)
    analyse(many, None)
    expected = _replicated({k: rows[k] for k in TAGGED_RELATIONS + ANALYSIS_RELATIONS}, 4)
    for name in TAGGED_RELATIONS + ANALYSIS_RELATIONS:
        want = expected[name]
        if name == "gender_tags":  # item_key of an activity is its activity_id
            for t in want:
                if t["item_kind"] == "activity":
                    head, _, tail = t["item_key"].partition(":")
                    t["item_key"] = f"{t['municipality_id']}:{tail}"
        got = many[name]
        assert len(got) == len(want) > 0, name
        assert sorted(map(repr, got)) == sorted(map(repr, want)), name


def test_build_on_a_local_dask_cluster_equals_jobs_1(tmp_path) -> None:
    pytest.importorskip("dask.distributed")
    raw = tmp_path / "raw" / "altinsogut"
    raw.mkdir(parents=True)
    src = REPO / "data" / "raw" / "altinsogut"
    for name in ("municipality.toml", "altinsogut_2020-2024_stratejik_plan.pdf",
                 "altinsogut_2022_performans_programi.pdf", "altinsogut_2022_faaliyet_raporu.pdf"):
        shutil.copy(src / name, raw / name)
    one, dask = tmp_path / "one.duckdb", tmp_path / "dask.duckdb"
    common = ["build", "--raw", str(raw.parent), "--no-cache", "--quiet", "--overrides", str(tmp_path / "none.csv")]
    assert main([*common, "--warehouse", str(one), "--jobs", "1"]) == 0
    assert main([*common, "--warehouse", str(dask), "--scheduler", "local", "--jobs", "2"]) == 0
    serial = relations(one)
    assert len(serial["documents"]) == 3 and serial["objectives"] and serial["activities"] and serial["gender_tags"]
    assert_same(relations(dask), serial)


def test_precomputed_page_figures_equal_the_sql_they_replace(embedded_sample) -> None:
    """gender_budget's shares and left_out_rate hold what the Compare page computed in SQL."""
    con = duckdb.connect(str(embedded_sample[0]), read_only=True)
    try:
        shares = con.execute(
            """select municipality_id, year, principal_share_pct, significant_share_pct,
                      round(100.0 * principal_budget / nullif(total_budget, 0), 2),
                      round(100.0 * significant_budget / nullif(total_budget, 0), 2)
               from gender_budget order by all""").fetchall()
        old = con.execute(
            """with plan as (select municipality_id, year, any_value(plan_start) as plan_start, count(*) as objectives
                             from objective_coverage group by all),
                    lo as (select municipality_id, year, count(*) as left_out,
                                  count(*) filter (where gender_marker > 0) as left_out_gender
                           from left_out_objectives group by all)
               select p.municipality_id, p.year, p.plan_start, p.objectives, coalesce(lo.left_out, 0),
                      coalesce(lo.left_out_gender, 0), round(100.0 * coalesce(lo.left_out, 0) / p.objectives, 2)
               from plan p left join lo using (municipality_id, year) order by all""").fetchall()
        new = con.execute("select municipality_id, year, plan_start, objectives, left_out, left_out_gender, "
                          "left_out_pct from left_out_rate order by all").fetchall()
    finally:
        con.close()
    assert len(shares) > 10 and all(r[2:4] == r[4:6] for r in shares), [r for r in shares if r[2:4] != r[4:6]]
    assert any(r[2] for r in shares) and any(r[3] for r in shares)
    assert len(new) > 10 and new == old and any(r[4] for r in new)
