"""A 2,000-page document: only its few table pages go to camelot, and it loads."""

from __future__ import annotations

import time

import pypdfium2 as pdfium
import pytest

from etl.build import build
from tests.conftest import SHARED, read_relation

REPORT = SHARED / "corpus" / "yesilvadi" / "yesilvadi_2025_faaliyet_raporu.pdf"


def test_two_thousand_pages_with_few_tables(tmp_path):
    if not REPORT.exists():
        pytest.skip(f"{REPORT} not found")
    src = pdfium.PdfDocument(str(REPORT))
    out = pdfium.PdfDocument.new()
    out.import_pages(src)  # 14 real pages: title, narrative, tables
    narrative = 2  # page 3 of the report is prose only
    while len(out) < 2000:
        out.import_pages(src, [narrative])
    folder = tmp_path / "raw" / "yesilvadi"
    folder.mkdir(parents=True)
    out.save(str(folder / "buyuk_rapor.pdf"))
    src.close()
    out.close()
    t0 = time.perf_counter()
    report = build(tmp_path / "raw", tmp_path / "w.duckdb")
    seconds = time.perf_counter() - t0
    doc = report.documents[0]
    print(f"\n2000-page document: {seconds:.1f} s, {doc['table_pages']} pages given to camelot")
    assert doc["page_count"] == 2000 and doc["status"] == "ok"
    assert doc["table_pages"] < 20
    assert len(read_relation(tmp_path / "w.duckdb", "report_results")) == 56
