"""One page of a source PDF as a PNG image, for the Sources page viewer.

Only a picture of the page: the app never reads data out of a PDF (the warehouse holds what
the ETL extracted). Document ids arrive from URLs (``?doc=``), so a document id is resolved
strictly as ``<raw folder>/<municipality_id>/<file>.pdf`` and anything else is refused: no
absolute paths, no ``..``, no other depth, nothing that resolves (through symlinks) outside the
raw folder. The raw folder is ``$IZLEK_RAW``, else ``data/raw`` under the repository root.

A page is drawn in a child process (:class:`etl.sandbox.Sandbox`, the build's sandbox) with a
time and a memory limit: a PDF that explodes when drawn (nested form XObjects) would otherwise
take the dashboard's server, and every reader with it, to many GB from one URL.
"""

from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

from etl.sandbox import Limits, Sandbox, SandboxFailure

log = logging.getLogger("izlek.page_image")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO_ROOT / "data" / "raw"
RAW_ENV = "IZLEK_RAW"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# 2 × 72 dpi: an A4 page becomes ~1190 px wide, sharp enough to read small table print.
DEFAULT_SCALE = 2.0
# Whatever the page size or the scale asked for, an image has at most this many pixels and
# this long a side: a 14,400 pt page at scale 2 would be 28,800 px square (3.3 GB of RGB).
MAX_PIXELS = 6_000_000
MAX_SIDE = 4000

# PDFium is not thread-safe and Streamlit runs one thread per session: one call at a time.
_pdfium_lock = threading.Lock()
# Drawing one page: resident memory and time the child may use (the server itself stays ~300 MB).
DRAW_LIMITS = Limits(memory_mb=1536, resident_mb=512, wall_s=30)
_sandbox_lock = threading.Lock()
_sandbox: Sandbox | None = None


class PageUnavailable(ValueError):
    """The page cannot be shown; ``reason`` says why ("refused", "missing", "page", "unreadable")."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def raw_folder() -> Path:
    """The folder holding ``<municipality_id>/<file>.pdf``: ``$IZLEK_RAW`` or ``data/raw``."""
    configured = os.environ.get(RAW_ENV, "").strip()
    return (Path(configured).expanduser() if configured else DEFAULT_RAW).resolve()


def resolve(document_id: str) -> Path:
    """The PDF file of ``document_id`` ("<municipality_id>/<file>.pdf") inside the raw folder.

    Raises :class:`PageUnavailable` with reason "refused" for anything that is not exactly such
    an id or would leave the raw folder, and "missing" when the file is not there.
    """
    doc = str(document_id or "")
    parts = doc.split("/")
    if (len(parts) != 2 or any(p in ("", ".", "..") for p in parts) or "\\" in doc or "\x00" in doc
            or ":" in doc or not parts[1].lower().endswith(".pdf")):
        raise PageUnavailable("refused", f"not a document id of the form <municipality>/<file>.pdf: {doc[:120]!r}")
    root = raw_folder()
    path = (root / parts[0] / parts[1]).resolve()
    if not path.is_relative_to(root):
        raise PageUnavailable("refused", f"{doc[:120]!r} resolves outside the raw folder")
    if not path.is_file():
        raise PageUnavailable("missing", f"{path} does not exist (was the raw folder moved?)")
    return path


def page_count(document_id: str) -> int:
    """Number of pages of the document's PDF."""
    path = resolve(document_id)
    stat = path.stat()
    return _page_count(str(path), stat.st_mtime_ns, stat.st_size)


Box = tuple[float, float, float, float, float, float]  # x1, y1, x2, y2, page width, page height (PDF points)
_OUTLINE = (0, 114, 178)  # the palette's blue: visible on white and on the tables' light fills


def render(document_id: str, page: int, scale: float = DEFAULT_SCALE, boxes: tuple[Box, ...] = ()) -> bytes:
    """Page ``page`` (1-based) of the document as PNG bytes, with ``boxes`` (tables) outlined.

    Raises :class:`PageUnavailable`: "refused" / "missing" (see :func:`resolve`), "page" when
    the page number is out of range, "unreadable" when PDFium cannot open the file.
    """
    path = resolve(document_id)
    stat = path.stat()
    try:
        number = int(page)
    except (TypeError, ValueError, OverflowError):
        raise PageUnavailable("page", f"page must be a number, not {str(page)[:20]!r}") from None
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        scale = DEFAULT_SCALE
    if not 0 < scale < 100:  # also NaN and infinity
        scale = DEFAULT_SCALE
    pages = _page_count(str(path), stat.st_mtime_ns, stat.st_size)
    if not 1 <= number <= pages:
        raise PageUnavailable("page", f"page {number} is outside 1–{pages}")
    # The file's mtime and size are part of the cache key, so a replaced PDF is drawn afresh.
    return _render(str(path), stat.st_mtime_ns, stat.st_size, number, scale, tuple(boxes))


def capped_scale(width_pt: float, height_pt: float, scale: float) -> float:
    """``scale``, lowered so that the page image stays within :data:`MAX_PIXELS` and :data:`MAX_SIDE`."""
    w, h = max(width_pt, 1.0), max(height_pt, 1.0)
    # 0.995: PDFium rounds the pixel size up.
    return min(scale, 0.995 * MAX_SIDE / max(w, h), 0.995 * (MAX_PIXELS / (w * h)) ** 0.5)


@contextmanager
def _opened(path: str) -> Iterator[pdfium.PdfDocument]:
    """The PDF, opened and closed under the lock (PDFium is not thread-safe)."""
    with _pdfium_lock:
        try:
            pdf = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            # Readers see the file's name and what to do; the path and PDFium's words go to the log.
            log.warning("%s: PDFium cannot open it: %s", path, exc)
            raise PageUnavailable("unreadable", f"{Path(path).name}: the file is damaged or not a PDF; "
                                                "download it again and rebuild") from None
        try:
            yield pdf
        finally:
            pdf.close()


@lru_cache(maxsize=64)
def _page_count(path: str, _mtime: int, _size: int) -> int:
    with _opened(path) as pdf:
        return len(pdf)


def draw_page(path: str, page: int, scale: float) -> bytes:
    """The page as PNG bytes at the capped scale (what the sandbox child runs)."""
    with _opened(path) as pdf:
        pdf_page = pdf[page - 1]
        width, height = pdf_page.get_size()
        image = pdf_page.render(scale=capped_scale(width, height, scale)).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _drawn(path: str, page: int, scale: float) -> bytes:
    global _sandbox
    with _sandbox_lock:  # one child, one page at a time (PDFium is not thread-safe anyway)
        if _sandbox is None:
            _sandbox = Sandbox(DRAW_LIMITS, preload=("app.page_image",))
        try:
            return _sandbox.call(draw_page, path, page, scale)
        except SandboxFailure as exc:
            log.warning("%s, page %s: drawing failed (%s): %s", path, page, exc.kind, str(exc)[:2000])
            if exc.kind == "error" and "PageUnavailable" in str(exc):
                raise PageUnavailable("unreadable", f"{Path(path).name}: the file is damaged or not a PDF; "
                                                    "download it again and rebuild") from None
            why = {"timeout": "it took too long", "memory": "it needed too much memory",
                   "start": "the drawing process could not start; try again in a while"}.get(
                       exc.kind, "the page is damaged")
            raise PageUnavailable("unreadable", f"{Path(path).name}, page {page}: drawing it was stopped "
                                                f"({why}); the rows read from it are still listed") from None


@lru_cache(maxsize=32)
def _render(path: str, _mtime: int, _size: int, page: int, scale: float, boxes: tuple[Box, ...] = ()) -> bytes:
    png = _drawn(path, page, scale)
    if not boxes:
        return png
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if boxes:
        from PIL import ImageDraw

        draw = ImageDraw.Draw(image)
        for x1, y1, x2, y2, width, height in boxes:
            # PDF points, origin bottom-left → pixels, origin top-left (the page may be scaled).
            sx, sy = image.width / (width or image.width), image.height / (height or image.height)
            draw.rectangle([x1 * sx - 3, (height - y2) * sy - 3, x2 * sx + 3, (height - y1) * sy + 3],
                           outline=_OUTLINE, width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
