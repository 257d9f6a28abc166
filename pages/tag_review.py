"""Placeholder until this page lands (dashboard issue)."""

import streamlit as st

from app import ui

if ui.page_setup("tag_review_title"):
    st.info("Bu sayfa hazırlanıyor. / This page is being built.")
