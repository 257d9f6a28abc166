"""A table printed without ruling lines is found by the text-term page check and camelot's
hybrid fallback (real reportlab PDF, real camelot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from etl.build import build
from tests.conftest import read_relation

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _write_unruled_report(path: Path) -> None:
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("DejaVu", 14)
    c.drawString(72, 500, "T.C. DENEME BELEDİYESİ")
    c.drawString(72, 480, "2024 YILI FAALİYET RAPORU")
    c.showPage()
    c.setFont("DejaVu", 9)
    rows = [("Kod", "Performans Göstergesi", "Ölçü Birimi", "2024 Hedef", "2024 Gerçekleşme", "Gerçekleşme Oranı (%)"),
            ("PG1.1.1", "Kadın danışma merkezine başvuran kadın sayısı", "kişi", "1.140", "1.510", "132,46"),
            ("PG1.1.2", "Eğitim verilen personel sayısı", "kişi", "300", "240", "80,00"),
            ("PG1.1.3", "Ebeveyn izni kullanan erkek personel sayısı", "kişi", "12", "10", "83,33"),
            ("PG1.2.1", "Kreş sayısı", "adet", "4", "-", "")]
    y = 520
    for row in rows:
        for x, text in zip((40, 100, 360, 440, 520, 640), row, strict=True):
            c.drawString(x, y, text)
        y -= 16
    c.showPage()
    c.save()


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
def test_unruled_results_table_is_extracted(tmp_path):
    folder = tmp_path / "raw" / "deneme"
    folder.mkdir(parents=True)
    _write_unruled_report(folder / "rapor.pdf")
    report = build(tmp_path / "raw", tmp_path / "w.duckdb")
    assert report.documents[0]["status"] == "ok", report.documents[0]["message"]
    rows = {r["indicator_code"]: r for r in read_relation(tmp_path / "w.duckdb", "report_results")}
    assert rows["PG1.1.1"]["actual"] == 1510 and rows["PG1.1.1"]["published_rate_pct"] == 132.46
    assert rows["PG1.2.1"]["actual"] is None  # "-" means no value, never 0
    tables = read_relation(tmp_path / "w.duckdb", "extracted_tables")
    assert [t["flavor"] for t in tables] == ["text"]  # read by etl.unruled from the text layer
