"""Bad input gets a clear, actionable message and loses nothing else."""

from __future__ import annotations

import io
import shutil

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from etl.__main__ import main
from etl.build import build
from tests.conftest import SHARED, read_relation

GOOD = SHARED / "corpus" / "yesilvadi" / "yesilvadi_2025_faaliyet_raporu.pdf"


def _pdf(draw) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def messy_build(tmp_path_factory):
    if not GOOD.exists():
        pytest.skip(f"{GOOD} not found")
    raw = tmp_path_factory.mktemp("messy") / "raw"
    folder = raw / "yesilvadi"
    folder.mkdir(parents=True)
    shutil.copy(GOOD, folder / GOOD.name)
    shutil.copy(GOOD, folder / "zz_kopya.pdf")  # the same file under a second name
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    (folder / "truncated.pdf").write_bytes(GOOD.read_bytes()[:4000])
    (folder / "decree.pdf").write_bytes(_pdf(lambda c: (c.drawString(72, 760, "T.C. YESILVADI BELEDIYESI"),
                                                         c.drawString(72, 740, "2025 Mali Yili Butce Kararnamesi"))))
    (folder / "scan.pdf").write_bytes(_pdf(lambda c: c.rect(50, 50, 400, 600, fill=1)))
    (folder / "municipality.toml").write_text('name = "Yeşilvadi Belediyesi"\nkind = "town"\npopulation = 182436\n',
                                              encoding="utf-8")
    wh = raw.parent / "warehouse.duckdb"
    report = build(raw, wh)
    return wh, {d["file_name"]: d for d in report.documents}, report


def test_good_document_still_loads(messy_build):
    wh, docs, _ = messy_build
    assert docs[GOOD.name]["status"] == "ok"
    rows = read_relation(wh, "report_results")
    assert len(rows) == 56 and {r["source_document_id"] for r in rows} == {f"yesilvadi/{GOOD.name}"}


@pytest.mark.parametrize("file_name, words", [
    ("empty.pdf", ["empty", "0 bytes"]),
    ("image.pdf", ["PNG image", "named .pdf"]),
    ("truncated.pdf", ["damaged or truncated", "Download"]),
    ("decree.pdf", ["not recognised", "Stratejik Plan"]),
    ("scan.pdf", ["scanned document, needs OCR"]),
    ("zz_kopya.pdf", ["same file as", GOOD.name]),
])
def test_each_bad_file_fails_with_an_actionable_message(messy_build, file_name, words):
    _, docs, _ = messy_build
    d = docs[file_name]
    assert d["status"] == "failed"
    for w in words:
        assert w in d["message"], d["message"]


def test_bad_metadata_is_reported_not_fatal(messy_build):
    wh, _, report = messy_build
    muni = read_relation(wh, "municipalities")[0]
    assert muni["population"] == 182436 and muni["kind"] is None
    assert any("kind must be one of" in i["message"] for i in report.issues)


def test_cli_exit_codes(tmp_path, capsys):
    assert main(["build", "--raw", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err
    raw = tmp_path / "raw" / "x"
    raw.mkdir(parents=True)
    (raw / "broken.pdf").write_bytes(b"")
    # A warehouse is written even when every document failed: exit 0, documents row present.
    assert main(["build", "--raw", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "w.duckdb"), "--quiet"]) == 0
    assert read_relation(tmp_path / "w.duckdb", "documents")[0]["status"] == "failed"


def test_rebuild_replaces_the_warehouse_atomically(tmp_path):
    raw = tmp_path / "raw" / "a"
    raw.mkdir(parents=True)
    wh = tmp_path / "w.duckdb"
    (raw / "broken.pdf").write_bytes(b"x")
    build(tmp_path / "raw", wh)
    assert len(read_relation(wh, "documents")) == 1
    (raw / "other.pdf").write_bytes(b"y")
    build(tmp_path / "raw", wh)
    assert len(read_relation(wh, "documents")) == 2
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    for opt in ("--raw", "--warehouse", "--jobs", "--cache", "--no-cache"):
        assert opt in out


def test_parallel_build_is_identical_to_serial(tmp_path):
    src = SHARED / "corpus" / "yesilvadi"
    if not src.is_dir():
        pytest.skip("shared corpus absent")
    raw = tmp_path / "raw" / "yesilvadi"
    raw.mkdir(parents=True)
    for f in sorted(src.glob("*_2025_*.pdf")):
        shutil.copy(f, raw / f.name)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    build(tmp_path / "raw", one, jobs=1)
    build(tmp_path / "raw", two, jobs=2)
    for rel in ("indicator_values", "activities", "budget_lines", "report_results"):
        assert read_relation(one, rel) == read_relation(two, rel), rel


def test_cache_reuses_unchanged_documents(tmp_path):
    if not GOOD.exists():
        pytest.skip(f"{GOOD} not found")
    raw = tmp_path / "raw" / "yesilvadi"
    raw.mkdir(parents=True)
    shutil.copy(GOOD, raw / GOOD.name)
    cache = tmp_path / "cache"
    first = build(tmp_path / "raw", tmp_path / "a.duckdb", cache_dir=cache)
    shutil.copy(GOOD, raw / "renamed.pdf")
    (raw / GOOD.name).unlink()
    second = build(tmp_path / "raw", tmp_path / "b.duckdb", cache_dir=cache)
    assert first.cached == 0 and second.cached == 1
    rows = read_relation(tmp_path / "b.duckdb", "report_results")
    assert rows and {r["source_document_id"] for r in rows} == {"yesilvadi/renamed.pdf"}


def test_two_documents_claiming_the_same_slot_keep_both_rows_and_one_winner(tmp_path):
    src = SHARED / "corpus" / "yesilvadi"
    if not src.is_dir():
        pytest.skip("shared corpus absent")
    raw = tmp_path / "raw" / "yesilvadi"
    raw.mkdir(parents=True)
    shutil.copy(src / "yesilvadi_2025_faaliyet_raporu.pdf", raw / "a_fr_2025.pdf")
    # Another 2025 activity report of the same municipality with other bytes: a revised edition.
    doc = pdfium.PdfDocument(str(src / "yesilvadi_2025_faaliyet_raporu.pdf"))
    doc.del_page(len(doc) - 1)  # different bytes, same title page: same slot
    doc.save(str(raw / "b_fr_2025_revize.pdf"))
    doc.close()
    report = build(tmp_path / "raw", tmp_path / "w.duckdb")
    docs = {d["file_name"]: d for d in report.documents}
    assert docs["a_fr_2025.pdf"]["status"] == "ok"
    loser = docs["b_fr_2025_revize.pdf"]
    assert loser["status"] == "partial" and "a_fr_2025.pdf" in loser["message"]
    ids = {r["source_document_id"] for r in read_relation(tmp_path / "w.duckdb", "report_results")}
    assert ids == {"yesilvadi/a_fr_2025.pdf"}


def test_changing_one_pdf_re_extracts_only_that_one(tmp_path):
    src = SHARED / "corpus" / "yesilvadi"
    if not src.is_dir():
        pytest.skip("shared corpus absent")
    raw = tmp_path / "raw" / "yesilvadi"
    raw.mkdir(parents=True)
    for f in ("yesilvadi_2025_faaliyet_raporu.pdf", "yesilvadi_2024_faaliyet_raporu.pdf"):
        shutil.copy(src / f, raw / f)
    cache = tmp_path / "cache"
    build(tmp_path / "raw", tmp_path / "a.duckdb", cache_dir=cache)
    with open(raw / "yesilvadi_2024_faaliyet_raporu.pdf", "ab") as fh:
        fh.write(b"\n% appended comment: new bytes, same document\n")
    second = build(tmp_path / "raw", tmp_path / "b.duckdb", cache_dir=cache)
    from_cache = {d["file_name"]: bool(d.get("from_cache")) for d in second.documents}
    assert from_cache == {"yesilvadi_2025_faaliyet_raporu.pdf": True, "yesilvadi_2024_faaliyet_raporu.pdf": False}


def test_nothing_changed_means_nothing_to_do_and_an_override_means_rebuild(tmp_path):
    if not GOOD.exists():
        pytest.skip(f"{GOOD} not found")
    raw = tmp_path / "raw" / "yesilvadi"
    raw.mkdir(parents=True)
    shutil.copy(GOOD, raw / GOOD.name)
    overrides = tmp_path / "gender_overrides.csv"
    overrides.write_text("municipality_id,item_kind,item_key,marker,note,date\n", encoding="utf-8")
    kw = {"cache_dir": tmp_path / "cache", "overrides_path": overrides}
    first = build(tmp_path / "raw", tmp_path / "w.duckdb", **kw)
    again = build(tmp_path / "raw", tmp_path / "w.duckdb", **kw)
    assert not first.up_to_date and again.up_to_date and again.counts == first.counts
    overrides.write_text(overrides.read_text() + "yesilvadi,activity,x,2,test,2026-11-26\n", encoding="utf-8")
    assert not build(tmp_path / "raw", tmp_path / "w.duckdb", **kw).up_to_date
    (tmp_path / "w.duckdb").unlink()  # a missing (or replaced) warehouse is rebuilt too
    assert not build(tmp_path / "raw", tmp_path / "w.duckdb", **kw).up_to_date
