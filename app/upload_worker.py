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
import sys
from pathlib import Path

# etl.sandbox imports nothing heavy: the limits are set before numpy, PDFium and camelot load.
from etl.sandbox import OUT_OF_MEMORY, limit_self, looks_out_of_memory

RESULT_MARKER = "IZLEK_UPLOAD_RESULT "  # same as app.upload.RESULT_MARKER (not imported: keep this lean)
__all__ = ["OUT_OF_MEMORY", "main"]


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
    parser.add_argument("--raw", type=Path, default=None, help="raw folder (for the municipality's metadata)")
    args = parser.parse_args(argv)
    limit_self(args.memory_mb, args.cpu_s)
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
        if doc.get("status") != "failed" and doc.get("detected_name"):
            # The build's rule: a title page naming another municipality fails the document.
            from etl.build import name_conflict, read_metadata

            folder = args.raw / args.municipality_id if args.raw else None
            meta = read_metadata(folder)[0] if folder is not None and folder.is_dir() else {}
            conflict = name_conflict(doc["detected_name"], args.municipality_id, meta)
            if conflict:
                doc.update(status="failed", message=f"{args.path.name}: {conflict}")
    except MemoryError:
        _emit({"status": "failed", "error": "memory"})
        return 0
    if looks_out_of_memory(doc.get("message")):  # extract_document turns every exception into a message
        _emit({"status": "failed", "error": "memory"})
        return 0
    _emit({k: doc.get(k) for k in ("status", "doc_type", "year_start", "year_end", "page_count", "tables_found",
                                   "rows_loaded", "message", "seconds")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
