"""Integration: real PDFs through the real camelot into a real DuckDB file, compared with
the exact ground truth relation by relation (codes, titles, numbers, pages)."""

from __future__ import annotations

import re

import duckdb

from tests.conftest import REPO, SHARED, read_relation
from tests.truth_compare import compare, load_truths


def test_shared_corpus_matches_truth_exactly(shared_corpus):
    warehouse, report = shared_corpus
    tally = compare(warehouse, load_truths(SHARED / "corpus" / "truth"))
    print("\nshared corpus accuracy\n" + tally.summary())
    assert len(tally.rows) > 20
    assert tally.failures() == {}


def _contract(doc: str) -> dict[str, list[str]]:
    """relation → columns, from the contract table of ../shared/docs/warehouse.md (not from etl.schema)."""
    out = {}
    for line in doc.splitlines():
        m = re.match(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", line)
        if m:
            cells = [re.sub(r"\s*\(.*", "", c).strip() for c in re.split(r",\s*(?![^(]*\))", m.group(2))]
            # Prose in the cell ("and, where the FR gives them, spent counterparts") is not a column.
            out[m.group(1)] = [c for c in cells if re.fullmatch(r"[a-z][a-z0-9_]*", c) and c != "and"]
    return out


def test_every_relation_of_the_contract_exists(shared_corpus):
    # The contract is the independent document, so a column dropped from etl.schema fails here
    # (comparing the warehouse with etl.schema, which created it, could not fail).
    warehouse, _ = shared_corpus
    contract = _contract((SHARED / "docs" / "warehouse.md").read_text(encoding="utf-8"))
    assert len(contract) >= 12 and "activity_id" in contract["activities"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for name, columns in contract.items():
            have = {r[0] for r in con.execute(f'describe "{name}"').fetchall()}
            assert set(columns) <= have, (name, set(columns) - have)
    finally:
        con.close()


def test_every_fact_row_is_traceable_to_a_page(shared_corpus):
    warehouse, _ = shared_corpus
    docs = {d["document_id"]: d for d in read_relation(warehouse, "documents")}
    for rel in ("goals", "objectives", "indicators", "indicator_values", "performance_goals",
                "activities", "budget_lines", "report_results"):
        rows = read_relation(warehouse, rel)
        assert rows, rel
        for r in rows:
            doc = docs[r["source_document_id"]]
            assert 1 <= r["source_page"] <= doc["page_count"], (rel, r)


def test_report_lists_every_document(shared_corpus):
    _, report = shared_corpus
    assert len(report.documents) == 16
    assert all(d["status"] == "ok" for d in report.documents), [d["message"] for d in report.documents]
    assert report.counts["activities"] > 300
    # The printed totals were checked and agree.
    assert [i for i in report.issues if i["severity"] == "error"] == []


def test_embedded_sample_matches_its_generator_truth(embedded_sample):
    warehouse, report = embedded_sample
    tally = compare(warehouse, load_truths(REPO / "etl" / "sample" / "truth"))
    print("\nembedded sample accuracy\n" + tally.summary())
    assert len(report.documents) == 33
    assert tally.failures() == {}


def test_unhelpful_file_names_are_detected_from_content(embedded_sample):
    warehouse, _ = embedded_sample
    docs = {d["file_name"]: d for d in read_relation(warehouse, "documents")}
    assert (docs["pp2023.pdf"]["doc_type"], docs["pp2023.pdf"]["year_start"]) == ("performance_program", 2023)
    assert (docs["belge_2025_04.pdf"]["doc_type"], docs["belge_2025_04.pdf"]["year_start"]) == ("activity_report", 2025)
    assert docs["pp2023.pdf"]["detection"].startswith("title on page")


def test_build_runs_the_analysis(shared_corpus):
    warehouse, _ = shared_corpus
    truths = {t["municipality_id"]: t for t in load_truths(SHARED / "corpus" / "truth")}
    left_out: dict[tuple, set] = {}
    for r in read_relation(warehouse, "left_out_objectives"):
        left_out.setdefault((r["municipality_id"], r["year"]), set()).add(r["objective_code"])
    budget = {(r["municipality_id"], r["year"]): r for r in read_relation(warehouse, "gender_budget")}
    for mid, truth in truths.items():
        for year, codes in truth["derived"]["left_out"].items():
            assert left_out.get((mid, int(year)), set()) == set(codes), (mid, year)
        for year, want in truth["derived"]["gender_budget"].items():
            got = budget[(mid, int(year))]
            assert abs(got["gender_share_pct"] - want["share_pct"]) <= 0.1
    markers = {r["gender_marker"] for r in read_relation(warehouse, "activities")}
    assert markers == {0, 1, 2}
