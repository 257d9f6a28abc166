"""Read documents of many producers and layouts: generate them, build with the real ETL,
compare with the exact truth (tests/fixtures/variety; see its README).

Every (variant, document type) must be read fully: status ``ok`` and every truth check of
tests/truth_compare.py right (for programs also the left-out objectives). Combinations the
ETL does not read yet are strict xfails naming the reading gap, so they flip to a failure
(to be unmarked) when a fix lands.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from etl.build import build
from tests.fixtures.variety import style as st
from tests.fixtures.variety.compose import Composer
from tests.fixtures.variety.generate import _renumber_tree, generate
from tests.fixtures.variety.ir import Table
from tests.fixtures.variety.model import build as build_model
from tests.fixtures.variety.producers import available
from tests.fixtures.variety.report import score

SEED = 11
BASE = asdict(st.Style())
# variant id → the axes it changes from the baseline (reportlab, full grid, official wording)
ALL3 = frozenset({"sp", "pp", "fr"})
SP, SP_PP = frozenset({"sp"}), frozenset({"sp", "pp"})
# variant id → (the axes it changes from the baseline, the documents it prints)
VARIANTS: dict[str, tuple[dict | None, frozenset[str]]] = {
    "baseline": ({}, ALL3),
    "chromium": ({"producer": "chromium"}, ALL3),
    "writer-fodt": ({"producer": "writer-fodt"}, ALL3),
    "writer-html": ({"producer": "writer-html"}, SP_PP),
    "calc-fods": ({"producer": "calc-fods"}, ALL3),
    "rules-horizontal": ({"rules": "horizontal"}, SP),
    "fullwidth-codes": ({"obj_code": "fullwidth"}, SP_PP),
    "label-brackets": ({"label_in_brackets": True}, SP),
    "spill-bare": ({"spill": "bare"}, SP),
    "comma-units-no-dash": ({"coop_sep": ", ", "zero": "zero"}, ALL3),
    "mixed": (None, ALL3),  # every axis drawn from the seed
}
KIND = {"strategic_plan": "sp", "performance_program": "pp", "activity_report": "fr"}
NEEDS = {"chromium": "chromium", "writer-fodt": "soffice", "writer-html": "soffice", "calc-fods": "soffice"}

# (variant, doc type) → the reading gap that still makes it fail
XFAIL: dict[tuple[str, str], str] = {}


def _xfail(variants: list[str], kinds: list[str], reason: str) -> None:
    for v in variants:
        for k in kinds:
            XFAIL.setdefault((v, k), reason)


_ALL = list(VARIANTS)
# "mixed" (seed 11): SP by Chromium with fullwidth codes and a card continued without its header,
# PP by Writer (flat ODT) with the economic table headed "Kod", FR by reportlab with cell
# backgrounds and no rules and the long budget table headed "Eko. Kod".
# What the reading of issue 9 still misses (the rest of the table passes):
FULLWIDTH = ("objective pages only: the truth locator (fixtures/variety/locate.py) cannot see fullwidth codes a "
             "font has no glyphs for and puts those objectives on another page; the reading places them on their "
             "cards, and reads every code, title and figure")
_xfail(["fullwidth-codes", "mixed"], ["strategic_plan"], FULLWIDTH)
_xfail(["writer-html"], ["strategic_plan"], "LibreOffice Writer (HTML import), rows without padding: goal titles "
       "and pages, two card titles, one indicator")


def _params() -> list:
    out = []
    for v, (_axes, kinds) in VARIANTS.items():
        for kind in ("strategic_plan", "performance_program", "activity_report"):
            if KIND[kind] not in kinds:
                continue
            marks = []
            if (v, kind) in XFAIL:
                marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[(v, kind)]))
            out.append(pytest.param(v, kind, marks=marks, id=f"{v}-{kind}"))
    return out


@pytest.fixture(scope="session")
def variety_build(tmp_path_factory) -> tuple[Path, dict]:
    """Generate every variant once (one small municipality each) and build one warehouse."""
    root = tmp_path_factory.mktemp("variety")
    raw = root / "raw"
    have = available()
    ids: dict[str, str] = {}
    for n, (name, (axes, kinds)) in enumerate(VARIANTS.items()):
        tool = NEEDS.get(name)
        if tool and not shutil.which(tool):
            continue
        force = None if axes is None else {**BASE, **axes}
        recs = generate(raw, SEED, 1, have, max_objectives=3, force=force, money_step=100,
                        suffix=f"v{n:02d}", max_programs=1, kinds=kinds)
        ids[name] = recs[0].municipality_id
    truth = raw / "truth"
    shutil.move(truth, root / "truth")  # truth/ beside raw/, not a municipality folder
    shutil.move(raw / "manifest.json", root / "manifest.json")
    warehouse = root / "w.duckdb"
    build(raw, warehouse, jobs=2, cache_dir=root / "cache")
    rows = {(r["municipality_id"], r["doc_type"]): r for r in score(warehouse, root)}
    return root, {"ids": ids, "rows": rows}


@pytest.mark.parametrize(("variant", "kind"), _params())
def test_document_read_fully(variety_build, variant: str, kind: str) -> None:
    _root, built = variety_build
    if variant not in built["ids"]:
        pytest.skip(f"{NEEDS[variant]} is not installed (scripts/_setup.sh installs it where root+apt)")
    r = built["rows"][(built["ids"][variant], kind)]
    assert r["status"] == "ok", f"{r['file']}: {r['status']} {r['message']}"
    assert r["ok"] == r["total"], f"{r['file']}: {r['ok']}/{r['total']} right; failing {r['failures']}"
    assert not r["extra"], f"{r['file']}: rows the truth does not explain: {r['extra'][:5]}"
    if kind == "performance_program":
        assert r["left_out_ok"], r["left_out_diff"]


# ---------------------------------------------------------------------------------------------
# the generator itself: its truth is internally consistent, whatever the seed

_MONEY = re.compile(r"^-?[₺]?[\d. \u00a0]+(,\d{1,2})?(-?TL| TL| ₺)?$")


def parse_money(text: str) -> int:
    """Kuruş of a printed amount (independent of the ETL's parser)."""
    t = text.strip()
    if t == "-":
        return 0
    assert _MONEY.match(t), t
    neg = t.startswith("-") and not t.endswith("-TL") or t.startswith("--")
    t = t.replace("₺", "").replace("TL", "").rstrip("-").strip().lstrip("-")
    lira, _, frac = t.replace(".", "").replace(" ", "").replace("\u00a0", "").partition(",")
    k = int(lira) * 100 + (int(frac.ljust(2, "0")) if frac else 0)
    return -k if neg else k


def _digits(code: str) -> str:
    return ".".join(re.findall(r"\d+", unicodedata.normalize("NFKC", code)))


@settings(max_examples=15, deadline=None)
@given(seed=hs.integers(0, 10_000), step=hs.sampled_from([1, 10, 100]))
def test_generated_truth_is_consistent(seed: int, step: int) -> None:
    import random

    b = build_model(seed, "Deneme", step, max_objectives=6)
    r = random.Random(seed)
    for prog in b.programs:
        s = st.choose(r, "pp", step, ["reportlab"])
        if s.pg_numbering == "tree":
            _renumber_tree(prog)
        doc = Composer(b.m, s, random.Random(seed)).program(prog)
        for g in prog.perf_goals:
            assert g.budget == sum(a.budget for a in g.activities)
            assert re.fullmatch(r"PH\d+(\.\d+\.\d+)?", g.code)
            for a in g.activities:
                assert sum(a.econ.values()) == a.budget
        assert sum(prog.econ_total().values()) == prog.total
        # every printed activity table adds up to its Genel Toplam, as printed
        for t in (x for x in doc.blocks if isinstance(x, Table)):
            names = [row.cells[0].text for row in t.rows]
            if any(n.upper() == "GENEL TOPLAM" for n in names) and t.widths == [52, 16, 16, 16]:
                body = [row for row in t.rows[2:-1]]
                for col in (1, 2, 3):
                    assert sum(parse_money(row.cells[col].text) for row in body) == parse_money(t.rows[-1].cells[col].text)
        for (kind, code), printed in Composer(b.m, s, random.Random(seed)).printed.items():
            assert _digits(printed) == _digits(code), (kind, code, printed)
    for o in b.plan.objectives:
        assert re.fullmatch(r"H\d+\.\d+", o.code) and o.code[1:].split(".")[0] == o.goal_code[1:]
        assert sum(i.weight for i in o.indicators) == 100
        for i in o.indicators:
            assert re.fullmatch(r"PG\d+\.\d+\.\d+", i.code) and i.code.startswith("PG" + o.code[1:] + ".")
    for rep in b.reports:
        for e in rep.econ.values():
            assert e.appropriation == e.initial + e.added - e.reduced
        assert sum(e.added for e in rep.econ.values()) == sum(e.reduced for e in rep.econ.values())


@settings(max_examples=60, deadline=None)
@given(kurus=hs.integers(0, 10**13), money=hs.sampled_from(sorted(st.MONEY_STEP)), zero=hs.sampled_from(["-", "zero"]))
def test_printed_money_reads_back(kurus: int, money: str, zero: str) -> None:
    kurus = kurus // st.MONEY_STEP[money] * st.MONEY_STEP[money]
    s = st.Style(money=money, zero=zero)
    assert parse_money(st.money(kurus, s)) == kurus


def test_truth_has_the_corpus_format(tmp_path) -> None:
    """Same keys as the embedded sample's truth (the format of ../shared/corpus*/truth)."""
    import json

    generate(tmp_path, 3, 1, ["reportlab"], max_objectives=3)
    got = json.loads(next((tmp_path / "truth").glob("*.json")).read_text(encoding="utf-8"))
    want = json.loads(next(Path("tests/fixtures/sample/truth").glob("*.json")).read_text(encoding="utf-8"))

    def keys(d, path=""):
        out = set()
        if isinstance(d, dict):
            for k, v in d.items():
                k2 = "<k>" if k[:1].isdigit() or "achievement" in path else k
                out.add(f"{path}.{k2}")
                out |= keys(v, f"{path}.{k2}")
        elif isinstance(d, list) and d:
            for x in d:
                out |= keys(x, path + "[]")
        return out

    extra = {k for k in keys(got) - keys(want) if not k.endswith(("printed_code", "card_last_page"))}
    assert not extra
    assert not keys(want) - keys(got)
    # the truth's own sums add up
    for prog in got["programs"]:
        assert round(sum(prog["budget_by_economic_code"].values()), 2) == prog["total"]
        assert round(prog["activities_budget"] + prog["general_admin"] + prog["transfers"], 2) == prog["total"]
        for g in prog["performance_goals"]:
            acts = [a for a in prog["activities"] if a["performance_goal_code"] == g["code"]]
            assert round(sum(a["total"] for a in acts), 2) == g["total"]
            assert all(round(a["budget"] + a["off_budget"], 2) == a["total"] for a in acts)
    for plan in got["plans"]:
        for y, v in plan["total_by_year"].items():
            objs = sum(o["cost_by_year"][y] for o in plan["objectives"])
            assert round(objs + plan["general_admin_by_year"][y], 2) == v
    for rep in got["reports"]:
        for e in rep["budget_by_economic_code"].values():
            assert round(e["initial_appropriation"] + e["added"] - e["reduced"], 2) == e["appropriation"]
    mid = got["municipality_id"]
    assert sorted(p.name for p in (tmp_path / mid).glob("*.pdf")) == sorted(d["file"] for d in got["documents"])
