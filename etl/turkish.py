"""Turkish text, numbers and codes: the one place that knows how the documents write them.

Everything that compares, parses or canonicalises text in the ETL and the analysis goes
through these functions, so a quirk is fixed once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

# Characters that appear inside cells but carry no meaning: soft hyphen, zero-width space,
# word joiner, byte-order mark.
# Soft hyphen, zero-width characters, BOM, and the control characters a text layer gives for
# glyphs it has no character for (a font without fullwidth digits prints "\x00\x00\x00").
_INVISIBLE = dict.fromkeys([*map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"),
                            *range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Spaces that PDFs use for alignment: NBSP, thin/narrow spaces, figure space.
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


_HYPHEN_BREAK = re.compile(r"(?<=[a-zçğıöşü])-\n(?=[a-zçğıöşü])")
_WHITESPACE = re.compile(r"\s+")
_LINE_END_HYPHEN = re.compile(r"\ufffe\s*")
_KEY_PUNCT = re.compile(r"[\s\-–—_/.,;:()\[\]\"'’“”…]+")


def clean_text(value: object) -> str:
    """NFKC-normalise a cell, drop invisible characters and fold odd spaces to one space.

    Line breaks inside a cell become single spaces; a word hyphenated across a line break
    ("kapasite-\\nsini") is rejoined.
    """
    if value is None:
        return ""
    return _clean_str(value if isinstance(value, str) else str(value))


# A document repeats its cells (headers on every page, the same labels in every card) and the
# classifier folds each one several times: the pure text functions are memoised.
@lru_cache(maxsize=1 << 17)
def _clean_str(value: str) -> str:
    # Invisible characters go first: one between a letter and a combining accent would
    # otherwise keep NFKC from composing them, and a second pass would give another result.
    s = unicodedata.normalize("NFKC", value.translate(_INVISIBLE))
    if "\ufffe" in s:
        # pdfium's mark for a hyphen that ends a line ("tahakkuk-⏎tahsilat"): the word goes on.
        s = _LINE_END_HYPHEN.sub("-", s)
    s = _SPACES.sub(" ", s)
    s = _HYPHEN_BREAK.sub("", s)
    s = _WHITESPACE.sub(" ", s)
    return s.strip()


# A sum of money a narrow cell wrapped inside its decimals: "19 851 818,0⏎0", "267 964 000,⏎00",
# "2.206.428.112,6⏎9 TL". Only a grouped figure of thousands (a sum of money, which is what is
# long enough to wrap) whose kuruş come out as exactly two digits is joined: "12,5⏎3" may be
# two figures of a merged cell and stays as it is.
_WRAPPED_FIGURE = re.compile(r"(\d{1,3}(?:[.\u00a0 \u202f]\d{3})+,(\d?))\n(\d{1,2})(?!\d)")


# A figure a narrow cell wrapped inside a group of thousands: "384.0⏎00", "1.234.5⏎67,89". Joined
# only when the two parts make the group exactly three digits.
_WRAPPED_GROUP = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*\.(\d{1,2}))\n(\d{1,2})(?![\d.])")


def join_wrapped_figures(text: str) -> str:
    """Rejoin a figure wrapped across two lines of one cell, inside its kuruş or inside a
    group of thousands (before :func:`clean_text` turns the line break into a space and the
    figure into two numbers)."""
    if "\n" not in text:
        return text
    text = _WRAPPED_FIGURE.sub(lambda m: m.group(1) + m.group(3) if len(m.group(2) + m.group(3)) == 2
                               else m.group(0), text)
    return _WRAPPED_GROUP.sub(lambda m: m.group(1) + m.group(3) if len(m.group(2) + m.group(3)) == 3
                              else m.group(0), text)


def casefold_tr(value: object) -> str:
    """Lower-case Turkish text correctly (İ→i, I→ı) after :func:`clean_text`.

    Python's ``lower()`` maps ``I`` to ``i`` and ``İ`` to ``i̇``; Turkish needs ``ı`` and ``i``.
    Never ASCII-folds: "kadın" stays "kadın".
    """
    return _fold_str(clean_text(value))


@lru_cache(maxsize=1 << 17)
def _fold_str(s: str) -> str:
    return s.replace("İ", "i").replace("I", "ı").lower().replace("i̇", "i")


def match_key(value: object) -> str:
    """A loose comparison key: casefolded, punctuation and dashes turned into single spaces."""
    return _key_str(casefold_tr(value))


@lru_cache(maxsize=1 << 17)
def _key_str(s: str) -> str:
    return _KEY_PUNCT.sub(" ", s).strip()


# Inflections that headers add to a term ("göstergeleri", "göstergesi" → "gösterge"), longest
# first. Only stripped for comparison, and only from words long enough to keep a stem.
_SUFFIXES = tuple(sorted((
    "lerinin", "larının", "lerine", "larına", "lerini", "larını", "leri", "ları", "ler", "lar",
    "sinin", "sının", "sini", "sını", "si", "sı", "su", "sü", "nin", "nın", "in", "ın", "un", "ün",
    "e", "a", "i", "ı", "u", "ü",
), key=len, reverse=True))


@lru_cache(maxsize=1 << 16)
def stem_tr(word: str) -> str:
    """A folded word without one inflectional suffix, for comparison only."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[: -len(suf)]
    return word


def _word_match(w: str, t: str, abbreviation: bool) -> int:
    """2 when text word ``w`` is term word ``t`` (or an inflection of it), 1 when it is an
    abbreviation of it ("yön" for "yönetim"), else 0."""
    if w == t:
        return 2
    if len(t) >= 6 and len(w) >= 5 and stem_tr(w) == stem_tr(t):
        return 2
    if abbreviation and 3 <= len(w) < len(t) and t.startswith(w):
        return 1
    return 0


@lru_cache(maxsize=1 << 17)
def term_in(text: str, term: str) -> bool:
    """Does the folded ``term`` occur in the folded ``text`` (both from :func:`match_key`)?

    Whole words, inflections ("performans göstergeleri" for "performans göstergesi"),
    abbreviations in a phrase with at least one full word ("genel yön gid" for "genel
    yönetim giderleri") and words that a line break cut in two ("hedef e etkisi" for
    "hedefe etkisi"). "no" never matches inside "ekonomik".
    """
    if not term or not text:
        return False
    if f" {term} " in f" {text} ":
        return True
    compact = term.replace(" ", "")
    if len(compact) >= 8 and compact in text.replace(" ", ""):
        return True
    tw = term.split(" ")
    if tw[0][:3] not in text:
        return False  # every kind of match below needs the first word's first three letters
    xw = text.split(" ")
    multi = len(tw) > 1
    for i in range(len(xw) - len(tw) + 1):
        scores = [_word_match(xw[i + k], tw[k], multi) for k in range(len(tw))]
        if all(scores) and 2 in scores:
            return True
    return False


_TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})


def title_tr(value: str) -> str:
    """Title-case Turkish words ("AYDINLIKOVA BÜYÜKŞEHİR BELEDİYESİ" → "Aydınlıkova Büyükşehir Belediyesi").

    A capital set with a plain "I" where "İ" belongs ("BELEDIYESI") cannot be told apart from
    a real "I"; callers prefer a mixed-case spelling from the document when there is one."""
    words = []
    for w in clean_text(value).split(" "):
        low = casefold_tr(w)
        words.append(low[:1].translate(_TR_UPPER).upper() + low[1:] if low else low)
    return " ".join(words)


# --------------------------------------------------------------------------- numbers


class NumberFormatError(ValueError):
    """Raised by :func:`parse_number` when a cell is not a number in a Turkish format."""


@dataclass(frozen=True)
class ParsedNumber:
    """A parsed figure with the string it came from (kept for traceability)."""

    value: float | None
    raw: str
    is_percent: bool = False


_EMPTY = {"", "-", "–", "—", "--", "---", "…", "...", "yok", "n/a", "na", "x"}
# Currency only at the start or the end: "500 TL 250 TL" is two amounts, not 500250.
_CURRENCY = re.compile(r"(?i)^\s*(?:tl|try|₺)\s*|\s*-?\s*(?:tl|try|₺)\.?\s*$")
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^\d+(?:,\d+)?$")
_DOT_DECIMAL = re.compile(r"^\d+\.\d{1,2}$")


def parse_number(value: object) -> ParsedNumber:
    """Parse a Turkish-formatted number strictly, keeping the raw string.

    Accepts ``1.250.000,00 TL``, ``19.781.759,88 ₺``, ``5.500.000,0 ₺``, ``2.750.000.000-TL``,
    ``%30``, ``% 6,67``, ``40%``, ``(1.234,50)`` (negative), ``-12,5``.
    ``-``, ``—`` and empty mean "no value" and give ``value=None`` (never 0).
    Raises :class:`NumberFormatError` for anything else (text, two numbers in one cell,
    ambiguous grouping), so a misread column never becomes a silent wrong figure.
    """
    raw = "" if value is None else str(value)
    s = clean_text(raw)
    if s.casefold() in _EMPTY:
        return ParsedNumber(None, raw)
    is_percent = "%" in s
    s = s.replace("%", "")
    s = _CURRENCY.sub("", s).strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s[:1] in "-−–":
        if s[1:2] == " " and s[2:3].isdigit():
            # "- 18.357.000,00": a dash cell and a figure run together, not a negative figure.
            raise NumberFormatError(f"'{raw}' holds more than one number or stray text")
        negative, s = True, s[1:].strip()
    if " " in s:
        # "1 250 000,00" groups with spaces; "12 13" is two numbers in one cell, not 1213.
        if not re.fullmatch(r"\d{1,3}(?: \d{3})+(?:,\d+)?", s):
            raise NumberFormatError(f"'{raw}' holds more than one number or stray text")
        s = s.replace(" ", ".")
    if not s:
        if is_percent:
            raise NumberFormatError(f"'{raw}' has a percent sign but no number")
        return ParsedNumber(None, raw)
    if _GROUPED.match(s):
        num = s.replace(".", "").replace(",", ".")
    elif _PLAIN.match(s):
        num = s.replace(",", ".")
    elif _DOT_DECIMAL.match(s) and not re.match(r"^\d{1,3}\.\d{3}$", s):
        # "95.5" style decimals appear in producer-specific tables; "1.234" stays grouping.
        num = s
    else:
        raise NumberFormatError(f"'{raw}' is not a number in Turkish format (e.g. 1.250.000,00)")
    v = float(num)
    return ParsedNumber(-v if negative else v, raw, is_percent)


def to_number(value: object) -> float | None:
    """Parse a number leniently for optional cells: ``None`` when not a number at all."""
    try:
        return parse_number(value).value
    except NumberFormatError:
        return None


def is_number(value: object) -> bool:
    """True when the cell holds a number (not empty, not text)."""
    try:
        return parse_number(value).value is not None
    except NumberFormatError:
        return False


# --------------------------------------------------------------------------- codes

_DEPTH = {"goal": r"\d+", "objective": r"\d+(?:[.,]\d+)?", "indicator": r"\d+(?:[.,]\d+){1,3}",
          "performance_goal": r"\d+(?:[.,]\d+)*"}
_PREFIX = {"goal": "A", "objective": "H", "indicator": "PG", "performance_goal": "PH"}
# Most specific first: "Performans Hedefi 1.1" is a performance goal before "hedef 1.1" is
# tried, and an indicator's three levels before an objective's two.
_KIND_ORDER = ("performance_goal", "indicator", "objective", "goal")


def _prefix_regex(kind: str) -> str:
    """The printed prefixes of a code kind (layouts/vocabulary.toml) as one alternation."""
    from etl.layout import code_prefixes  # lazy: etl.layout imports this module

    words = sorted(code_prefixes().get(kind, ()), key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + ")"


@cache
def _code_pattern(kind: str, optional_prefix: bool = False) -> re.Pattern[str]:
    words = _prefix_regex(kind) + ("?" if optional_prefix else "")
    return re.compile(rf"^[【\[(]?\s*({words}\s*[-:.]?\s*{_DEPTH[kind]})\s*[】\])]?(?![\d.,]*\d)\s*[-–—:.)]*\s*")


def _numeric_part(digits: str) -> str:
    parts = [str(int(p)) for p in re.split(r"[.,]", digits) if p != ""]
    return ".".join(parts)


def canonical_code(printed: object, kind: str | None = None) -> str | None:
    """Turn a printed code into its canonical form, or ``None`` when it is not a code.

    "AMAÇ 04" → "A4", "Stratejik Hedef 1.1" → "H1.1", "HEDEF 4.2" → "H4.2",
    "PG 1.1.3" → "PG1.1.3", "Performans Hedefi 2" → "PH2", fullwidth "【１．１】" with
    ``kind="objective"`` → "H1.1". ``kind`` forces the prefix for a bare number.
    """
    s = clean_text(printed)
    s = s.strip("【】[]() ")
    if not s:
        return None
    low = casefold_tr(s)
    for k in _KIND_ORDER:
        if kind and k != kind:
            continue
        m = _code_pattern(k).match(low)
        if m:
            return _PREFIX[k] + _numeric_part(re.search(r"\d+(?:[.,]\d+)*", m.group(1)).group(0))
    if kind:
        m = re.match(r"^(\d+(?:[.,]\d+)*)\.?$", low)
        if m and re.fullmatch(_DEPTH[kind], m.group(1)):
            return _PREFIX[kind] + _numeric_part(m.group(1))
    return None


_LEADING_CODE = re.compile(
    r"^\s*(?P<code>"
    r"(?:PG|PH|F|H|A)\s?\d+(?:[.,]\d+)*"  # PG1.1.3, F1.2.1, H1.1
    r"|(?:[Ff][Aa][Aa][Ll][İIiı][Yy][Ee][Tt]|[Gg][Öö][Ss][Tt][Ee][Rr][Gg][Ee]"  # Faaliyet / FAALİYET 3
    r"|[Pp]erformans\s+[Gg]östergesi|PERFORMANS\s+GÖSTERGESİ)\s*\d+(?:[.,]\d+)*"
    r"|\d+(?:\.\d+)*\.?"  # 1.1.1.1  or  3.
    r")(?:\s*[-–—:)]\s*|\s+)(?P<rest>\S.*)$",
    re.S,
)


def split_leading_code(text: object) -> tuple[str | None, str]:
    """Split a numbering off the front of a name cell: "F1.2.1 Kreş açılışı" → ("F1.2.1", "Kreş açılışı").

    Handles "Faaliyet 3: …", "1.1.1.1 - …", "PG1.1.3 Ebeveyn …", "3. …". Returns
    ``(None, text)`` when the cell does not start with a numbering.
    """
    s = clean_text(text)
    m = _LEADING_CODE.match(s)
    if not m:
        return None, s
    code = m.group("code").strip().rstrip(".")
    rest = m.group("rest").strip()
    # A bare number followed by a unit-like word is a value, not a numbering ("12 adet").
    if re.fullmatch(r"\d+", code) and not re.match(r"^\s*\d+[.)]", s):
        return None, s
    return code, rest


_TRAILING_UNIT = re.compile(r"^(?P<name>.*\S)\s*\((?P<unit>[^()]{1,25})\)\s*$")


def split_trailing_unit(name: str, known_units: set[str] | frozenset[str] | None) -> tuple[str, str | None]:
    """Split a unit written in brackets at the end of a name: "… süresi (saat)" → ("… süresi", "saat").

    With ``known_units`` only brackets holding a known unit are split, so "Erişilebilir
    (alçak tabanlı) otobüs" keeps its brackets; with ``None`` (the table has no unit column,
    so the unit must be in the name) any short trailing bracket is the unit.
    """
    m = _TRAILING_UNIT.match(name)
    if not m:
        return name, None
    unit = casefold_tr(m.group("unit"))
    if (known_units is None and len(unit) <= 20 and len(unit.split()) <= 2) or (known_units and unit in known_units):
        return m.group("name").strip(), clean_text(m.group("unit"))
    return name, None


def split_code(text: object, kind: str) -> tuple[str | None, str | None, str]:
    """Split a leading code of ``kind`` off a cell: "AMAÇ 04 Kentsel …" → ("AMAÇ 04", "A4", "Kentsel …").

    Returns ``(printed, canonical, rest)``; ``(None, None, text)`` when the cell does not
    start with a code of that kind.
    """
    s = clean_text(text)
    low = casefold_tr(s)
    # "【１．１】" prints the bare number in fullwidth brackets; "1.1】" is what a text layer
    # without the opening bracket's glyph keeps of it.
    bracketed = low.startswith(("【", "[", "(")) or bool(re.match(r"\d+(?:[.,]\d+)*\s*[】\])]", low))
    m = _code_pattern(kind, optional_prefix=bracketed and kind in ("goal", "objective")).match(low)
    if not m:
        return None, None, s
    printed = s[: m.end(1)].strip("【[( ")
    canonical = canonical_code(printed, kind)
    if canonical is None:  # "(:0": the pattern's separator matched, but no digits of a code
        return None, None, s
    return printed, canonical, s[m.end():].strip()


def code_levels(text: object) -> int:
    """How many levels a bare printed number has ("1" → 1, "1.1" → 2, "1.1.1" → 3); 0 if none.

    A code's kind is read from its digits where the prefix is missing: in a plan's goal list
    one level is a goal and two an objective.
    """
    m = re.fullmatch(r"[【\[(]?\s*(\d+(?:[.,]\d+)*)\.?\s*[】\])]?", clean_text(text))
    return len(re.split(r"[.,]", m.group(1))) if m else 0


def any_code(text: object, kinds: tuple[str, ...] = _KIND_ORDER) -> tuple[str | None, str | None, str | None, str]:
    """The first code of ``kinds`` a cell starts with: (kind, printed, canonical, rest)."""
    for kind in kinds:
        printed, code, rest = split_code(text, kind)
        if code:
            return kind, printed, code, rest
    return None, None, None, clean_text(text)
