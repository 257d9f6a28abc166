"""Reading the small CSV files people edit by hand (overrides, manual links, the deflator)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from etl import usercsv

OVERRIDES_FILE = "gender_overrides.csv"
LINKS_FILE = "objective_links.csv"


def user_file_paths(overrides_path: Path | None) -> tuple[Path | None, Path | None]:
    """The overrides file and the objective-links file that sits beside it.

    ``overrides_path`` may name the overrides CSV itself (``data/gender_overrides.csv``) or the
    folder holding both CSVs; ``None`` means no user corrections at all.
    """
    if overrides_path is None:
        return None, None
    p = Path(overrides_path)
    if p.is_dir():
        return p / OVERRIDES_FILE, p / LINKS_FILE
    return p, p.with_name(LINKS_FILE)


def csv_rows(path: Path | None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV with a header; ``#`` comment lines are skipped.

    Read by :mod:`etl.usercsv`, so what Excel saves (BOM, ``;``, Windows-1254) reads correctly.
    Nothing when the file does not exist: every one of these files is optional.
    """
    yield from usercsv.rows(path)
