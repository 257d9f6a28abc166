"""A municipality's own layout file, ``data/raw/<municipality_id>/layout.toml``.

When a municipality prints its tables in a way İzlek does not know, a user fixes it here,
without code: extra header wordings for a kind's columns, extra row labels of its cards,
extra words that recognise a kind, and pins ("the table on page 14 of this file is the
economic table; its header starts on row 4"). The file is read with every document of the
folder, is part of the extraction cache key and of the build stamp, and every entry it gets
wrong is reported (``validation_issues``, check ``layout_file``), never silently ignored.

Format (see the README, "Fixing a new layout")::

    [columns.pp_economic]            # more wordings of a kind's columns (tables.toml)
    general_admin = ["genel yön. gid."]

    [labels.sp_scorecard]            # more row labels of a card (labels.toml)
    responsible_unit = ["hedefin sorumlusu"]

    [match.pp_economic]              # more header words that recognise the kind
    words = ["gider kalemleri"]

    [text_layer]                     # tables without rules: the geometry (vocabulary.toml)
    min_column_gap_pt = 2.0          # columns set closer than the built-in 3 pt

    [[tables]]                       # pin a table
    file = "2023 Performans Programı.pdf"   # optional: else every document of the folder
    page = 14
    order = 1                        # optional: the n-th table on the page
    kind = "pp_economic"
    header_row = 4                   # optional: 1-based row where the header starts
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LAYOUT_FILE = "layout.toml"


@dataclass(frozen=True)
class Pin:
    """One table whose kind (and header row) the user states."""

    page: int
    kind: str
    file: str | None = None
    order: int | None = None
    header_row: int | None = None


@dataclass
class UserLayout:
    """What a layout file adds to the built-in layout vocabulary."""

    path: Path
    digest: str
    columns: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    labels: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    match: dict[str, list[str]] = field(default_factory=dict)
    pins: list[Pin] = field(default_factory=list)
    text_layer: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def pin_for(self, file_name: str, page: int, order: int) -> Pin | None:
        """The pin for table ``order`` on ``page`` of ``file_name``, if the file has one."""
        for p in self.pins:
            if p.page == page and (p.file is None or p.file == file_name) and (p.order is None or p.order == order):
                return p
        return None


def digest_for(pdf: Path) -> str | None:
    """Hash of the layout file that applies to ``pdf`` (None when there is none): part of the
    extraction cache key, so editing the file re-reads the folder's documents."""
    p = pdf.parent / LAYOUT_FILE
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def load_for(pdf: Path) -> UserLayout | None:
    """The layout file beside ``pdf``, checked against the built-in kinds; None when absent."""
    from etl.layout import labels, table_kinds

    p = pdf.parent / LAYOUT_FILE
    try:
        data = p.read_bytes()
    except OSError:
        return None
    ul = UserLayout(path=p, digest=hashlib.sha256(data).hexdigest()[:16])
    try:
        spec = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        ul.problems.append(f"{p}: not valid TOML ({exc}); the file was ignored. Check quotes and brackets "
                           "(README: Fixing a new layout)")
        return ul
    kinds = {k.name: k for k in table_kinds()}
    known_labels = labels()
    for kind, cols in (spec.get("columns") or {}).items():
        if kind not in kinds:
            ul.problems.append(f"{p}: [columns.{kind}]: no such table kind; use one of {', '.join(kinds)}")
            continue
        for col, words in (cols or {}).items():
            if col not in kinds[kind].columns:
                ul.problems.append(f"{p}: [columns.{kind}] {col}: no such column; use one of "
                                   f"{', '.join(kinds[kind].columns)}")
            elif _words(words, ul, f"[columns.{kind}] {col}"):
                ul.columns.setdefault(kind, {})[col] = list(words)
    for kind, fields in (spec.get("labels") or {}).items():
        if kind not in known_labels:
            ul.problems.append(f"{p}: [labels.{kind}]: no card kind of that name; use one of {', '.join(known_labels)}")
            continue
        for name, words in (fields or {}).items():
            if name not in known_labels[kind]:
                ul.problems.append(f"{p}: [labels.{kind}] {name}: no such field; use one of "
                                   f"{', '.join(known_labels[kind])}")
            elif _words(words, ul, f"[labels.{kind}] {name}"):
                ul.labels.setdefault(kind, {})[name] = list(words)
    for kind, entry in (spec.get("match") or {}).items():
        if kind not in kinds:
            ul.problems.append(f"{p}: [match.{kind}]: no such table kind; use one of {', '.join(kinds)}")
        elif _words((entry or {}).get("words"), ul, f"[match.{kind}] words"):
            ul.match[kind] = list(entry["words"])
    _read_text_layer(spec.get("text_layer"), ul)
    for i, t in enumerate(spec.get("tables") or [], start=1):
        where = f"{p}: [[tables]] entry {i}"
        kind, page = t.get("kind"), t.get("page")
        if kind not in kinds:
            ul.problems.append(f"{where}: kind {kind!r} is not a table kind; use one of {', '.join(kinds)}")
            continue
        if not isinstance(page, int) or page < 1:
            ul.problems.append(f"{where}: page must be a page number (1, 2, …), not {page!r}")
            continue
        order, header = t.get("order"), t.get("header_row")
        if order is not None and (not isinstance(order, int) or order < 1):
            ul.problems.append(f"{where}: order must be 1, 2, … (the n-th table on the page), not {order!r}")
            continue
        if header is not None and (not isinstance(header, int) or header < 1):
            ul.problems.append(f"{where}: header_row must be a row number (1, 2, …), not {header!r}")
            continue
        ul.pins.append(Pin(page=page, kind=kind, file=t.get("file"), order=order, header_row=header))
    return ul


def _read_text_layer(entry: object, ul: UserLayout) -> None:
    from etl.layout import TEXT_LAYER_FIELDS

    if entry is None:
        return
    if not isinstance(entry, dict):
        ul.problems.append(f"{ul.path}: [text_layer] must be a table of numbers, e.g. min_column_gap_pt = 2.0")
        return
    for name, value in entry.items():
        kind = TEXT_LAYER_FIELDS.get(name)
        if kind is None:
            ul.problems.append(f"{ul.path}: [text_layer] {name}: no such setting; use one of "
                               f"{', '.join(TEXT_LAYER_FIELDS)}")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0 or \
                (kind is int and value != int(value)):
            ul.problems.append(f"{ul.path}: [text_layer] {name}: expected a positive "
                               f"{'whole number' if kind is int else 'number'}, not {value!r}")
        else:
            ul.text_layer[name] = kind(value)


def _words(words: object, ul: UserLayout, where: str) -> bool:
    if isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words):
        return True
    ul.problems.append(f"{ul.path}: {where}: expected a list of words, e.g. [\"genel yön. gid.\"]")
    return False
