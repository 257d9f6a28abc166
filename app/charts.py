"""One chart theme for screen and export, and the chart file export (kaleido + system Chromium).

Colours for the marker levels come from the Okabe–Ito palette, which stays distinguishable
for the common colour-vision deficiencies.
"""

from __future__ import annotations

import shutil
from functools import cache

import plotly.graph_objects as go
import plotly.io as pio

MARKER_COLOURS = {2: "#D55E00", 1: "#E69F00", 0: "#999999"}  # principal, significant, not targeted
STATUS_COLOURS = {"met": "#009E73", "partial": "#E69F00", "not_met": "#D55E00", "no_data": "#BBBBBB"}
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

TEMPLATE = go.layout.Template(layout=go.Layout(
    font={"family": "DejaVu Sans, Arial, sans-serif", "size": 13, "color": "#222222"},
    colorway=SERIES_COLOURS, paper_bgcolor="white", plot_bgcolor="white",
    xaxis={"gridcolor": "#E5E5E5", "zeroline": False}, yaxis={"gridcolor": "#E5E5E5", "zeroline": False},
    legend={"orientation": "h", "y": -0.2}, margin={"l": 60, "r": 20, "t": 60, "b": 60},
))
pio.templates["izlek"] = TEMPLATE


def themed(fig: go.Figure, title: str | None = None) -> go.Figure:
    """Apply the İzlek theme (and a title) so screen and exported file look the same."""
    fig.update_layout(template="izlek", title=title or fig.layout.title.text)
    return fig


@cache
def chromium_path() -> str | None:
    """The system Chromium kaleido drives, or None when the machine has none."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class ExportUnavailable(RuntimeError):
    """Static export needs Chromium, which is not installed."""


def figure_bytes(fig: go.Figure, fmt: str, width: int = 1100, height: int = 600) -> bytes:
    """Render ``fig`` as png / svg / pdf with kaleido and the system Chromium."""
    if chromium_path() is None:
        raise ExportUnavailable("no chromium on PATH")

    return fig.to_image(format=fmt, width=width, height=height, scale=2 if fmt == "png" else 1)
