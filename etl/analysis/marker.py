"""The OECD-DAC gender equality policy marker (0/1/2) for objectives, indicators and activities.

The rules are data (``gender_lexicon.toml``); this module only knows how to match them and how
tags pass between levels:

1. **Lexical**: the item's own text (objective title, indicator name, activity name) against the
   lexicon; the highest matching marker wins.
2. **Responsible unit**: the women's directorate or the equality unit lifts an objective or
   activity it owns to at least ``unit_rule.marker`` (1); an indicator of such an objective is
   lifted too when it counts the people served (``unit_rule.indicator_terms``).
3. **Up, indicators → objective** (principal only): an objective whose own title and unit match
   nothing becomes principal when more than half of its indicators are principal (an objective measured mostly by
   equality-unit / gender-budgeting / shelter indicators is about gender equality even when its
   title only says "toplumsal eşitlik perspektifi"). Significant does not pass up: a pair of
   sex-disaggregated indicators makes the *measurement* gender-aware, not the objective's aim.
4. **Down, objective → indicators and activities**: only *principal* passes down, and only when
   the objective's own title or an override says so (not one inferred in step 3). An indicator
   or activity serving an objective whose main aim is gender equality shares that aim; a
   significant objective does not make each of its indicators gender-related (a "sosyal yardım
   başvurusu sonuçlanma süresi" under a social-aid objective stays 0).
5. **Overrides** (``data/gender_overrides.csv``) win over everything, ``tag_source='override'``.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.analysis.user_files import csv_rows
from etl.turkish import match_key

LEXICON_PATH = Path(__file__).with_name("gender_lexicon.toml")
MARKER_NAMES = {0: "not targeted", 1: "significant", 2: "principal"}
_POSSESSIVE_VOWELS = "ıiuü"
# match_key memoised: the same names come back in every year's program and report, the same
# directorates on every row, the same objective titles for each goal compared with them.
text_key = lru_cache(maxsize=1 << 18)(match_key)
_VOWELS = "aeıioöuü"
_MATCH_CACHE_MAX = 1 << 17


@lru_cache(maxsize=1 << 16)
def _stems(word: str) -> tuple[str, ...]:
    """The prefixes a term word may match through: itself and its regular Turkish stem changes."""
    out = [word]
    if len(word) > 3 and word.endswith("k"):
        out.append(word[:-1] + "ğ")  # eşitlik → eşitliğ(i)
    if len(word) >= 5 and word[-1] in _POSSESSIVE_VOWELS:
        # compound suffix -(s)I: merkezi → merkez(ler…), bakımevi → bakımev(leri)
        cut = word[:-2] if word[-2] == "s" and word[-3] in _VOWELS else word[:-1]
        if len(cut) >= 3:
            out.append(cut)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Rule:
    """One lexicon entry: a phrase, or phrases that must all occur; with its marker and meaning."""

    marker: int
    phrases: tuple[tuple[str, ...], ...]
    why: str

    @property
    def label(self) -> str:
        return " + ".join(f"'{' '.join(p)}'" for p in self.phrases)


@dataclass
class Lexicon:
    """Rules, false friends and the responsible-unit rule, loaded from TOML.

    Matching is word-set-wise: each distinct text word is resolved once to the set of term
    words it matches (through the terms' stems, minus false friends), so a text costs one
    dictionary look-up per word plus the rules whose words all occur in it, however many
    rules the lexicon has and however many texts repeat the same words.
    """

    rules: list[Rule]
    false_friends: tuple[str, ...]
    unit_terms: tuple[tuple[str, ...], ...]
    unit_marker: int = 1
    unit_indicator_terms: tuple[tuple[str, ...], ...] = ()
    _stem_terms: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)
    _word_cache: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)
    _rule_words: list[frozenset[str]] = field(default_factory=list, init=False, repr=False)
    _unit_cache: dict[str | None, str | None] = field(default_factory=dict, init=False, repr=False)
    _pair_cache: dict[tuple[str, str], bool] = field(default_factory=dict, init=False, repr=False)
    _match_cache: dict[str | None, list[Rule]] = field(default_factory=dict, init=False, repr=False)
    _tag_cache: dict[str | None, tuple] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        terms = {w for r in self.rules for p in r.phrases for w in p}
        terms |= {w for t in self.unit_terms + self.unit_indicator_terms for w in t}
        by_stem: dict[str, list[str]] = defaultdict(list)
        for term in sorted(terms):
            for stem in _stems(term):
                by_stem[stem].append(term)
        self._stem_terms = {k: tuple(v) for k, v in by_stem.items()}
        self._rule_words = [frozenset(w for p in r.phrases for w in p) for r in self.rules]

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        rules = []
        for section, marker in (("principal", 2), ("significant", 1)):
            for entry in data.get(section, []):
                texts = [entry["phrase"]] if "phrase" in entry else list(entry["all"])
                rules.append(Rule(marker, tuple(tuple(match_key(t).split()) for t in texts), entry.get("why", "")))
        unit = data.get("unit_rule", {})
        return cls(rules=rules, false_friends=tuple(match_key(w) for w in data.get("false_friends", [])),
                   unit_terms=tuple(tuple(match_key(t).split()) for t in unit.get("terms", [])),
                   unit_marker=int(unit.get("marker", 1)),
                   unit_indicator_terms=tuple(tuple(match_key(t).split()) for t in unit.get("indicator_terms", [])))

    def _word_matches(self, text_word: str, term_word: str) -> bool:
        # Memoised: the scorecard's vocabulary (words outside the lexicon) meets the same
        # indicator words in every year's program and every municipality.
        key = (text_word, term_word)
        hit = self._pair_cache.get(key)
        if hit is None:
            if len(self._pair_cache) >= _MATCH_CACHE_MAX:
                self._pair_cache.clear()
            hit = any(text_word.startswith(s) for s in _stems(term_word)) and not any(
                text_word.startswith(ff) and not term_word.startswith(ff) for ff in self.false_friends)
            self._pair_cache[key] = hit
        return hit

    def _terms_of(self, text_word: str) -> frozenset[str]:
        """The lexicon's term words ``text_word`` matches (what :meth:`_word_matches` says, cached)."""
        hit = self._word_cache.get(text_word)
        if hit is None:
            # A stem matches when it is a prefix of the word: look every prefix up once.
            cands = {t for n in range(1, len(text_word) + 1) for t in self._stem_terms.get(text_word[:n], ())}
            hit = frozenset(t for t in cands if not any(
                text_word.startswith(ff) and not t.startswith(ff) for ff in self.false_friends))
            self._word_cache[text_word] = hit
        return hit

    def term_sets(self, words: list[str]) -> list[frozenset[str]]:
        """For each text word, the term words it matches."""
        return [self._terms_of(w) for w in words]

    @staticmethod
    def phrase_at(phrase: tuple[str, ...], sets: list[frozenset[str]]) -> bool:
        """:meth:`phrase_in` on the :meth:`term_sets` of a text (a phrase of lexicon terms)."""
        n = len(phrase)
        return any(all(phrase[k] in sets[i + k] for k in range(n)) for i in range(len(sets) - n + 1))

    def phrase_in(self, phrase: tuple[str, ...], words: list[str]) -> bool:
        """True when the words of ``phrase`` occur next to each other, in order, in ``words``."""
        if any(w not in self._stem_terms.get(w, ()) for w in phrase):  # a phrase from outside the lexicon
            n = len(phrase)
            return any(all(self._word_matches(words[i + k], phrase[k]) for k in range(n))
                       for i in range(len(words) - n + 1))
        return self.phrase_at(phrase, self.term_sets(words))

    def memo_tag(self, text: str | None, compute) -> tuple:
        """``compute(self, text)`` remembered per text (the lexical tag of a name that recurs)."""
        hit = self._tag_cache.get(text)
        if hit is None:
            if len(self._tag_cache) >= _MATCH_CACHE_MAX:
                self._tag_cache.clear()  # bounded whatever the number of municipalities
            hit = self._tag_cache[text] = compute(self, text)
        return hit

    def match(self, text: str | None) -> list[Rule]:
        """Every rule whose phrases all occur in ``text`` (the list is shared: do not change it)."""
        # The same names come back in every year's program and report of a municipality.
        hit = self._match_cache.get(text)
        if hit is None:
            if len(self._match_cache) >= _MATCH_CACHE_MAX:
                self._match_cache.clear()  # bounded whatever the number of municipalities
            hit = self._match_cache[text] = self._match(text)
        return hit

    def _match(self, text: str | None) -> list[Rule]:
        words = text_key(text).split()
        if not words:
            return []
        sets = self.term_sets(words)
        present = frozenset().union(*sets)
        return [r for r, need in zip(self.rules, self._rule_words, strict=True)
                if need <= present and all(self.phrase_at(p, sets) for p in r.phrases)]

    def unit_matches(self, unit: str | None) -> str | None:
        """The unit-rule term a responsible unit matches, or None."""
        # A municipality has a few dozen directorates, named on every objective and activity.
        if unit not in self._unit_cache:
            sets = self.term_sets(text_key(unit).split())
            self._unit_cache[unit] = next((" ".join(t) for t in self.unit_terms if self.phrase_at(t, sets)), None)
        return self._unit_cache[unit]


@dataclass
class Tag:
    """A marker with the reasons that produced it (kept for the gender_tags relation)."""

    marker: int = 0
    reasons: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    def lift(self, marker: int, reason: str) -> None:
        """Raise the marker to ``marker``; keep only the reasons for the winning level."""
        if marker > self.marker:
            self.marker, self.reasons = marker, [reason]
        elif marker == self.marker and marker > 0 and reason not in self.reasons:
            self.reasons.append(reason)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "no gender term, unit or inherited rule matched → 0"


def lexical_tag(lex: Lexicon, text: str | None) -> Tag:
    """Tag a text by the lexicon alone (a new Tag: the caller may lift it)."""
    marker, reasons, terms = lex.memo_tag(text, _lexical_parts)
    return Tag(marker, list(reasons), list(terms))


def _lexical_parts(lex: Lexicon, text: str | None) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    tag = Tag()
    for r in sorted(lex.match(text), key=lambda r: -r.marker):
        tag.terms.append(r.label)
        tag.lift(r.marker, f"{r.label} → {MARKER_NAMES[r.marker]} ({r.why})")
    return tag.marker, tuple(tag.reasons), tuple(tag.terms)


def _unit_lift(lex: Lexicon, tag: Tag, unit: str | None) -> None:
    term = lex.unit_matches(unit)
    if term:
        tag.lift(lex.unit_marker, f"responsible unit '{unit}' ('{term}') → at least {MARKER_NAMES[lex.unit_marker]}")


def plan_key(row: dict, code_field: str) -> str:
    """``<plan_start>:<code>``, the item_key of plan items."""
    return f"{row.get('plan_start')}:{row.get(code_field)}"


class PlanIndex:
    """The municipalities' plan periods, indexed once: which plan is in force in a year."""

    def __init__(self, objectives: list[dict]) -> None:
        periods: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for o in objectives:
            if o.get("plan_start") is not None:
                periods[o.get("municipality_id")].add((o["plan_start"], o.get("plan_end") or o["plan_start"] + 4))
        self._periods = {mid: sorted(p, reverse=True) for mid, p in periods.items()}
        self._memo: dict[tuple[str, int], int | None] = {}

    def in_force(self, mid: str, year: int | None) -> int | None:
        """plan_start of the municipality's plan covering ``year`` (the latest when plans overlap)."""
        if year is None:
            return None
        key = (mid, year)
        if key not in self._memo:
            self._memo[key] = next((s for s, e in self._periods.get(mid, ()) if s <= year <= e), None)
        return self._memo[key]


def plan_in_force(objectives: list[dict], mid: str, year: int) -> int | None:
    """plan_start of the municipality's plan covering ``year`` (the latest when plans overlap).

    One-off look-up; code that asks for many years builds a :class:`PlanIndex` once instead.
    """
    return PlanIndex(objectives).in_force(mid, year)


def read_overrides(path: Path | None) -> tuple[dict[tuple[str, str, str], dict], list[str]]:
    """Overrides keyed by (municipality_id, item_kind, item_key), and messages about bad rows."""
    out: dict[tuple[str, str, str], dict] = {}
    problems: list[str] = []
    for n, row in csv_rows(path):
        try:
            marker = int(str(row.get("marker", "")).strip())
        except ValueError:
            problems.append(f"{path}: row {n}: marker must be 0, 1 or 2, not {row.get('marker')!r}; row ignored")
            continue
        kind = (row.get("item_kind") or "").strip()
        if marker not in (0, 1, 2) or kind not in ("objective", "indicator", "activity"):
            problems.append(f"{path}: row {n}: item_kind must be objective/indicator/activity and marker 0/1/2; "
                            "row ignored")
            continue
        out[((row.get("municipality_id") or "").strip(), kind, (row.get("item_key") or "").strip())] = {
            "marker": marker, "note": (row.get("note") or "").strip(), "date": (row.get("date") or "").strip()}
    return out, problems


def tag_all(rows: dict[str, list[dict]], overrides: dict[tuple[str, str, str], dict],
            lex: Lexicon | None = None, plans: PlanIndex | None = None) -> list[dict]:
    """Tag objectives, indicators and activities in place (``gender_marker``); return gender_tags rows."""
    lex = lex or Lexicon.load()
    objectives, indicators, activities = (rows.get(k) or [] for k in ("objectives", "indicators", "activities"))
    # 1-2: lexical and unit rule on objectives; lexical on indicators.
    obj_tags: dict[tuple, Tag] = {}
    for o in objectives:
        tag = lexical_tag(lex, o.get("objective_title"))
        _unit_lift(lex, tag, o.get("responsible_unit"))
        obj_tags[(o["municipality_id"], o.get("plan_start"), o.get("objective_code"))] = tag
    ind_tags: dict[tuple, Tag] = {}
    by_objective: dict[tuple, list[int]] = defaultdict(list)
    for i in indicators:
        tag = lexical_tag(lex, i.get("indicator_name"))
        ind_tags[(i["municipality_id"], i.get("plan_start"), i.get("indicator_code"))] = tag
        by_objective[(i["municipality_id"], i.get("plan_start"), i.get("objective_code"))].append(tag.marker)
    # 2b: indicators counting the people a women's / equality unit serves.
    units = {(o["municipality_id"], o.get("plan_start"), o.get("objective_code")): o.get("responsible_unit")
             for o in objectives}
    for i in indicators:
        unit = units.get((i["municipality_id"], i.get("plan_start"), i.get("objective_code")))
        if not lex.unit_matches(unit):  # memoised per unit: most indicators' names need no matching
            continue
        words = text_key(i.get("indicator_name")).split()
        sets = lex.term_sets(words)
        hit = next((" ".join(t) for t in lex.unit_indicator_terms if lex.phrase_at(t, sets)), None)
        if hit:
            ind_tags[(i["municipality_id"], i.get("plan_start"), i.get("indicator_code"))].lift(
                lex.unit_marker, f"counts people served ('{hit}') by '{unit}', the objective's unit → "
                                 f"at least {MARKER_NAMES[lex.unit_marker]}")
    # 3: principal passes up from indicators (their own markers, so nothing inherited comes back
    # up), only to objectives whose own title and unit say nothing: a title that names a
    # significant aim is better evidence of the objective's main aim than its indicators.
    own = {key: tag.marker for key, tag in obj_tags.items()}
    for key, tag in obj_tags.items():
        markers = by_objective.get(key, [])
        k = sum(1 for x in markers if x == 2)
        if own[key] == 0 and markers and k * 2 > len(markers):
            tag.lift(2, f"{k} of {len(markers)} indicators are principal → principal")
    # Overrides of objectives apply before passing down, so a corrected objective corrects its children.
    obj_final: dict[tuple, int] = {}
    for o in objectives:
        key = (o["municipality_id"], o.get("plan_start"), o.get("objective_code"))
        ov = overrides.get((o["municipality_id"], "objective", plan_key(o, "objective_code")))
        # Only a principal the objective's own text (or a user) states passes down; one inferred
        # from the indicators would otherwise spread to every activity of the objective.
        obj_final[key] = ov["marker"] if ov else own[key]
    # 4: principal passes down to indicators and activities.
    for i in indicators:
        okey = (i["municipality_id"], i.get("plan_start"), i.get("objective_code"))
        if obj_final.get(okey) == 2:
            ind_tags[(i["municipality_id"], i.get("plan_start"), i.get("indicator_code"))].lift(
                2, f"serves objective {i.get('objective_code')}, which is principal → principal")
    act_tags: dict[str, Tag] = {}
    plans = plans or PlanIndex(objectives)
    for a in activities:
        tag = lexical_tag(lex, a.get("activity_name"))
        _unit_lift(lex, tag, a.get("responsible_unit"))
        ps = plans.in_force(a["municipality_id"], a.get("year"))
        if obj_final.get((a["municipality_id"], ps, a.get("objective_code"))) == 2:
            tag.lift(2, f"serves objective {a.get('objective_code')} (plan {ps}), which is principal → principal")
        act_tags[a["activity_id"]] = tag
    # 5: write markers and tag rows; overrides win.
    out: list[dict] = []

    def emit(row: dict, kind: str, key: str, year: int | None, name: str | None, tag: Tag) -> None:
        ov = overrides.get((row["municipality_id"], kind, key))
        marker = ov["marker"] if ov else tag.marker
        reason = (f"override {ov['date'] or ''}: {ov['note'] or 'set by a user'} (rules said {tag.marker}: {tag.reason})"
                  if ov else tag.reason)
        row["gender_marker"] = marker
        out.append({"municipality_id": row["municipality_id"], "item_kind": kind, "item_key": key, "year": year,
                    "marker": marker, "reason": reason, "tag_source": "override" if ov else "rule",
                    "item_name": name, "rule_marker": tag.marker, "matched_terms": "; ".join(tag.terms) or None})

    for o in objectives:
        emit(o, "objective", plan_key(o, "objective_code"), None, o.get("objective_title"),
             obj_tags[(o["municipality_id"], o.get("plan_start"), o.get("objective_code"))])
    for i in indicators:
        emit(i, "indicator", plan_key(i, "indicator_code"), None, i.get("indicator_name"),
             ind_tags[(i["municipality_id"], i.get("plan_start"), i.get("indicator_code"))])
    for a in activities:
        emit(a, "activity", a["activity_id"], a.get("year"), a.get("activity_name"), act_tags[a["activity_id"]])
    return out
