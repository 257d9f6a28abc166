"""Reading the small CSV files people edit by hand (overrides, manual links, the deflator)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path


def csv_rows(path: Path | None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV with a header; ``#`` comment lines are skipped.

    Nothing when the file does not exist: every one of these files is optional.
    """
    if path is None or not Path(path).exists():
        return
    with open(path, encoding="utf-8", newline="") as fh:
        yield from enumerate(csv.DictReader(line for line in fh if not line.lstrip().startswith("#")), start=2)
