"""Filters bound to the URL by stable codes (``?m=ilginkoy&lang=en&gm=2``).

Streamlit's own ``bind="query-params"`` writes a widget's *displayed label* into the URL
("m=Ilgınköy Belediyesi", "lang=English", "gm=Temel (2)"), so a link breaks when the
language changes and cannot be written by hand. Widgets with a ``format_func`` therefore
use these two calls instead: :func:`seed` before the widget and :func:`sync` after it (the
URL follows every change; the default is left out).

Who wins: a URL value the app did not write itself (a shared link, a page link carrying the
filters, a hand-edited address) wins over the widget; otherwise the widget's current value,
else the last choice made on any page (Streamlit forgets a widget's value when a page without
it runs, and gives a freshly drawn widget its default even when the key still holds a value,
so the value is written back into the key before every draw). A URL value that names no
option is never silently replaced: :func:`seed` records it and :func:`warn_refused` says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

_LAST = "_url_last"  # what the URL said for each key when this app last read or wrote it
_REFUSED = "_url_refused"  # (key, raw value, reason) of this run, for warn_refused
# Filters a navigation link carries to the next page (the municipality, language and year).
CARRIED = ("m", "lang", "y")


def _shadow(key: str) -> str:
    return f"_url_value_{key}"


def _raw(key: str, multi: bool) -> Any:
    if key not in st.query_params:
        return None
    return list(st.query_params.get_all(key)) if multi else st.query_params.get(key)


def url_is_new(key: str, multi: bool = False) -> bool:
    """Whether the URL's ``key`` is a value this app did not write (a link or a typed address)."""
    raw = _raw(key, multi)
    return raw is not None and raw != st.session_state.get(_LAST, {}).get(key)


def _refuse(key: str, raw: object, reason: str = "unknown") -> None:
    st.session_state.setdefault(_REFUSED, []).append((key, str(raw), reason))


def seed(key: str, options: Sequence[Any], multi: bool = False) -> None:
    """Before the widget: put the value it must show into ``st.session_state[key]``."""
    by_code = {str(o): o for o in options}
    if url_is_new(key, multi):
        raw = _raw(key, multi)
        st.session_state.setdefault(_LAST, {})[key] = raw
        if multi:
            values, seen = [], set()
            for r in raw:
                if r not in by_code:
                    _refuse(key, r)
                elif r in seen:
                    _refuse(key, r, "duplicate")
                else:
                    seen.add(r)
                    values.append(by_code[r])
            if values:
                st.session_state[key] = values
                st.session_state[_shadow(key)] = values
        elif raw in by_code:
            st.session_state[key] = by_code[raw]
            st.session_state[_shadow(key)] = by_code[raw]
            return
        else:
            _refuse(key, raw)
        if multi and values:
            return
    current = st.session_state.get(key)
    if multi:
        ok = isinstance(current, list) and all(str(v) in by_code for v in current)
        kept = [by_code[str(v)] for v in (current if ok else st.session_state.get(_shadow(key)) or [])
                if str(v) in by_code]
        if ok or kept:
            st.session_state[key] = kept if not ok else [by_code[str(v)] for v in current]
        return
    for candidate in (current, st.session_state.get(_shadow(key))):
        if candidate is not None and str(candidate) in by_code:
            st.session_state[key] = by_code[str(candidate)]
            return
    st.session_state.pop(key, None)


def sync(key: str, value: Any, default: Any = None) -> None:
    """Write the widget's value to the URL as codes; remove the parameter at the default."""
    if value is not None:
        st.session_state[_shadow(key)] = value
    last = st.session_state.setdefault(_LAST, {})
    if value is None or value == default or (isinstance(value, list) and default is not None
                                             and sorted(map(str, value)) == sorted(map(str, default))):
        if key in st.query_params:
            del st.query_params[key]
        last[key] = None
        return
    coded = [str(v) for v in value] if isinstance(value, list) else str(value)
    st.query_params[key] = coded
    last[key] = coded


def carried() -> dict[str, str]:
    """The filters a link to another page should carry (the current choices, codes only)."""
    out: dict[str, str] = {}
    for key in CARRIED:
        value = st.query_params.get(key)
        if value is None and st.session_state.get(_LAST, {}).get(key, "") is not None:
            # Not yet written this run (or wiped by a page switch): the last choice, unless it
            # was the default (sync removed it from the URL then).
            shadow = st.session_state.get(_shadow(key))
            value = None if shadow is None else str(shadow)
        if value is not None:
            out[key] = value
    return out


def refused() -> bool:
    """Whether this run ignored a URL value not yet named in a warning."""
    return bool(st.session_state.get(_REFUSED))


def warn_refused(describe: Callable[[str, str, str], str]) -> None:
    """One warning naming every URL value this run ignored (``describe(key, raw, reason)``)."""
    refused = st.session_state.pop(_REFUSED, [])
    if refused:
        st.warning("  \n".join(describe(k, r, why) for k, r, why in refused), icon=":material/block:")
