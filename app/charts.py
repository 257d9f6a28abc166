"""One chart theme for screen and export, and the chart file export (kaleido + system Chromium).

Colours for the marker levels come from the Okabe–Ito palette, which stays distinguishable
for the common colour-vision deficiencies.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import threading
import warnings
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

# plotly.js in the browser speaks English (Streamlit's bundle registers only the "en" locale): its
# toolbar's tooltips and notices, and month and day names on date axes. A chart's config can carry
# a locale itself (plotly.js ``config.locales``); this is Turkish for what our 2D charts show.
PLOTLY_LOCALE_TR = {
    "dictionary": {
        "Autoscale": "Otomatik ölçek", "Box Select": "Kutuyla seç", "Lasso Select": "Kementle seç",
        "Download plot as a PNG": "Grafiği PNG olarak indir", "Download plot": "Grafiği indir",
        "Pan": "Kaydır", "Reset axes": "Eksenleri sıfırla", "Reset view": "Görünümü sıfırla",
        "Reset views": "Görünümleri sıfırla", "Reset": "Sıfırla", "Toggle Spike Lines": "Kılavuz çizgilerini aç/kapat",
        "Show closest data on hover": "Üzerine gelince en yakın veriyi göster",
        "Compare data on hover": "Üzerine gelince verileri karşılaştır",
        "Toggle show closest data on hover": "En yakın veriyi göstermeyi aç/kapat",
        "Zoom": "Yakınlaştır (alan seç)", "Zoom in": "Yakınlaştır", "Zoom out": "Uzaklaştır",
        "Preparing image - this may take a few seconds": "Görüntü hazırlanıyor, birkaç saniye sürebilir",
        "Image download succeeded": "Görüntü indirildi",
        "Sorry, there was a problem downloading your image!": "Görüntü indirilemedi.",
        "Double-click to zoom back out": "Geri uzaklaştırmak için çift tıklayın",
        "Double-click on legend to isolate one trace": "Tek bir seriyi ayırmak için göstergeye çift tıklayın",
        "Click to enter Colorscale title": "Renk ölçeği başlığı", "Click to enter X axis title": "X ekseni başlığı",
        "Click to enter Y axis title": "Y ekseni başlığı", "Click to enter Plot title": "Grafik başlığı",
        "Snapshot succeeded": "Görüntü alındı",
    },
    "format": {
        "days": ["Pazar", "Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi"],
        "shortDays": ["Paz", "Pzt", "Sal", "Çar", "Per", "Cum", "Cmt"],
        "months": ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
                   "Kasım", "Aralık"],
        "shortMonths": ["Oca", "Şub", "Mar", "Nis", "May", "Haz", "Tem", "Ağu", "Eyl", "Eki", "Kas", "Ara"],
        "date": "%d.%m.%Y",
    },
}


def plotly_config(lang: str, filename: str) -> dict:
    """``st.plotly_chart``'s config: no plotly logo, the toolbar's PNG named like our files, and in
    Turkish the Turkish locale for the toolbar and date axes."""
    config: dict = {"displaylogo": False, "toImageButtonOptions": {"filename": filename}}
    if lang == "tr":
        config |= {"locale": "tr", "locales": {"tr": PLOTLY_LOCALE_TR}}
    return config


def themed(fig: go.Figure, title: str | None = None) -> go.Figure:
    """Apply the İzlek theme (and a title) so screen and exported file look the same.

    Plotly draws a subset of HTML in tick labels, texts and legend names; the labels and texts
    of the data (objective titles, directorates, municipality names) are escaped here, once, so a
    document's ``<a href=…>`` or ``<b>`` is shown as written.
    """
    fig.update_layout(template="izlek", title=title or fig.layout.title.text)
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    if not meta.get("izlek_escaped"):
        for trace in fig.data:
            for attr in ("x", "y", "text", "hovertext", "labels"):
                values = getattr(trace, attr, None)
                if values is not None and not isinstance(values, str) and any(isinstance(v, str) for v in values):
                    setattr(trace, attr, [html.escape(v, quote=False) if isinstance(v, str) else v for v in values])
            if isinstance(getattr(trace, "name", None), str):
                trace.name = html.escape(trace.name, quote=False)
        # Titles are plain text too (pages build them from names; wrapping adds <br> only at export).
        fig.update_layout(title_text=html.escape(fig.layout.title.text or "", quote=False),
                          meta={**meta, "izlek_escaped": True})
    return fig


_PERCENT_AFTER = re.compile(r"(%\{[^}]*\})%")


def localised_percent(fig: go.Figure, lang: str) -> go.Figure:
    """Percent signs where the language writes them: "%60" in Turkish, "60%" in English.

    Pages write hover and text templates ("%{y:.1f}%") and axis suffixes the English way; in
    Turkish the sign moves before the number, so a chart never shows "%60" beside "10%".
    """
    if lang != "tr":
        return fig
    for trace in fig.data:
        for attr in ("hovertemplate", "texttemplate"):
            value = getattr(trace, attr, None)
            if isinstance(value, str) and "%" in value:
                setattr(trace, attr, _PERCENT_AFTER.sub(r"%\1", value))
            elif isinstance(value, tuple | list):
                setattr(trace, attr, [_PERCENT_AFTER.sub(r"%\1", v) if isinstance(v, str) else v for v in value])
        colorbar = getattr(getattr(trace, "marker", None), "colorbar", None) if hasattr(trace, "marker") else None
        for bar in (getattr(trace, "colorbar", None), colorbar):
            if bar is not None and bar.ticksuffix == "%":
                bar.update(ticksuffix=None, tickprefix="%")

    def move(axis) -> None:
        if axis.ticksuffix == "%":
            axis.update(ticksuffix=None, tickprefix="%")

    fig.for_each_xaxis(move)
    fig.for_each_yaxis(move)
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


# One warm kaleido (a Chromium kept open) for the whole process: a cold export costs 1.5–2.5 s,
# a warm one about 0.15 s. Kaleido's sync server is one object; calls are serialised here.
_kaleido_lock = threading.Lock()
_kaleido_started = False


# Kaleido's Chromium as one process: by default it runs a browser, two zygotes, a GPU, a network,
# a storage and three renderer processes, 1.1 GB of resident memory together for one export;
# in one process 0.4 GB, the same files (bench/server_rss.py measures the server's whole tree).
# ``IZLEK_CHROMIUM_FLAGS`` replaces these flags ("" for Chromium's own process model).
LEAN_CHROMIUM_FLAGS = ("--single-process", "--no-zygote")
CHROMIUM_FLAGS_ENV = "IZLEK_CHROMIUM_FLAGS"
_lean_failed = False  # set when a one-process Chromium hung or died: the retry uses the default model


def chromium_flags() -> tuple[str, ...]:
    """The flags added to kaleido's Chromium: ``$IZLEK_CHROMIUM_FLAGS`` or :data:`LEAN_CHROMIUM_FLAGS`."""
    given = os.environ.get(CHROMIUM_FLAGS_ENV)
    if given is not None:
        return tuple(given.split())
    # Once the one-process Chromium hung or died in this process, Chromium's own model takes over.
    return () if _lean_failed else LEAN_CHROMIUM_FLAGS


def _lean_chromium(flags: tuple[str, ...]):
    """choreographer's Chromium (what kaleido drives) with ``flags`` at the end of its command line;
    passed to kaleido as ``browser_cls``, choreographer's documented way to choose the browser."""
    from choreographer.browsers.chromium import Chromium

    class LeanChromium(Chromium):
        def get_cli(self):  # noqa: ANN202  (choreographer's signature)
            return [*super().get_cli(), *flags]

    return LeanChromium


# Chromium grows export after export (0.4 GB at start, 0.6 GB after forty): past this it is
# stopped after the export, and the next one starts a fresh one (2 s once in a while).
KALEIDO_MAX_MB = 600


def chromium_rss_mb(root: int | None = None) -> float:
    """Resident memory of the Chromium processes under ``root`` (this process), in MB (Linux; 0 elsewhere)."""
    root = os.getpid() if root is None else root
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return 0.0
    for e in entries:
        try:
            with open(f"/proc/{e}/stat", encoding="ascii", errors="replace") as fh:
                head, rest = fh.read().rsplit(")", 1)
            parents[int(e)] = int(rest.split()[1])
            names[int(e)] = head.split("(", 1)[1]
        except (OSError, IndexError, ValueError):
            continue
    total_kb = 0
    for pid, name in names.items():
        if "chrom" not in name:
            continue
        p, seen = pid, set()
        while p not in (0, 1, root) and p not in seen:
            seen.add(p)
            p = parents.get(p, 0)
        if p != root:
            continue
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
                total_kb += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError):
            continue
    return total_kb / 1024


def _recycle_if_grown() -> None:
    """Stop the warm kaleido when its Chromium has grown past :data:`KALEIDO_MAX_MB` (call under the lock)."""
    if _kaleido_started and chromium_rss_mb() > KALEIDO_MAX_MB:
        stop_kaleido()


def stop_kaleido() -> None:
    """Stop the warm kaleido and its Chromium, if running (call under the lock); the next export starts one."""
    global _kaleido_started
    if _kaleido_started:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _kaleido_started = False


class _KaleidoDied(ExportUnavailable):
    """Kaleido's server thread ended (its Chromium did not start, or died): no answer will come."""


def _image(fig: go.Figure, **kwargs) -> bytes:
    """``fig.to_image(**kwargs)`` on the warm kaleido (call under the lock), never waiting forever.

    Kaleido's sync server answers from a thread that drives Chromium; when Chromium fails to
    start or dies, that thread ends and a request waits on its queue forever, holding every
    later export behind the lock. So the request runs in a thread of its own, and while it
    waits the server thread is watched: if that ends, the server is reset and
    :class:`_KaleidoDied` raised.
    """
    global _kaleido_started
    _warm_kaleido()
    import kaleido

    server = getattr(kaleido, "_global_server", None)
    result: dict = {}

    def run() -> None:
        try:
            with warnings.catch_warnings():  # plotly warns that kaleido's options go unused with a server
                warnings.simplefilter("ignore", UserWarning)
                result["data"] = fig.to_image(**kwargs)
        except BaseException as exc:  # noqa: BLE001  (re-raised below, in the caller's thread)
            result["error"] = exc

    request = threading.Thread(target=run, name="izlek-kaleido-request", daemon=True)
    request.start()
    while request.is_alive():
        request.join(0.5)
        worker = getattr(server, "_thread", None)
        if request.is_alive() and worker is not None and not worker.is_alive():
            kaleido.stop_sync_server(silence_warnings=True)  # joins the dead thread, resets the singleton
            _kaleido_started = False
            raise _KaleidoDied("kaleido's Chromium stopped")  # the request thread stays blocked; daemon
    if isinstance(result.get("error"), TimeoutError):
        # A render that hung past kaleido's timeout (seen once in a loaded test run): the next
        # try gets a fresh Chromium rather than the one that hung.
        kaleido.stop_sync_server(silence_warnings=True)
        _kaleido_started = False
        raise _KaleidoDied("kaleido's Chromium did not answer in time")
    if "error" in result:
        raise result["error"]
    return result["data"]


def _warm_kaleido() -> None:
    global _kaleido_started
    if not _kaleido_started:
        import kaleido

        # timeout: seconds per render (kaleido's default 90); a render takes 0.2-10 s even on a loaded machine.
        kaleido.start_sync_server(silence_warnings=True, browser_cls=_lean_chromium(chromium_flags()), timeout=45)
        _kaleido_started = True


_prewarm_asked = False


def prewarm() -> None:
    """Start the warm kaleido in the background, so the first download does not wait 2–6 s:
    its Chromium, and plotly.js loaded in it by drawing one small figure."""
    global _prewarm_asked
    if _prewarm_asked or _kaleido_started or chromium_path() is None:
        return
    _prewarm_asked = True

    def start() -> None:
        with _kaleido_lock, contextlib.suppress(ExportUnavailable):
            _image(go.Figure(go.Bar(x=[1], y=[1])), format="png", width=100, height=100)

    threading.Thread(target=start, name="izlek-kaleido-warm", daemon=True).start()


FOOTER_PX = 34  # the strip under the plot that holds the source line


def export_layout(fig: go.Figure, footer: str | None = None, width: int = 1100, height: int = 600) -> go.Figure:
    """A copy of ``fig`` laid out for a file: margins that fit every label, the legend under
    the plot, the title wrapped to the width, and the source line at the bottom edge."""
    out = go.Figure(fig)
    out.update_layout(template="izlek", width=width, height=height)
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    chars = max(30, width // 11)
    # A colour bar's labels and an axis drawn on top need room plotly's automargin does not give.
    colour_bar = any(getattr(tr, "type", "") in ("heatmap", "contour") and tr.showscale is not False for tr in out.data)
    top_axis = out.layout.xaxis.side == "top"
    title = wrap(out.layout.title.text or "", chars)
    bottom = 70 + (FOOTER_PX if footer else 0)
    out.update_layout(title={"text": title, "x": 0.01, "xanchor": "left", "yref": "container", "y": 0.99,
                             "yanchor": "top"},
                      legend={"orientation": "h", "yref": "container", "y": FOOTER_PX / height if footer else 0,
                              "yanchor": "bottom", "x": 0, "xanchor": "left"},
                      margin={"t": 50 + 22 * title.count("<br>") + (30 if top_axis else 0), "b": bottom, "l": 60,
                              "r": 150 if colour_bar else 30})
    if footer:
        # Paper y=0 is the plot's bottom edge; the footer sits at the figure's bottom edge.
        plot_height = max(1.0, height - out.layout.margin.t - bottom)
        out.add_annotation(text=html.escape(footer), xref="paper", yref="paper", x=0, xanchor="left",
                           y=-(bottom - 6) / plot_height, yanchor="bottom", showarrow=False, align="left",
                           font={"size": 10, "color": "#555555"})
    return out


def wrap(text: str, width: int) -> str:
    """Break a title into lines of at most ``width`` characters with ``<br>`` (plotly does not wrap)."""
    if len(text) <= width or "<br>" in text:
        return text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def figure_bytes(fig: go.Figure, fmt: str, width: int = 1100, height: int | None = None,
                 footer: str | None = None, title: str | None = None) -> bytes:
    """Render ``fig`` as png / svg / pdf with a warm kaleido and the system Chromium.

    The height grows with the figure's own (a 60-row heatmap keeps its rows readable), the
    ``footer`` (the source line) sits at the bottom edge, and a PDF carries ``title`` in its
    metadata instead of kaleido's "Kaleido-fier".
    """
    if chromium_path() is None:
        raise ExportUnavailable("no chromium on PATH")
    height = height or max(600, int(fig.layout.height or 0) + 80)
    out = export_layout(fig, footer, width, height)
    with _kaleido_lock:
        try:
            data = _image(out, format=fmt, width=width, height=height, scale=2 if fmt == "png" else 1)
        except _KaleidoDied:
            # Its Chromium failed to start, died or hung (once in a full test run, on a loaded
            # machine): once more with a fresh one in Chromium's default process model.
            global _lean_failed
            _lean_failed = True
            data = _image(out, format=fmt, width=width, height=height, scale=2 if fmt == "png" else 1)
        _recycle_if_grown()
    if fmt == "pdf" and title:
        data = pdf_with_title(data, title)
    return data


def pdf_with_title(pdf: bytes, title: str) -> bytes:
    """``pdf`` with ``title`` as its document title, by an incremental update (a new Info dictionary
    appended after the file, as the PDF standard allows; nothing before it moves)."""
    trailer = pdf[pdf.rfind(b"trailer"):]
    root = re.search(rb"/Root\s+(\d+\s+\d+)\s+R", trailer)
    size = re.search(rb"/Size\s+(\d+)", trailer)
    prev = re.search(rb"startxref\s+(\d+)", trailer)
    if not (root and size and prev):
        return pdf  # not a classic trailer: keep kaleido's file rather than risk breaking it
    n = int(size.group(1))
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    offset = len(body)
    hex_title = ("FEFF" + title.encode("utf-16-be").hex().upper()).encode()
    obj = b"%d 0 obj\n<</Title <%s> /Creator (Izlek) /Producer (Izlek, plotly, kaleido)>>\nendobj\n" % (
        n, hex_title)
    xref_at = offset + len(obj)
    xref = b"xref\n%d 1\n%010d 00000 n \n" % (n, offset)
    tail = b"trailer\n<</Size %d /Root %s R /Info %d 0 R /Prev %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        n + 1, root.group(1), n, prev.group(1), xref_at)
    return body + obj + xref + tail
