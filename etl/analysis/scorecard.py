"""The gender-equality scorecard of a strategic plan (CSO guide Q14), with its evidence.

One :func:`scorecard_step` reads relations the build already holds and writes three of its own:

* ``indicator_kinds``: every SP and PP indicator — counts people? the guide's kind 1/2/3? the
  sex-disaggregated pair to propose (``etl/analysis/proposals.py``);
* ``gender_scorecard``: one row per municipality × strategic plan, six answers
  (``yes`` / ``partly`` / ``no`` / ``unknown``) with the figures behind them and a score;
* ``gender_scorecard_evidence``: the items each answer rests on, each with its document and page.

The six questions: a goal or objective whose main aim is gender equality; a women's / equality
unit and the objectives it owns (the unit words are the gender lexicon's ``[unit_rule]``); the
share of people-counting indicators that are sex-disaggregated and the count of each kind;
women's organisations named among the stakeholders; figures by sex in the plan's situation
analysis (a table headed Kadın | Erkek); the PP budget tagged 2 and 1 in each year of the plan.

Women's organisations are looked for in the objectives' cooperating units, strategies,
findings, needs and risks, and in the plan's participation / stakeholder text: the sentences of
``page_texts`` (pages with no scorecard on them) that speak of consultation (paydaş, istişare,
görüş, çalıştay … in ``scorecard.toml`` ``[participation]``). Named in either: ``yes``; the plan
speaks of consultation and names none: ``no``; neither (or no text of the plan): ``unknown``. Figures by
sex are found in tables camelot read whose header names both sexes (no layout kind claims them).
"""

from __future__ import annotations

import re
from collections import defaultdict

from etl.analysis.marker import lexical_tag
from etl.analysis.proposals import Vocabulary, indicator_kinds
from etl.analysis.values import ValueSets
from etl.turkish import match_key

QUESTIONS = ("gender_objective", "women_unit", "indicators", "women_organisations", "figures_by_sex", "budget")
SCORES = {"yes": 1.0, "partly": 0.5, "no": 0.0, "unknown": 0.0}
# A plan's indicators are "mostly" sex-disaggregated from this share of its people counts on.
MOSTLY_DISAGGREGATED_PCT = 75.0
_ORG_FIELDS = ("cooperating_units", "strategies", "findings", "needs", "risks")
# Cooperating units are '; '-separated, but a cell printed on several lines can reach the
# warehouse as one run ("Zabıta Müdürlüğü Kadın ve Aile Hizmetleri Müdürlüğü"): cut after each
# word that closes a unit's name.
_UNIT_END = re.compile(r"(.*?\b(?:Müdürlüğü|Başkanlığı|Birimi|Masası|Merkezi|Şefliği|Müşavirliği))(?:\s+|$)")


def _units(cell: str | None) -> list[str]:
    out = []
    for part in (cell or "").split(";"):
        part = part.strip()
        names = [m.group(1).strip() for m in _UNIT_END.finditer(part)]
        rest = _UNIT_END.sub("", part).strip()
        out.extend(names + ([rest] if rest else []))
    return [u for u in out if u]


def _pct(part: float | None, whole: float | None) -> float | None:
    return round(part / whole * 100, 2) if part is not None and whole else None


def _evidence(plan: dict, question: str, kind: str, code: object, name: object, *, detail: str | None = None,
              year: int | None = None, value: float | None = None, doc: object = None, page: object = None) -> dict:
    return {"municipality_id": plan["municipality_id"], "plan_start": plan["plan_start"], "question": question,
            "item_kind": kind, "item_code": None if code is None else str(code),
            "item_name": None if name is None else str(name), "detail": detail, "year": year, "value": value,
            "source_document_id": doc, "source_page": page}


def _plans(rows: dict[str, list[dict]]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for o in (rows.get("objectives") or []) + (rows.get("goals") or []):
        if o.get("plan_start") is None:
            continue
        key = (o["municipality_id"], o["plan_start"])
        seen.setdefault(key, {"municipality_id": key[0], "plan_start": key[1],
                              "plan_end": o.get("plan_end") or key[1] + 4,
                              "sp_document_id": o.get("source_document_id")})
    return [seen[k] for k in sorted(seen)]


def _in_plan(plan: dict, row: dict) -> bool:
    return row.get("municipality_id") == plan["municipality_id"] and row.get("plan_start") == plan["plan_start"]


def _gender_objective(plan: dict, rows: dict, vocab: Vocabulary, ev: list[dict]) -> dict:
    principal = significant = 0
    for g in rows.get("goals") or []:
        if _in_plan(plan, g):
            m = lexical_tag(vocab.lex, g.get("goal_title")).marker
            if m:
                principal, significant = principal + (m == 2), significant + (m == 1)
                ev.append(_evidence(plan, "gender_objective", "goal", g.get("goal_code"), g.get("goal_title"),
                                    detail=f"marker {m}", value=m, doc=g.get("source_document_id"),
                                    page=g.get("source_page")))
    for o in rows.get("objectives") or []:
        m = o.get("gender_marker") or 0
        if _in_plan(plan, o) and m:
            principal, significant = principal + (m == 2), significant + (m == 1)
            ev.append(_evidence(plan, "gender_objective", "objective", o.get("objective_code"),
                                o.get("objective_title"), detail=f"marker {m}", value=m,
                                doc=o.get("source_document_id"), page=o.get("source_page")))
    answer = "yes" if principal else "partly" if significant else "no"
    return {"gender_objective_answer": answer, "principal_items": principal, "significant_items": significant}


def _women_unit(plan: dict, rows: dict, vocab: Vocabulary, ev: list[dict]) -> dict:
    owned: dict[str, list[dict]] = defaultdict(list)
    cooperating: set[str] = set()
    for o in rows.get("objectives") or []:
        if not _in_plan(plan, o):
            continue
        unit = (o.get("responsible_unit") or "").strip()
        if unit and vocab.lex.unit_matches(unit):
            owned[unit].append(o)
            ev.append(_evidence(plan, "women_unit", "objective", o.get("objective_code"), o.get("objective_title"),
                                detail=f"responsible: {unit}", doc=o.get("source_document_id"),
                                page=o.get("source_page")))
        for u in _units(o.get("cooperating_units")):
            if vocab.lex.unit_matches(u):
                cooperating.add(u)
    in_program: dict[str, dict] = {}
    for r in (rows.get("performance_goals") or []) + (rows.get("activities") or []):
        unit = (r.get("responsible_unit") or "").strip()
        if (r.get("municipality_id") == plan["municipality_id"] and r.get("year") is not None
                and plan["plan_start"] <= r["year"] <= plan["plan_end"] and unit and vocab.lex.unit_matches(unit)):
            in_program.setdefault(unit, r)
    for unit in sorted(cooperating - set(owned)):
        ev.append(_evidence(plan, "women_unit", "unit", None, unit, detail="cooperating unit only"))
    for unit, r in sorted(in_program.items()):
        if unit not in owned:
            ev.append(_evidence(plan, "women_unit", "unit", r.get("performance_goal_code"), unit,
                                detail="named in a performance program only", year=r.get("year"),
                                doc=r.get("source_document_id"), page=r.get("source_page")))
    names = sorted(set(owned) | cooperating | set(in_program))
    answer = "yes" if owned else "partly" if names else "no"
    return {"women_unit_answer": answer, "women_units": "; ".join(names) or None,
            "women_unit_objectives": sum(len(v) for v in owned.values())}


def _indicators(plan: dict, kinds: list[dict], ev: list[dict]) -> dict:
    mine = [k for k in kinds if k["source_kind"] == "plan" and _in_plan(plan, k)]
    people = [k for k in mine if k["counts_people"]]
    disagg = [k for k in people if k["sex_disaggregated"]]
    counts = {n: sum(1 for k in mine if k["guide_kind"] == n) for n in (1, 2, 3)}
    for k in mine:
        if k["guide_kind"] or k["counts_people"]:
            role = (f"kind {k['guide_kind']}" if k["guide_kind"] else "counts people, not by sex")
            ev.append(_evidence(plan, "indicators", "indicator", k["indicator_code"], k["indicator_name"],
                                detail=role, value=k["guide_kind"], doc=k["source_document_id"],
                                page=k["source_page"]))
    share = _pct(len(disagg), len(people))
    if not people:
        answer = "unknown"
    elif share >= MOSTLY_DISAGGREGATED_PCT:
        answer = "yes"
    else:
        answer = "partly" if disagg else "no"
    return {"indicators_answer": answer, "indicators_total": len(mine), "people_indicators": len(people),
            "sex_disaggregated_indicators": len(disagg), "sex_disaggregated_share_pct": share,
            "kind1_indicators": counts[1], "kind2_indicators": counts[2], "kind3_indicators": counts[3]}


# Sentences of running text end at . ! ? ; or a bullet; a blank line ends a paragraph.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s*[•▪●]\s*|\n\s*\n")
_QUOTE_CHARS = 400  # evidence quotes a sentence up to this length


def _sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def _card_pages(rows: dict, doc_id: object) -> set[int]:
    """Pages of ``doc_id`` covered by a table of a known kind (scorecards): not running text."""
    out: set[int] = set()
    for t in rows.get("extracted_tables") or []:
        if t.get("document_id") == doc_id and t.get("kind") is not None and t.get("page") is not None:
            out.update(range(int(t["page"]), int(t.get("last_page") or t["page"]) + 1))
    return out


def _participation(plan: dict, rows: dict, vocab: Vocabulary) -> tuple[int | None, list[tuple[int, str, str | None]]]:
    """The plan's sentences about consultation, from ``page_texts``: (pages with one, [(page,
    sentence, women's organisation term or None)]). Pages is None when the warehouse holds no
    text of the plan."""
    doc_id = plan["sp_document_id"]
    texts = [t for t in rows.get("page_texts") or [] if t.get("document_id") == doc_id]
    if not texts:
        return None, []
    cards = _card_pages(rows, doc_id)
    # A cheap substring test on the folded page first: most pages name no consultation word.
    first_words = {p[0] for p in vocab.consultation_terms}
    pages: set[int] = set()
    found: list[tuple[int, str, str | None]] = []
    seen: set[tuple[int, str]] = set()
    for t in sorted(texts, key=lambda r: r["page"]):
        if t["page"] in cards:
            continue
        folded = match_key(t.get("text"))  # once a page (it was folded again for every word)
        if not any(w in folded for w in first_words):
            continue
        for sentence in _sentences(t.get("text") or ""):
            if (t["page"], sentence) in seen or not vocab.phrase_any(sentence, vocab.consultation_terms):
                continue
            seen.add((t["page"], sentence))
            pages.add(t["page"])
            found.append((t["page"], sentence, vocab.phrase_any(sentence, vocab.women_org_terms)))
    return len(pages), found


def _women_organisations(plan: dict, rows: dict, vocab: Vocabulary, ev: list[dict]) -> dict:
    found = 0
    for o in rows.get("objectives") or []:
        if not _in_plan(plan, o):
            continue
        for f in _ORG_FIELDS:
            term = vocab.phrase_any(o.get(f), vocab.women_org_terms)
            if term:
                found += 1
                ev.append(_evidence(plan, "women_organisations", "objective", o.get("objective_code"), o.get(f),
                                    detail=f"{f}: '{term}'", doc=o.get("source_document_id"),
                                    page=o.get("source_page")))
    pages, sentences = _participation(plan, rows, vocab)
    named = [(p, s, term) for p, s, term in sentences if term]
    for page, sentence, term in named:
        found += 1
        ev.append(_evidence(plan, "women_organisations", "text", None, sentence[:_QUOTE_CHARS],
                            detail=f"participation text: '{term}'", doc=plan["sp_document_id"], page=page))
    if found:
        answer = "yes"
    elif sentences:
        # The plan says whom it consulted and names no women's organisation: the guide's "no".
        answer = "no"
        for page, sentence, _ in sentences[:5]:
            ev.append(_evidence(plan, "women_organisations", "text", None, sentence[:_QUOTE_CHARS],
                                detail="participation text without a women's organisation",
                                doc=plan["sp_document_id"], page=page))
    else:
        answer = "unknown"
    return {"women_organisations_answer": answer, "women_organisation_mentions": found,
            "participation_pages": pages}


def _figures_by_sex(plan: dict, rows: dict, vocab: Vocabulary, ev: list[dict]) -> dict:
    docs = {d["document_id"]: d for d in rows.get("documents") or []}
    in_sp = in_other = 0
    for t in rows.get("extracted_tables") or []:
        if t.get("kind") is not None:
            continue  # scorecards, program and report tables: their headers carry titles, not a breakdown
        d = docs.get(t.get("document_id")) or {}
        if d.get("municipality_id") != plan["municipality_id"] or d.get("superseded"):
            continue
        is_sp = t.get("document_id") == plan["sp_document_id"]
        y = d.get("year_start")
        if not is_sp and (y is None or not plan["plan_start"] <= y <= plan["plan_end"]):
            continue
        header = t.get("header")
        term = vocab.sex_columns(header)
        if not term:
            continue
        in_sp, in_other = in_sp + is_sp, in_other + (not is_sp)
        ev.append(_evidence(plan, "figures_by_sex", "table", d.get("doc_type"), header,
                            detail=("strategic plan" if is_sp else f"{d.get('doc_type')} {y}") + f": '{term}'",
                            year=None if is_sp else y, doc=t.get("document_id"), page=t.get("page")))
    answer = "yes" if in_sp else "partly" if in_other else "no"
    return {"figures_by_sex_answer": answer, "sex_tables_in_plan": in_sp, "sex_tables_elsewhere": in_other}


def _budget(plan: dict, rows: dict, ev: list[dict]) -> dict:
    first_page: dict[int, tuple] = {}
    for a in rows.get("activities") or []:
        if a.get("municipality_id") == plan["municipality_id"] and a.get("year") is not None:
            cur = first_page.get(a["year"])
            if cur is None or (a.get("source_page") or 0) < (cur[1] or 0):
                first_page[a["year"]] = (a.get("source_document_id"), a.get("source_page"))
    years = principal = significant = total = 0.0
    with_principal = 0
    for g in sorted(rows.get("gender_budget") or [], key=lambda r: r["year"]):
        if g["municipality_id"] != plan["municipality_id"] or not plan["plan_start"] <= g["year"] <= plan["plan_end"]:
            continue
        if not g.get("total_budget"):
            continue
        years += 1
        p, s, tot = g.get("principal_budget") or 0.0, g.get("significant_budget") or 0.0, g["total_budget"]
        principal, significant, total = principal + p, significant + s, total + tot
        with_principal += p > 0
        doc, page = first_page.get(g["year"], (None, None))
        ev.append(_evidence(plan, "budget", "budget_year", g["year"], None, year=g["year"], value=_pct(p, tot),
                            detail=f"principal {_pct(p, tot)} %, significant {_pct(s, tot)} % of {tot:.2f} TL",
                            doc=doc, page=page))
    if not years:
        answer = "unknown"
    else:
        answer = "yes" if with_principal == years else "partly" if with_principal or significant else "no"
    return {"budget_answer": answer, "budget_years": int(years), "principal_share_pct": _pct(principal, total),
            "significant_share_pct": _pct(significant, total)}


_READ = ("goals", "objectives", "performance_goals", "activities", "gender_budget", "documents")


def _by_municipality(rows: dict[str, list[dict]]) -> dict[str, dict[str, list[dict]]]:
    """The relations the questions read, split by municipality (tables through their document)."""
    by_document = ("extracted_tables", "page_texts")
    out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {name: [] for name in _READ + by_document})
    for name in _READ:
        for r in rows.get(name) or []:
            out[r.get("municipality_id")][name].append(r)
    owner = {d["document_id"]: d.get("municipality_id") for d in rows.get("documents") or []}
    for name in by_document:
        for t in rows.get(name) or []:
            mid = owner.get(t.get("document_id"))
            if mid is not None:
                out[mid][name].append(t)
    return dict(out)


def scorecard_step(rows: dict[str, list[dict]], vocab: Vocabulary | None = None,
                   sets: ValueSets | None = None) -> dict[str, list[dict]]:
    """The three scorecard relations from the analysed rows (gender markers and budget already set);
    ``sets``: the batch's ``indicator_values`` sets (computed from ``rows`` when not given)."""
    vocab = vocab or Vocabulary.load()
    kinds = indicator_kinds(rows, vocab, sets)
    by_muni, kinds_of = _by_municipality(rows), defaultdict(list)
    for k in kinds:
        kinds_of[k["municipality_id"]].append(k)
    cards, evidence = [], []
    for plan in _plans(rows):
        ev: list[dict] = []
        # Each question reads only the plan's municipality's rows (the same rows, in the same order,
        # that a scan of every municipality's would keep): linear in the number of municipalities.
        mine, mine_kinds = by_muni.get(plan["municipality_id"], {}), kinds_of[plan["municipality_id"]]
        card = {**plan, **_gender_objective(plan, mine, vocab, ev), **_women_unit(plan, mine, vocab, ev),
                **_indicators(plan, mine_kinds, ev), **_women_organisations(plan, mine, vocab, ev),
                **_figures_by_sex(plan, mine, vocab, ev), **_budget(plan, mine, ev)}
        card["score"] = sum(SCORES[card[f"{q}_answer"]] for q in QUESTIONS)
        card["answers_known"] = sum(1 for q in QUESTIONS if card[f"{q}_answer"] != "unknown")
        cards.append(card)
        evidence.extend(ev)
    return {"indicator_kinds": kinds, "gender_scorecard": cards, "gender_scorecard_evidence": evidence}
