"""A municipality's layout.toml fixes a layout İzlek does not know, without code (README:
"Fixing a new layout"). Real PDFs (reportlab, ruled tables) through the real camelot."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.extract import extract_document
from etl.layout_file import load_for

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")

# The worked example of the README: an economic table in words no tables.toml entry knows.
HEADER = ["Gider", "Tür", "Faal.", "G. Yön.", "Transfer", "Yekûn"]
LINES = [["01", "Personel Giderleri", "1.000,00", "2.000,00", "-", "3.000,00"],
         ["02", "SGK Devlet Primi Giderleri", "500,00", "250,00", "-", "750,00"],
         ["03", "Mal ve Hizmet Alım Giderleri", "4.000,00", "1.000,00", "-", "5.000,00"],
         ["05", "Cari Transferler", "0,00", "0,00", "700,00", "700,00"],
         ["", "Genel Toplam", "5.500,00", "3.250,00", "700,00", "9.450,00"]]
LAYOUT = """
[columns.pp_economic]
economic_code = ["gider"]
label = ["tür"]
activities = ["faal."]
general_admin = ["g. yön."]
transfers = ["transfer"]
total = ["yekûn"]

[match.pp_economic]
words = ["yekûn"]
"""


def _program(path: Path, caption: bool = False) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("t", fontName="DejaVu", fontSize=18)
    rows = ([["Tablo 4: Kaynak Dağılımı (TL)", "", "", "", "", ""]] if caption else []) + [HEADER] + LINES
    table = Table(rows)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 9),
                               ("GRID", (0, 0), (-1, -1), 0.6, colors.black)]))
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([Paragraph("Kuzeykent Belediyesi 2024 Yılı Performans Programı", style), PageBreak(), table])


def _economic_lines(result) -> dict[str, float]:
    return {b["economic_code"]: b["amount"] for b in result.records.get("budget_lines", [])}


def test_unknown_wording_is_reported_then_read_with_the_layout_file(tmp_path):
    folder = tmp_path / "kuzeykent"
    folder.mkdir()
    pdf = folder / "2024 Performans Programı.pdf"
    _program(pdf)
    before = extract_document(pdf, "kuzeykent")
    assert _economic_lines(before) == {}
    unread = [i for i in before.records["validation_issues"] if i["check_name"] == "table_not_recognised"]
    assert [i["source_page"] for i in unread] == [2] and "Gider | Tür" in unread[0]["message"]
    assert "layout file" in before.document["message"]  # the message says how to fix it

    (folder / "layout.toml").write_text(LAYOUT, encoding="utf-8")
    after = extract_document(pdf, "kuzeykent")
    assert _economic_lines(after) == {"01": 3000.0, "02": 750.0, "03": 5000.0, "05": 700.0}
    parts = {(p["economic_code"], p["part"]): p["amount"] for p in after.records["program_budget_parts"]}
    assert parts[("01", "general_admin")] == 2000.0 and parts[("05", "transfers")] == 700.0
    assert parts[("01", "transfers")] == 0.0  # "-" in a line that adds up is zero
    assert not [i for i in after.records["validation_issues"] if i["check_name"] == "layout_file"]


def test_a_pinned_table_with_its_header_row(tmp_path):
    folder = tmp_path / "kuzeykent"
    folder.mkdir()
    pdf = folder / "2024 Performans Programı.pdf"
    _program(pdf, caption=True)
    (folder / "layout.toml").write_text(LAYOUT.split("[match")[0] + """
[[tables]]
file = "2024 Performans Programı.pdf"
page = 2
kind = "pp_economic"
header_row = 2
""", encoding="utf-8")
    result = extract_document(pdf, "kuzeykent")
    assert _economic_lines(result)["03"] == 5000.0
    assert [t["kind"] for t in result.tables if t["page"] == 2] == ["pp_economic"]


def test_mistakes_in_the_layout_file_are_findings_with_the_fix(tmp_path):
    folder = tmp_path / "kuzeykent"
    folder.mkdir()
    pdf = folder / "2024 Performans Programı.pdf"
    _program(pdf)
    (folder / "layout.toml").write_text("""
[columns.pp_economy]
total = ["yekûn"]
[columns.pp_economic]
sum = ["yekûn"]
[[tables]]
page = "two"
kind = "pp_economic"
""", encoding="utf-8")
    layout = load_for(pdf)
    assert len(layout.problems) == 3
    assert any("pp_economy" in p and "pp_economic" in p for p in layout.problems)  # says what exists
    result = extract_document(pdf, "kuzeykent")
    found = [i for i in result.records["validation_issues"] if i["check_name"] == "layout_file"]
    assert len(found) == 3 and all(i["severity"] == "error" for i in found)
    assert result.document["status"] != "ok"


def test_no_layout_file_changes_nothing(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"")
    assert load_for(pdf) is None
