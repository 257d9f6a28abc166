"""Build the in-memory model of the synthetic corpus from ``municipalities.toml``.

All money is kept as integer kuruş (1/100 TL) so sums printed in the PDFs add up exactly;
every random draw uses its own string-seeded ``random.Random`` so that adding one item
does not shift the numbers of the others.
"""

from __future__ import annotations

import functools
import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DATA_FILE = Path(__file__).with_name("municipalities.toml")

ECON_CODES = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
ECON_NAMES = {
    "01": "Personel Giderleri",
    "02": "Sosyal Güvenlik Kurumlarına Devlet Primi Giderleri",
    "03": "Mal ve Hizmet Alım Giderleri",
    "04": "Faiz Giderleri",
    "05": "Cari Transferler",
    "06": "Sermaye Giderleri",
    "07": "Sermaye Transferleri",
    "08": "Borç Verme",
    "09": "Yedek Ödenekler",
}
# Economic-code mix of an activity by profile (weights, jittered per activity).
PROFILES = {
    "personnel": {"01": 45, "02": 8, "03": 40, "06": 7},
    "service": {"01": 12, "02": 2, "03": 76, "06": 10},
    "capital": {"01": 4, "03": 26, "06": 70},
    "transfer": {"01": 6, "02": 1, "03": 23, "05": 70},
}
GENERAL_ADMIN_MIX = {"01": 52, "02": 8, "03": 24, "04": 6, "05": 3, "06": 4, "09": 3}
TRANSFER_MIX = {"05": 70, "07": 30}
# Nominal price level of each budget year relative to 2022 (Turkish inflation is large).
PRICE_LEVEL = {2020: 0.62, 2021: 0.75, 2022: 1.0, 2023: 1.75, 2024: 2.9, 2025: 4.1, 2026: 5.3}
# What the planners expected when writing each plan (much lower than what came).
PLAN_LEVEL = {
    2020: 0.55,
    2021: 0.61,
    2022: 0.68,
    2023: 0.76,
    2024: 0.85,
    2025: 3.9,
    2026: 4.5,
    2027: 5.1,
    2028: 5.7,
    2029: 6.3,
}
FREQUENCIES = ["Yıllık", "6 Ay", "3 Ay"]
UNSCALED_UNITS = {"%", "saat", "gün", "dakika", "yıl", "m²"}


def rng(*parts: object) -> random.Random:
    """Return a generator seeded by the joined parts (str seeds are stable across runs)."""
    return random.Random("|".join(str(p) for p in parts))


@dataclass
class Goal:
    code: str
    no: int
    title: str
    page: int = 0


@dataclass
class Indicator:
    code: str
    objective_code: str
    theme: str
    idx: int
    name: str
    unit: str
    decimals: int
    weight: int
    baseline: float
    targets: dict[int, float]
    monitoring: str
    reporting: str
    marker: int
    page: int = 0


@dataclass
class Objective:
    code: str
    goal_code: str
    goal_no: int
    no: int
    theme: str
    title: str
    unit: str
    coop: list[str]
    cost_by_year: dict[int, int]
    marker: int
    risks: list[str]
    strategies: list[str]
    findings: list[str]
    needs: list[str]
    indicators: list[Indicator] = field(default_factory=list)
    page: int = 0
    cost_page: int = 0
    cost_table_page: int = 0


@dataclass
class Plan:
    start: int
    end: int
    goals: list[Goal]
    objectives: list[Objective]
    general_admin_by_year: dict[int, int]
    file: str = ""
    page_count: int = 0

    @property
    def years(self) -> list[int]:
        """The five plan years."""
        return list(range(self.start, self.end + 1))

    @property
    def indicators(self) -> list[Indicator]:
        return [i for o in self.objectives for i in o.indicators]

    def total_by_year(self, year: int) -> int:
        """Objectives' cost plus general administration in `year` (kuruş)."""
        return sum(o.cost_by_year[year] for o in self.objectives) + self.general_admin_by_year[year]


@dataclass
class Activity:
    pg_code: str
    objective_code: str
    name: str
    unit: str
    budget: int
    off_budget: int
    marker: int
    econ: dict[str, int]
    seq_in_doc: int
    page: int = 0

    @property
    def total(self) -> int:
        return self.budget + self.off_budget


@dataclass
class ProgramIndicator:
    ind: Indicator
    pg_code: str
    target: float
    actual_t2: float | None
    estimate_t1: float
    page: int = 0


@dataclass
class PerfGoal:
    code: str
    no: int
    objective: Objective
    title: str
    unit: str
    activities: list[Activity]
    indicators: list[ProgramIndicator]
    page: int = 0
    summary_page: int = 0
    total_page: int = 0

    @property
    def budget(self) -> int:
        return sum(a.budget for a in self.activities)

    @property
    def off_budget(self) -> int:
        return sum(a.off_budget for a in self.activities)


@dataclass
class Program:
    year: int
    plan: Plan
    perf_goals: list[PerfGoal]
    general_admin_econ: dict[str, int]
    transfers_econ: dict[str, int]
    file: str = ""
    page_count: int = 0
    economic_table_page: int = 0

    @property
    def activities(self) -> list[Activity]:
        return [a for g in self.perf_goals for a in g.activities]

    @property
    def indicators(self) -> list[ProgramIndicator]:
        return [i for g in self.perf_goals for i in g.indicators]

    def activities_econ(self) -> dict[str, int]:
        out = dict.fromkeys(ECON_CODES, 0)
        for a in self.activities:
            for k, v in a.econ.items():
                out[k] += v
        return out

    def econ_total(self) -> dict[str, int]:
        act = self.activities_econ()
        return {k: act[k] + self.general_admin_econ[k] + self.transfers_econ[k] for k in ECON_CODES}

    @property
    def activities_budget(self) -> int:
        return sum(a.budget for a in self.activities)

    @property
    def off_budget_total(self) -> int:
        return sum(a.off_budget for a in self.activities)

    @property
    def general_admin(self) -> int:
        return sum(self.general_admin_econ.values())

    @property
    def transfers(self) -> int:
        return sum(self.transfers_econ.values())

    @property
    def total(self) -> int:
        return self.activities_budget + self.general_admin + self.transfers


@dataclass
class ReportIndicator:
    pp: ProgramIndicator
    actual: float | None
    published_rate: float | None
    deviation: str
    blank_style: str  # how a missing actual is printed: "-" or ""
    page: int = 0


@dataclass
class ReportActivity:
    activity: Activity
    spent: int
    published_rate: float
    page: int = 0
    cost_row_page: int = 0  # page of the mixed "activity_cost" row, where that layout is used


@dataclass
class EconLine:
    initial: int
    added: int
    reduced: int
    spent: int

    @property
    def appropriation(self) -> int:
        return self.initial + self.added - self.reduced

    @property
    def rate(self) -> float:
        return round(self.spent / self.appropriation * 100, 2) if self.appropriation else 0.0


@dataclass
class Report:
    year: int
    program: Program
    indicators: list[ReportIndicator]
    activities: list[ReportActivity]
    econ: dict[str, EconLine]
    file: str = ""
    page_count: int = 0
    economic_table_page: int = 0


@dataclass
class Municipality:
    id: str
    name: str
    province: str
    kind: str
    population: int
    mayor: str
    style: str
    budget_unit: int
    count_scale: float
    file_names: dict[str, str]
    plans: list[Plan] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)

    @property
    def quantum(self) -> int:
        """Smallest money step in kuruş; the one-decimal layout can only print 10-kuruş steps."""
        return 10 if self.style == "altinsogut" else 1


# ------------------------------------------------------------------------------------------
# number helpers


def nice(value: float, decimals: int) -> float:
    """Round an indicator value the way a planner would write it."""
    if decimals:
        return round(value, decimals)
    a = abs(value)
    if a >= 10000:
        return float(round(value / 100) * 100)
    if a >= 1000:
        return float(round(value / 10) * 10)
    return float(round(value))


def as_number(value: float | None, decimals: int) -> float | int | None:
    """JSON form of an indicator value: int when the indicator has no decimals."""
    if value is None:
        return None
    return int(round(value)) if decimals == 0 else round(float(value), decimals)


def money(r: random.Random, approx_tl: float, quantum: int, p_round: float = 0.5) -> int:
    """An amount in kuruş near approx_tl: either round thousands of TL or an odd figure."""
    if r.random() < p_round:
        return max(1000, round(approx_tl / 1000)) * 100000
    kurus = int(approx_tl * 100) + r.randrange(0, 100)
    return kurus // quantum * quantum


def split(r: random.Random, amount: int, mix: dict[str, int], quantum: int) -> dict[str, int]:
    """Split amount over economic codes by jittered weights; the last code takes the remainder."""
    keys = list(mix)
    weights = [mix[k] * r.uniform(0.75, 1.25) for k in keys]
    tot = sum(weights)
    out: dict[str, int] = {}
    rest = amount
    for k, w in zip(keys[:-1], weights[:-1], strict=True):
        part = int(amount * w / tot) // quantum * quantum
        out[k] = part
        rest -= part
    out[keys[-1]] = rest
    return out


# ------------------------------------------------------------------------------------------
# builder


class Builder:
    """Turns the TOML data into Municipality objects with plans, programs and reports."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.themes: dict[str, dict] = data["themes"]
        self.pools: dict[str, list[str]] = data["pools"]

    # indicator trajectory shared by plans, programs and reports, so the three agree
    def planned_value(self, m: Municipality, theme: str, idx: int, year: int) -> float:
        _name, unit, base, step, dec, _mk = self.themes[theme]["indicators"][idx]
        scale = 1.0 if unit in UNSCALED_UNITS or abs(base) < 20 else m.count_scale
        v = nice((base + step * (year - 2019)) * scale, dec)
        if unit == "%":
            v = min(v, 100.0)
        return v

    def actual_value(self, m: Municipality, theme: str, idx: int, year: int) -> float:
        target = self.planned_value(m, theme, idx, year)
        unit, dec = self.themes[theme]["indicators"][idx][1], self.themes[theme]["indicators"][idx][4]
        r = rng(m.id, "actual", theme, idx, year)
        x = r.random()
        if x < 0.3:
            ratio = 1.0
        elif x < 0.72:
            ratio = r.uniform(0.86, 1.14)
        elif x < 0.86:
            ratio = r.uniform(0.45, 0.8)
        else:
            ratio = r.uniform(1.16, 1.6)
        v = nice(target * ratio, dec)
        if unit == "%":
            v = min(v, 100.0)
        return v

    def unit_name(self, m: Municipality, key: str) -> str:
        by_kind = self.data["units_by_kind"][m.kind]
        if key in by_kind:
            return by_kind[key]
        suffix = "Daire Başkanlığı" if m.kind == "metropolitan" else "Müdürlüğü"
        return f"{self.data['units'][key]} {suffix}"

    def build(self) -> list[Municipality]:
        """Build every municipality of the data file."""
        out = []
        for md in self.data["municipality"]:
            m = Municipality(
                id=md["id"],
                name=md["name"],
                province=md["province"],
                kind=md["kind"],
                population=md["population"],
                mayor=md["mayor"],
                style=md["style"],
                budget_unit=md["budget_unit"],
                count_scale=md["count_scale"],
                file_names=md.get("file_names", {}),
            )
            for pd in md["plan"]:
                plan = self.build_plan(m, pd)
                m.plans.append(plan)
                years = [2022, 2023, 2024] if plan.start == 2020 else [2025, 2026]
                for y in years:
                    m.programs.append(self.build_program(m, plan, y))
                for y in [2022, 2023, 2024] if plan.start == 2020 else [2025]:
                    prog = next(p for p in m.programs if p.year == y)
                    m.reports.append(self.build_report(m, prog))
            out.append(m)
        return out

    def build_plan(self, m: Municipality, pd: dict) -> Plan:
        start = pd["start"]
        years = list(range(start, start + 5))
        goals, objectives = [], []
        for gi, (gtitle, theme_keys) in enumerate(pd["goals"], start=1):
            goals.append(Goal(code=f"A{gi}", no=gi, title=gtitle))
            for oi, tk in enumerate(theme_keys, start=1):
                th = self.themes[tk]
                code = f"H{gi}.{oi}"
                r = rng(m.id, start, "objective", tk)
                cost = {
                    y: money(
                        r, th["size"] * m.budget_unit * PLAN_LEVEL[y] * r.uniform(0.85, 1.2), m.quantum, 0.3
                    )
                    for y in years
                }
                coop = [self.unit_name(m, k) for k in th["coop"]]
                obj = Objective(
                    code=code,
                    goal_code=f"A{gi}",
                    goal_no=gi,
                    no=oi,
                    theme=tk,
                    title=th["title"],
                    unit=self.unit_name(m, th["unit"]),
                    coop=coop,
                    cost_by_year=cost,
                    marker=th["marker"],
                    risks=r.sample(self.pools["risks"], r.randint(1, 3)),
                    strategies=r.sample(self.pools["strategies"], r.randint(2, 3)),
                    findings=r.sample(self.pools["findings"], r.randint(1, 2)),
                    needs=r.sample(self.pools["needs"], r.randint(1, 2)),
                )
                n = len(th["indicators"])
                units5 = [2] * n
                for _ in range(20 - 2 * n):
                    units5[r.randrange(n)] += 1
                for ii, row in enumerate(th["indicators"]):
                    name, unit, _b, _s, dec, mk = row
                    mon = r.choice(FREQUENCIES)
                    rep = "Yıllık" if mon == "Yıllık" else r.choice(["Yıllık", "6 Ay"])
                    obj.indicators.append(
                        Indicator(
                            code=f"PG{gi}.{oi}.{ii + 1}",
                            objective_code=code,
                            theme=tk,
                            idx=ii,
                            name=name,
                            unit=unit,
                            decimals=dec,
                            weight=units5[ii] * 5,
                            baseline=self.planned_value(m, tk, ii, start - 1),
                            targets={y: self.planned_value(m, tk, ii, y) for y in years},
                            monitoring=mon,
                            reporting=rep,
                            marker=mk,
                        )
                    )
                objectives.append(obj)
        ga = {
            y: money(
                rng(m.id, start, "ga", y),
                0.4 * sum(o.cost_by_year[y] for o in objectives) / 100,
                m.quantum,
                1.0,
            )
            for y in years
        }
        return Plan(start=start, end=start + 4, goals=goals, objectives=objectives, general_admin_by_year=ga)

    def left_out(self, m: Municipality, plan: Plan, year: int) -> set[str]:
        """Choose the 2–4 SP objectives the program of `year` does not budget."""
        r = rng(m.id, year, "left_out")
        k = r.randint(2, 4)
        chosen = set(o.code for o in r.sample(plan.objectives, k))
        if year in (2023, 2026):
            # a gender-related objective left out: the case CSOs want to catch
            gender = [o for o in plan.objectives if o.marker >= 1 and o.code not in chosen]
            if gender and not any(o.marker >= 1 for o in plan.objectives if o.code in chosen):
                chosen.pop()
                chosen.add(r.choice(gender).code)
        return chosen

    def build_program(self, m: Municipality, plan: Plan, year: int) -> Program:
        q = m.quantum
        out_codes = self.left_out(m, plan, year)
        perf_goals: list[PerfGoal] = []
        seq = 0
        for obj in plan.objectives:
            if obj.code in out_codes:
                continue
            th = self.themes[obj.theme]
            r = rng(m.id, year, "program", obj.theme)
            acts_data = th["activities"]
            inds = obj.indicators
            groups: list[tuple[list, list[Indicator], str]]
            if len(acts_data) >= 2 and len(inds) >= 2 and r.random() < 0.18:
                first = acts_data[:-1]
                last = acts_data[-1]
                cut = len(inds) - 1
                lower = last[0][0].lower() + last[0][1:]
                groups = [
                    (first, inds[:cut], th["pg"]),
                    ([last], inds[cut:], f"{year} yılı içinde {lower} kapsamındaki çalışmaları tamamlamak"),
                ]
            else:
                groups = [(acts_data, inds, th["pg"])]
            for acts, ginds, title in groups:
                no = len(perf_goals) + 1
                code = f"PH{no}"
                activities = []
                for aname, amk in acts:
                    seq += 1
                    ra = rng(m.id, year, "activity", obj.theme, aname)
                    approx = (
                        th["size"] / len(acts_data) * m.budget_unit * PRICE_LEVEL[year] * ra.uniform(0.5, 1.5)
                    )
                    budget = money(ra, approx, q)
                    off = 0
                    if ra.random() < 0.2:
                        off = max(1, round(budget * ra.uniform(0.05, 0.3) / 100000)) * 100000
                    econ = split(ra, budget, PROFILES[th["profile"]], q)
                    activities.append(
                        Activity(
                            pg_code=code,
                            objective_code=obj.code,
                            name=aname,
                            unit=obj.unit,
                            budget=budget,
                            off_budget=off,
                            marker=amk,
                            econ=econ,
                            seq_in_doc=seq,
                        )
                    )
                pinds = []
                for ind in ginds:
                    ri = rng(m.id, year, "estimate", ind.theme, ind.idx)
                    prev_target = self.planned_value(m, ind.theme, ind.idx, year - 1)
                    est = nice(prev_target * ri.uniform(0.88, 1.04), ind.decimals)
                    if ind.unit == "%":
                        est = min(est, 100.0)
                    pinds.append(
                        ProgramIndicator(
                            ind=ind,
                            pg_code=code,
                            target=ind.targets[year],
                            actual_t2=self.actual_value(m, ind.theme, ind.idx, year - 2),
                            estimate_t1=est,
                        )
                    )
                perf_goals.append(
                    PerfGoal(
                        code=code,
                        no=no,
                        objective=obj,
                        title=title,
                        unit=obj.unit,
                        activities=activities,
                        indicators=pinds,
                    )
                )
        act_budget = sum(a.budget for g in perf_goals for a in g.activities)
        r = rng(m.id, year, "totals")
        ga = money(r, act_budget / 100 * r.uniform(0.38, 0.52), q, 1.0)
        tr = money(r, act_budget / 100 * r.uniform(0.05, 0.11), q, 1.0)
        ga_econ = {k: 0 for k in ECON_CODES} | split(r, ga, GENERAL_ADMIN_MIX, q)
        tr_econ = {k: 0 for k in ECON_CODES} | split(r, tr, TRANSFER_MIX, q)
        for a in (a for g in perf_goals for a in g.activities):
            a.econ = {k: a.econ.get(k, 0) for k in ECON_CODES if a.econ.get(k, 0)}
        return Program(
            year=year, plan=plan, perf_goals=perf_goals, general_admin_econ=ga_econ, transfers_econ=tr_econ
        )

    def build_report(self, m: Municipality, prog: Program) -> Report:
        year = prog.year
        q = m.quantum
        rows: list[ReportIndicator] = []
        wrong_slots = {2023: 2, 2025: 1}.get(year, 0)
        r_wrong = rng(m.id, year, "wrong")
        candidates = [i for i in prog.indicators]
        wrong_codes = {c.ind.code for c in r_wrong.sample(candidates, wrong_slots)} if wrong_slots else set()
        for pi in prog.indicators:
            r = rng(m.id, year, "fr", pi.ind.code)
            actual: float | None = self.actual_value(m, pi.ind.theme, pi.ind.idx, year)
            if r.random() < 0.07:
                actual = None
            rate = None if actual is None else round(actual / pi.target * 100, 2)
            published = rate
            if pi.ind.code in wrong_codes and rate is not None:
                # typical publishing slip: the rate was computed against last year's estimate
                published = round(actual / pi.estimate_t1 * 100, 2) if pi.estimate_t1 else rate + 10
                if abs(published - rate) < 2:
                    published = round(rate + r.choice([-12.5, 9.75, 20.0]), 2)
            dev = ""
            if rate is not None and (rate < 85 or rate > 115):
                dev = r.choice(self.pools["deviation"])
            rows.append(
                ReportIndicator(
                    pp=pi,
                    actual=actual,
                    published_rate=published,
                    deviation=dev,
                    blank_style=r.choice(["-", ""]),
                )
            )
        acts = []
        for a in prog.activities:
            r = rng(m.id, year, "spent", a.pg_code, a.name)
            x = r.random()
            ratio = 1.0 if x < 0.25 else (r.uniform(0.55, 0.99) if x < 0.9 else r.uniform(1.0, 1.12))
            spent = int(a.budget * ratio) // q * q
            acts.append(
                ReportActivity(activity=a, spent=spent, published_rate=round(spent / a.budget * 100, 2))
            )
        # budget execution: reserve appropriation (09) is moved to personnel and services
        r = rng(m.id, year, "econ")
        init = prog.econ_total()
        added = dict.fromkeys(ECON_CODES, 0)
        reduced = dict.fromkeys(ECON_CODES, 0)
        moved = int(init["09"] * r.uniform(0.6, 0.9)) // q * q
        reduced["09"] = moved
        cut06 = int(init["06"] * r.uniform(0.02, 0.08)) // q * q
        reduced["06"] = cut06
        pool = moved + cut06
        a01 = int(pool * r.uniform(0.2, 0.5)) // q * q
        added["01"] = a01
        added["03"] = pool - a01
        econ = {}
        for k in ECON_CODES:
            appr = init[k] + added[k] - reduced[k]
            ratio = 0.0 if k == "09" else r.uniform(0.55, 0.98)
            econ[k] = EconLine(
                initial=init[k], added=added[k], reduced=reduced[k], spent=int(appr * ratio) // q * q
            )
        return Report(year=year, program=prog, indicators=rows, activities=acts, econ=econ)


def load_data(path: Path = DATA_FILE) -> dict:
    """Read the TOML data file."""
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@functools.cache
def sentence_pool() -> tuple[str, ...]:
    """Narrative sentences of the data file (cached: the renderer asks for them often)."""
    return tuple(load_data()["pools"]["sentences"])


def build_corpus(path: Path = DATA_FILE) -> list[Municipality]:
    """Build the model of all municipalities (no PDF pages yet)."""
    return Builder(load_data(path)).build()
