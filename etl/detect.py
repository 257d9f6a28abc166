"""What a document is: type, year(s) and municipality name, read from its own title pages.

The file name is only a fallback, because people save downloads as "pp2023.pdf" or
"rapor (3).pdf".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from etl.layout import documents
from etl.pages import PageInfo
from etl.turkish import casefold_tr, clean_text, title_tr

_PERIOD = re.compile(r"\b(20\d{2})\s*[-–—/]\s*(20\d{2})\b")
_YEAR = re.compile(r"\b(20\d{2})\b")
_MUNICIPALITY = re.compile(
    r"((?:[^\W\d_]+\s+){1,4}?(?:büyükşehir\s+|il\s+)?beledi̇?yesi̇?)\b", re.IGNORECASE)
_TC = re.compile(r"^\s*t\.?\s*c\.?\s*", re.IGNORECASE)


@dataclass
class Detection:
    """The result of :func:`detect`; ``doc_type`` is None when the document is of no known kind."""

    doc_type: str | None
    year_start: int | None
    year_end: int | None
    municipality_name: str | None
    evidence: str


def _loose(text: str) -> str:
    """Casefold with ı and i merged: capitals are often set with a plain "I" for "İ"
    ("FAALIYET RAPORU"), which the Turkish casefold rightly turns into "ı"."""
    return casefold_tr(text).replace("ı", "i")


def _type_in(text: str) -> tuple[str | None, int]:
    """The document type whose title appears first in ``text`` (and where)."""
    folded = _loose(text)
    best: tuple[str | None, int] = (None, 10**9)
    for doc_type, spec in documents()["doc_types"].items():
        for title in spec["titles"]:
            pos = folded.find(_loose(title))
            if 0 <= pos < best[1]:
                best = (doc_type, pos)
    return best


def _years_in(text: str, doc_type: str) -> tuple[int | None, int | None]:
    folded = _loose(text)
    if documents()["doc_types"][doc_type].get("period"):
        m = _PERIOD.search(folded)
        if m:
            return int(m.group(1)), int(m.group(2))
        return None, None
    # "2023 YILI PERFORMANS PROGRAMI": the year nearest before the title wins; dates such as
    # "Eylül 2022" on the cover come after it.
    title_pos = _type_in(text)[1]
    m = re.search(r"(20\d{2})\s*(?:yili|mali yili|yilina ait)?\s*[^\d]{0,40}$", folded[: title_pos] if title_pos < 10**9 else "")
    if m:
        y = int(m.group(1))
        return y, y
    years = [int(y) for y in _YEAR.findall(folded)]
    if years:
        return years[0], years[0]
    return None, None


def _municipality_in(pages: list[PageInfo]) -> str | None:
    first = clean_text(pages[0].text) if pages else ""
    m = _MUNICIPALITY.search(_TC.sub("", first))
    if not m:
        return None
    upper_name = clean_text(_TC.sub("", m.group(1)))
    # Title pages are often set in capitals with a plain "I" for "İ"; a running header on the
    # next pages usually prints the same name in mixed case, which we prefer.
    pattern = "".join("[iıİI]" if ch in "iıİI" else re.escape(ch) for ch in upper_name)
    for page in pages[1:4]:
        for hit in re.finditer(pattern, page.text.replace("\n", " "), re.IGNORECASE):
            if hit.group(0) != hit.group(0).upper():
                return clean_text(hit.group(0))
    return title_tr(upper_name)


def detect(path: Path, pages: list[PageInfo]) -> Detection:
    """Detect type, years and municipality from the title pages, falling back to the file name."""
    doc_type, years, evidence = None, (None, None), ""
    for page in pages[:3]:
        found, _ = _type_in(page.text)
        if found:
            doc_type, evidence = found, f"title on page {page.number}"
            years = _years_in(page.text, found)
            break
    if doc_type is None:
        stem = casefold_tr(path.stem.replace("_", " ").replace("-", " "))
        for candidate, spec in documents()["doc_types"].items():
            if any(re.search(rf"(?<![a-zçğıöşü]){re.escape(t)}(?![a-zçğıöşü])", stem) for t in spec["file_terms"]):
                doc_type, evidence = candidate, "file name (no title found in the text)"
                break
    if doc_type and years == (None, None):
        name_text = path.stem.replace("_", " ")
        years = _years_in(name_text + " " + " ".join(p.text for p in pages[:2]), doc_type)
        if years == (None, None) and documents()["doc_types"][doc_type].get("period"):
            ys = [int(y) for y in _YEAR.findall(name_text)]
            if len(ys) >= 2:
                years = (ys[0], ys[1])
    return Detection(doc_type, years[0], years[1], _municipality_in(pages), evidence)


def other_kind_named(pages: list[PageInfo]) -> str | None:
    """The title of a known non-planning document (e.g. a budget decree), if the text names one."""
    folded = casefold_tr(" ".join(p.text for p in pages[:2]))
    for term in documents().get("other_kinds", []):
        if casefold_tr(term) in folded:
            return term
    return None
