"""What every page shares: set-up, filters bound to the URL, and the figure and table
helpers with their export buttons — so no page writes its own export code.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import data, url_state
from app.charts import (
    ExportUnavailable,
    chromium_path,
    figure_bytes,
    localised_percent,
    plotly_config,
    prewarm,
    themed,
)
from app.export import EXCEL_MIME, Table, csv_bytes, labelled, xlsx_bytes
from app.i18n import CODE_COLUMNS, LANGS, TEXTS, document_message, lang, language_switch, t

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
    # Filled by finish_page once the page knows them: whose figures, which period, and which
    # URL values were ignored — so a screenshot says whose "%16,2" it is.
    st.session_state["_context"] = {"slot": st.empty(), "warn": st.empty(), "title": t(title_key)}
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
    value = st.sidebar.selectbox(t("municipality"), list(names), format_func=names.get, placeholder=t("choose_one"), key="m",
                                 persist_state="session")
    url_state.sync("m", value, default=list(names)[0])
    set_context(municipality=names.get(value), mid=value)
    return value


def set_context(**parts: object) -> None:
    """Record what the page shows (``municipality``, ``period``) for the line under its title."""
    ctx = st.session_state.setdefault("_context", {})
    ctx.update({k: v for k, v in parts.items() if v is not None})


def context_label(default: str = "") -> str:
    """"Ilgınköy Belediyesi · 2024": the municipality and period of this page (for chart titles)."""
    ctx = st.session_state.get("_context", {})
    return " · ".join(str(ctx[k]) for k in ("municipality", "period") if ctx.get(k)) or default


_URL_KEY_LABELS = {"m": "municipality", "y": "year", "lang": "language", "view": "gb_view", "ms": "cmp_select",
                   "gm": "ach_marker_filter", "ind": "ach_indicator"}


def _describe_refused(key: str, raw: str, reason: str) -> str:
    label = t(_URL_KEY_LABELS.get(key, key))
    return t(f"url_refused_{reason}", what=label, param=key, value=md_code(raw))


def finish_content() -> None:
    """Fill the line under the title (municipality · period) and name the ignored URL values.

    Called by report_pack_button (the last call of every page) and again by the router."""
    ctx = st.session_state.get("_context", {})
    if ctx.get("slot") is not None and (ctx.get("municipality") or ctx.get("period")):
        parts = [f"**{md_escape(ctx['municipality'])}**"] if ctx.get("municipality") else []
        parts += [md_escape(str(ctx["period"]))] if ctx.get("period") else []
        ctx["slot"].markdown(" · ".join(parts))
    if url_state.refused():
        target = ctx.get("warn") if ctx.get("warn") is not None else st
        with target.container():
            url_state.warn_refused(_describe_refused)


def finish_page(menu, pages: dict) -> None:
    """After the page ran: :func:`finish_content`, then the navigation menu whose links carry the
    municipality, language and year to the next page."""
    finish_content()
    params = url_state.carried()
    with menu:
        for section, entries in pages.items():
            st.caption(section)
            for entry in entries:
                if getattr(entry, "_izlek_hidden", False):
                    continue
                st.page_link(entry, query_params=params or None)


# Keyed containers carry the class "st-key-<key>": a container keyed "wide-…" shows only on wide
# screens, "narrow-…" only at phone width (the server cannot know the width; the browser can).
_WIDTH_CSS = """<style>
@media (max-width: 640px) { div[class*="st-key-wide-"] { display: none !important; } }
@media (min-width: 641px) { div[class*="st-key-narrow-"] { display: none !important; } }
</style>"""


def wide_and_narrow(key: str):
    """Two containers for one piece of the page: the first shown on wide screens, the second
    instead of it at phone width (e.g. a heatmap there, its list here)."""
    st.html(_WIDTH_CSS)
    return st.container(key=f"wide-{key}"), st.container(key=f"narrow-{key}")


def page_link(page: str, label: str, icon: str | None = None) -> None:
    """A link to another page that keeps the municipality, language and year."""
    st.page_link(page, label=label, icon=icon, query_params=url_state.carried() or None)


# What Markdown (and Streamlit's :colour[…] / :icon: directives, $LaTeX$) reads as markup anywhere
# on a line; a list or heading marker only counts at the start of the line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~$|#]|:(?=[\w/-]+[:\[]))")
_MD_LEADING = re.compile(r"^(\d+)([.)])|^([-+=])")


def md_escape(text: object) -> str:
    """Text from a document made inert for ``st.markdown`` (no links, emphasis, HTML or LaTeX)."""
    one_line = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _MD_LEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", one_line)


def md_code(text: object, limit: int = 80) -> str:
    """A URL or document value shown as short one-line inline code (inert in Markdown)."""
    shown = " ".join(str(text).split())[:limit].replace("`", "'")
    return f"`{shown}`"


def select_year(years: list[int], key: str = "y", label_key: str = "year", default: int | None = None) -> int | None:
    """A year selector bound to ``?y=`` (``default``, else the latest year, when nothing chose one)."""
    if not years:
        return None
    years = sorted({int(y) for y in years}, reverse=True)
    default = default if default in years else years[0]
    url_state.seed(key, years)
    if key not in st.session_state:
        st.session_state[key] = default
    value = st.sidebar.selectbox(t(label_key), years, placeholder=t("choose_one"), key=key, persist_state="session")
    url_state.sync(key, value, default=default)
    set_context(period=value)
    return value


def _register(kind: str, name: str, obj: object, meta: Table | None = None) -> None:
    # "tables" / "charts" hold the frame / figure as drawn; "meta" the headers and title the files use.
    pack = st.session_state.setdefault("_pack", {"tables": {}, "charts": {}})
    pack[kind][name] = obj
    pack.setdefault("meta", {})[(kind, name)] = meta


def pack_table(df: pd.DataFrame, name: str, labels: dict[str, str] | None = None) -> None:
    """Put a table into the page's report pack without drawing it (e.g. the letters)."""
    _register("tables", name, df, Table(df, name, labels or header_labels(df.columns), sheet=_short(name)))


def header_labels(columns, column_config: dict | None = None) -> dict[str, str]:
    """The header a reader sees for each raw column: the page's column_config label, else the
    shared translation (``col_<name>``, with its unit), else the raw name."""
    labels: dict[str, str] = {}
    for col in columns:
        cfg = (column_config or {}).get(col)
        if isinstance(cfg, str):
            labels[col] = cfg
        elif isinstance(cfg, dict) and cfg.get("label"):
            labels[col] = cfg["label"]
        elif f"col_{col}" in TEXTS:
            labels[col] = t(f"col_{col}")
    return labels


def translated_codes(df: pd.DataFrame) -> pd.DataFrame:
    """Code columns (document type, status, severity, table kind…) in the interface language;
    a code without a translation stays as it is, and no cell says "None"."""
    out = df.copy()
    for col, prefix in CODE_COLUMNS.items():
        if col in out.columns and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = [v if not isinstance(v, str) else (t(f"{prefix}{v}") if f"{prefix}{v}" in TEXTS else v)
                        for v in out[col]]
    for col in ("message", "detection"):
        if col in out.columns:
            out[col] = out[col].map(document_message)
    return out


def number_display(df: pd.DataFrame, column_config: dict) -> tuple[object, dict]:
    """A Styler that writes numbers with the interface language's separators (Streamlit's own
    "localized" format follows the *browser's* locale, not the switch)."""
    from app.export import _PLAIN_INT, looks_like_years

    thousands, decimal = (".", ",") if lang() == "tr" else (",", ".")
    config = dict(column_config)
    formats = {}
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_bool_dtype(df[col]):
            continue
        cfg = config.get(col)
        type_config = cfg.get("type_config", {}) if isinstance(cfg, dict) else {}
        if type_config.get("type") not in (None, "number"):
            continue  # progress bars, checkboxes keep their own drawing
        if _PLAIN_INT.search(str(col)) or (type_config.get("format") or "").endswith("d") or looks_like_years(df[col]):
            formats[col] = "{:.0f}"
        else:
            values = df[col].dropna()
            # An all-missing nullable column (Float64: every municipality without a value) has no
            # max: comparing its <NA> would raise.
            whole = bool(len(values)) and bool((values.round(0) == values).all())
            big = bool(len(values)) and bool(values.abs().max() >= 1e5)
            formats[col] = "{:,.0f}" if whole or big else "{:,.2f}"
        if isinstance(cfg, dict):  # the Styler's text is shown only without a column format
            cfg = {**cfg, "type_config": {**type_config, "format": None}}
            config[col] = cfg
    # No cell says "None": a missing value is a dash in every column.
    styler = df.style.format(na_rep="–").format(formats, thousands=thousands, decimal=decimal, na_rep="–")
    return styler, config


def show_figure(fig: go.Figure, name: str, chart_data: pd.DataFrame | None = None, key: str | None = None,
                labels: dict[str, str] | None = None) -> None:
    """Draw a chart in the İzlek theme with PNG / SVG / PDF (made on click) and its data as CSV / XLSX.

    The files carry the title (with municipality and period), the source line and, for PDF,
    the title in the metadata; the data's headers are the readers' (``labels`` or the shared ones).
    """
    themed(fig)
    localised_percent(fig, lang())
    fig.update_layout(separators=",." if lang() == "tr" else ".,")
    key = key or slug(name)
    # On screen the title is page text above the chart: plotly does not wrap titles, and at phone
    # width a long one ran under the toolbar. The files keep it inside the picture.
    title = fig.layout.title.text
    screen = go.Figure(fig)
    screen.update_xaxes(automargin=True)  # tick labels never cut, axis titles never over them
    screen.update_yaxes(automargin=True)
    if title:
        st.markdown(f"**{md_escape(html.unescape(title))}**")
        screen.update_layout(title=None, margin={"t": 30})
    st.plotly_chart(screen, key=f"fig-{key}", config=plotly_config(lang(), slug(name)))
    table = None
    if chart_data is not None:
        shown = translated_codes(chart_data)
        table = Table(shown, name, {**header_labels(shown.columns), **(labels or {})}, sheet=_short(name))
    _register("charts", name, fig, table)
    # A horizontal row of content-width buttons: fixed columns cut the labels in narrow layouts.
    row = st.container(horizontal=True, gap="small")
    footer = source_line()
    if chromium_path() is None:
        st.caption(t("no_chromium"))
    else:
        prewarm()
        for fmt in ("png", "svg", "pdf"):
            row.download_button(t(f"download_{fmt}"), data=_figure_file(fig, fmt, footer, name),
                                file_name=f"{slug(name)}.{fmt}", mime=_FIG_MIME[fmt], key=f"dl-{key}-{fmt}",
                                on_click="ignore", icon=":material/image:")
    if table is not None:
        _table_buttons(row, table, key)


def _short(name: str) -> str:
    """A sheet name: the table's subject without the municipality (the Bilgi sheet names it)."""
    who = st.session_state.get("_context", {}).get("municipality") or ""
    short = name.replace(who, "").strip(" :–-·") if who else name
    return short or name


def _table_buttons(row, table: Table, key: str) -> None:
    df = labelled(table.df, table.labels)
    base = slug(table.title)
    info = pack_info(table.title)
    row.download_button(t("download_csv_excel"), data=lambda: csv_bytes(df, "excel-tr"), file_name=f"{base}.csv",
                        mime="text/csv", key=f"dl-{key}-csv", on_click="ignore", help=t("download_csv_excel_help"))
    row.download_button(t("download_csv_plain"), data=lambda: csv_bytes(df, "plain"), file_name=f"{base}-utf8.csv",
                        mime="text/csv", key=f"dl-{key}-csv-plain", on_click="ignore",
                        help=t("download_csv_plain_help"))
    row.download_button(t("download_xlsx"), data=lambda: xlsx_bytes([table], info=info), file_name=f"{base}.xlsx",
        mime=EXCEL_MIME, key=f"dl-{key}-xlsx", on_click="ignore")


def _figure_file(fig: go.Figure, fmt: str, footer: str, title: str):
    def make() -> bytes:
        try:
            return figure_bytes(fig, fmt, footer=footer, title=title)
        except ExportUnavailable:
            return b""
    return make


def show_table(df: pd.DataFrame, name: str, key: str | None = None, column_config: dict | None = None,
               height: int | str = "auto", *, relation: str | None = None, row_key: str | tuple[str, str] | None = None,
               source: tuple[str, str] | None = None, highlight: pd.Series | None = None) -> None:
    """Show a table with CSV and XLSX downloads (source columns included, headers as shown).

    A table whose rows carry their document and page (``source_document_id`` / ``source_page``,
    or the two columns named in ``source``) gets a first column of links to that page on Sources;
    with ``relation`` (the warehouse relation the rows are from) and ``row_key`` (a column naming
    the row; ``(shown column, relation column)`` when the table renamed it) the link traces the
    row: Sources outlines the table it was read from and marks it.
    ``highlight`` marks rows (a boolean per row) with a background.
    """
    key = key or slug(name)
    shown = translated_codes(df)
    config = {c: v for c, v in header_labels(df.columns).items() if c not in (column_config or {})}
    config.update(column_config or {})
    doc_col, page_col = source or ("source_document_id", "source_page")
    if {doc_col, page_col} <= set(df.columns) and "viewer" not in df.columns:
        # One click from a figure to its page: the Sources viewer on that document and page.
        shown_key, relation_key = row_key if isinstance(row_key, tuple) else (row_key, row_key)
        rows = df[shown_key] if shown_key in df.columns else None
        shown.insert(0, "source_link", source_links(df[doc_col], df[page_col], relation=relation, rows=rows,
                                                    row_key=relation_key))
        config["source_link"] = st.column_config.LinkColumn(t("col_source_link"), display_text=r"[?&]p=(\d+)",
                                                            help=t("col_source_link_help"))
        if "source_document" in df.columns:
            config.setdefault("source_document_id", None)  # the file name column says it already
    # The files keep document and page as columns; the relative link only works inside the app.
    table = Table(shown.drop(columns="source_link", errors="ignore"), name, header_labels(df.columns, config),
                  sheet=_short(name))
    _register("tables", name, df, table)
    if df.empty:
        st.caption(t("empty_table"))
        return
    styled, config = number_display(shown, config)
    if highlight is not None and bool(highlight.any()):
        marked = set(shown.index[highlight.to_numpy(dtype=bool)])
        styled = styled.apply(lambda row: [HIGHLIGHT_CSS if row.name in marked else ""] * len(row), axis=1)
    st.dataframe(styled, hide_index=True, column_config=config, key=f"tbl-{key}", height=height)
    _table_buttons(st.container(horizontal=True, gap="small"), table, key)


HIGHLIGHT_CSS = "background-color: #FBE3A0"  # a highlighter's yellow: the traced row among the page's rows


def source_links(documents: pd.Series, pages: pd.Series, *, relation: str | None = None,
                 rows: pd.Series | None = None, row_key: str | None = None) -> list[str | None]:
    """Links to the Sources page showing each row's document and page (with the language and,
    from the document id, its municipality), or None where a row has no source page.

    With ``relation`` the link opens that relation's rows of the page (``rel``); with ``rows`` and
    ``row_key`` it names the row too (``rk``/``rv``), so Sources can mark it."""
    from urllib.parse import urlencode

    language = {"lang": lang()} if lang() != "tr" else {}
    values = list(rows) if rows is not None and row_key else [None] * len(documents)
    out: list[str | None] = []
    for doc, page, value in zip(documents, pages, values, strict=True):
        if not isinstance(doc, str) or pd.isna(page):
            out.append(None)
            continue
        params = {"m": doc.split("/", 1)[0], "doc": doc, "p": int(page)}
        if relation:
            params["rel"] = relation
            if value is not None and not (isinstance(value, float) and pd.isna(value)):
                params.update({"rk": row_key, "rv": str(value)})
        out.append("sources?" + urlencode({**params, **language}))
    return out


def source_line() -> str:
    """"Kaynak: <documents> · İzlek · <build date>" for the foot of every exported chart."""
    ctx = st.session_state.get("_context", {})
    docs = ctx.get("documents")
    if docs is None and ctx.get("mid"):
        docs = _documents_of(ctx["mid"], ctx.get("period"))
    built = data.warehouse_version()
    when = "–" if built is None else dt.datetime.fromtimestamp(built[2] / 1e9).strftime("%Y-%m-%d")
    listed = ", ".join(docs[:4]) + (f" (+{len(docs) - 4})" if docs and len(docs) > 4 else "") if docs else "–"
    return f"{t('source')}: {listed} · İzlek · {when}"


def _documents_of(mid: str, period: object = None) -> list[str]:
    where, params = "municipality_id = ?", [mid]
    if isinstance(period, int):
        where += " and ? between coalesce(year_start, year_end) and coalesce(year_end, year_start)"
        params.append(period)
    df = data.query(f"select file_name from documents where {where} order by year_end desc, file_name", params)
    return list(df["file_name"])


def pack_info(what: str) -> list[tuple[str, str]]:
    """The "Bilgi" rows of a workbook: what, whose, which period, when built, from which documents,
    and the definitions a reader needs to quote the figures."""
    ctx = st.session_state.get("_context", {})
    built = data.warehouse_version()
    when = "–" if built is None else dt.datetime.fromtimestamp(built[2] / 1e9).strftime("%Y-%m-%d %H:%M")
    docs = _documents_of(ctx["mid"], ctx.get("period")) if ctx.get("mid") else []
    rows = [(t("info_what"), what), (t("municipality"), ctx.get("municipality") or "–"),
            (t("info_period"), str(ctx.get("period") or "–")), (t("info_built"), when),
            (t("info_made"), dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
            (t("info_documents"), "\n".join(docs) or "–")]
    pages = ctx.get("source_pages") or []
    if pages:
        rows.append((t("info_pages"), "\n".join(pages)))
    rows += [(t("info_markers"), t("info_markers_text")), (t("info_tags"), t("info_tags_text")),
             (t("info_formulas"), t("info_formulas_text")), (t("info_language"), LANGS[lang()])]
    return rows


def _source_pages(tables: list[Table]) -> list[str]:
    found: dict[str, set[int]] = {}
    for table in tables:
        df = table.df
        doc_col = next((c for c in ("source_document_id", "source_document", "document_id") if c in df.columns), None)
        if doc_col is None or "source_page" not in df.columns:
            continue
        for d, p in zip(df[doc_col], df["source_page"], strict=True):
            if isinstance(d, str) and pd.notna(p):
                found.setdefault(d, set()).add(int(p))
    return [f"{d}: {', '.join(map(str, sorted(ps)))}" for d, ps in sorted(found.items())]


def report_pack_button(name: str) -> None:
    """One XLSX with a "Bilgi" sheet, every table this page showed, and each chart with its data
    and image (call at the end of the page)."""
    pack = st.session_state.get("_pack", {"tables": {}, "charts": {}})
    meta = pack.get("meta", {})
    tables = [meta.get(("tables", n)) or Table(df, n) for n, df in pack["tables"].items()]
    charts = [(n, fig, meta.get(("charts", n))) for n, fig in pack["charts"].items()]
    ctx = st.session_state.get("_context", {})
    ctx["source_pages"] = _source_pages(tables)
    finish_content()
    info = pack_info(ctx.get("title", name))
    footer = source_line()

    def make() -> bytes:
        return xlsx_bytes(tables, charts, info=info, footer=footer)

    st.sidebar.download_button(t("report_pack"), data=make, file_name=f"izlek-{slug(name)}.xlsx",
                               help=t("report_pack_help"), mime=EXCEL_MIME,
                               key="dl-report-pack", on_click="ignore", icon=":material/download:")
