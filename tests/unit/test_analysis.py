"""The analysis step: gender marker, left-out objectives, achievement, gender budget.

Unit tests on inline rows; tests/integration/test_analysis_corpus.py runs the analysis on the
shared corpus and compares it with the truth files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.analysis import analyse
from etl.analysis.achievement import direction, pct, progress, status
from etl.analysis.budget import gender_budget, read_cpi
from etl.analysis.marker import Lexicon, lexical_tag
from etl.turkish import casefold_tr, match_key

LEX = Lexicon.load()


# ---------------------------------------------------------------- marker


@pytest.mark.parametrize(("text", "marker"), [
    ("Kadın danışma merkezinin işletilmesi", 2),
    ("KADIN DANIŞMA MERKEZLERİNE başvuran kadın sayısı", 2),
    ("Kadına yönelik şiddetle mücadele", 2),
    ("Şiddete uğrayan kadınlar için barınma", 2),
    ("Eşitlik biriminin kurulması", 2),
    ("Toplumsal cinsiyet eşitliği eğitimleri", 2),
    ("Kadın kooperatiflerine hibe", 2),
    ("Ebeveyn izni kullanan erkek personel sayısı", 2),
    ("Kreş ve gündüz bakımevlerinin işletilmesi", 1),
    ("Gıda yardımından yararlanan kadın / erkek sayısı", 1),
    ("Deprem eğitimi verilen kadın sayısı", 1),
    ("Park ve yaya yollarında güvenlik aydınlatması denetimleri", 1),
    ("Meme kanseri erken tanı taraması yapılan kişi sayısı", 0),  # "erken" is not "erkek"
    ("Kadınhanı ilçesine içme suyu hattı", 0),  # a place name, not women
    ("Kızılay ile ortak kan bağışı kampanyası", 0),
    ("Aydınlatma armatürlerinin LED'e dönüştürülmesi", 0),
    ("Asfalt kaplama çalışmaları", 0),
])
def test_lexical_marker(text: str, marker: int) -> None:
    tag = lexical_tag(LEX, text)
    assert tag.marker == marker, tag.reason
    if marker:
        assert "→" in tag.reason and tag.terms


def test_reason_names_the_term() -> None:
    tag = lexical_tag(LEX, "Kadın danışma merkezi")
    assert "'kadın danışma merkezi' → principal" in tag.reason


def _plan_rows() -> dict[str, list[dict]]:
    objectives = [
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "objective_code": "H1.1",
         "objective_title": "Kadına yönelik şiddeti önlemek", "responsible_unit": "Kadın ve Aile Hizmetleri Müdürlüğü"},
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "objective_code": "H1.2",
         "objective_title": "Sosyal destek hizmetleri", "responsible_unit": "Kadın ve Aile Hizmetleri Müdürlüğü"},
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "objective_code": "H2.1",
         "objective_title": "Toplumsal eşitlik perspektifini yaygınlaştırmak", "responsible_unit": "Özel Kalem"},
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "objective_code": "H3.1",
         "objective_title": "Yol ağını iyileştirmek", "responsible_unit": "Fen İşleri Müdürlüğü"},
    ]
    indicators = [
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "indicator_code": "PG1.1.1",
         "objective_code": "H1.1", "indicator_name": "Eğitim verilen personel sayısı", "weight_pct": 60.0,
         "baseline_value": 10.0, "unit": "kişi"},
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "indicator_code": "PG1.1.2",
         "objective_code": "H1.1", "indicator_name": "Ortalama müdahale süresi", "weight_pct": 40.0,
         "baseline_value": 10.0, "unit": "gün"},
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "indicator_code": "PG1.2.1",
         "objective_code": "H1.2", "indicator_name": "Başvuru sonuçlanma süresi", "weight_pct": 100.0,
         "baseline_value": 5.0, "unit": "gün"},
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "indicator_code": "PG2.1.1",
         "objective_code": "H2.1", "indicator_name": "Eşitlik biriminin yürüttüğü proje sayısı", "weight_pct": 50.0,
         "baseline_value": 0.0, "unit": "adet"},
        {"municipality_id": "m", "plan_start": 2020, "plan_end": 2024, "indicator_code": "PG2.1.2",
         "objective_code": "H2.1", "indicator_name": "Toplumsal cinsiyete duyarlı bütçe analizi sayısı",
         "weight_pct": 50.0, "baseline_value": 0.0, "unit": "adet"},
    ]
    activities = [
        {"activity_id": "m:2023:PH1:1", "municipality_id": "m", "year": 2023, "performance_goal_code": "PH1",
         "objective_code": "H1.1", "activity_name": "Farkındalık toplantıları",
         "responsible_unit": "Kadın ve Aile Hizmetleri Müdürlüğü", "budget": 100.0, "off_budget": 10.0, "total": 110.0},
        {"activity_id": "m:2023:PH2:1", "municipality_id": "m", "year": 2023, "performance_goal_code": "PH2",
         "objective_code": "H1.2", "activity_name": "Gıda yardımı dağıtımı",
         "responsible_unit": "Kadın ve Aile Hizmetleri Müdürlüğü", "budget": 200.0, "off_budget": 0.0, "total": 200.0},
        {"activity_id": "m:2023:PH3:1", "municipality_id": "m", "year": 2023, "performance_goal_code": "PH3",
         "objective_code": None, "activity_name": "Asfalt kaplama", "responsible_unit": "Fen İşleri Müdürlüğü",
         "budget": 690.0, "off_budget": 0.0, "total": 690.0},
    ]
    goals = [
        {"municipality_id": "m", "year": 2023, "performance_goal_code": "PH1", "objective_code": "H1.1", "title": "x"},
        {"municipality_id": "m", "year": 2023, "performance_goal_code": "PH2", "objective_code": "H1.2", "title": "y"},
        # renumbered: code H9.9 is not in the plan, the title still says which objective it serves
        {"municipality_id": "m", "year": 2023, "performance_goal_code": "PH3", "objective_code": "H9.9",
         "title": "Yol ağını iyileştirmek ve standartlara uygun hale getirmek"},
    ]
    fr = [
        {"municipality_id": "m", "year": 2023, "row_type": "indicator", "indicator_code": "PG1.1.1", "name": "Eğitim",
         "unit": "kişi", "target": 20.0, "actual": 25.0, "published_rate_pct": 125.0, "source_document_id": "d",
         "source_page": 3},
        {"municipality_id": "m", "year": 2023, "row_type": "indicator", "indicator_code": "PG1.1.2", "name": "Süre",
         "unit": "gün", "target": 5.0, "actual": 4.0, "published_rate_pct": 90.0, "source_document_id": "d",
         "source_page": 3},
        {"municipality_id": "m", "year": 2023, "row_type": "indicator", "indicator_code": "PG1.2.1", "name": "Süre",
         "unit": "gün", "target": 0.0, "actual": 3.0, "published_rate_pct": None, "source_document_id": "d",
         "source_page": 3},
    ]
    spent = [{"municipality_id": "m", "year": 2023, "performance_goal_code": "PH2",
              "activity_name": "GIDA YARDIMI DAĞITIMI", "planned": 200.0, "spent": 150.0}]
    return {"objectives": objectives, "indicators": indicators, "activities": activities,
            "performance_goals": goals, "report_results": fr, "activity_results": spent, "indicator_values": [],
            "budget_lines": [], "municipalities": [{"municipality_id": "m", "population": 1000}],
            "documents": [], "validation_issues": []}


def test_levels_and_overrides(tmp_path: Path) -> None:
    rows = _plan_rows()
    ov = tmp_path / "gender_overrides.csv"
    ov.write_text("municipality_id,item_kind,item_key,marker,note,date\n"
                  "m,objective,2020:H3.1,1,women walk these roads at night,2026-01-10\n"
                  "m,activity,nope,2,typo,2026-01-10\n", encoding="utf-8")
    analyse(rows, ov)
    obj = {o["objective_code"]: o["gender_marker"] for o in rows["objectives"]}
    ind = {i["indicator_code"]: i["gender_marker"] for i in rows["indicators"]}
    act = {a["activity_id"]: a["gender_marker"] for a in rows["activities"]}
    assert obj == {"H1.1": 2, "H1.2": 1, "H2.1": 2, "H3.1": 1}  # lexical, unit rule, indicators up, override
    assert ind["PG1.1.1"] == 2 and ind["PG1.2.1"] == 0  # principal passes down, significant does not
    assert act == {"m:2023:PH1:1": 2, "m:2023:PH2:1": 1, "m:2023:PH3:1": 0}
    tags = {(t["item_kind"], t["item_key"]): t for t in rows["gender_tags"]}
    assert tags[("objective", "2020:H3.1")]["tag_source"] == "override"
    assert tags[("objective", "2020:H3.1")]["rule_marker"] == 0
    assert "unit" in tags[("objective", "2020:H1.2")]["reason"]
    assert any("matches no item" in i["message"] for i in rows["validation_issues"])


def test_left_out_title_match_and_manual_link(tmp_path: Path) -> None:
    rows = _plan_rows()
    analyse(rows, None)
    cov = {(c["objective_code"]): c for c in rows["objective_coverage"]}
    assert cov["H1.1"]["matched_how"] == "code" and cov["H1.1"]["confidence"] == 1.0
    assert cov["H3.1"]["matched_how"] == "title" and 0.8 <= cov["H3.1"]["confidence"] <= 1
    assert [r["objective_code"] for r in rows["left_out_objectives"]] == ["H2.1"]
    assert rows["left_out_objectives"][0]["gender_marker"] == 2
    (tmp_path / "gender_overrides.csv").write_text("municipality_id,item_kind,item_key,marker,note,date\n")
    (tmp_path / "objective_links.csv").write_text(
        "municipality_id,year,plan_start,objective_code,covered,performance_goal_code,note,date\n"
        "m,2023,2020,H2.1,true,PH1,equality work is inside PH1,2026-02-01\n"
        "m,2023,2020,H3.1,false,,PH3 is a different road programme,2026-02-01\n")
    rows = _plan_rows()
    analyse(rows, tmp_path)
    cov = {(c["objective_code"]): c for c in rows["objective_coverage"]}
    assert cov["H2.1"]["matched_how"] == "manual" and cov["H2.1"]["covered"]
    assert [r["objective_code"] for r in rows["left_out_objectives"]] == ["H3.1"]


def test_achievement_rows() -> None:
    rows = _plan_rows()
    analyse(rows, None)
    ach = {a["indicator_code"]: a for a in rows["indicator_achievement"]}
    a = ach["PG1.1.1"]
    assert (a["achievement_pct"], a["plan_progress_pct"], a["status"], a["rate_mismatch"]) == (125.0, 150.0, "met", False)
    d = ach["PG1.1.2"]  # decrease indicator: baseline 10, target 5, actual 4
    assert d["direction"] == "decrease" and d["status"] == "met" and d["achievement_pct"] == 80.0
    assert d["plan_progress_pct"] == 120.0 and d["rate_mismatch"] is True  # published 90 vs 80
    z = ach["PG1.2.1"]
    assert z["achievement_pct"] is None and z["status"] == "no_data"
    obj = {o["objective_code"]: o for o in rows["objective_achievement"]}
    # capped at 100: 0.6 × 100 + 0.4 × 80 = 92
    assert obj["H1.1"]["weighted_achievement_pct"] == 92.0 and not obj["H1.1"]["weights_renormalised"]


def test_gender_budget_rows() -> None:
    rows = _plan_rows()
    analyse(rows, None)
    (g,) = rows["gender_budget"]
    assert (g["principal_budget"], g["significant_budget"], g["total_budget"]) == (110.0, 200.0, 1000.0)
    assert (g["principal_budget_only"], g["significant_budget_only"], g["total_budget_only"]) == (100.0, 200.0, 990.0)
    assert g["gender_share_pct"] == 31.0
    assert g["significant_spent"] == 150.0 and g["principal_spent"] == 0.0 and g["spent_rows_unmatched"] == 0
    assert g["total_budget_per_capita"] == 1.0
    cpi = read_cpi()
    assert g["price_base_year"] == max(cpi)
    assert g["total_budget_real"] == pytest.approx(1000.0 * cpi[max(cpi)] / cpi[2023], abs=0.01)


def test_gender_budget_by_unit_and_execution() -> None:
    rows = _plan_rows()
    rows["activities"].append({"activity_id": "m:2023:PH3:2", "municipality_id": "m", "year": 2023,
                               "performance_goal_code": "PH3", "activity_name": "Kaldırım onarımı",
                               "responsible_unit": None, "budget": 50.0, "off_budget": 0.0, "total": None})
    analyse(rows, None)
    units = {u["responsible_unit"]: u for u in rows["gender_budget_units"]}
    assert list(units) == ["Fen İşleri Müdürlüğü", "Kadın ve Aile Hizmetleri Müdürlüğü", "–"]
    women = units["Kadın ve Aile Hizmetleri Müdürlüğü"]
    assert (women["principal"], women["significant"], women["not_targeted"], women["total"]) == (110.0, 200.0, 0.0, 310.0)
    assert women["gender_share_pct"] == 100.0 and units["Fen İşleri Müdürlüğü"]["gender_share_pct"] == 0.0
    # an activity without money counts for its unit, whose share is then undefined, not 0
    assert units["–"]["total"] == 0.0 and units["–"]["gender_share_pct"] is None
    (g,) = rows["gender_budget"]
    # 150 of the 300 TL of gender-related program budget (100 principal + 200 significant) spent
    assert g["gender_execution_pct"] == 50.0


def test_real_values_need_the_year_in_the_deflator() -> None:
    rows = _plan_rows()
    analyse(rows, None)
    (g,) = gender_budget(rows, cpi={2020: 100.0}, base_year=2020)
    assert g["total_budget_real"] is None and g["cpi_index"] is None


# ---------------------------------------------------------------- properties

_num = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(_num, _num)
def test_pct_formula(actual: float, target: float) -> None:
    got = pct(actual, target)
    if target == 0:
        assert got is None
    else:
        assert got == round(actual / target * 100, 2)


@given(_num, _num, _num)
def test_progress_formula(actual: float, baseline: float, target: float) -> None:
    got = progress(actual, baseline, target)
    if target == baseline:
        assert got is None
    else:
        assert got == round((actual - baseline) / (target - baseline) * 100, 2)
        # the same result whichever way the indicator runs: mirror all three values
        mirrored = progress(-actual, -baseline, -target)
        assert mirrored == pytest.approx(got, abs=0.011)


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0.01, max_value=1e6),
       st.floats(min_value=0, max_value=1e6))
def test_status_is_direction_aware(actual: float, target: float, baseline: float) -> None:
    s = status(actual, target, baseline, pct(actual, target))
    if direction(baseline, target) == "decrease":
        assert (s == "met") == (actual <= target)
    else:
        assert (s == "met") == (pct(actual, target) >= 100)


@given(st.text(alphabet="İIıiKADINkadınŞşĞğ çÇ-.,", max_size=30))
def test_casefold_is_idempotent_and_turkish(s: str) -> None:
    once = casefold_tr(s)
    assert casefold_tr(once) == once
    assert "i̇" not in once and "I" not in once and "İ" not in once
    assert match_key(match_key(s)) == match_key(s)


@given(st.sampled_from(["", "lar", "ların", "a", "ın", "lara", "larımızın"]))
def test_suffixes_match(suffix: str) -> None:
    assert lexical_tag(LEX, f"Deprem eğitimi verilen KADIN{suffix.upper()}").marker >= 1
    assert lexical_tag(LEX, f"kadın{suffix} danışma merkezi").marker >= 1


def test_indicator_value_sets_keep_the_first_row_in_stored_order() -> None:
    from etl.analysis.values import from_rows

    def v(kind: str, value: float | None, year: int = 2023, doc: str = "m/pp23", name: str = "Kadın sayısı",
          code: str = "PG1") -> dict:
        return {"municipality_id": "m", "indicator_code": code, "indicator_name": name, "year": year, "kind": kind,
                "value": value, "objective_code": "H1", "source_document_id": doc, "source_page": 4}

    sets = from_rows([
        v("actual", None), v("actual", 5.0),  # the first row wins, even when its cell was empty
        v("program_target", 10.0), v("program_target", 11.0, doc="m/pp23b"),
        v("program_target", 12.0, name="KADIN SAYISI"),  # another printed name: its own row (the rule folds names)
        v("program_prior_actual", 7.0, year=2021), v("program_estimate", 8.0, year=2022),
        v("program_target", 3.0, year=2024, doc="m/pp23"),  # the document is dated by its first target
        v("plan_target", 20.0), v("reported_target", 9.0, doc="m/fr23"),
    ])
    assert sets.values[("m", "PG1", 2023)] == {"reported_target": 9.0, "program_target": 10.0, "plan_target": 20.0,
                                               "actual": None}
    assert [(t["year"], t["indicator_name"], t["source_document_id"]) for t in sets.targets] == [
        (2023, "Kadın sayısı", "m/pp23"), (2023, "KADIN SAYISI", "m/pp23"), (2024, "Kadın sayısı", "m/pp23")]
    assert sets.doc_years == {"m/pp23": 2023, "m/pp23b": 2023}
    assert sorted(sets.pp_refs) == [("m", "m/pp23", 2021, "H1", "PG1"), ("m", "m/pp23", 2022, "H1", "PG1"),
                                    ("m", "m/pp23", 2023, "H1", "PG1"), ("m", "m/pp23", 2024, "H1", "PG1"),
                                    ("m", "m/pp23b", 2023, "H1", "PG1")]
