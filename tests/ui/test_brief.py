"""The municipality brief (issue item 5): ``python -m app.brief`` on the sample warehouse, the
files opened with their own readers (python-docx, pypdfium2), and the Overview's buttons."""

from __future__ import annotations

import io
import subprocess
import sys

import docx
import duckdb
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from app.charts import chromium_path
from tests.conftest import REPO, run_page


def _cli(warehouse, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.brief", "--warehouse", str(warehouse), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def briefs(sample_warehouse, tmp_path_factory):
    """The 2024 brief of Ilgınköy as DOCX (Turkish) and PDF (English), made by the command line."""
    out = tmp_path_factory.mktemp("brief")
    made = {}
    for name, lang in (("ilginkoy-2024.docx", "tr"), ("ilginkoy-2024.pdf", "en")):
        run = _cli(sample_warehouse, "--municipality", "ilginkoy", "--year", "2024", "--out", str(out / name),
                   "--lang", lang)
        assert run.returncode == 0, run.stderr
        assert "3 chart images" in run.stdout or chromium_path() is None, run.stdout
        made[name.rsplit(".", 1)[1]] = (out / name).read_bytes()
    return made


def _facts(warehouse) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            "total": con.execute("select total_budget from gender_budget where municipality_id = 'ilginkoy' "
                                 "and year = 2024").fetchone()[0],
            "left_out": sorted(r[0] for r in con.execute(
                "select objective_code from left_out_objectives where municipality_id = 'ilginkoy' and year = 2024")
                .fetchall()),
            "pages": dict(con.execute("select file_name, page_count from documents where municipality_id = 'ilginkoy'")
                          .fetchall()),
            "score": con.execute("select score from gender_scorecard where municipality_id = 'ilginkoy' "
                                 "and plan_start = 2020").fetchone()[0],
        }
    finally:
        con.close()


def test_docx_brief_has_charts_left_out_scorecard_definitions_and_sources(briefs, sample_warehouse):
    facts = _facts(sample_warehouse)
    document = docx.Document(io.BytesIO(briefs["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Ilgınköy Belediyesi: 2024 özeti"
    for h in ("Başlıca rakamlar", "Grafikler", "2024 programına alınmayan hedefler",
              "Cinsiyet eşitliği karnesi: 2020–2024 stratejik planı", "Tanımlar", "Kaynak belgeler"):
        assert h in headings, headings
    text = [p.text for p in document.paragraphs]
    # Three charts, each a picture (or, without Chromium, its figures) followed by its source line.
    sources = [t for t in text if t.startswith("Kaynak: ")]
    assert len(sources) == 3 and all(" (s. " in s for s in sources), sources
    if chromium_path():
        assert len(document.inline_shapes) == 3
        for shape in document.inline_shapes:  # real PNGs, drawn at the export size
            blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
            assert document.part.related_parts[blip].blob[:8] == b"\x89PNG\r\n\x1a\n"
    def table(first: str):
        return next(t for t in document.tables if t.rows[0].cells[0].text == first)

    headline, left_out, scorecard, listed = table("Rakam"), table("Kod"), table("Soru"), table("Belge")
    rows = {r.cells[0].text: r.cells[1].text for r in headline.rows}
    assert rows["2024 programının toplam kaynak ihtiyacı"] == f"{facts['total']:,.0f} TL".replace(",", ".")
    assert sorted(r.cells[0].text for r in left_out.rows[1:]) == facts["left_out"]
    assert len(scorecard.rows) == 7 and f"Puan: {facts['score']:.1f}".replace(".", ",") in "\n".join(text)
    # The source list: every file a page of the brief rests on, each page within the document.
    assert [c.text for c in listed.rows[0].cells] == ["Belge", "Tür", "Yıl(lar)", "Özetin dayandığı sayfalar"]
    files = {r.cells[0].text: r.cells[3].text for r in listed.rows[1:]}
    assert "ilginkoy_2024_performans_programi.pdf" in files and "ilginkoy_2024_faaliyet_raporu.pdf" in files
    for name, pages in files.items():
        last = max(int(part.split("–")[-1]) for part in pages.split(", "))
        assert 1 <= last <= facts["pages"][name], (name, pages)


def test_pdf_brief_is_text_with_three_chart_images(briefs, sample_warehouse):
    facts = _facts(sample_warehouse)
    pdf = pdfium.PdfDocument(briefs["pdf"])
    try:
        text, images = "", 0
        for i in range(len(pdf)):
            page = pdf[i]
            text += page.get_textpage().get_text_range() + "\n"
            images += sum(1 for o in page.get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE)
        title = pdf.get_metadata_dict().get("Title")
    finally:
        pdf.close()
    flat = " ".join(text.split())
    assert title == "Ilgınköy Belediyesi: 2024 brief"
    for h in ("Headline figures", "Objectives left out of 2024", "Gender-equality scorecard: the 2020–2024",
              "Definitions", "Source documents", "ilginkoy_2024_faaliyet_raporu.pdf"):
        assert h in flat, h
    assert flat.count("Source: ") >= 3 and f"{facts['total']:,.0f} TL" in flat
    assert all(code in flat for code in facts["left_out"])
    assert images == (3 if chromium_path() else 0)


def test_cli_refuses_what_it_cannot_make(sample_warehouse, tmp_path):
    nowhere = _cli(sample_warehouse, "--municipality", "nowhere", "--year", "2024", "--out", str(tmp_path / "a.docx"))
    assert nowhere.returncode == 2 and "nowhere" in nowhere.stderr
    year = _cli(sample_warehouse, "--municipality", "ilginkoy", "--year", "1999", "--out", str(tmp_path / "a.docx"))
    assert year.returncode == 2 and "program years: 2022" in year.stderr
    suffix = _cli(sample_warehouse, "--municipality", "ilginkoy", "--year", "2024", "--out", str(tmp_path / "a.odt"))
    assert suffix.returncode == 2 and ".docx or .pdf" in suffix.stderr
    assert not list(tmp_path.iterdir())


def test_overview_offers_the_brief_for_each_program_year(sample_warehouse):
    at = run_page("overview.py", {"m": "ilginkoy"}, deep_link=True)
    assert not at.exception, at.exception
    assert at.selectbox(key="brief_y").options == ["2026", "2025", "2024", "2023", "2022"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Özet (Word)" in labels and "Özet (PDF)" in labels
