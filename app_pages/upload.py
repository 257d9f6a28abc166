"""Upload: password, municipality id and PDFs; each file is parsed in a sandbox before it is kept.

Registered by the router only when ``IZLEK_UPLOAD_PASSWORD`` is set and the app is not
read-only; the checks are repeated here in case the page is ever reached another way.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import ui, upload
from app.i18n import t
from app.views import upload as view

_AUTH = "_upload_authenticated"
_STORED = "_upload_stored"

ui.page_setup("upload_title")  # language switch and title; uploading works without a warehouse too
cfg = upload.config()
if not view.enabled():
    st.error(t("up_disabled"))
    st.stop()

if not st.session_state.get(_AUTH):
    with st.form("upload-login"):
        given = st.text_input(t("up_password"), type="password")
        if st.form_submit_button(t("up_login")):
            # Attempts are limited per client (address, else session) and over all clients.
            client = st.context.ip_address or get_script_run_ctx().session_id
            outcome = upload.sign_in(given, cfg.password, client)
            if outcome.ok:
                st.session_state[_AUTH] = True
                st.rerun()
            st.error(t(outcome.key, **outcome.fields))
    st.stop()

st.caption(t("up_intro"))
existing = sorted(p.name for p in cfg.raw.iterdir() if p.is_dir() and not p.name.startswith(".")) \
    if cfg.raw.is_dir() else []
with st.form("upload-files", clear_on_submit=True):
    mid = st.text_input(t("up_municipality"), help=t("up_municipality_help", ids=", ".join(existing) or "–"))
    files = st.file_uploader(t("up_files", mb=cfg.max_mb), type=["pdf"], accept_multiple_files=True,
                             max_upload_size=cfg.max_mb)
    submitted = st.form_submit_button(t("up_submit"), type="primary")

if submitted:
    mid = (mid or "").strip()
    if not upload.valid_municipality_id(mid):
        st.error(t("up_bad_id", id=upload.shown(mid)))
    elif not files:
        st.warning(t("up_no_files"))
    else:
        for f in files:
            if f.size > cfg.max_bytes:  # before reading it into memory
                st.error(t("up_too_big", name=upload.safe_file_name(f.name), mb=round(f.size / 1048576, 1),
                           max=cfg.max_mb))
                continue
            with st.spinner(t("up_checking", name=upload.safe_file_name(f.name))):
                outcome = upload.process_upload(f.name, f.getvalue(), mid, cfg)
            (st.success if outcome.ok else st.error)(t(outcome.key, **outcome.fields))
            if outcome.ok:
                st.session_state.setdefault(_STORED, []).append(str(outcome.path))

if st.session_state.get(_STORED):
    st.info(t("up_rebuild_hint"))
    if st.button(t("up_rebuild"), icon=":material/build:"):
        with st.spinner(t("up_rebuilding")):
            outcome = upload.rebuild(cfg)
        (st.success if outcome.ok else st.error)(t(outcome.key, **outcome.fields))
        if outcome.fields.get("detail"):
            st.code(outcome.fields["detail"], language=None)
        if outcome.ok:
            st.session_state[_STORED] = []
