"""The files a reader downloads, opened as a reader's tools open them: CSV in both dialects, the
XLSX cells (formats, headers, sheet names, the Bilgi sheet), a chart PNG whose labels touch no edge,
a PDF whose metadata title is the chart's — and document text that looks like a formula stays text."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from app.charts import figure_bytes, pdf_with_title, themed
from app.export import Table, csv_bytes, labelled, sheet_name, xlsx_bytes
from app.ui import md_escape

HOSTILE = ["=HYPERLINK(\"http://x\",\"tıkla\")", "+1+2", "-3+4", "@SUM(A1)", "\tgizli", "Kadın Danışma Merkezi"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2024, 2025, 2025, 2026, 2026, 2026],
        "responsible_unit": HOSTILE,
        "principal": [387362904.9399998, 1250000.0, 0.0, 5.0, 160000000.0, 2.0],
        "share_pct": [15.3, 2.5, 0.0, 100.0, 7.25, 1.0],
        "ratio": [0.5, 1.25, 2.0, 3.5, 4.0, 0.1],
        "source_page": [8, 9, 10, 11, 12, 13],
    })


LABELS = {"year": "Yıl", "responsible_unit": "Sorumlu birim", "principal": "Temel (2) (TL)", "share_pct": "Pay (%)"}


def test_csv_excel_turkish_dialect_has_bom_semicolons_and_decimal_commas():
    data = csv_bytes(labelled(_frame(), LABELS), "excel-tr")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Yıl", "Sorumlu birim", "Temel (2) (TL)", "Pay (%)", "ratio", "source_page"]
    assert rows[1][2] == "387362904,94"  # float noise rounded, decimal comma
    assert rows[1][3] == "15,3"
    assert rows[1][0] == "2024"


def test_csv_plain_dialect_is_comma_and_point():
    data = csv_bytes(_frame(), "plain")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0][:3] == ["year", "responsible_unit", "principal"]
    assert rows[1][2] == "387362904.94"


@pytest.mark.parametrize("dialect", ["excel-tr", "plain"])
def test_csv_cells_that_would_be_formulas_are_text(dialect):
    data = csv_bytes(_frame(), dialect).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";" if dialect == "excel-tr" else ","))
    units = [r[1] for r in rows[1:]]
    assert units[:5] == ["'" + v for v in HOSTILE[:5]]
    assert units[5] == "Kadın Danışma Merkezi"  # ordinary text untouched
    # A header named by a document's value (a pivot on the SQL page) is text too.
    pivot = csv_bytes(pd.DataFrame({"=HYPERLINK(\"http://x\")": [1]}), dialect).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(pivot)))[0] == "'=HYPERLINK(\"http://x\")"


def test_xlsx_number_formats_headers_autofilter_and_formulas_neutralised():
    info = [("Ne", "Test"), ("Belediye", "=cmd|' /C calc'!A0")]
    data = xlsx_bytes([Table(_frame(), "Ilgınköy Belediyesi 2026 birimlere göre cinsiyete duyarlı bütçe", LABELS,
                             sheet="2026 birimlere göre cinsiyete duyarlı bütçe")], info=info)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "Bilgi"
    assert wb["Bilgi"]["B2"].value == "'=cmd|' /C calc'!A0"
    ws = wb.worksheets[1]
    assert len(ws.title) <= 31 and not ws.title.endswith(" c")  # cut at a word, not mid-word
    assert [c.value for c in ws[2]] == ["Yıl", "Sorumlu birim", "Temel (2) (TL)", "Pay (%)", "ratio", "source_page"]
    year, unit, money, pct, ratio, page = ws[3]
    assert year.value == 2024 and year.number_format == "0"
    assert unit.value == "'" + HOSTILE[0] and unit.data_type == "s"
    assert money.value == pytest.approx(387362904.94) and money.number_format == "#,##0.00"
    assert pct.value == pytest.approx(0.153) and pct.number_format == "0.00%"
    assert ratio.number_format == "#,##0.00"
    assert page.number_format == "0"
    assert ws["B5"].value == "'-3+4"
    assert ws.auto_filter.ref == "A2:F8"
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            assert not (isinstance(cell.value, str) and cell.value[:1] in "=+-@\t"), cell.value


def test_sheet_names_are_unique_readable_and_legal():
    used: set[str] = set()
    a = sheet_name("Ilgınköy Belediyesi 2024 faaliyetleri: kaynak [sayfa]", used)
    b = sheet_name("Ilgınköy Belediyesi 2024 faaliyetleri: kaynak [sayfa]", used)
    assert a != b and len(a) <= 31 and len(b) <= 31
    assert not set("[]:*?/\\") & set(a + b)


def test_markdown_escape_keeps_document_text_inert():
    text = md_escape("1. **Kalın** [tıkla](javascript:alert(1)) <img src=x> :red[kırmızı] $x$ `kod`")
    # Every character Markdown or Streamlit would read as markup is backslash-escaped.
    assert re.search(r"(?<!\\)[*\[\]<>`$]", text) is None, text
    assert "\\:red" in text
    assert text.startswith("1\\.")
    assert md_escape("Sorumlu birim: Fen İşleri") == "Sorumlu birim: Fen İşleri"  # plain text unchanged


def test_chart_labels_are_escaped_once():
    fig = go.Figure(go.Bar(x=["<b>Fen</b>", "A & B"], y=[1, 2], name="<i>x</i>"))
    fig.update_layout(title="<a href='http://x'>t</a>")
    themed(themed(fig))
    assert list(fig.data[0].x) == ["&lt;b&gt;Fen&lt;/b&gt;", "A &amp; B"]
    assert fig.data[0].name == "&lt;i&gt;x&lt;/i&gt;"
    assert "<a" not in fig.layout.title.text


needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium for kaleido")


def _money_chart() -> go.Figure:
    fig = go.Figure()
    fig.add_bar(x=["2022", "2023", "2024"], y=[160_000_000, 240_000_000, 330_000_000], name="Temel (2)")
    fig.update_layout(title="Ilgınköy Belediyesi · 2024: yıllara göre toplumsal cinsiyet bütçesi",
                      yaxis={"title": "Tutar (TL, cari fiyatlarla)", "tickformat": ",.0f"}, separators=",.")
    return themed(fig)


@needs_chromium
def test_png_export_keeps_every_label_inside_the_picture():
    from PIL import Image

    png = figure_bytes(_money_chart(), "png", footer="Kaynak: ilginkoy_2024_performans_programi.pdf · İzlek")
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    dark = image.point(lambda v: 255 if v < 128 else 0)

    def ink(box):
        return dark.crop(box).getbbox() is not None

    # A clipped label ("160.000.000" drawn as ".000.000") runs off the left edge; here nothing
    # touches any edge, yet the tick labels and axis title are drawn near it.
    assert not ink((0, 0, 6, height)) and not ink((width - 6, 0, width, height))
    assert not ink((0, 0, width, 4)) and not ink((0, height - 4, width, height))
    assert ink((6, 0, 200, height))
    # The source line is in the bottom strip.
    assert ink((0, height - 80, width, height - 4))


@needs_chromium
def test_pdf_export_has_the_chart_title_as_metadata_title():
    import pypdfium2 as pdfium

    title = "Ilgınköy Belediyesi · 2024: yıllara göre toplumsal cinsiyet bütçesi"
    pdf = figure_bytes(_money_chart(), "pdf", footer="Kaynak: x", title=title)
    doc = pdfium.PdfDocument(pdf)
    try:
        assert doc.get_metadata_dict()["Title"] == title
        assert len(doc) == 1
    finally:
        doc.close()


def test_pdf_title_leaves_a_file_without_a_classic_trailer_alone():
    assert pdf_with_title(b"%PDF-1.7 no trailer here", "x") == b"%PDF-1.7 no trailer here"


def _chromium_processes() -> list[str]:
    """Command lines of the Chromium processes under this one (kaleido's)."""
    import os

    kids: dict[int, list[int]] = {}
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                with open(f"/proc/{e}/stat", encoding="ascii", errors="replace") as fh:
                    kids.setdefault(int(fh.read().rsplit(")", 1)[1].split()[1]), []).append(int(e))
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], list(kids.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "/chromium" in cmd.split(" ", 1)[0]:
            out.append(cmd)
    return out


@needs_chromium
def test_kaleido_runs_one_lean_chromium_and_is_recycled_when_it_grows(monkeypatch):
    from app import charts

    # From the default state, whatever an earlier test left: no Chromium yet, the lean model.
    with charts._kaleido_lock:
        charts.stop_kaleido()
    monkeypatch.setattr(charts, "_lean_failed", False)
    monkeypatch.delenv(charts.CHROMIUM_FLAGS_ENV, raising=False)
    png = figure_bytes(_money_chart(), "png", footer="Kaynak: x")
    assert png.startswith(b"\x89PNG")
    # One process (no zygotes, renderers, GPU or network processes): what keeps the server's
    # tree under 1 GB for an export (bench/server_rss.py: 1.32 GB → 0.70 GB).
    (chromium,) = _chromium_processes()
    assert "--single-process" in chromium and "--no-zygote" in chromium
    assert charts.chromium_rss_mb() > 50
    monkeypatch.setattr(charts, "KALEIDO_MAX_MB", 1)
    assert figure_bytes(_money_chart(), "svg").lstrip().startswith(b"<svg")
    assert _chromium_processes() == [] and charts.chromium_rss_mb() == 0  # stopped after the export
    monkeypatch.undo()
    assert figure_bytes(_money_chart(), "pdf").startswith(b"%PDF")  # and started afresh for the next
    # After a one-process Chromium hung or died, the retry (and what follows) uses Chromium's own model.
    monkeypatch.delenv(charts.CHROMIUM_FLAGS_ENV, raising=False)
    monkeypatch.setattr(charts, "_lean_failed", True)
    assert charts.chromium_flags() == ()


@needs_chromium
def test_an_export_whose_chromium_cannot_start_fails_instead_of_hanging():
    # "--version" makes Chromium print and exit at once, as a browser that fails to start does;
    # kaleido's server thread then dies and, unguarded, every export waited on it forever.
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    script = ("import plotly.graph_objects as go\nfrom app.charts import ExportUnavailable, figure_bytes\n"
              "try:\n    figure_bytes(go.Figure(go.Bar(x=[1], y=[1])), 'png')\n    print('rendered')\n"
              "except ExportUnavailable as exc:\n    print('unavailable:', exc)\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "IZLEK_CHROMIUM_FLAGS": "--version", "PYTHONPATH": str(REPO)})
    assert proc.stdout.strip() == "unavailable: kaleido's Chromium stopped", (proc.stdout, proc.stderr[-2000:])
