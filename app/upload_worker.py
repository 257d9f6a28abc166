"""Child process of an upload: limit myself, count pages, extract, print one JSON line.

    python -m app.upload_worker FILE MUNICIPALITY_ID [--max-pages N] [--memory-mb M] [--cpu-s S]

Run by :func:`app.upload.parse_in_subprocess`, never by the dashboard's own process, so a PDF
that crashes pdfium or eats memory takes only this process down. The limits are set before the
file is opened (and before the ETL, numpy and camelot are imported). The last stdout line is
``IZLEK_UPLOAD_RESULT {json}`` with the document's status, type, years, pages and message.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

RESULT_MARKER = "IZLEK_UPLOAD_RESULT "  # same as app.upload.RESULT_MARKER (not imported: keep this lean)
# How running out of address space shows up: Python's error, a library that cannot be mapped, C++.
OUT_OF_MEMORY = ("MemoryError", "failed to map segment", "Cannot allocate memory", "bad_alloc")


def _limit(memory_mb: int, cpu_s: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_s > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))  # SIGXCPU at soft, SIGKILL at hard
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _emit(summary: dict) -> None:
    sys.stdout.write(RESULT_MARKER + json.dumps(summary, default=str) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.upload_worker")
    parser.add_argument("path", type=Path)
    parser.add_argument("municipality_id")
    parser.add_argument("--max-pages", type=int, default=3000)
    parser.add_argument("--memory-mb", type=int, default=3072)
    parser.add_argument("--cpu-s", type=int, default=600)
    args = parser.parse_args(argv)
    _limit(args.memory_mb, args.cpu_s)
    try:
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(str(args.path))
            pages = len(pdf)
            pdf.close()
        except pdfium.PdfiumError:
            pages = None  # extract_document explains damaged or encrypted files in its own words
        if pages is not None and pages > args.max_pages:
            _emit({"status": "failed", "error": "too_many_pages", "page_count": pages})
            return 0
        from etl.extract import extract_document

        doc = extract_document(args.path, args.municipality_id).document
    except MemoryError:
        _emit({"status": "failed", "error": "memory"})
        return 0
    message = doc.get("message") or ""
    if any(sign in message for sign in OUT_OF_MEMORY):  # extract_document turns every exception into a message
        _emit({"status": "failed", "error": "memory"})
        return 0
    _emit({k: doc.get(k) for k in ("status", "doc_type", "year_start", "year_end", "page_count", "tables_found",
                                   "rows_loaded", "message", "seconds")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
