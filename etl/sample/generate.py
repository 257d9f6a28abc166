"""Generate the whole sample: PDFs, municipality.toml metadata and ground-truth JSON."""

from __future__ import annotations

import json
from pathlib import Path

from .content import Municipality, build_corpus
from .render import render_plan, render_program, render_report
from .truth import truth


def file_name(m: Municipality, kind: str, year: int, end: int | None = None) -> str:
    """Conventional file name, unless the data file gives this document an unhelpful one."""
    override = m.file_names.get(f"{kind}:{year}")
    if override:
        return override
    if kind == "strategic_plan":
        return f"{m.id}_{year}-{end}_stratejik_plan.pdf"
    if kind == "performance_program":
        return f"{m.id}_{year}_performans_programi.pdf"
    return f"{m.id}_{year}_faaliyet_raporu.pdf"


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def generate(out: Path, truth_dir: Path) -> list[Path]:
    """Write every PDF and truth file; returns the PDF paths."""
    written: list[Path] = []
    truth_dir.mkdir(parents=True, exist_ok=True)
    for m in build_corpus():
        folder = out / m.id
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.pdf"):  # the folder is ours: drop files of earlier runs
            old.unlink()
        (folder / "municipality.toml").write_text(
            f"name = {_toml_str(m.name)}\nprovince = {_toml_str(m.province)}\n"
            f"kind = {_toml_str(m.kind)}\npopulation = {m.population}\n",
            encoding="utf-8",
        )
        for plan in m.plans:
            plan.file = file_name(m, "strategic_plan", plan.start, plan.end)
            render_plan(m, plan, folder / plan.file)
            written.append(folder / plan.file)
        for prog in m.programs:
            prog.file = file_name(m, "performance_program", prog.year)
            render_program(m, prog, folder / prog.file)
            written.append(folder / prog.file)
        for rep in m.reports:
            rep.file = file_name(m, "activity_report", rep.year)
            render_report(m, rep, folder / rep.file)
            written.append(folder / rep.file)
        (truth_dir / f"{m.id}.json").write_text(
            json.dumps(truth(m), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return written
