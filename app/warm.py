"""Work every page's first run in a fresh server process would otherwise do for its first reader.

Measured with cProfile on the Gender budget page (bench/dashboard_speed.py, README "speed"): the
first run in a new process took 1.7 s of which about 1.2 s was one-time work — Streamlit's emoji
table (0.4 s of regular expressions, compiled by the first ``segmented_control``), pandas' Styler
with its Jinja templates (0.4 s, the first table with the language's number format), plotly's
validators for each trace type (0.2 s), the page modules themselves; the same run later took
0.55 s. :func:`warm_up` does that work while the server starts, in a thread, so the first reader
of each page does not wait for it.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import threading
import warnings


def _work() -> None:
    import pandas as pd
    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.subplots import make_subplots

    import app.views
    from app import charts, data, ui  # noqa: F401  (imported for their import time)

    # Every view module (each page's queries, figures and texts).
    for module in pkgutil.iter_modules(app.views.__path__):
        importlib.import_module(f"app.views.{module.name}")
    import streamlit.emojis  # noqa: F401  (the segmented control's label check compiles it)

    # The Styler every table goes through (ui.number_display), and its templates.
    frame = pd.DataFrame({"a": [1.5, None], "b": ["x", "y"]})
    styler = frame.style.format(na_rep="–").format({"a": "{:,.2f}"}, thousands=".", decimal=",")
    styler._compute()
    # Plotly's validators load per trace and layout type on first use.
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Bar(x=["a"], y=[1], marker={"color": "#000"}), row=1, col=1)
    fig.add_trace(go.Scatter(x=["a"], y=[1], mode="lines+markers"), row=1, col=2)
    fig.add_trace(go.Heatmap(z=[[1]], x=["a"], y=["b"]))
    charts.themed(fig)
    fig.update_layout(separators=",.", legend={"orientation": "h"}, title={"text": "x"})
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    pio.to_json(fig)
    # The warehouse connection (read-only, cached per file by app.data).
    if data.warehouse_exists():
        data.query("select 1")


def warm_up() -> threading.Thread:
    """Start :func:`_work` in a daemon thread (a failure there only loses the head start)."""

    def run() -> None:
        # The pages do the same work again and report its errors themselves.
        with warnings.catch_warnings(), contextlib.suppress(Exception):
            warnings.simplefilter("ignore")
            _work()

    thread = threading.Thread(target=run, name="izlek-warm-up", daemon=True)
    thread.start()
    return thread
