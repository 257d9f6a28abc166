"""Precision and recall of the gender marker, per class, against two hand-labelled sources.

1. the corpus truth files (``<shared>/corpus/truth/*.json``): objectives, indicators and
   activities carry ``gender_marker``; the items are tagged from the truth's own text (titles,
   names, responsible units, codes), so this measures the rules, not the extraction;
2. ``<shared>/reference/kentekatilim_hedef_kartlari.csv``: real indicators of ~11
   municipalities with a *suggested* marker (``cinsiyet_etiketi_onerilen_0_1_2``), tagged with
   their objective title and responsible unit as context.

Usage: ``.venv/bin/python -m etl.analysis.evaluate_marker [--shared PATH] [--errors]``
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from etl.analysis.marker import Lexicon, tag_all

DEFAULT_SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def truth_rows(truth: dict) -> tuple[dict[str, list[dict]], dict[tuple[str, str], int]]:
    """Rows shaped like the ETL's, built from one truth file, and the wanted markers by item."""
    mid = truth["municipality_id"]
    rows: dict[str, list[dict]] = {"objectives": [], "indicators": [], "activities": []}
    want: dict[tuple[str, str], int] = {}
    for plan in truth.get("plans", []):
        ps, pe = plan["year_start"], plan["year_end"]
        for o in plan.get("objectives", []):
            rows["objectives"].append({"municipality_id": mid, "plan_start": ps, "plan_end": pe,
                                       "objective_code": o["code"], "objective_title": o["title"],
                                       "responsible_unit": o.get("responsible_unit")})
            want[("objective", f"{mid}:{ps}:{o['code']}")] = o["gender_marker"]
        for i in plan.get("indicators", []):
            rows["indicators"].append({"municipality_id": mid, "plan_start": ps, "plan_end": pe,
                                       "indicator_code": i["code"], "objective_code": i["objective_code"],
                                       "indicator_name": i["name"]})
            want[("indicator", f"{mid}:{ps}:{i['code']}")] = i["gender_marker"]
    for prog in truth.get("programs", []):
        for n, a in enumerate(prog.get("activities", []), start=1):
            aid = f"{mid}:{prog['year']}:{n}"
            rows["activities"].append({"activity_id": aid, "municipality_id": mid, "year": prog["year"],
                                       "performance_goal_code": a.get("performance_goal_code"),
                                       "objective_code": a.get("objective_code"), "activity_name": a["name"],
                                       "responsible_unit": a.get("responsible_unit")})
            want[("activity", aid)] = a["gender_marker"]
    return rows, want


def kentekatilim_rows(path: Path) -> tuple[dict[str, list[dict]], dict[tuple[str, str], int]]:
    """Objectives and indicators from the kentekatilim scorecard transcription."""
    rows: dict[str, list[dict]] = {"objectives": [], "indicators": [], "activities": []}
    want: dict[tuple[str, str], int] = {}
    seen: set[str] = set()
    with open(path, encoding="utf-8", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh), start=1):
            mid = r["kaynak_url"].rstrip("/").rsplit("/", 1)[-1]  # one scorecard = one objective
            if mid not in seen:
                seen.add(mid)
                rows["objectives"].append({"municipality_id": mid, "plan_start": 0, "plan_end": 0,
                                           "objective_code": "H", "objective_title": r["hedef"],
                                           "responsible_unit": r["sorumlu_birim"]})
            code = f"PG{n}"
            rows["indicators"].append({"municipality_id": mid, "plan_start": 0, "plan_end": 0,
                                       "indicator_code": code, "objective_code": "H", "indicator_name": r["pg_adi"]})
            want[("indicator", f"{mid}:0:{code}")] = int(r["cinsiyet_etiketi_onerilen_0_1_2"])
    return rows, want


def predictions(rows: dict[str, list[dict]], lex: Lexicon) -> tuple[dict[tuple[str, str], int], dict]:
    """Markers the rules give, keyed like the wanted ones, and the tag rows for explanations."""
    tags = tag_all(rows, {}, lex)
    got, why = {}, {}
    for t in tags:
        if t["item_kind"] == "activity":
            key = (t["item_kind"], t["item_key"])
        else:
            key = (t["item_kind"], f"{t['municipality_id']}:{t['item_key']}")
        got[key], why[key] = t["marker"], (t["item_name"], t["reason"])
    return got, why


def scores(want: dict, got: dict) -> dict[int, tuple[float | None, float | None, int, int]]:
    """class → (precision, recall, support, predicted)."""
    out = {}
    for c in (0, 1, 2):
        tp = sum(1 for k, w in want.items() if w == c and got.get(k) == c)
        support = sum(1 for w in want.values() if w == c)
        predicted = sum(1 for k in want if got.get(k) == c)
        out[c] = (tp / predicted if predicted else None, tp / support if support else None, support, predicted)
    return out


def report(title: str, want: dict, got: dict, why: dict, errors: bool) -> None:
    """Print the per-class table (overall and per item kind), and the misses when asked."""
    print(f"\n{title}")
    kinds = sorted({k[0] for k in want})
    for label, sub in [("all", want)] + [(k, {x: w for x, w in want.items() if x[0] == k}) for k in kinds]:
        s = scores(sub, got)
        print(f"  {label:<10} " + "  ".join(
            f"{['0 none', '1 significant', '2 principal'][c]}: P={_f(p)} R={_f(r)} (n={n})"
            for c, (p, r, n, _) in s.items()))
    conf = Counter((w, got.get(k)) for k, w in want.items())
    print("  confusion (truth→rules): " + ", ".join(f"{w}→{g}: {n}" for (w, g), n in sorted(conf.items())))
    if errors:
        for k, w in sorted(want.items()):
            if got.get(k) != w:
                name, reason = why.get(k, ("?", "?"))
                print(f"    {k[0]:<9} want {w} got {got.get(k)}  {name!r}: {reason}")


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (corpus, reference)")
    ap.add_argument("--errors", action="store_true", help="list every item the rules get wrong, with the reason")
    a = ap.parse_args(argv)
    lex = Lexicon.load()
    truth_files = sorted((a.shared / "corpus" / "truth").glob("*.json"))
    if truth_files:
        want: dict = {}
        got: dict = {}
        why: dict = {}
        for f in truth_files:
            rows, w = truth_rows(json.loads(f.read_text(encoding="utf-8")))
            g, y = predictions(rows, lex)
            want.update(w)
            got.update(g)
            why.update(y)
        report(f"corpus truth ({', '.join(f.stem for f in truth_files)})", want, got, why, a.errors)
    else:
        print(f"no truth files under {a.shared / 'corpus' / 'truth'}")
    kk = a.shared / "reference" / "kentekatilim_hedef_kartlari.csv"
    if kk.exists():
        rows, want = kentekatilim_rows(kk)
        got, why = predictions(rows, lex)
        report("kentekatilim_hedef_kartlari.csv (suggested markers, indicators)", want, got, why, a.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
