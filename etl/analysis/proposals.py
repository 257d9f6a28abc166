"""The guide's three indicator kinds, and the sex-disaggregated pair to propose (guide Q14, Q15).

Every SP indicator and every PP indicator is classified:

* **counts people**: its unit is ``kişi`` or the word before its "sayısı" is a people word
  ("yararlanan kişi sayısı", "kütüphane üye sayısı");
* **kind 1, sex-disaggregated**: it names both women and men ("… kadın / erkek sayısı"), or a
  twin indicator of the same objective names the other sex;
* **kind 2, women or men in a specific situation**: it names one side only ("… kadın sayısı",
  "ebeveyn izni kullanan erkek personel sayısı");
* **kind 3, general gender equality**: gender-related (marker 1 or 2) without naming either.

An indicator that counts people without naming women or men gets a proposal: the pair of
indicators that would count them apart ("Yararlanan kişi sayısı" → "Yararlanan kadın sayısı" /
"Yararlanan erkek sayısı"). Vocabulary: ``scorecard.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl.analysis import values as indicator_values
from etl.analysis.marker import Lexicon, PlanIndex, text_key
from etl.turkish import clean_text, match_key

VOCAB_PATH = Path(__file__).with_name("scorecard.toml")
_MEMO_MAX = 1 << 17
_UPPER_FIRST = str.maketrans({"i": "İ", "ı": "I"})


@dataclass(frozen=True)
class People:
    """A people word and how its pair is written."""

    word: str
    mode: str  # replace / insert / after
    women: str = "kadın"
    men: str = "erkek"


@dataclass
class Vocabulary:
    """scorecard.toml, folded for matching; the lexicon supplies the matcher and the unit words."""

    lex: Lexicon
    women_words: tuple[str, ...]
    men_words: tuple[str, ...]
    people_units: tuple[str, ...]
    count_words: tuple[str, ...]
    people: tuple[People, ...]
    women_org_terms: tuple[tuple[str, ...], ...]
    sex_header_both: tuple[tuple[tuple[str, ...], ...], ...]
    sex_header_either: tuple[tuple[str, ...], ...]
    max_cell_words: int = 3
    consultation_terms: tuple[tuple[str, ...], ...] = ()
    # Memos of pure functions of a text: indicator names, units, cells and table headers come back
    # in every year's program and report, and the scorecard asks about each one several times.
    _memo: dict[tuple, object] = field(default_factory=dict, init=False, repr=False)

    def memo(self, key: tuple, compute):
        """``compute()``, remembered under ``key``."""
        try:
            return self._memo[key]
        except KeyError:
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()  # bounded whatever the number of municipalities
            value = self._memo[key] = compute()
            return value

    @classmethod
    def load(cls, path: Path = VOCAB_PATH, lex: Lexicon | None = None) -> Vocabulary:
        """Read the vocabulary file (and the gender lexicon, for its matcher and unit words)."""
        with open(path, "rb") as fh:
            data = tomllib.load(fh)

        def words(xs: list[str]) -> tuple[tuple[str, ...], ...]:
            return tuple(tuple(match_key(x).split()) for x in xs)

        return cls(
            lex=lex or Lexicon.load(),
            women_words=tuple(match_key(w) for w in data.get("women_words", [])),
            men_words=tuple(match_key(w) for w in data.get("men_words", [])),
            people_units=tuple(match_key(w) for w in data.get("people_units", [])),
            count_words=tuple(match_key(w) for w in data.get("count_words", [])),
            people=tuple(People(match_key(p["word"]), p.get("mode", "insert"), p.get("women", "kadın"),
                                p.get("men", "erkek")) for p in data.get("people", [])),
            women_org_terms=words(data.get("women_organisations", {}).get("terms", [])),
            sex_header_both=tuple(words(b) for b in data.get("figures_by_sex", {}).get("both", [])),
            sex_header_either=words(data.get("figures_by_sex", {}).get("either", [])),
            max_cell_words=int(data.get("figures_by_sex", {}).get("max_cell_words", 3)),
            consultation_terms=words(data.get("participation", {}).get("consultation", [])))

    def names_any(self, words: list[str], terms: tuple[str, ...]) -> bool:
        """True when a text word matches one of the single-word ``terms``."""
        return any(self.lex.phrase_in((t,), words) for t in terms)

    def phrase_any(self, text: str | None, phrases: tuple[tuple[str, ...], ...]) -> str | None:
        """The first of ``phrases`` that occurs in ``text``, as words joined by spaces."""
        if not text:
            return None

        def compute() -> str | None:
            words = match_key(text).split()
            return next((" ".join(p) for p in phrases if self.lex.phrase_in(p, words)), None)
        return self.memo(("phrase_any", text, phrases), compute)

    def sex_columns(self, header: str | None) -> str | None:
        """What makes a table header a breakdown by sex ("kadın | erkek", "cinsiyet"), or None."""
        return self.memo(("sex_columns", header), lambda: self._sex_columns(header))

    def _sex_columns(self, header: str | None) -> str | None:
        cells = [match_key(c).split() for c in (header or "").split(" | ")]
        cells = [c for c in cells if c and len(c) <= self.max_cell_words]

        def has(term: tuple[str, ...]) -> bool:
            return any(self.lex.phrase_in(term, c) for c in cells)

        for sides in self.sex_header_both:
            if all(has(side) for side in sides):
                return " | ".join(" ".join(side) for side in sides)
        return next((" ".join(t) for t in self.sex_header_either if has(t)), None)


@dataclass(frozen=True)
class IndicatorKind:
    """What the scorecard needs to know about one indicator name."""

    counts_people: bool
    names_women: bool
    names_men: bool
    people_word: str | None  # the people word the count is of (folded), when found

    @property
    def names_sex(self) -> bool:
        return self.names_women or self.names_men


def _people_at(vocab: Vocabulary, word: str) -> People | None:
    return next((p for p in vocab.people if vocab.lex.phrase_in((p.word,), [word])), None)


def _count_index(vocab: Vocabulary, folded: list[str]) -> int | None:
    """Index of the last "sayı…" word of a folded token list."""
    hits = [i for i, w in enumerate(folded) if any(w.startswith(c) for c in vocab.count_words)]
    return hits[-1] if hits else None


def classify(vocab: Vocabulary, name: str | None, unit: str | None) -> IndicatorKind:
    """Whether an indicator counts people and whether it names women / men."""
    return vocab.memo(("classify", name, unit), lambda: _classify(vocab, name, unit))


def _classify(vocab: Vocabulary, name: str | None, unit: str | None) -> IndicatorKind:
    words = match_key(name).split()
    women, men = vocab.names_any(words, vocab.women_words), vocab.names_any(words, vocab.men_words)
    j = _count_index(vocab, words)
    person = _people_at(vocab, words[j - 1]) if j else None
    by_unit = any(match_key(unit).startswith(u) for u in vocab.people_units) if unit else False
    # "… kadın sayısı": the count is of women, a people word the vocabulary need not list.
    counted_sex = bool(j) and vocab.names_any([words[j - 1]], vocab.women_words + vocab.men_words)
    return IndicatorKind(counts_people=by_unit or person is not None or counted_sex, names_women=women,
                         names_men=men, people_word=person.word if person else None)


def _cap(word: str) -> str:
    return word[:1].translate(_UPPER_FIRST).upper() + word[1:]


def pair(vocab: Vocabulary, name: str) -> tuple[str, str]:
    """The women / men indicators to propose for a people-counting indicator name."""
    tokens = clean_text(name).split(" ")
    folded = [match_key(t) for t in tokens]
    j = _count_index(vocab, folded)
    k = j - 1 if j else None
    person = _people_at(vocab, folded[k]) if k is not None and folded[k] else None
    if person is None:
        # No people word before the count (a "kişi"-unit indicator phrased otherwise): say it plainly.
        return f"{clean_text(name)} (kadın)", f"{clean_text(name)} (erkek)"
    out = []
    for side in (person.women, person.men):
        t = list(tokens)
        if person.mode == "replace":
            t[k] = side if k else _cap(side)
        elif person.mode == "after":
            t.insert(k + 1, side)
        else:
            t.insert(k, side if k else _cap(side))
            if k == 0:
                t[1] = t[1][:1].lower() + t[1][1:]
        out.append(" ".join(t))
    return out[0], out[1]


def _indicator_sources(rows: dict[str, list[dict]], sets: indicator_values.ValueSets | None = None) -> list[dict]:
    """Every SP indicator and every PP indicator (one per year and code), with its directorate."""
    objectives = rows.get("objectives") or []
    plans = PlanIndex(objectives)  # once: a look-up per program value scanned every objective
    units = {(o["municipality_id"], o.get("plan_start"), o.get("objective_code")): o.get("responsible_unit")
             for o in objectives}
    out = []
    for i in rows.get("indicators") or []:
        out.append({"municipality_id": i["municipality_id"], "source_kind": "plan", "plan_start": i.get("plan_start"),
                    "year": None, "indicator_code": i.get("indicator_code"), "indicator_name": i.get("indicator_name"),
                    "unit": i.get("unit"), "objective_code": i.get("objective_code"), "performance_goal_code": None,
                    "responsible_unit": units.get((i["municipality_id"], i.get("plan_start"), i.get("objective_code"))),
                    "gender_marker": i.get("gender_marker"), "source_document_id": i.get("source_document_id"),
                    "source_page": i.get("source_page")})
    pg_units = {(g["municipality_id"], g.get("year"), g.get("performance_goal_code")): g.get("responsible_unit")
                for g in rows.get("performance_goals") or []}
    sp_markers = {(i["municipality_id"], i.get("indicator_code")): i.get("gender_marker")
                  for i in rows.get("indicators") or []}
    sets = sets or indicator_values.from_rows(rows.get("indicator_values") or [])
    seen = set()
    for v in sets.targets:  # the first program_target row of each name; names that fold alike are one
        key = (v["municipality_id"], v.get("year"), v.get("indicator_code"), text_key(v.get("indicator_name")))
        if key in seen:
            continue
        seen.add(key)
        ps = plans.in_force(v["municipality_id"], v["year"])
        unit = pg_units.get((v["municipality_id"], v.get("year"), v.get("performance_goal_code"))) \
            or units.get((v["municipality_id"], ps, v.get("objective_code")))
        out.append({"municipality_id": v["municipality_id"], "source_kind": "program", "plan_start": ps,
                    "year": v.get("year"), "indicator_code": v.get("indicator_code"),
                    "indicator_name": v.get("indicator_name"), "unit": v.get("unit"),
                    "objective_code": v.get("objective_code"), "performance_goal_code": v.get("performance_goal_code"),
                    "responsible_unit": unit, "gender_marker": sp_markers.get((v["municipality_id"],
                                                                               v.get("indicator_code"))),
                    "source_document_id": v.get("source_document_id"), "source_page": v.get("source_page")})
    return out


def indicator_kinds(rows: dict[str, list[dict]], vocab: Vocabulary | None = None,
                    sets: indicator_values.ValueSets | None = None) -> list[dict]:
    """One ``indicator_kinds`` row per SP indicator and PP indicator: counts people, kind 1/2/3, proposal;
    ``sets``: the batch's ``indicator_values`` sets (computed from ``rows`` when not given)."""
    vocab = vocab or Vocabulary.load()
    items = _indicator_sources(rows, sets)
    kinds = [classify(vocab, it["indicator_name"], it["unit"]) for it in items]
    # Twins: "… kadın sayısı" and "… erkek sayısı" of the same objective are a sex-disaggregated pair.
    sides: dict[tuple, set[str]] = {}
    for it, k in zip(items, kinds, strict=True):
        if k.names_women != k.names_men:
            stem = _twin_key(vocab, it["indicator_name"])
            sides.setdefault((it["municipality_id"], it["source_kind"], it["plan_start"], it["year"],
                              it["objective_code"], stem), set()).add("w" if k.names_women else "m")
    out = []
    for it, k in zip(items, kinds, strict=True):
        twin = False
        if k.names_women != k.names_men:
            twin = sides.get((it["municipality_id"], it["source_kind"], it["plan_start"], it["year"],
                              it["objective_code"], _twin_key(vocab, it["indicator_name"]))) == {"w", "m"}
        marker = it.get("gender_marker")
        if (k.names_women and k.names_men) or twin:
            kind = 1
        elif k.names_sex:
            kind = 2
        elif marker is not None and marker >= 1:
            kind = 3
        else:
            kind = None
        proposal = (vocab.memo(("pair", it["indicator_name"]), lambda it=it: pair(vocab, it["indicator_name"] or ""))
                    if k.counts_people and not k.names_sex else (None, None))
        out.append({**it, "counts_people": k.counts_people, "sex_disaggregated": kind == 1, "guide_kind": kind,
                    "names_women": k.names_women, "names_men": k.names_men, "people_word": k.people_word,
                    "proposal_women": proposal[0], "proposal_men": proposal[1]})
    return out


def _twin_key(vocab: Vocabulary, name: str | None) -> str:
    """The name with its women / men words taken out, to find the other half of a pair."""
    return vocab.memo(("twin", name), lambda: " ".join(
        w for w in match_key(name).split() if not vocab.names_any([w], vocab.women_words + vocab.men_words)))
