"""Child process of an upload: check one PDF in the build's sandbox, print one JSON line.

    python -m app.upload_worker FILE MUNICIPALITY_ID [--max-pages N] [--memory-mb M] [--cpu-s S] [--wall-s W]

Run by :func:`app.upload.parse_in_subprocess`, never by the dashboard's own process. This process
stays light (it imports neither PDFium nor camelot): it reads the file in an
:class:`etl.sandbox.Sandbox` child, the very implementation the build uses per document, with
its limits — address space, CPU time, wall time and the watch on resident memory — so a PDF that
crashes PDFium, loops or eats memory takes only that child down, and the upload and the build
say the same thing about the same file. The last stdout line is ``IZLEK_UPLOAD_RESULT {json}``
with the document's status, type, years, pages and message, or ``error`` (the sandbox's kind:
"timeout", "memory", "crashed", "error", "start") and ``detail``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# etl.sandbox imports nothing heavy: this parent never loads numpy, PDFium or camelot.
from etl.sandbox import OUT_OF_MEMORY, Limits, Sandbox, SandboxFailure, looks_out_of_memory

RESULT_MARKER = "IZLEK_UPLOAD_RESULT "  # same as app.upload.RESULT_MARKER (not imported: keep this lean)
__all__ = ["OUT_OF_MEMORY", "check", "main"]


def _emit(summary: dict) -> None:
    sys.stdout.write(RESULT_MARKER + json.dumps(summary, default=str) + "\n")
    sys.stdout.flush()


def check(path: str, municipality_id: str, max_pages: int, raw: str | None) -> dict:
    """In the sandbox child: count pages, extract, apply the build's wrong-municipality rule; the summary."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
        pages = len(pdf)
        pdf.close()
    except pdfium.PdfiumError:
        pages = None  # extract_document explains damaged or encrypted files in its own words
    if pages is not None and pages > max_pages:
        return {"status": "failed", "error": "too_many_pages", "page_count": pages}
    from etl.extract import extract_document

    doc = extract_document(Path(path), municipality_id).document
    if doc.get("status") != "failed" and doc.get("detected_name"):
        # The build's rule: a title page naming another municipality fails the document.
        from etl.build import name_conflict, read_metadata

        folder = Path(raw) / municipality_id if raw else None
        meta = read_metadata(folder)[0] if folder is not None and folder.is_dir() else {}
        conflict = name_conflict(doc["detected_name"], municipality_id, meta)
        if conflict:
            doc.update(status="failed", message=f"{Path(path).name}: {conflict}")
    if doc.get("status") == "failed" and looks_out_of_memory(doc.get("message")):
        # extract_document turns every exception into a message, a MemoryError too.
        return {"status": "failed", "error": "memory"}
    return {k: doc.get(k) for k in ("status", "doc_type", "year_start", "year_end", "page_count", "tables_found",
                                    "rows_loaded", "message", "seconds")}


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run :func:`check` in a sandbox, print its summary line; always 0."""
    parser = argparse.ArgumentParser(prog="python -m app.upload_worker")
    parser.add_argument("path", type=Path)
    parser.add_argument("municipality_id")
    parser.add_argument("--max-pages", type=int, default=3000)
    parser.add_argument("--memory-mb", type=int, default=3072)
    parser.add_argument("--cpu-s", type=int, default=600)
    parser.add_argument("--wall-s", type=float, default=600)
    parser.add_argument("--raw", type=Path, default=None, help="raw folder (for the municipality's metadata)")
    args = parser.parse_args(argv)
    limits = Limits(memory_mb=args.memory_mb, wall_s=args.wall_s, cpu_s=args.cpu_s)
    # By its module's name: run as ``-m`` this file is ``__main__``, which the child would not resolve.
    from app.upload_worker import check as by_name

    try:
        with Sandbox(limits) as box:
            summary = box.call(by_name, str(args.path), args.municipality_id, args.max_pages,
                               str(args.raw) if args.raw else None)
    except SandboxFailure as exc:
        detail = str(exc).strip().splitlines()
        summary = {"status": "failed", "error": exc.kind, "detail": (detail[0] if detail else "")[:300],
                   "trace": str(exc)[-2000:] if exc.kind == "error" else None}
    _emit(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
