"""Tag review: every gender tag of a municipality with its reason; users correct a marker here.

A correction is a row in the overrides CSV (``app.overrides``); the ETL applies it on the next
build. Read-only installations (``IZLEK_READ_ONLY=1``) hide this page in the router, and the
page itself refuses to run there — also when opened directly by its URL.
"""

import streamlit as st

from app import overrides, ui, url_state
from app.i18n import language_switch, t
from app.views import tag_review

_GEN = "tag_editor_gen"  # bumped after a save so the editor starts again from the new file
_DONE = "tag_review_done"  # the message of the last save, shown after the rerun


def _marker_label(m: object) -> str:
    return t(f"marker_{int(m)}")


def _column_config() -> dict:
    col = st.column_config
    return {
        "kind": col.TextColumn(t("tr_kind")),
        "item_key": col.TextColumn(t("tr_col_key")),
        "year": col.NumberColumn(t("tr_col_year"), format="%d"),
        "item_name": col.TextColumn(t("tr_col_name"), width="large"),
        "marker": col.NumberColumn(t("tr_col_marker")),
        "new_marker": col.SelectboxColumn(t("tr_col_new_marker"), options=list(tag_review.MARKERS),
                                          format_func=_marker_label, required=True, pinned=True),
        "note": col.TextColumn(t("tr_col_note"), max_chars=300),
        "rule_marker": col.NumberColumn(t("tr_col_rule_marker")),
        "tag_source": col.TextColumn(t("tr_col_source")),
        "reason": col.TextColumn(t("tr_col_reason"), width="large"),
        "matched_terms": col.TextColumn(t("tr_col_terms")),
    }


def review(mid: str) -> None:
    url_state.seed("kind", list(tag_review.KINDS), multi=True)
    url_state.seed("mk", list(tag_review.MARKERS), multi=True)
    kinds = st.pills(t("tr_kind"), list(tag_review.KINDS), selection_mode="multi", key="kind",
                     format_func=lambda k: t(f"tr_kind_{k}"))
    markers = st.pills(t("tr_filter_marker"), list(tag_review.MARKERS), selection_mode="multi", key="mk",
                       format_func=_marker_label)
    url_state.sync("kind", list(kinds or []), default=[])
    url_state.sync("mk", list(markers or []), default=[])
    rows = tag_review.tags(mid, kinds, markers)
    waiting = tag_review.pending(mid)
    counts = rows["marker"].value_counts()
    st.subheader(t("tr_tags"))
    st.caption(t("tr_tags_caption", n=len(rows), p=int(counts.get(2, 0)), s=int(counts.get(1, 0)),
                 z=int(counts.get(0, 0)), o=int((rows["tag_source"] == "override").sum())))
    if message := st.session_state.pop(_DONE, None):
        st.success(message, icon=":material/check_circle:")

    before = tag_review.editor_frame(rows, waiting)
    before.insert(0, "kind", [t(f"tr_kind_{k}") for k in before["item_kind"]])
    editable = ["new_marker", "note"]
    with st.form("tag-form", border=False):
        after = st.data_editor(
            before, key=f"tag-editor-{st.session_state.get(_GEN, 0)}", hide_index=True, height=520,
            column_order=["kind", "item_key", "year", "item_name", "marker", "new_marker", "note",
                          "rule_marker", "tag_source", "reason", "matched_terms"],
            column_config=_column_config(), disabled=[c for c in before.columns if c not in editable])
        submitted = st.form_submit_button(t("tr_save"), type="primary", icon=":material/save:")
    if submitted:
        changed = tag_review.changes(mid, before, after)
        if not changed:
            st.info(t("tr_no_changes"))
        else:
            try:
                written = overrides.save(changed)
            except (overrides.ReadOnly, ValueError, OSError) as exc:
                st.error(t("tr_save_failed", error=exc))
            else:
                st.session_state[_DONE] = t("tr_saved", n=len(written), path=overrides.overrides_path())
                st.session_state[_GEN] = st.session_state.get(_GEN, 0) + 1
                st.rerun()

    st.subheader(t("tr_pending"))
    st.caption(t("tr_pending_caption", path=overrides.overrides_path()))
    if waiting.empty:
        st.caption(t("tr_no_pending"))
        return
    shown = waiting.assign(status=[t(f"tr_status_{s}") for s in waiting["status"]])
    ui.show_table(shown, t("tr_pending"), key="pending")
    keys = list(zip(waiting["item_kind"], waiting["item_key"], strict=True))
    chosen = st.multiselect(t("tr_remove"), keys, key="remove", placeholder=t("tr_remove_placeholder"),
                            format_func=lambda k: f"{t(f'tr_kind_{k[0]}')} · {k[1]}")
    if st.button(t("tr_remove_button"), disabled=not chosen, icon=":material/delete:"):
        gone = [(mid, kind, key) for kind, key in chosen]
        try:
            n = overrides.remove(gone)
        except (overrides.ReadOnly, OSError) as exc:
            st.error(t("tr_save_failed", error=exc))
        else:
            st.session_state[_DONE] = t("tr_removed", n=n)
            st.session_state[_GEN] = st.session_state.get(_GEN, 0) + 1
            st.rerun()


if overrides.read_only():
    # Opened by its URL although the router hides it: explain, draw nothing that could write.
    language_switch()
    st.title(t("tag_review_title"))
    st.error(t("tr_read_only"), icon=":material/lock:")
elif ui.page_setup("tag_review_title"):
    municipality = ui.select_municipality()
    if municipality:
        review(municipality)
        ui.report_pack_button(f"tag-review-{municipality}")
