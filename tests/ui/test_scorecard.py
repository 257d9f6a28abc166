"""The gender-equality scorecard (guide Q14) and the indicator kinds behind it: the analysis on
inline rows and on the embedded sample, and the Scorecard page (AppTest)."""

from __future__ import annotations

import duckdb
import pytest

from app.views import scorecard as sc_view
from etl.analysis.proposals import Vocabulary, classify, pair
from etl.analysis.scorecard import _units, scorecard_step
from tests.conftest import read_relation, run_page


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


@pytest.mark.parametrize(("name", "women", "men"), [
    ("Yararlanan kişi sayısı", "Yararlanan kadın sayısı", "Yararlanan erkek sayısı"),
    ("Kişi sayısı", "Kadın sayısı", "Erkek sayısı"),
    ("Yararlanan sayısı", "Yararlanan kadın sayısı", "Yararlanan erkek sayısı"),
    ("Kütüphane üye sayısı", "Kütüphane kadın üye sayısı", "Kütüphane erkek üye sayısı"),
    ("Kreş ve gündüz bakımevinden yararlanan çocuk sayısı", "Kreş ve gündüz bakımevinden yararlanan kız çocuk sayısı",
     "Kreş ve gündüz bakımevinden yararlanan erkek çocuk sayısı"),
    ("Öğrenci sayısı", "Kız öğrenci sayısı", "Erkek öğrenci sayısı"),
    ("Rehabilitasyon hizmeti alan engelli birey sayısı", "Rehabilitasyon hizmeti alan engelli kadın sayısı",
     "Rehabilitasyon hizmeti alan engelli erkek sayısı"),
])
def test_pair_to_propose(vocab, name, women, men):
    assert pair(vocab, name) == (women, men)


@pytest.mark.parametrize(("name", "unit", "people", "w", "m"), [
    ("Gıda yardımından yararlanan kadın / erkek sayısı", "kişi", True, True, True),
    ("Ebeveyn izni kullanan erkek personel sayısı", "kişi", True, False, True),
    ("Depreme hazırlık eğitimi verilen kadın sayısı", "adet", True, True, False),  # the count is of women
    ("Yönetici kadrolarındaki kadın personel oranı", "%", False, True, False),
    ("Kurulan mahalle afet gönüllü ekibi sayısı", "adet", False, False, False),  # teams, not people
    ("Hizmete açılan kreş sayısı", "adet", False, False, False),
    ("Erken tanı taraması yapılan hasta sayısı", "kişi", True, False, False),  # "erken" is not erkek
])
def test_classify(vocab, name, unit, people, w, m):
    k = classify(vocab, name, unit)
    assert (k.counts_people, k.names_women, k.names_men) == (people, w, m)


def test_figures_by_sex_need_columns_not_a_title(vocab):
    assert vocab.sex_columns("Kadro Türü | Kadın | Erkek | Toplam") == "kadın | erkek"
    assert vocab.sex_columns("Yaş Grubu | Cinsiyet | Sayı") == "cinsiyet"
    assert vocab.sex_columns("Amaç | A4 Kadın-erkek eşitliğini ve sosyal adaleti kentin her alanında güçlendirmek") is None


def test_cooperating_units_printed_as_one_run_are_cut_into_units():
    assert _units("Zabıta Müdürlüğü Kadın ve Aile Hizmetleri Müdürlüğü; Eşitlik Birimi") == [
        "Zabıta Müdürlüğü", "Kadın ve Aile Hizmetleri Müdürlüğü", "Eşitlik Birimi"]


def _plan_rows(**objective) -> dict[str, list[dict]]:
    base = {"municipality_id": "x", "plan_start": 2025, "plan_end": 2029, "objective_code": "H1.1",
            "objective_title": "Sosyal yardımları yaygınlaştırmak", "responsible_unit": "Sosyal Yardım İşleri Müdürlüğü",
            "gender_marker": 0, "source_document_id": "x/sp.pdf", "source_page": 9}
    return {"objectives": [{**base, **objective}],
            "indicators": [
                {"municipality_id": "x", "plan_start": 2025, "plan_end": 2029, "indicator_code": "PG1.1.1",
                 "objective_code": "H1.1", "indicator_name": "Yardım alan kadın sayısı", "unit": "kişi",
                 "gender_marker": 1, "source_document_id": "x/sp.pdf", "source_page": 10},
                {"municipality_id": "x", "plan_start": 2025, "plan_end": 2029, "indicator_code": "PG1.1.2",
                 "objective_code": "H1.1", "indicator_name": "Yardım alan erkek sayısı", "unit": "kişi",
                 "gender_marker": 1, "source_document_id": "x/sp.pdf", "source_page": 10},
                {"municipality_id": "x", "plan_start": 2025, "plan_end": 2029, "indicator_code": "PG1.1.3",
                 "objective_code": "H1.1", "indicator_name": "Yararlanan kişi sayısı", "unit": "kişi",
                 "gender_marker": 0, "source_document_id": "x/sp.pdf", "source_page": 11}],
            "documents": [{"document_id": "x/sp.pdf", "municipality_id": "x", "doc_type": "strategic_plan",
                           "year_start": 2025}],
            "extracted_tables": [{"document_id": "x/sp.pdf", "page": 4, "kind": None,
                                  "header": "Birim | Kadın | Erkek | Toplam"}]}


def test_scorecard_on_inline_rows():
    rows = _plan_rows(cooperating_units="Kadın Dayanışma Derneği; Eşitlik Birimi")
    out = scorecard_step(rows)
    (card,) = out["gender_scorecard"]
    # Twins "… kadın sayısı" / "… erkek sayısı" of one objective are a sex-disaggregated pair.
    assert (card["people_indicators"], card["sex_disaggregated_indicators"], card["kind1_indicators"]) == (3, 2, 2)
    assert card["sex_disaggregated_share_pct"] == pytest.approx(66.67)
    assert card["indicators_answer"] == "partly"
    assert card["women_unit_answer"] == "partly" and card["women_units"] == "Eşitlik Birimi"  # cooperates only
    assert card["women_organisations_answer"] == "yes"
    assert card["figures_by_sex_answer"] == "yes" and card["sex_tables_in_plan"] == 1
    assert card["budget_answer"] == "unknown" and card["budget_years"] == 0  # no program
    assert card["gender_objective_answer"] == "no"
    assert card["score"] == 0.5 + 1 + 1 + 0.5 and card["answers_known"] == 5
    ev = {(e["question"], e["item_code"]): e for e in out["gender_scorecard_evidence"]}
    assert ev[("figures_by_sex", "strategic_plan")]["source_page"] == 4
    assert ev[("women_organisations", "H1.1")]["source_page"] == 9
    kinds = {k["indicator_code"]: k for k in out["indicator_kinds"]}
    assert kinds["PG1.1.3"]["proposal_women"] == "Yararlanan kadın sayısı"
    assert kinds["PG1.1.1"]["proposal_women"] is None  # it says women already


def test_without_organisations_the_answer_is_unknown_not_no():
    (card,) = scorecard_step(_plan_rows())["gender_scorecard"]
    assert card["women_organisations_answer"] == "unknown" and card["women_unit_answer"] == "no"


_CONSULTED = ("STRATEJİK PLAN HAZIRLIK SÜRECİ\nPlan taslağı iç ve dış paydaşların görüşleri alınarak hazırlanmıştır. "
              "Muhtarlar ve meslek odalarıyla istişare\ntoplantıları yapılmıştır. Kentte nüfus artmıştır.")


def _with_text(rows: dict, *texts: tuple[int, str], cards: tuple[int, ...] = ()) -> dict:
    rows["page_texts"] = [{"document_id": "x/sp.pdf", "page": p, "text": t} for p, t in texts]
    rows["extracted_tables"] += [{"document_id": "x/sp.pdf", "page": p, "last_page": p, "kind": "sp_scorecard",
                                  "header": "Amaç | Hedef"} for p in cards]
    return rows


def test_participation_text_naming_a_womens_organisation_is_yes_with_its_page():
    rows = _with_text(_plan_rows(), (3, _CONSULTED), (5, "Kent Konseyi Kadın Meclisi ve kadın dernekleri ile\n"
                                                          "çalıştaylar düzenlenmiştir. Bütçe artmıştır."))
    out = scorecard_step(rows)
    (card,) = out["gender_scorecard"]
    assert card["women_organisations_answer"] == "yes"
    assert (card["women_organisation_mentions"], card["participation_pages"]) == (1, 2)
    (ev,) = [e for e in out["gender_scorecard_evidence"] if e["question"] == "women_organisations"]
    assert (ev["item_kind"], ev["source_page"], ev["source_document_id"]) == ("text", 5, "x/sp.pdf")
    # The sentence itself is quoted, joined across its line break, without its neighbours.
    assert ev["item_name"] == "Kent Konseyi Kadın Meclisi ve kadın dernekleri ile çalıştaylar düzenlenmiştir."


def test_consultation_without_womens_organisations_is_no_with_what_the_plan_says():
    out = scorecard_step(_with_text(_plan_rows(), (3, _CONSULTED)))
    (card,) = out["gender_scorecard"]
    assert card["women_organisations_answer"] == "no" and card["answers_known"] == 5  # budget: no program
    ev = [e for e in out["gender_scorecard_evidence"] if e["question"] == "women_organisations"]
    assert [e["source_page"] for e in ev] == [3, 3]
    assert ev[1]["item_name"] == "Muhtarlar ve meslek odalarıyla istişare toplantıları yapılmıştır."
    assert sc_view.verdict("women_organisations", card, "en").startswith("No:")


def test_text_on_scorecard_pages_and_text_without_consultation_leave_it_unknown():
    # A card page's words are the objective's fields (read from the table); the rest says nothing of consultation.
    rows = _with_text(_plan_rows(), (4, "Kentte nüfus artmıştır. Kadın derneklerine destek verilecektir."),
                      (9, _CONSULTED), cards=(9,))
    (card,) = scorecard_step(rows)["gender_scorecard"]
    assert card["women_organisations_answer"] == "unknown" and card["participation_pages"] == 0
    (no_text,) = scorecard_step(_plan_rows())["gender_scorecard"]
    assert no_text["participation_pages"] is None
    assert "no text" in sc_view.verdict("women_organisations", no_text, "en")


def test_page_texts_hold_the_plans_pages_and_the_evidence_quotes_them(sample_warehouse):
    import pypdfium2 as pdfium

    from tests.conftest import REPO

    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        docs = con.execute("select document_id, doc_type, page_count from documents order by 1").fetchall()
        held = dict(con.execute("select document_id, count(*) from page_texts group by 1").fetchall())
        # Every strategic plan, every page of it; no program or report.
        assert held == {d: n for d, t, n in docs if t == "strategic_plan"} and len(held) == 6
        ev = con.execute(
            "select e.source_document_id, e.source_page, e.item_name, p.text from gender_scorecard_evidence e "
            "join page_texts p on p.document_id = e.source_document_id and p.page = e.source_page "
            "where e.municipality_id = 'ilginkoy' and e.plan_start = 2025 and e.question = 'women_organisations' "
            "and e.item_kind = 'text'").fetchall()
    finally:
        con.close()
    assert ev
    for doc_id, page, quote, text in ev:
        assert " ".join(text.split()).find(quote) >= 0
        # ... and the page of the PDF itself prints it (the link opens the right page).
        pdf = pdfium.PdfDocument(str(REPO / "data" / "raw" / doc_id))
        try:
            printed = " ".join(pdf[page - 1].get_textpage().get_text_range().split())
        finally:
            pdf.close()
        assert quote in printed and "kadın örgüt" in quote.casefold()


def test_scorecard_on_the_sample_agrees_with_the_relations_it_reads(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        cards = {(r["municipality_id"], r["plan_start"]): r for r in read_relation(sample_warehouse, "gender_scorecard")}
        assert len(cards) == 6  # three municipalities × two plans
        card = cards[("ilginkoy", 2025)]
        # The budget answer is the gender_budget relation summed over the plan's program years.
        p, s, tot, n = con.execute(
            "select sum(principal_budget), sum(significant_budget), sum(total_budget), count(*) from gender_budget "
            "where municipality_id = 'ilginkoy' and year between 2025 and 2029").fetchone()
        assert card["budget_years"] == n == 2
        assert card["principal_share_pct"] == pytest.approx(p / tot * 100, abs=0.01)
        assert card["significant_share_pct"] == pytest.approx(s / tot * 100, abs=0.01)
        # The women's unit owns exactly the objectives it is responsible for in the plan.
        owned = con.execute(
            "select objective_code, source_page from objectives where municipality_id = 'ilginkoy' and "
            "plan_start = 2025 and responsible_unit = 'Kadın ve Aile Hizmetleri Müdürlüğü' order by 1").fetchall()
        ev = con.execute(
            "select item_code, source_page from gender_scorecard_evidence where municipality_id = 'ilginkoy' and "
            "plan_start = 2025 and question = 'women_unit' and item_kind = 'objective' order by 1").fetchall()
        assert ev == owned and card["women_unit_objectives"] == len(owned) > 0
        # The sample plan's 27 people / gender indicators, read by hand: 8 sex-disaggregated of 19 people counts.
        assert (card["people_indicators"], card["sex_disaggregated_indicators"]) == (19, 8)
        assert (card["kind1_indicators"], card["kind2_indicators"], card["kind3_indicators"]) == (8, 9, 7)
        # The staff-by-sex table is in the programs, not the plan: partly, with each program's page.
        assert card["figures_by_sex_answer"] == "partly"
        pages = con.execute(
            "select e.source_document_id, e.source_page from gender_scorecard_evidence e where e.municipality_id = "
            "'ilginkoy' and e.plan_start = 2025 and e.question = 'figures_by_sex' order by 1").fetchall()
        tables = con.execute(
            "select t.document_id, t.page from extracted_tables t join documents d using (document_id) where "
            "d.municipality_id = 'ilginkoy' and d.year_start >= 2025 and t.header like 'Kadro Türü | Kadın | Erkek%' "
            "order by 1").fetchall()
        assert pages == tables and len(pages) == 2
        pr = con.execute("select proposal_women, proposal_men from indicator_kinds where municipality_id = 'ilginkoy' "
                         "and source_kind = 'plan' and plan_start = 2025 and indicator_code = 'PG5.1.2'").fetchone()
        assert pr == ("Kültür merkezlerinden yararlanan kadın sayısı", "Kültür merkezlerinden yararlanan erkek sayısı")
    finally:
        con.close()


def test_verdict_escapes_document_text():
    card = {"women_unit_answer": "yes", "women_units": "**Kadın** [birimi](javascript:x) <b>", "women_unit_objectives": 2}
    text = sc_view.md_escape(sc_view.verdict("women_unit", card, "en"))
    assert "\\*\\*Kadın\\*\\*" in text and "\\[birimi\\]\\(javascript" in text and "\\<b\\>" in text


def test_scorecard_page_shows_six_answers_with_evidence_and_ranking(sample_warehouse):
    at = run_page("scorecard.py")
    at.sidebar.selectbox(key="m").select("ilginkoy").run()
    at.sidebar.selectbox(key="sp").select(2025).run()
    assert not at.exception, at.exception
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(badges) == 6
    # 5: women's organisations are named in the plan's participation text (page_texts).
    assert {m.label: m.value for m in at.metric}["Puan"] == "5 / 6"
    pack = at.session_state["_pack"]["tables"]
    unit_ev = pack["Ilgınköy Belediyesi 2025 Kadın birimi"]
    assert unit_ev["open"].str.startswith("sources?doc=ilginkoy%2Filginkoy_2025-2029_stratejik_plan.pdf&p=").all()
    ranking = pack["Belediyeler yan yana"]
    assert len(ranking) == 3 and ranking["Puan"].is_monotonic_decreasing and list(ranking["Sıra"]) == [1, 2, 3]
    assert set(ranking["Belediye"]) == {"Ilgınköy Belediyesi", "Altınsöğüt Belediyesi", "Serinyurt Büyükşehir Belediyesi"}


def test_compare_shows_the_scorecards_side_by_side(sample_warehouse):
    at = run_page("compare.py")
    at.button(key="cmp-preset-all").click().run()  # the default compares one kind: the two districts
    assert not at.exception, at.exception
    table = at.session_state["_pack"]["tables"]["Cinsiyet eşitliği karnesi"]
    assert len(table) == 3 and list(table["Sıra"]) == sorted(table["Sıra"])


def test_page_text_with_a_lone_surrogate_and_nul_still_loads(tmp_path):
    # A text layer can carry a lone UTF-16 surrogate: written as is it would fail the whole load.
    from etl.extract import _storable
    from etl.load import write_warehouse

    text = _storable("  Paydaş\ud800 görüşleri\x00 alınmıştır. " + "x" * 30_000)
    wh = write_warehouse(tmp_path / "w.duckdb", {"page_texts": [{"document_id": "x/sp.pdf", "page": 1, "text": text}]})
    (row,) = read_relation(wh, "page_texts")
    assert row["text"].startswith("Paydaş? görüşleri alınmıştır. x") and len(row["text"]) == 20_000
