"""Draw the strategic plans, performance programs and activity reports as PDFs.

Each municipality has a ``Style`` that picks one side of every layout variant listed in
README.md, so the three municipalities do not look alike. Rendering writes the printed
page of every row back into the model (``page`` fields) for the ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import (
    ECON_CODES,
    ECON_NAMES,
    Municipality,
    Objective,
    Plan,
    Program,
    Report,
    rng,
    sentence_pool,
)
from .pdfkit import GROUP_FILL, Cell, Pdf, Row, header_row

MONTHS = [
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
]


@dataclass(frozen=True)
class Style:
    """Which side of each layout variant a municipality's documents use."""

    card_layout: str  # "columns": separate Kod / Ölçü Birimi columns; "inline": "PG1.1.1 Ad (birim)"
    weight_pct_sign: bool  # "%15" or "15"
    codes: str  # "canonical" (A1/H1.1), "stratejik" (Stratejik Amaç 1), "upper" (AMAÇ 04 / HEDEF 4.2)
    money_decimals: int  # 2 or 1
    money_suffix: str  # suffix on money in scorecards and tables: "TL" (scorecard only) or "₺"
    suffix_in_tables: bool
    coop_label: str
    cost_label: str
    freq_label: str
    spill_repeat_header: bool | None  # None: no forced scorecard spill
    activity_numbering: str  # "dotted" 1.1.1.1 - , "F" F1.2.1 , "faaliyet" Faaliyet 3:
    pg_label: str  # "PH" -> PH1, "long" -> Performans Hedefi 1
    pp_indicator_layout: (
        str  # "kod": separate Kod column, "inline_unit": code+unit in name, "inline": code in name
    )
    fr_mixed_costs: bool  # activity-cost rows inside the Performans Sonuçları Tablosu
    fr_repeat_header: bool
    rate_prefix: str  # "" -> 96,59 ; "% " -> % 96,59


STYLES: dict[str, Style] = {
    "serinyurt": Style(
        card_layout="columns",
        weight_pct_sign=True,
        codes="canonical",
        money_decimals=2,
        money_suffix="TL",
        suffix_in_tables=False,
        coop_label="İşbirliği Yapılacak Birimler",
        cost_label="Maliyet Tahmini",
        freq_label="İzleme Sıklığı",
        spill_repeat_header=True,
        activity_numbering="dotted",
        pg_label="PH",
        pp_indicator_layout="kod",
        fr_mixed_costs=False,
        fr_repeat_header=True,
        rate_prefix="",
    ),
    "ilginkoy": Style(
        card_layout="inline",
        weight_pct_sign=False,
        codes="stratejik",
        money_decimals=2,
        money_suffix="₺",
        suffix_in_tables=True,
        coop_label="İş Birliği Yapacak Birimler",
        cost_label="Tahmini Maliyet",
        freq_label="Ölçüm Sıklığı",
        spill_repeat_header=False,
        activity_numbering="F",
        pg_label="long",
        pp_indicator_layout="inline_unit",
        fr_mixed_costs=True,
        fr_repeat_header=True,
        rate_prefix="",
    ),
    "altinsogut": Style(
        card_layout="columns",
        weight_pct_sign=True,
        codes="upper",
        money_decimals=1,
        money_suffix="₺",
        suffix_in_tables=True,
        coop_label="İşbirliği Yapılacak Birim(ler)",
        cost_label="Maliyet Tahmini",
        freq_label="İzleme Sıklığı",
        spill_repeat_header=None,
        activity_numbering="faaliyet",
        pg_label="PH",
        pp_indicator_layout="inline",
        fr_mixed_costs=False,
        fr_repeat_header=False,
        rate_prefix="% ",
    ),
}


# ------------------------------------------------------------------------------------------
# formatting


def tr_upper(s: str) -> str:
    """Upper-case Turkish text (i → İ, ı → I) before str.upper()."""
    return s.replace("i", "İ").replace("ı", "I").upper()


def fmt_number(v: float | None, decimals: int, blank: str = "-") -> str:
    """Turkish number format: 1.234.567 / 89,6."""
    if v is None:
        return blank
    s = f"{v:,.{decimals}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_money(kurus: int, st: Style, suffix: bool) -> str:
    """Money in the municipality's format, e.g. 1.250.000,00 TL or 5.500.000,0 ₺."""
    s = fmt_number(kurus / 100, st.money_decimals)
    return f"{s} {st.money_suffix}" if suffix else s


def fmt_rate(v: float | None, st: Style, blank: str = "-") -> str:
    """A percentage with two decimals in the municipality's format; `blank` when missing."""
    if v is None:
        return blank
    return st.rate_prefix + fmt_number(v, 2)


def goal_label(st: Style, no: int) -> str:
    """Printed form of goal `no` (A1 / Stratejik Amaç 1 / AMAÇ 01)."""
    return {"canonical": f"A{no}", "stratejik": f"Stratejik Amaç {no}", "upper": f"AMAÇ {no:02d}"}[st.codes]


def objective_label(st: Style, g: int, o: int) -> str:
    """Printed form of objective g.o (H1.1 / Stratejik Hedef 1.1 / HEDEF 1.1)."""
    return {"canonical": f"H{g}.{o}", "stratejik": f"Stratejik Hedef {g}.{o}", "upper": f"HEDEF {g}.{o}"}[
        st.codes
    ]


def pg_label(st: Style, no: int) -> str:
    """Printed form of performance goal `no` (PH1 / Performans Hedefi 1); canonical is always PH<n>."""
    return f"PH{no}" if st.pg_label == "PH" else f"Performans Hedefi {no}"


def narrative(pdf: Pdf, m: Municipality, key: str, paragraphs: int = 2, sentences: int = 4) -> None:
    """Filler prose drawn from the sentence pool (seeded, so stable)."""
    pool = sentence_pool()
    r = rng(m.id, "narrative", key)
    for _ in range(paragraphs):
        pdf.paragraph(" ".join(r.sample(pool, sentences)))


def cover(pdf: Pdf, m: Municipality, doc_title: str, month: str, year: int) -> None:
    """Title page naming the municipality, the document and its synthetic nature."""
    pdf.title_page(
        [
            ("T.C.", 20, True),
            (tr_upper(m.name), 24, True),
            (tr_upper(doc_title), 17, False),
            ("Örnek veri / synthetic sample", 12, False),
        ],
        f"{tr_upper(m.province)} · {month} {year}",
    )


# ------------------------------------------------------------------------------------------
# strategic plan


def render_plan(m: Municipality, plan: Plan, path: Path) -> None:
    """Write the strategic plan PDF and record pages in `plan`."""
    st = STYLES[m.style]
    title = f"{plan.start}-{plan.end} Stratejik Planı"
    pdf = Pdf(path, f"{m.name} {title}", f"{m.name} {title}")
    cover(
        pdf, m, title, "Şubat" if plan.start == 2020 else "Ekim", plan.start if plan.start == 2020 else 2024
    )

    pdf.new_page()
    pdf.heading("SUNUŞ")
    narrative(pdf, m, f"sp{plan.start}-sunus", 3)
    pdf.paragraph(m.mayor, bold=True)
    pdf.paragraph(f"{m.name.replace(' Belediyesi', '')} Belediye Başkanı")
    pdf.new_page()
    pdf.heading("STRATEJİK PLAN HAZIRLIK SÜRECİ")
    narrative(pdf, m, f"sp{plan.start}-surec", 3)
    pdf.heading("DURUM ANALİZİ", 11)
    narrative(pdf, m, f"sp{plan.start}-durum", 2)
    pdf.new_page()
    pdf.heading("MİSYON, VİZYON VE TEMEL DEĞERLER")
    narrative(pdf, m, f"sp{plan.start}-misyon", 2, 3)

    # goals and objectives list
    pdf.new_page()
    pdf.heading("AMAÇ VE HEDEFLER")
    narrative(pdf, m, f"sp{plan.start}-amac", 1, 3)
    pdf.caption("Tablo 5: Amaç ve Hedefler")
    code_w = 12 if st.codes == "canonical" else 20
    rows = [header_row("Kod", "Amaç / Hedef")]
    goal_rows = {}
    obj_rows: dict[str, Row] = {}
    for g in plan.goals:
        goal_rows[g.code] = Row([Cell(goal_label(st, g.no)), Cell(g.title)], bold=True, fill=GROUP_FILL)
        rows.append(goal_rows[g.code])
        for o in (o for o in plan.objectives if o.goal_code == g.code):
            obj_rows[o.code] = Row([Cell(objective_label(st, o.goal_no, o.no)), Cell(o.title)])
            rows.append(obj_rows[o.code])
    pdf.table([code_w, 100 - code_w], rows, repeat=[rows[0]], size=8)
    for g in plan.goals:
        g.page = goal_rows[g.code].pages[0]

    # scorecards, with a short narrative page before each goal's cards
    pdf.new_page()
    pdf.heading("HEDEF KARTLARI")
    narrative(pdf, m, f"sp{plan.start}-kart", 2)
    spill_targets = _spill_objectives(plan) if st.spill_repeat_header is not None else set()
    for g in plan.goals:
        if g.no > 1:
            pdf.new_page()
            pdf.heading(f"{goal_label(st, g.no)}: {g.title}", 11)
            narrative(pdf, m, f"sp{plan.start}-goal{g.no}", 2, 3)
        for o in (o for o in plan.objectives if o.goal_code == g.code):
            _scorecard(pdf, m, st, plan, o, spill=o.code in spill_targets)

    # cost table
    pdf.new_page()
    pdf.heading("MALİYETLENDİRME")
    narrative(pdf, m, f"sp{plan.start}-maliyet", 1, 3)
    pdf.caption("Tablo 9: Tahmini Maliyet Tablosu (TL)")
    years = plan.years
    head = header_row("Kod", "Amaç / Hedef", *[str(y) for y in years], "Toplam")
    rows = [head]
    cost_rows: dict[str, Row] = {}
    sfx = st.suffix_in_tables
    for g in plan.goals:
        objs = [o for o in plan.objectives if o.goal_code == g.code]
        gy = [sum(o.cost_by_year[y] for o in objs) for y in years]
        rows.append(
            Row(
                [Cell(goal_label(st, g.no)), Cell(g.title)]
                + [Cell(fmt_money(v, st, sfx), align="R") for v in gy]
                + [Cell(fmt_money(sum(gy), st, sfx), align="R")],
                bold=True,
                fill=GROUP_FILL,
            )
        )
        for o in objs:
            vals = [o.cost_by_year[y] for y in years]
            cost_rows[o.code] = Row(
                [Cell(objective_label(st, o.goal_no, o.no)), Cell(o.title)]
                + [Cell(fmt_money(v, st, sfx), align="R") for v in vals]
                + [Cell(fmt_money(sum(vals), st, sfx), align="R")]
            )
            rows.append(cost_rows[o.code])
    ga = [plan.general_admin_by_year[y] for y in years]
    rows.append(
        Row(
            [Cell(""), Cell("Genel Yönetim Giderleri")]
            + [Cell(fmt_money(v, st, sfx), align="R") for v in ga]
            + [Cell(fmt_money(sum(ga), st, sfx), align="R")]
        )
    )
    tot = [plan.total_by_year(y) for y in years]
    rows.append(
        Row(
            [Cell(""), Cell("TOPLAM KAYNAK İHTİYACI")]
            + [Cell(fmt_money(v, st, sfx), align="R") for v in tot]
            + [Cell(fmt_money(sum(tot), st, sfx), align="R")],
            bold=True,
        )
    )
    pdf.table([code_w * 0.8, 30] + [11.5] * 6, rows, repeat=[head], size=5.6)
    for o in plan.objectives:
        o.cost_table_page = cost_rows[o.code].pages[0]

    pdf.new_page()
    pdf.heading("İZLEME VE DEĞERLENDİRME")
    narrative(pdf, m, f"sp{plan.start}-izleme", 3)
    plan.page_count = pdf.finish()


def _spill_objectives(plan: Plan) -> set[str]:
    """Two scorecards (first objective of goals 2 and 4) spill onto the next page."""
    out = set()
    for gno in (2, 4):
        objs = [o for o in plan.objectives if o.goal_no == gno and len(o.indicators) >= 2]
        if objs:
            out.add(objs[0].code)
    return out


def _scorecard(pdf: Pdf, m: Municipality, st: Style, plan: Plan, o: Objective, spill: bool) -> None:
    if not (spill and o.no == 1):
        pdf.new_page()
    # else: the card follows its goal's introduction on the same page and spills naturally-looking
    olabel = objective_label(st, o.goal_no, o.no)
    pdf.caption(f"Hedef Kartı: {olabel}")
    goal = next(g for g in plan.goals if g.code == o.goal_code)
    years = plan.years
    if st.card_layout == "columns":
        widths = [8, 25, 6.5, 6, 8] + [7] * 5 + [7, 7.5]
        lab = 2
        head = header_row(
            "Kod",
            "Performans Göstergesi",
            "Ölçü Birimi",
            "Hedefe Etkisi (%)",
            "Plan Dönemi Başlangıç Değeri",
            *[str(y) for y in years],
            st.freq_label,
            "Raporlama Sıklığı",
        )
    else:
        widths = [34, 7, 9] + [7] * 5 + [7.5, 8]
        lab = 1
        head = header_row(
            "Performans Göstergeleri",
            "Hedefe Etkisi (%)",
            "Plan Dönemi Başlangıç Değeri",
            *[str(y) for y in years],
            st.freq_label,
            "Raporlama Sıklığı",
        )
    ncol = len(widths)

    def label_row(label: str, text: str) -> Row:
        return Row([Cell(label, span=lab, bold=True, fill=GROUP_FILL), Cell(text, span=ncol - lab)])

    rows = [label_row("Amaç", f"{goal_label(st, goal.no)} {goal.title}")]
    hedef_row = label_row("Hedef", f"{olabel} {o.title}")
    rows += [hedef_row, head]
    ind_rows = []
    for ind in o.indicators:
        w = f"%{ind.weight}" if st.weight_pct_sign else str(ind.weight)
        vals = [Cell(fmt_number(ind.baseline, ind.decimals), align="R")] + [
            Cell(fmt_number(ind.targets[y], ind.decimals), align="R") for y in years
        ]
        if st.card_layout == "columns":
            cells = [Cell(ind.code), Cell(ind.name), Cell(ind.unit, align="C"), Cell(w, align="C")]
        else:
            cells = [Cell(f"{ind.code} {ind.name} ({ind.unit})"), Cell(w, align="C")]
        cells += vals + [Cell(ind.monitoring, align="C"), Cell(ind.reporting, align="C")]
        ind_rows.append(Row(cells))
    if spill and len(ind_rows) >= 2:
        ind_rows[1].break_before = True
    rows += ind_rows
    rows.append(label_row("Sorumlu Birim", o.unit))
    rows.append(label_row(st.coop_label, ", ".join(o.coop)))
    rows.append(label_row("Riskler", "\n".join(f"• {x}" for x in o.risks)))
    rows.append(label_row("Stratejiler", "\n".join(f"• {x}" for x in o.strategies)))
    cost_row = label_row(st.cost_label, fmt_money(sum(o.cost_by_year.values()), st, True))
    rows.append(cost_row)
    rows.append(label_row("Tespitler", "\n".join(f"• {x}" for x in o.findings)))
    rows.append(label_row("İhtiyaçlar", "\n".join(f"• {x}" for x in o.needs)))
    repeat = [head] if (spill and st.spill_repeat_header) else None
    note = f"Hedef Kartı: {olabel} (devamı)" if repeat else None
    pdf.table(widths, rows, repeat=repeat, size=6.6, continued_note=note)
    o.page = hedef_row.pages[0]
    o.cost_page = cost_row.pages[0]
    for ind, row in zip(o.indicators, ind_rows, strict=True):
        ind.page = row.pages[0]


# ------------------------------------------------------------------------------------------
# performance program


def _activity_label(
    st: Style, prog: Program, pg_index: int, act_index: int, obj_act_no: int, name: str, seq: int
) -> str:
    g = prog.perf_goals[pg_index]
    gno, ono = g.objective.goal_no, g.objective.no
    if st.activity_numbering == "dotted":
        same_obj = [x for x in prog.perf_goals[: pg_index + 1] if x.objective.code == g.objective.code]
        return f"{gno}.{ono}.{len(same_obj)}.{act_index} - {name}"
    if st.activity_numbering == "F":
        return f"F{gno}.{ono}.{obj_act_no} {name}"
    return f"Faaliyet {seq}: {name}"


def render_program(m: Municipality, prog: Program, path: Path) -> None:
    """Write the performance program PDF and record pages in `prog`."""
    st = STYLES[m.style]
    y = prog.year
    title = f"{y} Yılı Performans Programı"
    pdf = Pdf(path, f"{m.name} {title}", f"{m.name} {title}")
    cover(pdf, m, title, "Ekim", y - 1)
    sfx = st.suffix_in_tables

    pdf.new_page()
    pdf.heading("SUNUŞ")
    narrative(pdf, m, f"pp{y}-sunus", 3)
    pdf.paragraph(m.mayor, bold=True)
    pdf.paragraph("Belediye Başkanı")
    pdf.new_page()
    pdf.heading("GENEL BİLGİLER")
    narrative(pdf, m, f"pp{y}-genel", 2)
    pdf.caption("Personelin Cinsiyete Göre Dağılımı")
    r = rng(m.id, y, "staff")
    staff_rows = [header_row("Kadro Türü", "Kadın", "Erkek", "Toplam")]
    tk = te = 0
    scale = 6 if m.kind == "metropolitan" else 1
    for kadro in ("Memur", "Sözleşmeli Personel", "Kadrolu İşçi", "Şirket Personeli"):
        k, e = r.randint(40, 300) * scale, r.randint(120, 700) * scale
        tk, te = tk + k, te + e
        staff_rows.append(Row([Cell(kadro)] + [Cell(fmt_number(v, 0), align="R") for v in (k, e, k + e)]))
    staff_rows.append(
        Row([Cell("Toplam")] + [Cell(fmt_number(v, 0), align="R") for v in (tk, te, tk + te)], bold=True)
    )
    pdf.table([40, 20, 20, 20], staff_rows, size=7.5)
    pdf.new_page()
    pdf.heading("PERFORMANS BİLGİLERİ")
    narrative(pdf, m, f"pp{y}-perf", 3)

    # İdare Performans Tablosu
    pdf.new_page()
    pdf.heading("İDARE PERFORMANS TABLOSU")
    pdf.caption("Tablo 3: İdare Performans Tablosu")
    grand = prog.total + prog.off_budget_total
    h1 = header_row(
        "Amaç",
        "Hedef",
        "Performans Hedefi",
        Cell("Kaynak İhtiyacı (TL)", span=3, align="C"),
        "Toplam Kaynak İçindeki Payı (%)",
    )
    h2 = header_row(None, None, None, "Bütçe", "Bütçe Dışı", "Toplam", None)
    rows = [h1, h2]
    pg_rows = []
    for g in prog.perf_goals:
        tot = g.budget + g.off_budget
        row = Row(
            [
                Cell(goal_label(st, g.objective.goal_no), align="C"),
                Cell(objective_label(st, g.objective.goal_no, g.objective.no), align="C"),
                Cell(f"{pg_label(st, g.no)} {g.title}"),
                Cell(fmt_money(g.budget, st, sfx), align="R"),
                Cell(fmt_money(g.off_budget, st, sfx), align="R"),
                Cell(fmt_money(tot, st, sfx), align="R"),
                Cell(fmt_number(tot / grand * 100, 2), align="R"),
            ]
        )
        pg_rows.append(row)
        rows.append(row)
    for label, amount in (
        ("Genel Yönetim Giderleri", prog.general_admin),
        ("Diğer İdarelere Transfer Edilecek Kaynaklar", prog.transfers),
    ):
        rows.append(
            Row(
                [
                    Cell(label, span=3),
                    Cell(fmt_money(amount, st, sfx), align="R"),
                    Cell(fmt_money(0, st, sfx), align="R"),
                    Cell(fmt_money(amount, st, sfx), align="R"),
                    Cell(fmt_number(amount / grand * 100, 2), align="R"),
                ]
            )
        )
    rows.append(
        Row(
            [
                Cell("GENEL TOPLAM", span=3),
                Cell(fmt_money(prog.total, st, sfx), align="R"),
                Cell(fmt_money(prog.off_budget_total, st, sfx), align="R"),
                Cell(fmt_money(grand, st, sfx), align="R"),
                Cell(fmt_number(100, 2), align="R"),
            ],
            bold=True,
        )
    )
    code_w = 6 if st.codes == "canonical" else 10
    pdf.table([code_w, code_w + 1, 40, 13, 11, 13, 9], rows, repeat=[h1, h2], size=6.2)
    for g, row in zip(prog.perf_goals, pg_rows, strict=True):
        g.summary_page = row.pages[0]

    pdf.new_page()
    pdf.heading("PERFORMANS HEDEFİ TABLOLARI")
    narrative(pdf, m, f"pp{y}-pht", 2)
    obj_act_counter: dict[str, int] = {}
    for gi, g in enumerate(prog.perf_goals):
        pdf.new_page()
        pdf.caption("Performans Hedefi Tablosu")
        o = g.objective
        goal = next(x for x in prog.plan.goals if x.code == o.goal_code)
        ph_row = Row(
            [Cell("Performans Hedefi", bold=True, fill=GROUP_FILL), Cell(f"{pg_label(st, g.no)} {g.title}")]
        )
        rr = rng(m.id, y, "aciklama", g.code)
        expl = " ".join(rr.sample(sentence_pool(), 2))
        info = [
            Row([Cell("İdare Adı", bold=True, fill=GROUP_FILL), Cell(tr_upper(m.name))]),
            Row([Cell("Amaç", bold=True, fill=GROUP_FILL), Cell(f"{goal_label(st, goal.no)} {goal.title}")]),
            Row(
                [
                    Cell("Hedef", bold=True, fill=GROUP_FILL),
                    Cell(f"{objective_label(st, o.goal_no, o.no)} {o.title}"),
                ]
            ),
            ph_row,
            Row([Cell("Sorumlu Birim", bold=True, fill=GROUP_FILL), Cell(g.unit)]),
            Row([Cell("Açıklamalar", bold=True, fill=GROUP_FILL), Cell(expl)]),
        ]
        pdf.table([22, 78], info, size=7.2)
        g.page = ph_row.pages[0]

        years = (f"{y - 2} Gerçekleşme", f"{y - 1} Tahmin", f"{y} Hedef")
        if st.pp_indicator_layout == "kod":
            ih = header_row("Kod", "Performans Göstergeleri", "Ölçü Birimi", *years)
            iw = [9, 45, 10, 12, 12, 12]
        elif st.pp_indicator_layout == "inline_unit":
            ih = header_row("Performans Göstergeleri", *years)
            iw = [58, 14, 14, 14]
        else:
            ih = header_row("Performans Göstergeleri", "Ölçü Birimi", *years)
            iw = [50, 11, 13, 13, 13]
        irows = [ih]
        ind_rows = []
        for pi in g.indicators:
            ind = pi.ind
            nums = [
                Cell(fmt_number(v, ind.decimals), align="R")
                for v in (pi.actual_t2, pi.estimate_t1, pi.target)
            ]
            if st.pp_indicator_layout == "kod":
                cells = [Cell(ind.code), Cell(ind.name), Cell(ind.unit, align="C")] + nums
            elif st.pp_indicator_layout == "inline_unit":
                cells = [Cell(f"{ind.code} {ind.name} ({ind.unit})")] + nums
            else:
                cells = [Cell(f"{ind.code} {ind.name}"), Cell(ind.unit, align="C")] + nums
            row = Row(cells)
            ind_rows.append(row)
            irows.append(row)
        pdf.table(iw, irows, repeat=[ih], size=7.2)
        for pi, row in zip(g.indicators, ind_rows, strict=True):
            pi.page = row.pages[0]

        a1 = header_row("Faaliyetler", Cell("Kaynak İhtiyacı (TL)", span=3, align="C"))
        a2 = header_row(None, "Bütçe", "Bütçe Dışı", "Toplam")
        arows = [a1, a2]
        act_rows = []
        for ai, a in enumerate(g.activities, start=1):
            obj_act_counter[o.code] = obj_act_counter.get(o.code, 0) + 1
            label = _activity_label(st, prog, gi, ai, obj_act_counter[o.code], a.name, a.seq_in_doc)
            row = Row(
                [
                    Cell(label),
                    Cell(fmt_money(a.budget, st, sfx), align="R"),
                    Cell(fmt_money(a.off_budget, st, sfx), align="R"),
                    Cell(fmt_money(a.total, st, sfx), align="R"),
                ]
            )
            act_rows.append(row)
            arows.append(row)
        total_row = Row(
            [
                Cell("Genel Toplam"),
                Cell(fmt_money(g.budget, st, sfx), align="R"),
                Cell(fmt_money(g.off_budget, st, sfx), align="R"),
                Cell(fmt_money(g.budget + g.off_budget, st, sfx), align="R"),
            ],
            bold=True,
        )
        arows.append(total_row)
        pdf.table([52, 16, 16, 16], arows, repeat=[a1, a2], size=7.2)
        for a, row in zip(g.activities, act_rows, strict=True):
            a.page = row.pages[0]
        g.total_page = total_row.pages[0]

    # Toplam Kaynak İhtiyacı
    pdf.new_page()
    pdf.heading("TOPLAM KAYNAK İHTİYACI")
    narrative(pdf, m, f"pp{y}-tki", 1, 3)
    pdf.caption("Tablo 4: Toplam Kaynak İhtiyacı Tablosu (TL)")
    act = prog.activities_econ()
    head = header_row(
        "Ekonomik Kod",
        "Açıklama",
        "Faaliyetler İçin Kaynak İhtiyacı",
        "Genel Yönetim Giderleri",
        "Diğer İdarelere Transfer Edilecek Kaynaklar",
        "Toplam",
    )
    rows = [head]
    first = None
    for k in ECON_CODES:
        vals = (act[k], prog.general_admin_econ[k], prog.transfers_econ[k])
        row = Row(
            [Cell(k, align="C"), Cell(ECON_NAMES[k])]
            + [Cell(fmt_money(v, st, sfx), align="R") for v in vals]
            + [Cell(fmt_money(sum(vals), st, sfx), align="R")]
        )
        first = first or row
        rows.append(row)
    tots = (prog.activities_budget, prog.general_admin, prog.transfers)
    rows.append(
        Row(
            [Cell("BÜTÇE TOPLAMI", span=2)]
            + [Cell(fmt_money(v, st, sfx), align="R") for v in tots]
            + [Cell(fmt_money(prog.total, st, sfx), align="R")],
            bold=True,
        )
    )
    rows.append(
        Row(
            [
                Cell("Bütçe Dışı Kaynak", span=2),
                Cell(fmt_money(prog.off_budget_total, st, sfx), align="R"),
                Cell(fmt_money(0, st, sfx), align="R"),
                Cell(fmt_money(0, st, sfx), align="R"),
                Cell(fmt_money(prog.off_budget_total, st, sfx), align="R"),
            ]
        )
    )
    rows.append(
        Row(
            [
                Cell("TOPLAM KAYNAK İHTİYACI", span=2),
                Cell(fmt_money(prog.activities_budget + prog.off_budget_total, st, sfx), align="R"),
                Cell(fmt_money(prog.general_admin, st, sfx), align="R"),
                Cell(fmt_money(prog.transfers, st, sfx), align="R"),
                Cell(fmt_money(prog.total + prog.off_budget_total, st, sfx), align="R"),
            ],
            bold=True,
        )
    )
    pdf.table([7, 25, 17, 17, 17, 17], rows, size=6.4)
    prog.economic_table_page = first.pages[0] if first else 0
    prog.page_count = pdf.finish()


# ------------------------------------------------------------------------------------------
# activity report


def render_report(m: Municipality, rep: Report, path: Path) -> None:
    """Write the activity report PDF and record pages in `rep`."""
    st = STYLES[m.style]
    y = rep.year
    prog = rep.program
    title = f"{y} Yılı Faaliyet Raporu"
    pdf = Pdf(path, f"{m.name} {title}", f"{m.name} {title}")
    cover(pdf, m, title, "Nisan", y + 1)
    sfx = st.suffix_in_tables

    pdf.new_page()
    pdf.heading("SUNUŞ")
    narrative(pdf, m, f"fr{y}-sunus", 3)
    pdf.paragraph(m.mayor, bold=True)
    pdf.paragraph("Belediye Başkanı")
    pdf.new_page()
    pdf.heading("GENEL BİLGİLER")
    narrative(pdf, m, f"fr{y}-genel", 2)
    pdf.heading("Örgüt Yapısı", 11)
    narrative(pdf, m, f"fr{y}-orgut", 2)
    pdf.new_page()
    pdf.heading("AMAÇ VE HEDEFLER")
    narrative(pdf, m, f"fr{y}-amac", 2)

    # budget execution by economic code
    pdf.new_page()
    pdf.heading("MALİ BİLGİLER")
    narrative(pdf, m, f"fr{y}-mali", 1, 3)
    pdf.caption("Tablo 12: Bütçe Giderlerinin Ekonomik Sınıflandırmaya Göre Dağılımı (TL)")
    head = header_row(
        "Ekonomik Kod",
        "Açıklama",
        "Başlangıç Ödeneği",
        "Eklenen (+)",
        "Düşülen (−)",
        "Yıl Sonu Ödeneği",
        "Harcama",
        "Gerçekleşme Oranı (%)",
    )
    rows = [head]
    first = None
    for k in ECON_CODES:
        e = rep.econ[k]
        row = Row(
            [Cell(k, align="C"), Cell(ECON_NAMES[k])]
            + [
                Cell(fmt_money(v, st, sfx), align="R")
                for v in (e.initial, e.added, e.reduced, e.appropriation, e.spent)
            ]
            + [Cell(fmt_rate(e.rate, st), align="R")]
        )
        first = first or row
        rows.append(row)
    tot_init = sum(e.initial for e in rep.econ.values())
    tot_app = sum(e.appropriation for e in rep.econ.values())
    tot_spent = sum(e.spent for e in rep.econ.values())
    rows.append(
        Row(
            [Cell("TOPLAM", span=2)]
            + [
                Cell(fmt_money(v, st, sfx), align="R")
                for v in (
                    tot_init,
                    sum(e.added for e in rep.econ.values()),
                    sum(e.reduced for e in rep.econ.values()),
                    tot_app,
                    tot_spent,
                )
            ]
            + [Cell(fmt_rate(round(tot_spent / tot_app * 100, 2), st), align="R")],
            bold=True,
        )
    )
    pdf.table([6, 22, 13, 11, 11, 13, 13, 9], rows, size=5.9)
    rep.economic_table_page = first.pages[0] if first else 0

    # performance results
    pdf.new_page()
    pdf.heading("PERFORMANS BİLGİLERİ")
    narrative(pdf, m, f"fr{y}-perf", 1, 4)
    pdf.caption("Tablo 14: Performans Sonuçları Tablosu")
    ind_by_pg = {g.code: [ri for ri in rep.indicators if ri.pp.pg_code == g.code] for g in prog.perf_goals}
    act_by_pg = {
        g.code: [ra for ra in rep.activities if ra.activity.pg_code == g.code] for g in prog.perf_goals
    }
    mixed = st.fr_mixed_costs
    if mixed:
        head = header_row(
            "Performans Göstergesi / Faaliyet",
            "Ölçü Birimi",
            f"{y} Hedef",
            f"{y} Gerçekleşme",
            "Gerçekleşme Oranı (%)",
            "Sapma Nedeni",
        )
        widths = [38, 9, 12, 12, 9, 20]
    else:
        head = header_row(
            "Kod",
            "Performans Göstergesi",
            "Ölçü Birimi",
            f"{y} Hedef",
            f"{y} Gerçekleşme",
            "Gerçekleşme Oranı (%)",
            "Sapma Nedeni",
        )
        widths = [8, 32, 8, 10, 10, 9, 23]
    ncol = len(widths)
    rows = [head]
    ind_rows: list[tuple[object, Row]] = []
    cost_rows: list[tuple[object, Row]] = []
    for g in prog.perf_goals:
        rows.append(
            Row(
                [Cell(f"{pg_label(st, g.no)} {g.title} ({g.unit})", span=ncol)],
                bold=True,
                fill=GROUP_FILL,
                keep_with_next=True,
            )
        )
        for ri in ind_by_pg[g.code]:
            ind = ri.pp.ind
            cells_val = [
                Cell(fmt_number(ri.pp.target, ind.decimals), align="R"),
                Cell(fmt_number(ri.actual, ind.decimals, ri.blank_style), align="R"),
                Cell(fmt_rate(ri.published_rate, st, ri.blank_style), align="R"),
                Cell(ri.deviation),
            ]
            if mixed:
                row = Row([Cell(f"{ind.code} {ind.name}"), Cell(ind.unit, align="C")] + cells_val)
            else:
                row = Row([Cell(ind.code), Cell(ind.name), Cell(ind.unit, align="C")] + cells_val)
            rows.append(row)
            ind_rows.append((ri, row))
        if mixed:
            for ra in act_by_pg[g.code]:
                row = Row(
                    [
                        Cell(ra.activity.name),
                        Cell("TL", align="C"),
                        Cell(fmt_money(ra.activity.budget, st, True), align="R"),
                        Cell(fmt_money(ra.spent, st, True), align="R"),
                        Cell(fmt_rate(ra.published_rate, st), align="R"),
                        Cell(""),
                    ]
                )
                rows.append(row)
                cost_rows.append((ra, row))
    pdf.table(widths, rows, repeat=[head] if st.fr_repeat_header else None, size=6.4)
    for ri, row in ind_rows:
        ri.page = row.pages[0]
    for ra, row in cost_rows:
        ra.page = row.pages[0]
        ra.cost_row_page = row.pages[0]

    if not mixed:
        pdf.new_page()
        pdf.heading("FAALİYET MALİYETLERİ")
        narrative(pdf, m, f"fr{y}-fm", 1, 3)
        pdf.caption("Tablo 15: Faaliyet Maliyetleri Gerçekleşme Tablosu")
        head = header_row(
            "Performans Hedefi",
            "Faaliyet",
            "Planlanan Maliyet (TL)",
            "Gerçekleşen Maliyet (TL)",
            "Gerçekleşme Oranı (%)",
        )
        rows = [head]
        act_rows = []
        for ra in rep.activities:
            g = next(x for x in prog.perf_goals if x.code == ra.activity.pg_code)
            row = Row(
                [
                    Cell(pg_label(st, g.no), align="C"),
                    Cell(ra.activity.name),
                    Cell(fmt_money(ra.activity.budget, st, sfx), align="R"),
                    Cell(fmt_money(ra.spent, st, sfx), align="R"),
                    Cell(fmt_rate(ra.published_rate, st), align="R"),
                ]
            )
            rows.append(row)
            act_rows.append((ra, row))
        pdf.table([10, 48, 15, 15, 12], rows, repeat=[head], size=6.6)
        for ra, row in act_rows:
            ra.page = row.pages[0]

    pdf.new_page()
    pdf.heading("KURUMSAL KABİLİYET VE KAPASİTENİN DEĞERLENDİRİLMESİ")
    narrative(pdf, m, f"fr{y}-deg", 3)
    rep.page_count = pdf.finish()
