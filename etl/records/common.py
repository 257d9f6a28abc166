"""What the record builders share: the document context, the record container, number cells."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from etl.turkish import (
    NumberFormatError,
    canonical_code,
    clean_text,
    code_levels,
    parse_number,
    split_code,
    split_leading_code,
)


class Records(defaultdict):
    """Rows per relation name: ``rec["objectives"]`` is a list of dicts."""

    def __init__(self, *_ignored) -> None:
        # defaultdict pickles as Records(list); the factory is always list.
        super().__init__(list)

    def add(self, relation: str, row: dict) -> None:
        self[relation].append(row)

    def extend(self, other: Records) -> None:
        for k, rows in other.items():
            self[k].extend(rows)

    def count(self) -> int:
        return sum(len(v) for k, v in self.items() if k != "validation_issues")


@dataclass
class Context:
    """The document a record comes from; stamps ids and periods onto every row."""

    municipality_id: str
    document_id: str
    year_start: int | None
    year_end: int | None
    issues: list[dict] = field(default_factory=list)

    def base(self, **row) -> dict:
        return {"municipality_id": self.municipality_id, **row, "source_document_id": self.document_id}

    def plan(self, **row) -> dict:
        return self.base(plan_start=self.year_start, plan_end=self.year_end, **row)

    def plan_short(self, **row) -> dict:
        return self.base(plan_start=self.year_start, **row)

    def yearly(self, **row) -> dict:
        return self.base(year=self.year_start, **row)

    def value(self, **row) -> dict:
        return self.base(**row)

    def issue(self, severity: str, check: str, message: str, page: int | None = None) -> None:
        self.issues.append({"document_id": self.document_id, "municipality_id": self.municipality_id,
                            "severity": severity, "check_name": check, "message": message, "source_page": page})


def number(cell: object, ctx: Context, page: int | None, what: str = "number") -> float | None:
    """Parse a figure strictly; an unreadable cell becomes NULL and a validation issue."""
    try:
        return parse_number(cell).value
    except NumberFormatError as exc:
        ctx.issue("warning", "unparsed_number", f"page {page}: {what}: {exc}", page)
        return None


def raw_value(cell: object) -> str | None:
    s = clean_text(cell)
    return s or None


_ZERO_MARKS = {"-,-", "0", "0,00"}


def indicator_code(code_cell: str, name_cell: str) -> tuple[str | None, str | None, str]:
    """(printed, canonical, name) of an indicator row: the code from its own column or the
    front of the name ("PG 1.1.3 …", "Performans Göstergesi 1.1.3: …", a bare "1.1.3 …")."""
    printed, code, name = split_code(code_cell or name_cell, "indicator")
    if code_cell and code:
        return printed, code, clean_text(name_cell)
    if not code and code_cell and code_levels(clean_text(code_cell)) >= 3:
        # A bare "1.1.3" in its own column: the third level of a plan code is an indicator's.
        num = clean_text(code_cell)
        return num, canonical_code(num, "indicator"), clean_text(name_cell)
    if not code:
        num, rest = split_leading_code(name_cell or code_cell)
        if num and code_levels(num) >= 3:
            return num, canonical_code(num, "indicator"), rest
        return num, None, rest
    return printed, code, name


def money(cell: object, ctx: Context, page: int | None, what: str = "amount",
          row_has_figures: bool = False) -> float | None:
    """Parse a money cell of a row that adds up (Bütçe | Bütçe Dışı | Toplam, an economic-code
    line): a dash is zero there, as the printed total proves, and so is an empty cell when
    the row's other money cells hold figures; an empty cell in a row without figures was not
    read (NULL). Any other unreadable cell becomes NULL and a validation issue."""
    text = clean_text(cell)
    if text in _ZERO_MARKS or re.fullmatch(r"[-–—][-–— ]*", text):
        return 0.0
    if not text:
        return 0.0 if row_has_figures else None
    return number(cell, ctx, page, what)
