"""Row labels of key/value tables (scorecards, performance-goal cards), read fuzzily.

"Amaç", "Stratejik Amaç 1", "AMAÇ 04", "Hedef (H1.1)", "Sorumlu Birimler:" and
"İş Birliği Yapacak Birimler" are all labels; a label may carry the item's code, or its
value after a colon. Synonyms live in ``layouts/labels.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.layout import labels
from etl.turkish import _word_match, canonical_code, clean_text, match_key, split_code

# Fields whose label may carry a code, and the code kind it is.
CODE_FIELDS = {"goal": "goal", "objective": "objective", "performance_goal": "performance_goal"}
_BRACKETED = re.compile(r"^(?P<label>[^(\[【]+?)\s*[(\[【]\s*(?P<code>[^)\]】]{1,20})\s*[)\]】]+\s*[-–:.]*\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class Label:
    """What a label cell says: its field, the code it carries, the text after it."""

    field: str | None
    printed: str | None = None
    code: str | None = None
    rest: str = ""


def _synonym_field(key: str, kind: str) -> tuple[str | None, int]:
    best, best_len = None, 0
    words = key.split(" ")
    for fieldname, syns in labels().get(kind, {}).items():
        for s in syns:
            sw = s.split(" ")
            hit = key == s or (len(sw) >= 2 and key.startswith(s + " "))
            if not hit and len(sw) == len(words):
                scores = [_word_match(w, t, False) for w, t in zip(words, sw, strict=True)]
                hit = all(x == 2 for x in scores)
            if hit and len(s) > best_len:
                best, best_len = fieldname, len(s)
    return best, best_len


def read_label(cell: object, kind: str) -> Label:
    """Read a key/value table's label cell for table kind ``kind``."""
    text = clean_text(cell)
    if not text or len(text) > 120:
        return Label(None)
    fields = labels().get(kind, {})
    for fieldname, code_kind in CODE_FIELDS.items():
        if fieldname not in fields:
            continue
        printed, code, rest = split_code(text, code_kind)
        if code:
            return Label(fieldname, printed, code, rest)
        m = _BRACKETED.match(text)
        if m and _synonym_field(match_key(m.group("label")), kind)[0] == fieldname:
            code = canonical_code(m.group("code"), code_kind)
            if code:
                return Label(fieldname, m.group("code").strip(), code, m.group("rest").strip())
    fieldname, _ = _synonym_field(match_key(text), kind)
    if fieldname:
        return Label(fieldname)
    head, tail = split_label_prefix(text, (kind,))
    if tail:
        fieldname, _ = _synonym_field(match_key(head), kind)
        if fieldname in CODE_FIELDS and fieldname in fields:
            printed, code, rest = split_code(tail, CODE_FIELDS[fieldname])
            if code:
                return Label(fieldname, printed, code, rest)
            return Label(fieldname, rest=tail)
    if ":" in text:
        head, _, tail = text.partition(":")
        fieldname, _ = _synonym_field(match_key(head), kind)
        if fieldname and tail.strip():
            if fieldname in CODE_FIELDS:
                printed, code, rest = split_code(tail, CODE_FIELDS[fieldname])
                if code:
                    return Label(fieldname, printed, code, rest)
            return Label(fieldname, rest=tail.strip())
    return Label(None)


def split_label_prefix(text: str, kinds: tuple[str, ...] | None = None) -> tuple[str, str]:
    """Cut a known label off the front of a cell that also holds its value:
    "Sorumlu Birim Fen İşleri Müdürlüğü" → ("Sorumlu Birim", "Fen İşleri Müdürlüğü").
    The longest label of any key/value kind wins; ("text", "") when none starts it."""
    tokens = clean_text(text).split(" ")
    for k in range(min(6, len(tokens) - 1), 0, -1):
        head = " ".join(tokens[:k])
        key = match_key(head)
        for kind in kinds or tuple(labels()):
            fieldname, matched = _synonym_field(key, kind)
            if fieldname and matched >= len(key) - 2:
                return head, " ".join(tokens[k:])
    return clean_text(text), ""


def label_of(cell: object, kind: str) -> str | None:
    """The canonical field a key/value row label stands for, or None."""
    return read_label(cell, kind).field


def strip_lost_code(title: str) -> str:
    """A title without the separator a code the text layer lost leaves in front (": Dijital …",
    "– Park …")."""
    return clean_text(title).lstrip(":–—-. ")
