"""Filters bound to the URL by stable codes (``?m=ilginkoy&lang=en&gm=2``).

Streamlit's own ``bind="query-params"`` writes a widget's *displayed label* into the URL
("m=Ilgınköy Belediyesi", "lang=English", "gm=Temel (2)"), so a link breaks when the
language changes and cannot be written by hand. Widgets with a ``format_func`` therefore
use these two calls instead: :func:`seed` before the widget (the URL wins on the first run)
and :func:`sync` after it (the URL follows every change; the default is left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

_SEEDED = "_url_seeded"


def _shadow(key: str) -> str:
    # Streamlit drops a widget's state when a page without that widget runs; the shadow copy
    # carries the choice across pages (Overview → Gender budget keeps the municipality).
    return f"_url_value_{key}"


def seed(key: str, options: Sequence[Any], multi: bool = False) -> None:
    """Before the widget: the URL's value on the session's first run, else the last choice."""
    seeded = st.session_state.setdefault(_SEEDED, set())
    by_code = {str(o): o for o in options}
    if key not in seeded:
        seeded.add(key)
        if multi:
            raw = st.query_params.get_all(key)
            values = [by_code[r] for r in raw if r in by_code]
            if values:
                st.session_state[_shadow(key)] = values
        else:
            raw = st.query_params.get(key)
            if raw is not None and raw in by_code:
                st.session_state[_shadow(key)] = by_code[raw]
    current = st.session_state.get(key)
    current_ok = (isinstance(current, list) and all(str(v) in by_code for v in current)) if multi else \
        (current is not None and str(current) in by_code)
    if current_ok or st.session_state.get(_shadow(key)) is None:
        return
    kept = st.session_state[_shadow(key)]
    if multi:
        st.session_state[key] = [v for v in kept if str(v) in by_code]
    elif str(kept) in by_code:
        st.session_state[key] = by_code[str(kept)]


def sync(key: str, value: Any, default: Any = None) -> None:
    """Write the widget's value to the URL as codes; remove the parameter at the default."""
    if value is not None:
        st.session_state[_shadow(key)] = value
    if value is None or value == default or (isinstance(value, list) and default is not None
                                             and sorted(map(str, value)) == sorted(map(str, default))):
        if key in st.query_params:
            del st.query_params[key]
        return
    st.query_params[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
