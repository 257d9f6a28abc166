"""What every page shares: set-up, filters bound to the URL, and the figure and table
helpers with their export buttons — so no page writes its own export code.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import data, url_state
from app.charts import ExportUnavailable, chromium_path, figure_bytes, themed
from app.export import csv_bytes, xlsx_bytes
from app.i18n import language_switch, t

_FIG_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def slug(text: str) -> str:
    """A file-name-safe slug ("Toplumsal cinsiyet bütçesi 2024" → "toplumsal-cinsiyet-butcesi-2024")."""
    table = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-") or "izlek"


def page_setup(title_key: str) -> bool:
    """Language switch, title, and the empty state when there is no warehouse.

    Returns False (after explaining what to do) when the page has nothing to show.
    """
    language_switch()
    st.title(t(title_key))
    st.session_state.setdefault("_pack", {})
    st.session_state["_pack"] = {"tables": {}, "charts": {}}
    path = data.warehouse_path()
    if not data.warehouse_exists(path):
        st.info(t("no_warehouse", path=path))
        return False
    return True


def municipalities() -> pd.DataFrame:
    """All municipalities (id, name, kind, population)."""
    return data.query("select municipality_id, name, kind, province, population from municipalities "
                      "order by name")


def select_municipality() -> str | None:
    """The municipality selector (sidebar), bound to ``?m=`` in the URL."""
    munis = municipalities()
    if munis.empty:
        st.info(t("no_municipality"))
        return None
    names = dict(zip(munis["municipality_id"], munis["name"], strict=True))
    url_state.seed("m", list(names))
    value = st.sidebar.selectbox(t("municipality"), list(names), format_func=names.get, key="m",
                                 persist_state="session")
    url_state.sync("m", value, default=list(names)[0])
    return value


def select_year(years: list[int], key: str = "y", label_key: str = "year") -> int | None:
    """A year selector bound to ``?y=`` (latest year by default)."""
    if not years:
        return None
    years = sorted({int(y) for y in years}, reverse=True)
    url_state.seed(key, years)
    if st.session_state.get(key) not in years:
        st.session_state.pop(key, None)
    value = st.sidebar.selectbox(t(label_key), years, key=key, persist_state="session")
    url_state.sync(key, value, default=years[0])
    return value


def _register(kind: str, name: str, obj: object) -> None:
    st.session_state.setdefault("_pack", {"tables": {}, "charts": {}})[kind][name] = obj


def show_figure(fig: go.Figure, name: str, chart_data: pd.DataFrame | None = None, key: str | None = None) -> None:
    """Draw a chart in the İzlek theme with PNG / SVG / PDF (made on click) and its data as CSV / XLSX."""
    themed(fig)
    key = key or slug(name)
    st.plotly_chart(fig, key=f"fig-{key}", config={"displaylogo": False,
                                                   "toImageButtonOptions": {"filename": slug(name)}})
    _register("charts", name, fig)
    # A horizontal row of content-width buttons: fixed columns cut the labels in narrow layouts.
    row = st.container(horizontal=True, gap="small")
    if chromium_path() is None:
        st.caption(t("no_chromium"))
    else:
        for fmt in ("png", "svg", "pdf"):
            row.download_button(t(f"download_{fmt}"), data=_figure_file(fig, fmt), file_name=f"{slug(name)}.{fmt}",
                                mime=_FIG_MIME[fmt], key=f"dl-{key}-{fmt}", on_click="ignore", icon=":material/image:")
    if chart_data is not None:
        row.download_button("CSV", data=csv_bytes(chart_data), file_name=f"{slug(name)}.csv", mime="text/csv",
                                key=f"dl-{key}-csv", on_click="ignore")
        row.download_button("XLSX", data=lambda: xlsx_bytes({name: chart_data}), file_name=f"{slug(name)}.xlsx",
                                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                key=f"dl-{key}-xlsx", on_click="ignore")


def _figure_file(fig: go.Figure, fmt: str):
    def make() -> bytes:
        try:
            return figure_bytes(fig, fmt)
        except ExportUnavailable:
            return b""
    return make


def show_table(df: pd.DataFrame, name: str, key: str | None = None, column_config: dict | None = None,
               height: int | str = "auto") -> None:
    """Show a table with CSV and XLSX downloads (source columns included as they are)."""
    key = key or slug(name)
    _register("tables", name, df)
    if df.empty:
        st.caption(t("empty_table"))
        return
    st.dataframe(df, hide_index=True, column_config=column_config, key=f"tbl-{key}", height=height)
    row = st.container(horizontal=True, gap="small")
    row.download_button(t("download_csv"), data=csv_bytes(df), file_name=f"{slug(name)}.csv", mime="text/csv",
                       key=f"dl-{key}-tcsv", on_click="ignore")
    row.download_button(t("download_xlsx"), data=lambda: xlsx_bytes({name: df}), file_name=f"{slug(name)}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"dl-{key}-txlsx", on_click="ignore")


def report_pack_button(name: str) -> None:
    """One XLSX with every table and chart this page showed (call at the end of the page)."""
    pack = st.session_state.get("_pack", {"tables": {}, "charts": {}})
    tables, charts = dict(pack["tables"]), dict(pack["charts"])
    st.sidebar.download_button(t("report_pack"), data=lambda: xlsx_bytes(tables, charts),
                               file_name=f"izlek-{slug(name)}.xlsx", help=t("report_pack_help"),
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key="dl-report-pack", on_click="ignore", icon=":material/download:")
