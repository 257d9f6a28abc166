"""Small hostile PDFs written byte by byte, for the sandbox and the page viewer tests.

Each function returns the bytes of a file that attacks one part of the reader: exponential
nested form XObjects, a cyclic page tree, a 14,400 pt page, a huge (but tiny compressed)
image, JavaScript actions, garbage after ``%%EOF``, and an HTML error page saved as ``.pdf``.
"""

from __future__ import annotations

import os
import signal
import time
import zlib
from pathlib import Path


def _pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF with ``objects`` numbered 1…n and a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_page(text: bytes, size: tuple[int, int] = (595, 842), extra_resources: bytes = b"",
               content_extra: bytes = b"") -> list[bytes]:
    """Catalog, pages, one page with a line of Helvetica text (objects 1-5)."""
    content = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET\n" + content_extra
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> %s>> >>" % (size[0], size[1], extra_resources),
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


TITLE = b"T.C. DENEME BELEDIYESI 2024 YILI FAALIYET RAPORU"


def nested_forms(depth: int = 40) -> bytes:
    """Form X0 draws X1 twice, X1 draws X2 twice, …: 2**depth form draws from a few KB."""
    objs = _text_page(TITLE, extra_resources=b"/XObject << /X0 6 0 R >> ", content_extra=b"/X0 Do\n")
    for level in range(depth):
        me = 6 + level
        if level + 1 < depth:
            body = b"q /X%d Do Q q /X%d Do Q 0 0 m 10 10 l S" % (level + 1, level + 1)
            res = b"/Resources << /XObject << /X%d %d 0 R >> >> " % (level + 1, me + 1)
        else:
            body, res = b"0 0 m 10 10 l S", b""
        objs.append(_stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] " + res))
    return _pdf(objs)


def cyclic_page_tree() -> bytes:
    """A Pages node whose kid is itself (and a page pointing back at the root)."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Parent 3 0 R /Count 1 >>",
    ])


def huge_page(points: int = 14400) -> bytes:
    """One 14,400 × 14,400 pt page (the largest PDF allows): 200 inches square."""
    return _pdf(_text_page(TITLE, size=(points, points)))


def huge_image(side: int = 20000) -> bytes:
    """A page with a ``side`` × ``side`` grey image that compresses to a few hundred KB."""
    raw = zlib.compress(b"\x80" * (side * side), 9)
    objs = _text_page(TITLE, extra_resources=b"/XObject << /Im0 6 0 R >> ",
                      content_extra=b"q 500 0 0 700 40 40 cm /Im0 Do Q\n")
    objs.append(_stream(raw, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                             b"/BitsPerComponent 8 /Filter /FlateDecode " % (side, side)))
    return _pdf(objs)


def javascript() -> bytes:
    """An OpenAction with JavaScript and a Launch action: must never run, only be read."""
    objs = _text_page(TITLE)
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /AA << /WC 7 0 R >> >>"
    objs.append(b"<< /S /JavaScript /JS (app.alert\\('x'\\); this.exportDataObject\\({cName: 'a'}\\);) >>")
    objs.append(b"<< /S /Launch /F (/bin/sh) >>")
    return _pdf(objs)


def garbage_after_eof() -> bytes:
    """A valid file followed by 64 KB of junk (and a fake second trailer)."""
    return _pdf(_text_page(TITLE)) + b"\x00\xff junk " * 6000 + b"\n"


def html_error_page() -> bytes:
    """What a failed download saves under the PDF's name."""
    return (b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
            b"<body><h1>Service Unavailable</h1><script>alert(1)</script></body></html>\n")


# What a sandbox child runs in tests/integration/test_sandbox.py: module-level (the child imports them) and
# in this module, which imports nothing heavy, so a tight memory limit is not spent on imports.
def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _grow(total_mb: int, step_mb: int = 32, pause_s: float = 0.02) -> int:
    """Touch memory a step at a time, as a PDF that explodes slowly does (no single huge request)."""
    held = []
    for _ in range(total_mb // step_mb):
        held.append(bytearray(step_mb * 1024 * 1024))  # zero-filled: resident at once
        time.sleep(pause_s)
    return len(held)


def _grow_in_grandchild(total_mb: int, pid_file: str | None = None) -> str:
    """Grow memory two processes down, where the lattice worker's forked reader runs (its
    process id written to ``pid_file``); the child itself holds nothing and waits."""
    pid = os.fork()
    if pid == 0:
        inner = os.fork()
        if inner == 0:
            try:
                if pid_file:
                    Path(pid_file).write_text(str(os.getpid()))
                _grow(total_mb)
            finally:
                os._exit(0)
        os.waitpid(inner, 0)
        os._exit(0)
    os.waitpid(pid, 0)
    return "grew"


def _abort() -> None:
    os.kill(os.getpid(), signal.SIGABRT)


def _raise() -> None:
    raise ValueError("boom")


def _pid() -> int:
    return os.getpid()
