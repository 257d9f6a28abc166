"""ETL speed and accuracy against plain camelot on a long, mostly narrative performance program.

    .venv/bin/python bench/etl_speed.py [--pages 300] [--out bench/out] [--reps 3]

(a) builds a ~``--pages`` page PDF: every page of one real performance program, spread evenly
    between generated Turkish narrative pages, so that about 10 % of the pages hold its tables;
(b) times, each in its own subprocess (wall seconds, CPU, peak RSS from ``os.wait4`` — the
    numbers ``/usr/bin/time -v`` prints), ``python -m etl build --no-cache --quiet`` on a raw
    folder holding only that PDF against plain ``camelot.read_pdf(path, pages="all",
    flavor="lattice")`` with camelot's default engine; medians of ``--reps`` runs. When plain
    camelot would exceed ``--camelot-budget`` seconds in total it is timed on a
    ``--prefix``-page prefix and extrapolated linearly (the script says so). Then one untimed
    run of each compares what they extract on the real program's pages;
(c) runs the ETL on the shared corpus (and data/raw when it holds PDFs) and prints pages/s.

It prints figures only: no assertions on time. Everything it writes goes under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
PREFERRED_SOURCE = CORPUS / "yesilvadi" / "yesilvadi_2024_performans_programi.pdf"

# --------------------------------------------------------------------------- (a) the PDF

SENTENCES = [
    "Belediyemiz, kentte yaşayan tüm kadın ve erkeklerin hizmetlere eşit erişimini temel ilke olarak benimser.",
    "Stratejik planın ilgili yıl dilimine ait uygulama belgesi olan bu program, bütçe ile plan arasındaki bağı kurar.",
    "Kadın ve Aile Hizmetleri Müdürlüğü, danışma merkezleri ve kreşler aracılığıyla hizmet sunmaktadır.",
    "Toplumsal cinsiyet eşitliği ilkesi, hizmetlerin planlanmasında yatay bir öncelik olarak ele alınmıştır.",
    "İzleme ve değerlendirme çalışmaları Strateji Geliştirme Müdürlüğü koordinasyonunda yürütülür.",
    "Kentsel dönüşüm, afet riski ve iklim değişikliği önümüzdeki dönemin öncelikli gündem başlıklarıdır.",
    "Mahalle muhtarlıkları ve kent konseyi ile düzenli toplantılar yapılarak ihtiyaçlar belirlenmiştir.",
    "Yaşlı, engelli ve bakıma muhtaç bireylere evde bakım ve temizlik hizmeti verilmeye devam edilecektir.",
    "Park, yaya yolu ve alt geçitlerde güvenlik aydınlatması denetimleri yılda iki kez yapılacaktır.",
    "Çalışanlara yönelik hizmet içi eğitimler, iş sağlığı ve güvenliği konularını da kapsamaktadır.",
    "Gelir bütçesinin gerçekleşmesi, tahsilat kampanyaları ve dijital ödeme kanallarıyla artmıştır.",
    "Sivil toplum kuruluşları, üniversiteler ve kamu kurumlarından görüş ve veri talep edilmiştir.",
    "Ulaşım ağının erişilebilirliği için alçak tabanlı otobüs sayısı artırılacak, duraklar yenilenecektir.",
    "Kadın kooperatiflerinin ürünlerini pazarlayabilecekleri satış noktaları açılması planlanmaktadır.",
    "Gençlere yönelik spor, kültür ve sanat etkinlikleri ilçenin tüm mahallelerine yaygınlaştırılacaktır.",
    "İçme suyu ve kanalizasyon altyapısının yenilenmesi çalışmaları etaplar halinde sürdürülecektir.",
    "Afet ve acil durumlara hazırlık kapsamında kadınlara ve çocuklara yönelik eğitimler düzenlenecektir.",
    "Iğdır, Isparta ve İzmir örneklerinde olduğu gibi kent konseyleri katılımcı süreçlere destek olmaktadır.",
    # Sentences a real narrative also has, naming terms of the table headers (the text pass
    # sends such pages to camelot as well).
    "Performans göstergeleri mümkün olduğunca cinsiyete göre ayrıştırılmış veri üretecek şekilde seçilmiştir.",
    "Faaliyetlerin kaynak ihtiyacı, ekonomik sınıflandırmanın birinci düzeyi itibarıyla belirlenmiştir.",
]
TERM_SENTENCES = SENTENCES[-2:]
HEADINGS = ["GENEL BİLGİLER", "YETKİ, GÖREV VE SORUMLULUKLAR", "TEŞKİLAT YAPISI", "FİZİKSEL KAYNAKLAR",
            "İNSAN KAYNAKLARI", "DİĞER HUSUSLAR", "PERFORMANS BİLGİLERİ", "TEMEL POLİTİKA VE ÖNCELİKLER",
            "DEĞERLENDİRME", "EKLER"]


def _font() -> tuple[str, str]:
    """(name, path) of a TrueType font with the Turkish letters: DejaVuSans, else reportlab's Vera."""
    candidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
                  "/usr/share/fonts/TTF/DejaVuSans.ttf"]
    try:
        import matplotlib  # noqa: F401  (only for its bundled DejaVuSans, if installed)
        from matplotlib import font_manager
        candidates.append(font_manager.findfont("DejaVu Sans"))
    except Exception:
        pass
    for c in candidates:
        if Path(c).exists():
            return "DejaVuSans", c
    import reportlab

    return "Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")


def make_narrative(path: Path, n_pages: int, seed: int = 2024) -> str:
    """Write ``n_pages`` A4 pages of Turkish running text; returns the font used."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    name, font_path = _font()
    pdfmetrics.registerFont(TTFont(name, font_path))
    rnd = random.Random(seed)
    w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("İzlek benchmark narrative")
    for i in range(n_pages):
        c.setFont(name, 8)
        c.drawString(50, h - 40, "Örnek veri / benchmark — Performans Programı")
        c.line(50, h - 45, w - 50, h - 45)
        c.setFont(name, 13)
        c.drawString(50, h - 75, f"{i + 1}. {rnd.choice(HEADINGS)}")
        c.setFont(name, 10)
        y = h - 100
        # about one narrative page in ten names a table-header term, as in real programs
        pool = SENTENCES if rnd.random() < 0.10 else [s for s in SENTENCES if s not in TERM_SENTENCES]
        while y > 80:
            para = " ".join(rnd.choice(pool) for _ in range(rnd.randint(3, 6)))
            for line in textwrap.wrap(para, 95):
                if y <= 80:
                    break
                c.drawString(50, y, line)
                y -= 13
            y -= 8
        c.setFont(name, 8)
        c.drawString(w / 2 - 20, 40, f"Sayfa {i + 1}")
        c.showPage()
    c.save()
    return name


def source_pdf() -> Path:
    if PREFERRED_SOURCE.exists():
        return PREFERRED_SOURCE
    raw = sorted((ROOT / "data" / "raw").glob("*/*.pdf"))
    programs = [p for p in raw if "performans" in p.name.lower()]
    if not (programs or raw):
        sys.exit(f"no source PDF: neither {PREFERRED_SOURCE} nor data/raw/*/*.pdf exists")
    return (programs or raw)[0]


def build_pdf(src: Path, total: int, out: Path) -> tuple[Path, list[int], dict]:
    """Interleave the real program's pages evenly with narrative pages. Returns the PDF, the
    1-based bench page of every real page (in order) and facts about it."""
    import pypdfium2 as pdfium

    real = pdfium.PdfDocument(str(src))
    n_real = len(real)
    total = max(total, n_real)
    n_narr = total - n_real
    narr_path = out / "narrative.pdf"
    font = make_narrative(narr_path, max(n_narr, 1))
    narr = pdfium.PdfDocument(str(narr_path))
    positions = [round(k * total / n_real) for k in range(n_real)]  # 0-based; real page 1 first (title page)
    doc = pdfium.PdfDocument.new()
    j = 0
    real_at = {p: k for k, p in enumerate(positions)}
    for pos in range(total):
        if pos in real_at:
            doc.import_pages(real, [real_at[pos]])
        else:
            doc.import_pages(narr, [j])
            j += 1
    raw_dir = out / "raw" / "bench"
    raw_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = raw_dir / "bench_2024_performans_programi.pdf"
    doc.save(str(pdf_path))
    for d in (doc, narr, real):
        d.close()
    real_pages = [p + 1 for p in positions]
    (out / "bench_manifest.json").write_text(json.dumps(
        {"source": str(src), "pages": total, "real_pages": real_pages, "font": font}, indent=1))
    return pdf_path, real_pages, {"source": src, "n_real": n_real, "total": total, "font": font}


# --------------------------------------------------------------------------- (b) timing


def run_measured(cmd: list[str], log: Path) -> dict:
    """Run ``cmd`` as a child; wall seconds, CPU seconds and peak RSS (MB) from its own rusage."""
    with open(log, "w") as fh:
        t0 = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}; see {log}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024}


CAMELOT_TIMED = """
import sys, warnings
warnings.simplefilter("ignore")
import camelot
tables = camelot.read_pdf(sys.argv[1], pages=sys.argv[2], flavor="lattice")
print(len(tables), "tables")
"""

CAMELOT_CELLS = """
import json, sys, warnings
warnings.simplefilter("ignore")
import camelot
from etl.turkish import clean_text
out = []
for t in camelot.read_pdf(sys.argv[1], pages=sys.argv[2], flavor="lattice"):
    rows = [[clean_text(c) for c in r] for r in t.df.values.tolist()]
    rows = [r for r in rows if any(r)]
    out.append({"page": int(t.page), "rows": rows})
json.dump(out, open(sys.argv[3], "w"), ensure_ascii=False)
"""

ETL_CELLS = """
import json, sys
from pathlib import Path
from etl.pages import read_pages, select_table_pages
from etl.tables import run_camelot
path = Path(sys.argv[1])
pages = read_pages(path)
selected = select_table_pages(pages)  # the ETL's own page selection
out = [{"page": t.page, "rows": t.rows, "flavor": t.flavor} for t in run_camelot(path, selected)]
json.dump({"selected": selected, "tables": out}, open(sys.argv[2], "w"), ensure_ascii=False)
"""


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _walls(runs: list[dict]) -> str:
    return ", ".join(f"{r['wall']:.2f}" for r in runs)


def time_etl(raw: Path, out: Path, reps: int, tag: str) -> list[dict]:
    runs = []
    for i in range(reps):
        wh = out / f"{tag}.duckdb"
        runs.append(run_measured([sys.executable, "-m", "etl", "build", "--raw", str(raw), "--warehouse", str(wh),
                                  "--no-cache", "--quiet"], out / f"{tag}_{i}.log"))
    return runs


def time_camelot(pdf: Path, total: int, out: Path, reps: int, prefix: int, budget: float) -> tuple[list[dict], int]:
    """Time plain camelot; returns the runs and the number of pages they covered."""
    script = out / "camelot_timed.py"
    script.write_text(CAMELOT_TIMED)
    n = min(prefix, total)
    first = run_measured([sys.executable, str(script), str(pdf), f"1-{n}"], out / "camelot_probe.log")
    estimate_full = first["wall"] * total / n
    if n < total and estimate_full * reps <= budget:
        runs = [run_measured([sys.executable, str(script), str(pdf), "all"], out / f"camelot_{i}.log")
                for i in range(reps)]
        return runs, total
    runs = [first] + [run_measured([sys.executable, str(script), str(pdf), f"1-{n}"], out / f"camelot_{i}.log")
                      for i in range(1, reps)]
    return runs, n


def cell_set(rows: list[list[str]]) -> Counter:
    return Counter(c for r in rows for c in r if c)


def accuracy(pdf: Path, real_pages: list[int], out: Path) -> dict:
    """One untimed run of each on the real program's pages; compares tables and cells per page."""
    etl_json, cam_json = out / "etl_cells.json", out / "camelot_cells.json"
    (out / "etl_cells.py").write_text(ETL_CELLS)
    (out / "camelot_cells.py").write_text(CAMELOT_CELLS)
    run_measured([sys.executable, str(out / "etl_cells.py"), str(pdf), str(etl_json)], out / "etl_cells.log")
    run_measured([sys.executable, str(out / "camelot_cells.py"), str(pdf), ",".join(map(str, real_pages)),
                  str(cam_json)], out / "camelot_cells.log")
    etl = json.loads(etl_json.read_text())
    cam = json.loads(cam_json.read_text())
    real = set(real_pages)
    by = {"etl": {}, "camelot": {}}
    for t in etl["tables"]:
        by["etl"].setdefault(t["page"], []).append(t["rows"])
    for t in cam:
        by["camelot"].setdefault(t["page"], []).append(t["rows"])
    res = {"selected": len(etl["selected"]), "selected_narrative": sum(1 for p in etl["selected"] if p not in real),
           "etl_tables_off_real": sum(len(v) for p, v in by["etl"].items() if p not in real)}
    same_pages, diff_pages, shared, cells_e, cells_c = 0, [], 0, 0, 0
    pages_with_tables = sorted(p for p in real if by["etl"].get(p) or by["camelot"].get(p))
    for p in pages_with_tables:
        e, c = by["etl"].get(p, []), by["camelot"].get(p, [])
        ce = sum((cell_set(r) for r in e), Counter())
        cc = sum((cell_set(r) for r in c), Counter())
        cells_e += sum(ce.values())
        cells_c += sum(cc.values())
        shared += sum((ce & cc).values())
        shapes_e = sorted((len(r), max((len(x) for x in r), default=0)) for r in e)
        shapes_c = sorted((len(r), max((len(x) for x in r), default=0)) for r in c)
        if shapes_e == shapes_c:
            same_pages += 1
        else:
            diff_pages.append((p, shapes_e, shapes_c))
    res.update(pages_with_tables=len(pages_with_tables), same_tables=same_pages, diff_pages=diff_pages,
               tables_etl=sum(len(by["etl"].get(p, [])) for p in real),
               tables_camelot=sum(len(by["camelot"].get(p, [])) for p in real),
               cells_etl=cells_e, cells_camelot=cells_c, cells_shared=shared)
    return res


# --------------------------------------------------------------------------- (c) corpus


def page_count(pdfs: list[Path]) -> int:
    import pypdfium2 as pdfium

    n = 0
    for p in pdfs:
        d = pdfium.PdfDocument(str(p))
        n += len(d)
        d.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=300, help="pages of the generated PDF (default 300)")
    ap.add_argument("--out", type=Path, default=Path("bench/out"), help="output folder (default bench/out)")
    ap.add_argument("--reps", type=int, default=3, help="timed repetitions, medians reported (default 3)")
    ap.add_argument("--prefix", type=int, default=60,
                    help="pages timed for plain camelot when the whole PDF would exceed the budget (default 60)")
    ap.add_argument("--camelot-budget", type=float, default=200.0,
                    help="seconds allowed for all plain-camelot repetitions on the whole PDF before falling back "
                         "to the prefix and linear extrapolation (default 200)")
    ap.add_argument("--skip-corpus", action="store_true", help="skip part (c)")
    args = ap.parse_args(argv)
    out = (args.out if args.out.is_absolute() else ROOT / args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()

    src = source_pdf()
    pdf, real_pages, facts = build_pdf(src, args.pages, out)
    total = facts["total"]
    print(f"(a) {pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}: {total} pages, "
          f"{facts['n_real']} real pages of {src.name} ({100 * facts['n_real'] / total:.0f} %), "
          f"{total - facts['n_real']} narrative pages in {facts['font']}")

    etl_runs = time_etl(pdf.parent.parent, out, args.reps, "bench_etl")
    cam_runs, cam_pages = time_camelot(pdf, total, out, args.reps, args.prefix, args.camelot_budget)
    e_wall, c_wall = median(etl_runs, "wall"), median(cam_runs, "wall")
    e_pps, c_pps = total / e_wall, cam_pages / c_wall
    print(f"\n(b) {args.reps} runs each, medians (wall clock of the child process, peak RSS from its rusage)")
    print(f"  ETL  python -m etl build --no-cache --quiet : {e_wall:7.2f} s  {e_pps:7.1f} pages/s  "
          f"cpu {median(etl_runs, 'cpu'):6.2f} s  peak RSS {median(etl_runs, 'rss_mb'):6.0f} MB  "
          f"(runs: {_walls(etl_runs)} s)")
    label = "all pages" if cam_pages == total else f"first {cam_pages} pages"
    print(f"  camelot lattice, default engine ({label:>14}): {c_wall:7.2f} s  {c_pps:7.1f} pages/s  "
          f"cpu {median(cam_runs, 'cpu'):6.2f} s  peak RSS {median(cam_runs, 'rss_mb'):6.0f} MB  "
          f"(runs: {_walls(cam_runs)} s)")
    if cam_pages != total:
        print(f"  NOTE: plain camelot was timed on a {cam_pages}-page prefix (the whole PDF would take about "
              f"{c_wall * total / cam_pages:.0f} s per run) and extrapolated linearly to {total} pages: "
              f"{c_wall * total / cam_pages:.1f} s")
    print(f"  speed ratio ETL / plain camelot: {e_pps / c_pps:.1f}x  "
          f"(ETL includes the text pass, detection, records, validation and the DuckDB load)")

    acc = accuracy(pdf, real_pages, out)
    print(f"\n  accuracy on the {len(real_pages)} real program pages ({acc['pages_with_tables']} with tables):")
    print(f"    tables found      ETL {acc['tables_etl']:5d}   plain camelot {acc['tables_camelot']:5d}")
    print(f"    cells with text   ETL {acc['cells_etl']:5d}   plain camelot {acc['cells_camelot']:5d}   "
          f"identical text in both: {acc['cells_shared']}")
    print(f"    pages where both find the same tables (count and rows x cols): "
          f"{acc['same_tables']}/{acc['pages_with_tables']}")
    for p, e, c in acc["diff_pages"][:10]:
        print(f"      page {p}: ETL {e}  camelot {c}")
    print(f"    ETL text pass selected {acc['selected']} of {total} pages for camelot "
          f"({acc['selected_narrative']} narrative pages naming table terms; "
          f"{acc['etl_tables_off_real']} tables found on them)")

    if not args.skip_corpus:
        print("\n(c) ETL on the real documents (1 run, --no-cache, --jobs 1)")
        for name, raw in (("../shared/corpus", CORPUS), ("data/raw", ROOT / "data" / "raw")):
            pdfs = sorted(raw.glob("*/*.pdf")) if raw.is_dir() else []
            if not pdfs:
                print(f"  {name}: no PDFs, skipped")
                continue
            n = page_count(pdfs)
            r = run_measured([sys.executable, "-m", "etl", "build", "--raw", str(raw), "--warehouse",
                              str(out / f"{raw.name}.duckdb"), "--no-cache", "--quiet"], out / f"{raw.name}.log")
            print(f"  {name}: {len(pdfs)} PDFs, {n} pages in {r['wall']:.1f} s = {n / r['wall']:.1f} pages/s, "
                  f"peak RSS {r['rss_mb']:.0f} MB")
    print(f"\ntotal bench time {time.perf_counter() - t_start:.0f} s; logs and files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
