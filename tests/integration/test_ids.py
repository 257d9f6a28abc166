"""Content-based activity ids: an inserted activity moves no other id; old files migrate once."""

from __future__ import annotations

import shutil

import duckdb

from etl import ids, usercsv
from etl.build import build
from tests.conftest import REPO, read_relation

SAMPLE_PP = REPO / "data" / "raw" / "ilginkoy" / "ilginkoy_2024_performans_programi.pdf"


def _act(name: str, code: str | None = None, ph: str = "PH1.1") -> dict:
    return {"municipality_id": "m", "year": 2024, "performance_goal_code": ph, "printed_code": code,
            "activity_name": name}


def _ids(acts: list[dict]) -> list[str]:
    rows = [{**a, "activity_id": ids.activity_id(a["municipality_id"], a["year"], a["performance_goal_code"],
                                                 a["printed_code"], a["activity_name"])} for a in acts]
    ids.dedupe(rows)
    return [r["activity_id"] for r in rows]


def _built_program(tmp_path):
    """A warehouse built from one sample program, and its activities."""
    raw = tmp_path / "raw" / "ilginkoy"
    raw.mkdir(parents=True)
    shutil.copy(SAMPLE_PP, raw / SAMPLE_PP.name)
    wh = tmp_path / "w.duckdb"
    build(tmp_path / "raw", wh)
    return wh, read_relation(wh, "activities")


def test_inserting_an_activity_moves_no_other_id():
    before = _ids([_act("Kadın Danışma Merkezi"), _act("Kreş Açılması"), _act("Park Yapımı")])
    after = _ids([_act("Kadın Danışma Merkezi"), _act("Yeni Faaliyet"), _act("Kreş Açılması"), _act("Park Yapımı")])
    assert set(before) <= set(after)
    assert before[0] == "m:2024:PH1.1:kadin-danisma-merkezi"


def test_names_win_over_counters_and_duplicates_are_numbered_in_table_order():
    # Printed "1", "2"… are positions: renumbered when one is inserted, so the name decides.
    assert _ids([_act("Kreş", "1")]) == _ids([_act("Kreş", "2")]) == ["m:2024:PH1.1:kres"]
    assert _ids([_act("", "1.2.3")]) == ["m:2024:PH1.1:kod-1-2-3"]
    assert _ids([_act("Eğitim"), _act("EĞİTİM")]) == ["m:2024:PH1.1:egitim", "m:2024:PH1.1:egitim~2"]
    long = ids.activity_id("m", 2024, "PH1", None, "çok " * 40)
    assert len(long) < 100 and long != ids.activity_id("m", 2024, "PH1", None, "çok " * 41)


def test_positional_override_keys_are_migrated_once_by_the_build(tmp_path):
    wh, acts = _built_program(tmp_path)
    target = acts[3]
    # Make it the warehouse the old code wrote: positional ids <municipality>:<year>:<PH>:<n>.
    con = duckdb.connect(str(wh))
    n: dict[str, int] = {}
    for a in acts:
        n[a["performance_goal_code"]] = n.get(a["performance_goal_code"], 0) + 1
        a["old"] = f"ilginkoy:2024:{a['performance_goal_code']}:{n[a['performance_goal_code']]}"
        con.execute("update activities set activity_id = ? where activity_id = ?", [a["old"], a["activity_id"]])
    con.close()
    overrides = tmp_path / "gender_overrides.csv"
    overrides.write_text("municipality_id,item_kind,item_key,marker,note,date\n"
                         f"ilginkoy,activity,{target['old']},2,by hand,2026-01-01\n", encoding="utf-8")
    report = build(tmp_path / "raw", wh, overrides_path=overrides)
    assert usercsv.read(overrides).rows[0]["item_key"] == target["activity_id"]
    assert any("migrated to content-based ids" in i["message"] for i in report.issues)
    tags = {t["item_key"]: t for t in read_relation(wh, "gender_tags") if t["item_kind"] == "activity"}
    assert tags[target["activity_id"]]["tag_source"] == "override" and tags[target["activity_id"]]["marker"] == 2
    assert list((tmp_path / "backups").iterdir())  # the file before the migration is kept
    # The migrated row now carries the activity's name: were the id to point at another activity
    # later, the override is reported, not applied.
    row = usercsv.read(overrides).rows[0]
    assert row["item_name"] == target["activity_name"]
    other = acts[4]
    text = overrides.read_text(encoding="utf-8").replace(target["activity_id"], other["activity_id"])
    overrides.write_text(text, encoding="utf-8")
    report = build(tmp_path / "raw", wh, overrides_path=overrides)
    assert any("not applied" in i["message"] and str(overrides) in i["message"] for i in report.issues)
    tags = {t["item_key"]: t for t in read_relation(wh, "gender_tags") if t["item_kind"] == "activity"}
    assert tags[other["activity_id"]]["tag_source"] == "rule"


def test_analyse_reports_an_override_whose_item_was_renamed_like_the_build(tmp_path, capsys):
    from etl.__main__ import main

    wh, acts = _built_program(tmp_path)
    moved, kept = acts[2], acts[5]
    overrides = tmp_path / "gender_overrides.csv"
    overrides.write_text(
        "municipality_id,item_kind,item_key,marker,note,date,item_name\n"
        f"ilginkoy,activity,{moved['activity_id']},2,by hand,2026-01-01,Başka bir faaliyetin adı\n"
        f"ilginkoy,activity,{kept['activity_id']},2,by hand,2026-01-01,{kept['activity_name'].replace(' ', ' - ')}.\n",
        encoding="utf-8")
    assert main(["analyse", "--warehouse", str(wh), "--overrides", str(overrides)]) == 0
    out = capsys.readouterr().out
    tags = {t["item_key"]: t for t in read_relation(wh, "gender_tags") if t["item_kind"] == "activity"}
    assert tags[moved["activity_id"]]["tag_source"] == "rule"  # reported, not applied
    assert tags[kept["activity_id"]]["tag_source"] == "override"  # the same name, punctuated otherwise: applied
    stored = [i["message"] for i in read_relation(wh, "validation_issues") if "not applied" in i["message"]]
    assert len(stored) == 1 and moved["activity_id"] in stored[0] and str(overrides) in stored[0]
    assert stored[0] in out and "izlek-overrides-" not in out  # the user's file is named, not the filtered copy
    # The build says the same about the same row (one function for both).
    report = build(tmp_path / "raw", wh, overrides_path=overrides)
    assert [i["message"] for i in report.issues if "not applied" in i["message"]] == stored
