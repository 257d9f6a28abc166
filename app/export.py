"""Tables and charts as files: CSV in two dialects, XLSX, and the report pack (one workbook per view).

Everything a document said is data here: a text cell that a spreadsheet would read as a formula
(it starts with ``= + - @``, a tab or a carriage return) is written with a leading apostrophe,
in every file this module makes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.charts import ExportUnavailable, figure_bytes

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Raw column names whose numbers are years, pages or counts of things: no thousands separator.
_PLAIN_INT = re.compile(r"(^|_)(year|years|page|pages|plan_start|plan_end|year_start|year_end|table_order|"
                        r"marker|gender_marker|n_rows|n_cols|last_page|price_base_year)$")
_EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralised(value: object) -> object:
    """A text cell that could start a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _inert(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    # Headers too: a pivot (the SQL page) names columns by values a document printed.
    out.columns = [neutralised(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralised)
    return out


def labelled(df: pd.DataFrame, labels: Mapping[str, str] | None) -> pd.DataFrame:
    """``df`` with the column headers readers see (translated, with units); unknown names stay."""
    if not labels:
        return df
    out = df.rename(columns={c: labels[c] for c in df.columns if labels.get(c)})
    # Two raw columns with one label would be ambiguous in a file: keep the raw name on the second.
    seen: set[str] = set()
    cols = []
    for raw, new in zip(df.columns, out.columns, strict=True):
        cols.append(new if new not in seen else f"{new} ({raw})")
        seen.add(cols[-1])
    out.columns = cols
    return out


def csv_bytes(df: pd.DataFrame, dialect: str = "excel-tr") -> bytes:
    """CSV in one of two dialects.

    ``excel-tr``: what Excel in Turkish opens by double-click — ``;`` between fields, ``,`` as the
    decimal mark, UTF-8 with a BOM. ``plain``: UTF-8 without BOM, ``,`` and ``.`` (for R, pandas).
    """
    # Rounded to 6 decimals: sums of kuruş amounts carry float noise (9370015.620000001).
    body = _inert(df).round(6)
    if dialect == "excel-tr":
        return body.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return body.to_csv(index=False).encode("utf-8")


def sheet_name(name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, no ``[]:*?/\\``), cut at a word, unique."""
    base = " ".join(re.sub(r"[\[\]:*?/\\']", " ", name).split()) or "Tablo"
    if len(base) > 31:
        cut = base[:31].rsplit(" ", 1)[0]
        base = cut if len(cut) >= 12 else base[:31]
    candidate, n = base, 2
    while candidate.casefold() in {u.casefold() for u in used}:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
    used.add(candidate)
    return candidate


def looks_like_years(series: pd.Series) -> bool:
    """Whole numbers between 1990 and 2100 only: a year column under a translated header ("Yıl")."""
    values = pd.to_numeric(series, errors="coerce").dropna()
    return bool(len(values)) and bool((values.round(0) == values).all()) and bool(values.between(1990, 2100).all())


def number_format(raw_name: str, series: pd.Series) -> str | None:
    """Excel number format for a column: years and pages plain, money #.##0, rates %, other decimals #.##0,00."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    if _PLAIN_INT.search(raw_name) or looks_like_years(series):
        return "0"
    if raw_name.endswith("_pct") or raw_name in {"share", "rate"}:
        return "0.00%"
    values = series.dropna()
    if len(values) and (values.round(0) == values).all() and values.abs().max() >= 100:
        return "#,##0"
    return "#,##0.00"


@dataclass
class Table:
    """One table as a file shows it: the frame with raw names, the headers readers see, a title."""

    df: pd.DataFrame
    title: str
    labels: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # a short sheet name (the title without the municipality)


def _write_table(ws, table: Table, first_row: int = 1) -> int:
    """Title row, header row, data with number formats and an autofilter; returns the next free row."""
    df = table.df
    ws.cell(first_row, 1, neutralised(table.title)).font = Font(bold=True, size=13)
    header_row = first_row + 1
    headers = list(labelled(df, table.labels).columns)
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(header_row, j, neutralised(str(header)))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = {j: number_format(str(c), df[c]) for j, c in enumerate(df.columns, start=1)}
    for i, row in enumerate(df.itertuples(index=False), start=header_row + 1):
        for j, value in enumerate(row, start=1):
            if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
                continue
            if hasattr(value, "item"):
                value = value.item()  # numpy scalar → Python
            if isinstance(value, float):
                value = round(value, 6)
            fmt = formats[j]
            if fmt == "0.00%" and isinstance(value, int | float):
                value = value / 100  # the warehouse stores 15.3 for 15.3 %; Excel's % shows ×100
            cell = ws.cell(i, j, neutralised(value) if isinstance(value, str) else value)
            if fmt and isinstance(value, int | float):
                cell.number_format = fmt
    last = header_row + len(df)
    if len(df.columns):
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(df.columns))}{max(last, header_row)}"
    for j, header in enumerate(headers, start=1):
        width = max([len(str(header)) // 2 + 2] + [len(str(v)) for v in df.iloc[:200, j - 1].tolist()])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 60)
    return last + 2


def xlsx_bytes(tables: Sequence[Table], charts: Sequence[tuple[str, go.Figure, Table | None]] = (),
               info: Sequence[tuple[str, str]] | None = None, footer: str | None = None) -> bytes:
    """A workbook: an optional first "Bilgi" sheet (``info`` as label/value rows), one sheet per
    table, and one per chart with its image (when Chromium is available) and its data under it."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    if info:
        ws = wb.create_sheet(sheet_name("Bilgi", used))
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 110
        for i, (label, value) in enumerate(info, start=1):
            ws.cell(i, 1, neutralised(label)).font = Font(bold=True)
            cell = ws.cell(i, 2, neutralised(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        ws = wb.create_sheet(sheet_name(table.sheet or table.title, used))
        _write_table(ws, table)
        ws.freeze_panes = "A3"
    for name, fig, data in charts:
        ws = wb.create_sheet(sheet_name(f"Grafik {data.sheet if data is not None and data.sheet else name}", used))
        ws.cell(1, 1, neutralised(name)).font = Font(bold=True, size=13)
        next_row = 3
        try:
            height = max(550, int(fig.layout.height or 0) + 80)
            png = figure_bytes(fig, "png", width=1000, height=height, footer=footer)
        except ExportUnavailable:
            ws.cell(2, 1, "Chromium yok: grafik görüntüsü eklenemedi / no Chromium: chart image not included")
        else:
            img = XlImage(io.BytesIO(png))
            img.width, img.height = 1000, height
            ws.add_image(img, "A3")
            next_row = 3 + height // 20 + 2  # rows are 20 px high: the data starts under the picture
        if data is not None:
            _write_table(ws, Table(data.df, data.title, data.labels), next_row)
    if not wb.sheetnames:
        wb.create_sheet("Boş")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXCEL_MIME = _EXCEL_MIME
