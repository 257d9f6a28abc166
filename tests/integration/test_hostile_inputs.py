"""Encrypted PDFs, capitals with a plain "I", garbage in number cells (real PDFs, real camelot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from etl.build import build
from tests.conftest import read_relation

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")


def _report(path: Path, rows: list[tuple[str, ...]], title: str = "2024 YILI FAALİYET RAPORU",
            encrypt: pdfencrypt.StandardEncryption | None = None) -> None:
    """A two-page activity report: title page, then one ruled results table."""
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), encrypt=encrypt)
    c.setFont("DejaVu", 12)
    c.drawString(72, 760, "T.C. DENEME BELEDİYESİ")
    c.drawString(72, 740, title)
    c.showPage()
    c.setFont("DejaVu", 8)
    header = ("Kod", "Performans Göstergesi", "Ölçü Birimi", "2024 Hedef", "2024 Gerçekleşme", "Oran (%)")
    xs, top = [40, 90, 260, 330, 400, 480, 540], 700
    for i, row in enumerate([header, *rows]):
        for x, text in zip(xs, row, strict=False):
            c.drawString(x + 2, top - i * 20 - 14, text)
    for i in range(len(rows) + 2):
        c.line(xs[0], top - i * 20, xs[-1], top - i * 20)
    for x in xs:
        c.line(x, top, x, top - 20 * (len(rows) + 1))
    c.showPage()
    c.save()


def _build_one(tmp_path: Path, write) -> tuple[dict, Path]:
    folder = tmp_path / "raw" / "deneme"
    folder.mkdir(parents=True)
    write(folder / "rapor.pdf")
    wh = tmp_path / "w.duckdb"
    report = build(tmp_path / "raw", wh)
    return report.documents[0], wh


def test_user_password_gives_an_actionable_message(tmp_path):
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner")
    doc, _ = _build_one(tmp_path, lambda p: _report(p, [("PG1.1.1", "Kadın sayısı", "kişi", "100", "90", "90,00")],
                                                    encrypt=enc))
    assert doc["status"] == "failed" and "encrypted with a password" in doc["message"]


def test_copy_protection_gives_an_actionable_message(tmp_path):
    enc = pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0)
    doc, _ = _build_one(tmp_path, lambda p: _report(p, [("PG1.1.1", "Kadın sayısı", "kişi", "100", "90", "90,00")],
                                                    encrypt=enc))
    assert doc["status"] == "failed" and "protected against copying text" in doc["message"]


def test_title_in_capitals_with_plain_i_is_recognised(tmp_path):
    doc, wh = _build_one(tmp_path, lambda p: _report(p, [("PG1.1.1", "Kadın sayısı", "kişi", "100", "90", "90,00")],
                                                     title="2024 YILI FAALIYET RAPORU"))
    assert (doc["doc_type"], doc["year_start"], doc["status"]) == ("activity_report", 2024, "ok")
    assert read_relation(wh, "report_results")[0]["actual"] == 90


def test_garbage_in_number_cells_becomes_null_and_a_finding(tmp_path):
    rows = [("PG1.1.1", "Kadın sayısı", "kişi", "yüz", "90", "90,00"),
            ("PG1.1.2", "Erkek sayısı", "kişi", "100", "12 13", "??")]
    doc, wh = _build_one(tmp_path, lambda p: _report(p, rows))
    # Loaded, but partial: unread figures are something a person must look at (etl.completeness).
    assert doc["status"] == "partial" and "figures could not be read as numbers" in doc["message"], doc
    got = {r["indicator_code"]: r for r in read_relation(wh, "report_results")}
    assert got["PG1.1.1"]["target"] is None and got["PG1.1.1"]["target_raw"] == "yüz"
    assert got["PG1.1.2"]["actual"] is None and got["PG1.1.2"]["actual_raw"] == "12 13"
    findings = [i["message"] for i in read_relation(wh, "validation_issues") if i["check_name"] == "unparsed_number"]
    assert any("'yüz'" in m for m in findings) and any("'12 13'" in m for m in findings)
