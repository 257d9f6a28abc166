"""Tables and charts as files: CSV, XLSX, and the report pack (one workbook per selection)."""

from __future__ import annotations

import io
import re

import pandas as pd
import plotly.graph_objects as go
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.charts import ExportUnavailable, figure_bytes


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM so Excel opens Turkish letters correctly."""
    # Rounded to 6 decimals: sums of kuruş amounts carry float noise (9370015.620000001).
    return df.round(6).to_csv(index=False).encode("utf-8-sig")


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:28] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:25]} {n}", n + 1
    used.add(candidate)
    return candidate


def _write_sheet(ws, df: pd.DataFrame, title: str) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(list(df.columns))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in df.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else v for v in row])
    for j, col in enumerate(df.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200).tolist()])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 60)
    ws.freeze_panes = "A3"


def xlsx_bytes(tables: dict[str, pd.DataFrame], charts: dict[str, go.Figure] | None = None) -> bytes:
    """A workbook: one sheet per table (title row, bold headers, source columns as they are)
    and, when Chromium is available, one sheet per chart with its PNG."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, df in tables.items():
        _write_sheet(wb.create_sheet(_sheet_name(name, used)), df, name)
    for name, fig in (charts or {}).items():
        ws = wb.create_sheet(_sheet_name(f"Grafik {name}", used))
        ws.append([name])
        try:
            png = figure_bytes(fig, "png", width=1000, height=550)
        except ExportUnavailable:
            ws.append(["Chromium yok: grafik görüntüsü eklenemedi / no Chromium: chart image not included"])
            continue
        img = XlImage(io.BytesIO(png))
        img.width, img.height = 1000, 550
        ws.add_image(img, "A3")
    if not wb.sheetnames:
        wb.create_sheet("Boş")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
