"""Sources: the documents behind the numbers, their validation findings, and a source-page viewer.

Other pages link to a page of a document with ``sources?doc=<document_id>&p=<page>``
(``app.views.sources.viewer_url``). URL values are only ever compared with what the warehouse
lists; the viewer draws an image of the page and reads no data from the PDF.
"""

import pandas as pd
import streamlit as st

from app import page_image, ui
from app.i18n import t
from app.views import sources


def _shown(value: object) -> str:
    """A URL value made harmless for a message: short, one line, inside inline code."""
    text = " ".join(str(value).split())[:80].replace("`", "'")
    return f"`{text}`"


def _reset_page() -> None:
    st.session_state["p"] = 1


def _page_number(raw: object) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


def viewer(docs, asked: dict) -> None:
    """Document and page pickers, the page image, and what the warehouse holds from that page."""
    page_counts = dict(zip(docs["document_id"], docs["page_count"], strict=True))
    requested = asked.get("doc")
    if requested:
        known = sources.known_document(requested)
        if known is None:
            st.warning(t("src_doc_refused", doc=_shown(requested)), icon=":material/block:")
        elif requested not in page_counts:  # a link to another municipality's document
            page_counts[requested] = known["page_count"]
    if not page_counts:
        st.caption(t("src_no_documents"))
        return

    st.caption(t("src_viewer_caption"))
    c_doc, c_page = st.columns([4, 1])
    doc = c_doc.selectbox(t("src_document"), list(page_counts), placeholder=t("choose_one"), key="doc", bind="query-params",
                          on_change=_reset_page)
    count = page_counts.get(doc)
    n_pages = int(count) if not pd.isna(count) and count > 0 else 1  # no page_count for a failed file
    asked_page = _page_number(asked["p"]) if asked.get("p") else None
    if asked.get("p") and (asked_page is None or not 1 <= asked_page <= n_pages) and asked.get("doc") == doc:
        st.warning(t("src_page_refused", p=_shown(asked["p"])), icon=":material/block:")
    # The page number is kept in the URL by hand, not by binding the widget to it: a bound
    # widget parses the URL itself, and "?p=1e309" overflows inside Streamlit.
    seed = (doc, asked.get("p"))
    if asked_page is not None and 1 <= asked_page <= n_pages and asked.get("doc") in (None, doc) \
            and st.session_state.get("_p_seed") != seed:
        st.session_state["p"] = asked_page
    st.session_state["_p_seed"] = seed
    current = st.session_state.get("p")
    if current is not None and not (isinstance(current, int) and 1 <= current <= n_pages):
        st.session_state["p"] = 1
    page = int(c_page.number_input(t("src_page"), min_value=1, max_value=n_pages, step=1, key="p"))
    st.query_params["p"] = str(page)

    # A traced row (a link from another page's table): its relation, and the row by one column.
    traced = None
    if asked.get("rel") and asked.get("doc") == doc and str(asked.get("p")) == str(page):
        traced = asked["rel"] if asked["rel"] in sources.fact_relations() else None
    png = zoom = error = None
    try:
        unrecognised = sources.table_boxes(doc, page, recognised=False)
        png = sources.outline_unrecognised(page_image.render(doc, page, boxes=sources.table_boxes(doc, page)),
                                           unrecognised)
        if traced:
            png, zoom = sources.outline_traced(png, sources.traced_boxes(doc, page, traced))
    except page_image.PageUnavailable as exc:
        error = exc
    if traced:
        what = sources.relation_label(traced)
        what += f" · {asked['rk']} = {asked['rv']}" if asked.get("rk") and asked.get("rv") else ""
        st.markdown(f"**{t('src_traced', what=ui.md_escape(what))}**")
        st.caption(t("src_traced_note") if zoom is not None or error else t("src_traced_no_region"))
        if zoom is not None:
            st.image(zoom, caption=t("src_traced_zoom"), output_format="PNG")

    left, right = st.columns([3, 2])
    with left:
        if error is not None:
            st.error(t(f"src_image_{error.reason}", detail=_shown(error)), icon=":material/error:")
        else:
            # A fixed-height box: the page and the rows below it fit on one screen together.
            with st.container(height=760, border=True):
                st.image(png, caption=t("src_page_of", doc=doc, p=page, n=n_pages), output_format="PNG")
            st.download_button(t("src_download_page"), data=png, file_name=f"{ui.slug(doc)}-{page}.png",
                               mime="image/png", key="dl-page-png", on_click="ignore", icon=":material/image:")
    counts = sources.rows_per_relation(doc, page)
    relations = sorted((r for r in counts if counts[r]), key=lambda r: (-counts[r], r))
    with right:
        st.markdown(f"**{t('src_tables_on_page')}**")
        tables = sources.tables_on_page(doc, page)
        if tables.empty:
            st.caption(t("src_no_tables"))
        else:
            # A short reference list (the Warehouse page exports extracted_tables whole).
            tables["kind"] = tables["kind"].fillna("none")
            shown = ui.translated_codes(tables)
            st.dataframe(shown, hide_index=True, key="page-tables",
                         column_config=ui.header_labels(shown.columns))
            not_read = int((tables["kind"] == "none").sum())
            if not_read:
                st.warning(t("src_unrecognised", n=not_read), icon=":material/help:")
        st.caption(t("src_tables_note"))
        findings = sources.page_issues(doc, page)
        if not findings.empty:
            st.markdown(f"**{t('src_page_issues')}**")
            shown = ui.translated_codes(findings)
            st.dataframe(shown, hide_index=True, key="page-issues", column_config=ui.header_labels(shown.columns))
        st.markdown(f"**{t('src_lookup')}**")
        st.caption(t("src_lookup_caption"))
        # No format_func: a bound widget puts its label into the URL, and ?rel= should stay the name.
        relation = st.radio(t("src_relation"), relations, captions=[f"{sources.relation_label(r)} · {t('src_n_rows', n=counts[r])}"
                                                for r in relations],
                            key="rel", bind="query-params", label_visibility="collapsed") if relations else None
        if not relations:
            st.caption(t("src_no_rows"))
    if relation:
        # Full width, right under the page: the rows to check against the picture, with exports.
        st.markdown(f"**{t('src_lookup')}: {ui.md_escape(sources.relation_label(relation))}** "
                    f"(`{relation}`) — {ui.md_escape(doc)}, "
                    f"{t('src_page').lower()} {page}")
        rows = sources.rows_on_page(relation, doc, page)
        marked = None
        if relation == traced and asked.get("rk") and asked.get("rv") is not None:
            if asked["rk"] in rows.columns:
                marked = rows[asked["rk"]].astype(str) == asked["rv"]
            if marked is None or not marked.any():
                st.warning(t("src_row_refused", row=_shown(f"{asked['rk']} = {asked['rv']}"),
                             relation=ui.md_escape(relation)), icon=":material/block:")
            else:  # the traced row first, marked
                order = marked.sort_values(ascending=False, kind="stable").index
                rows, marked = rows.loc[order], marked.loc[order]
        ui.show_table(rows, f"{relation} {doc} {page}", key="lookup", highlight=marked)

if ui.page_setup("sources_title"):
    # The URL as typed, before the widgets drop values they do not know: to say what was ignored.
    asked = {k: st.query_params.get(k) for k in ("m", "doc", "p", "rel", "rk", "rv")}
    mid = ui.select_municipality()  # an unknown ?m= is named in the page's warning (ui.finish_content)
    all_munis = st.sidebar.toggle(t("src_all_munis"), key="all", bind="query-params", help=t("src_all_munis_help"))
    scope = None if all_munis else mid
    if mid or all_munis:
        docs = sources.documents(scope)
        link = st.column_config.LinkColumn(t("src_viewer_link"), display_text=t("src_open_page"))

        st.subheader(t("src_documents"))
        st.caption(t("src_documents_caption", n=len(docs), **sources.status_counts(docs)))
        ui.show_table(docs, t("src_documents"), key="documents", column_config={"viewer": link})

        st.subheader(t("src_issues"))
        found = sources.issues(scope)
        if found.empty:
            st.success(t("src_no_issues"), icon=":material/check_circle:")
        else:
            ui.show_table(found, t("src_issues"), key="issues", column_config={"viewer": link})

        st.subheader(t("src_viewer"))
        viewer(docs, asked)
        ui.report_pack_button(f"sources-{scope or 'all'}")
