"""Loads the layout data files under etl/layouts/ (table kinds, header synonyms, labels,
document titles, units). Code asks this module; nothing else reads the TOML files.
"""

from __future__ import annotations

import hashlib
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from etl.turkish import match_key

LAYOUT_DIR = Path(__file__).parent / "layouts"


@dataclass(frozen=True)
class TableKind:
    """A table kind from tables.toml with its terms already folded by ``match_key``."""

    name: str
    doc_types: tuple[str, ...]
    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...]
    columns: dict[str, tuple[str, ...]] = field(hash=False)
    year_columns: bool = False
    min_year_columns: int = 0
    key_value: bool = False
    max_year_columns: int | None = None
    numeric_columns: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    min_labels: int = 2


def _load(name: str) -> dict:
    with open(LAYOUT_DIR / name, "rb") as fh:
        return tomllib.load(fh)


# A municipality's layout file (etl.layout_file.UserLayout) in force for the document being
# extracted; one document at a time per process, so a module global is enough.
_OVERLAY = None


@contextmanager
def overlay(user_layout):
    """Use ``user_layout``'s extra wordings, labels and match words inside the block."""
    global _OVERLAY
    previous, _OVERLAY = _OVERLAY, user_layout
    try:
        yield
    finally:
        _OVERLAY = previous


def table_kinds() -> tuple[TableKind, ...]:
    """Every table kind of tables.toml, in file order, with the layout file in force merged in."""
    if _OVERLAY is None or not (_OVERLAY.columns or _OVERLAY.match):
        return _base_kinds()
    if _OVERLAY.digest not in _MERGED_KINDS:
        _MERGED_KINDS[_OVERLAY.digest] = _merged_kinds(_OVERLAY)
    return _MERGED_KINDS[_OVERLAY.digest]


_MERGED_KINDS: dict[str, tuple[TableKind, ...]] = {}
_MERGED_LABELS: dict[str, dict] = {}


def _merged_kinds(ul) -> tuple[TableKind, ...]:
    out = []
    for k in _base_kinds():
        cols = {c: tuple(dict.fromkeys(syns + tuple(match_key(w) for w in ul.columns.get(k.name, {}).get(c, ()))))
                for c, syns in k.columns.items()}
        all_of = k.all_of
        if k.name in ul.match:
            extra = tuple(match_key(w) for w in ul.match[k.name])
            all_of = tuple(g + extra for g in all_of) if all_of else (extra,)
        out.append(replace(k, columns=cols, all_of=all_of))
    return tuple(out)


@cache
def _base_kinds() -> tuple[TableKind, ...]:
    kinds = []
    for name, spec in _load("tables.toml")["kinds"].items():
        kinds.append(TableKind(
            name=name,
            doc_types=tuple(spec.get("doc_types", ())),
            all_of=tuple(tuple(t if t.startswith('@') else match_key(t) for t in group) for group in spec.get("all_of", ())),
            none_of=tuple(match_key(t) for t in spec.get("none_of", ())),
            columns={col: tuple(match_key(t) for t in syns) for col, syns in spec.get("columns", {}).items()},
            year_columns=bool(spec.get("year_columns", False)),
            min_year_columns=int(spec.get("min_year_columns", 0)),
            key_value=bool(spec.get("key_value", False)),
            max_year_columns=spec.get("max_year_columns"),
            numeric_columns=tuple(spec.get("numeric_columns", ())),
            required_columns=tuple(spec.get("required_columns", ())),
            min_labels=int(spec.get("min_labels", 2)),
        ))
    return tuple(kinds)


def labels() -> dict[str, dict[str, tuple[str, ...]]]:
    """Row labels of key/value tables: {table kind: {canonical field: folded synonyms}}, with the
    layout file in force merged in."""
    if _OVERLAY is None or not _OVERLAY.labels:
        return _base_labels()
    if _OVERLAY.digest not in _MERGED_LABELS:
        _MERGED_LABELS[_OVERLAY.digest] = _merged_labels(_OVERLAY)
    return _MERGED_LABELS[_OVERLAY.digest]


def _merged_labels(ul) -> dict[str, dict[str, tuple[str, ...]]]:
    return {kind: {f: tuple(dict.fromkeys(syns + tuple(match_key(w) for w in ul.labels.get(kind, {}).get(f, ()))))
                   for f, syns in fields.items()} for kind, fields in _base_labels().items()}


@cache
def _base_labels() -> dict[str, dict[str, tuple[str, ...]]]:
    raw = _load("labels.toml")
    return {kind: {f: tuple(match_key(s) for s in syns) for f, syns in fields.items()} for kind, fields in raw.items()}


@cache
def documents() -> dict:
    """Document-type titles and the patterns that read years from title pages."""
    return _load("documents.toml")


@cache
def known_units() -> frozenset[str]:
    """Casefolded units of measure (for splitting "(saat)" off an indicator name)."""
    from etl.turkish import casefold_tr

    return frozenset(casefold_tr(u) for u in _load("units.toml")["units"])


@cache
def table_page_terms() -> tuple[str, ...]:
    """Folded header terms that make a page worth giving to camelot even without ruled lines."""
    return tuple(casefold_tr_terms(documents().get("table_page_terms", [])))


def casefold_tr_terms(terms: list[str]) -> list[str]:
    from etl.turkish import casefold_tr

    return [casefold_tr(t) for t in terms]


@cache
def layout_hash() -> str:
    """Hash of every layout data file: part of the extraction cache key."""
    h = hashlib.sha256()
    for p in sorted(LAYOUT_DIR.glob("*.toml")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


@cache
def vocabulary() -> dict:
    """layouts/vocabulary.toml: code prefixes, total lines, money units, caption patterns."""
    return _load("vocabulary.toml")


@cache
def code_prefixes() -> dict[str, tuple[str, ...]]:
    """{code kind: casefolded printed prefixes} ("stratejik amaç", "amaç", "a" for goals)."""
    from etl.turkish import casefold_tr

    return {k: tuple(casefold_tr(w) for w in ws) for k, ws in vocabulary()["codes"].items()}


@cache
def total_line_labels() -> tuple[tuple[str, str], ...]:
    """(folded label, line) pairs of summary lines, longest label first."""
    pairs = [(match_key(label), line) for line, labels_ in vocabulary()["total_lines"].items() for label in labels_]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@cache
def card_title_words() -> frozenset[str]:
    """Words after a card label that make the row the card's title ("Hedef Kartı – 1.1")."""
    return frozenset(match_key(w) for w in vocabulary()["card_titles"]["words"])


@cache
def tl_units() -> frozenset[str]:
    """Folded units that make a row a money row."""
    return frozenset(match_key(u) for u in vocabulary()["money"]["tl_units"])


@cache
def max_label_words() -> int:
    """Words a header label may have; a longer cell is prose (vocabulary.toml [header])."""
    return int(vocabulary()["header"]["max_label_words"])


@dataclass(frozen=True)
class TextLayer:
    """How tables without rules are cut from the text layer (vocabulary.toml [text_layer])."""

    run_gap: float
    band_gap: float
    header_merge: float
    min_column_gap_pt: float
    min_header_columns: int
    running_head: float
    running_foot: float
    other_size: float


TEXT_LAYER_FIELDS = {f: (int if f == "min_header_columns" else float)
                     for f in ("run_gap", "band_gap", "header_merge", "min_column_gap_pt", "min_header_columns",
                               "running_head", "running_foot", "other_size")}


@cache
def _base_text_layer() -> TextLayer:
    spec = vocabulary()["text_layer"]
    return TextLayer(**{f: kind(spec[f]) for f, kind in TEXT_LAYER_FIELDS.items()})


def text_layer() -> TextLayer:
    """The text-layer geometry in force: vocabulary.toml's, with the layout file's [text_layer] over it."""
    base = _base_text_layer()
    extra = getattr(_OVERLAY, "text_layer", None)
    return replace(base, **extra) if extra else base


@cache
def caption_patterns() -> tuple:
    """Compiled patterns of caption rows above a header ("Tablo 4: …", "(TL)")."""
    import re

    return tuple(re.compile(p) for p in vocabulary()["captions"]["patterns"])


@cache
def economic_code_names() -> tuple[str, ...]:
    """Folded level-1 names of the economic classification."""
    return tuple(match_key(n) for n in vocabulary()["economic_codes"]["names"])
