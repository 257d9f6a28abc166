"""Header rebuild, column mapping, classification and page joins on inline etl.tables.Table objects.

The rows are what camelot returns for the official templates (see docs/domain.md): a cell
spanning several columns leaves the cells to its right empty.
"""

from __future__ import annotations

import copy

import pytest

from etl.layout import table_kinds
from etl.tables import Table, classify, header_labels, join_continuations, map_columns, rebuild_header
from etl.turkish import match_key

KINDS = {k.name: k for k in table_kinds()}


def table(rows, page=8, order=1, kind=None, header_rows=0):
    return Table(page=page, order=order, rows=[list(r) for r in rows], row_pages=[page] * len(rows),
                 flavor="lattice", confidence=0.9, kind=kind, header_rows=header_rows)


PP_ACTIVITIES_HEADER = [
    ["Faaliyetler", "Kaynak İhtiyacı (TL)", "", ""],
    ["", "Bütçe", "Bütçe Dışı", "Toplam"],
]
PP_ACTIVITIES_BODY = [
    ["1. Hizmet içi eğitim programlarının düzenlenmesi", "21.795.000,00", "0,00", "21.795.000,00"],
    ["2. Personele toplumsal cinsiyet eşitliği farkındalık eğitimlerinin verilmesi", "7.200.000,00", "0,00",
     "7.200.000,00"],
]
PP_SUMMARY_HEADER = [
    ["Amaç", "Hedef", "Performans Hedefi", "Kaynak İhtiyacı (TL)", "", "", "Toplam Kaynak İçindeki Payı (%)"],
    ["", "", "", "Bütçe", "Bütçe Dışı", "Toplam", ""],
]
PP_SUMMARY_BODY = [
    ["A1", "H1.1", "PH1 İnsan kaynaklarının niteliğini artırmak ve eşitlikçi bir çalışma ortamı oluşturmak",
     "28.995.000,00", "0,00", "28.995.000,00", "1,11"],
    ["A1", "H1.1", "PH2 İş sağlığı ve güvenliği hizmetlerinin yürütülmesi", "24.890.000,00", "0,00",
     "24.890.000,00", "0,95"],
]


# --------------------------------------------------------------------------- header mapping


def test_header_labels_carry_a_spanning_cell_over_the_row_below():
    labels = header_labels(PP_ACTIVITIES_HEADER, 2)
    assert labels == ["faaliyetler", "kaynak ihtiyacı tl bütçe", "kaynak ihtiyacı tl bütçe dışı",
                      "kaynak ihtiyacı tl toplam"]


def test_multi_row_resource_header_maps_budget_off_budget_total():
    t = table(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY)
    classify(t, "performance_program")
    assert t.kind == "pp_activities"
    assert t.header_rows == 2
    assert t.columns == {"name": 0, "budget": 1, "off_budget": 2, "total": 3}
    assert [cells[t.columns["off_budget"]] for _, cells in t.data_rows()] == ["0,00", "0,00"]


def test_summary_share_column_maps_to_share_pct_not_total():
    t = table(PP_SUMMARY_HEADER + PP_SUMMARY_BODY, page=6)
    classify(t, "performance_program")
    assert t.kind == "pp_summary"
    assert t.header_rows == 2
    assert t.columns == {"goal": 0, "objective": 1, "performance_goal": 2, "budget": 3, "off_budget": 4,
                         "total": 5, "share_pct": 6}


@pytest.mark.parametrize("share_label", ["Toplam Kaynak İçindeki Payı (%)", "Toplam Kaynak İçindeki Pay",
                                         "Pay (%)", "Oran (%)"])
def test_share_label_variants_never_claim_total(share_label):
    synonyms = KINDS["pp_summary"].columns
    labels = ["amaç", "hedef", "performans hedefi", "kaynak ihtiyacı tl bütçe", "kaynak ihtiyacı tl bütçe dışı",
              "kaynak ihtiyacı tl toplam", share_label]
    mapping = map_columns([match_key(x) for x in labels], synonyms)
    assert mapping["share_pct"] == 6
    assert mapping["total"] == 5
    assert mapping["off_budget"] == 4 and mapping["budget"] == 3


def test_map_columns_longest_synonym_wins_and_first_label_keeps_column():
    synonyms = {"budget": ("bütçe",), "off_budget": ("bütçe dışı",), "total": ("toplam",)}
    assert map_columns(["bütçe dışı", "bütçe", "toplam", "genel toplam"], synonyms) == \
        {"off_budget": 0, "budget": 1, "total": 2}
    # an inflection is the same word ("toplamı" is "toplam"); unknown labels claim nothing
    assert map_columns(["toplamı", "açıklama"], synonyms) == {"total": 0}
    # but never a part of another word: "no" is not inside "ekonomik"
    assert map_columns(["ekonomik", "nokta"], {"code": ("no",)}) == {}


def test_rebuild_header_stops_at_the_first_row_with_figures():
    kind = KINDS["pp_activities"]
    t = table(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY)
    rebuild_header(t, kind)
    assert t.header_rows == 2
    t = table([["Faaliyetler", "Bütçe", "Bütçe Dışı", "Toplam"], *PP_ACTIVITIES_BODY])
    rebuild_header(t, kind)
    assert t.header_rows == 1
    assert t.columns == {"name": 0, "budget": 1, "off_budget": 2, "total": 3}


# --------------------------------------------------------------------------- classification

REALISTIC = {
    "sp_goal_list": ("strategic_plan", [
        ["Kod", "Amaç / Hedef"],
        ["A1", "Hak ve eşitlik temelli bir yaklaşımla dezavantajlı kesimlerin katılımını güçlendirmek"],
        ["H1.1", "Toplumsal eşitlik perspektifini belediye hizmetlerinde yaygınlaştırmak"],
    ]),
    "sp_cost": ("strategic_plan", [
        ["Kod", "Amaç / Hedef", "2025", "2026", "2027", "2028", "2029", "Toplam"],
        ["A1", "Hak ve eşitlik temelli bir yaklaşım", "380.634.850,76", "465.049.192,28", "584.123.451,47",
         "691.019.126,99", "840.199.307,73", "2.961.025.929,23"],
    ]),
    "sp_scorecard": ("strategic_plan", [
        ["Amaç", "A1 Kurumsal kaynakların yönetiminde verimliliği artırmak", "", "", "", "", "", "", "", "", "", ""],
        ["Hedef", "H1.1 İnsan kaynaklarının niteliğini artırmak", "", "", "", "", "", "", "", "", "", ""],
        ["Kod", "Performans Göstergesi", "Ölçü Birimi", "Hedefe Etkisi (%)", "Plan Dönemi Başlangıç Değeri",
         "2020", "2021", "2022", "2023", "2024", "İzleme Sıklığı", "Raporlama Sıklığı"],
        ["PG1.1.3", "Ebeveyn izni kullanan erkek personel sayısı", "kişi", "%40", "30", "40", "55", "74",
         "100", "135", "6 Ay", "6 Ay"],
        ["Sorumlu Birim", "İnsan Kaynakları ve Eğitim Daire Başkanlığı", "", "", "", "", "", "", "", "", "", ""],
        ["Maliyet Tahmini", "654.359.166,21 TL", "", "", "", "", "", "", "", "", "", ""],
    ]),
    "pp_summary": ("performance_program", PP_SUMMARY_HEADER + PP_SUMMARY_BODY),
    "pp_goal_card": ("performance_program", [
        ["İdare Adı", "YEŞİLVADİ BELEDİYESİ"],
        ["Amaç", "A1 Katılımcı, şeffaf ve hesap verebilir bir yönetim anlayışı"],
        ["Hedef", "H1.1 Çalışanların kapasitesini artırmak"],
        ["Performans Hedefi", "PH1 İnsan kaynaklarının niteliğini artırmak"],
        ["Sorumlu Birim", "İnsan Kaynakları ve Eğitim Müdürlüğü"],
    ]),
    "pp_indicators": ("performance_program", [
        ["Performans Göstergeleri", "Ölçü Birimi", "2022 Gerçekleşme", "2023 Tahmin", "2024 Hedef"],
        ["PG1.1.1 Personel başına düşen hizmet içi eğitim süresi", "saat", "25", "21", "22"],
    ]),
    "pp_activities": ("performance_program", PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY),
    "pp_economic": ("performance_program", [
        ["Ekonomik Kod", "Açıklama", "Faaliyetler İçin Kaynak İhtiyacı", "Genel Yönetim Giderleri",
         "Diğer İdarelere Transfer Edilecek Kaynaklar", "Toplam"],
        ["01", "Personel Giderleri", "93.790.377,17", "432.707.236,28", "0,00", "526.497.613,45"],
    ]),
    "fr_economic": ("activity_report", [
        ["Ekonomik Kod", "Açıklama", "Başlangıç Ödeneği", "Eklenen (+)", "Düşülen (−)", "Yıl Sonu Ödeneği",
         "Harcama", "Gerçekleşme Oranı (%)"],
        ["01", "Personel Giderleri", "526.497.613,45", "4.358.656,61", "0,00", "530.856.270,06",
         "443.696.169,20", "83,58"],
    ]),
    "fr_results": ("activity_report", [
        ["Kod", "Performans Göstergesi", "Ölçü Birimi", "2024 Hedef", "2024 Gerçekleşme",
         "Gerçekleşme Oranı (%)", "Sapma Nedeni"],
        ["PG1.1.1", "Personel başına düşen hizmet içi eğitim süresi", "saat", "22", "14", "63,64",
         "Hava koşulları nedeniyle çalışma süresi kısalmıştır."],
    ]),
    "fr_activity_costs": ("activity_report", [
        ["Performans Hedefi", "Faaliyet", "Planlanan Maliyet (TL)", "Gerçekleşen Maliyet (TL)",
         "Gerçekleşme Oranı (%)"],
        ["PH1", "Hizmet içi eğitim programlarının düzenlenmesi", "21.795.000,00", "21.795.000,00", "100,00"],
    ]),
}


def test_every_kind_of_tables_toml_has_a_realistic_case():
    assert set(REALISTIC) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(REALISTIC))
def test_classify_realistic_header(kind):
    doc_type, rows = REALISTIC[kind]
    t = table(rows)
    classify(t, doc_type)
    assert t.kind == kind
    if KINDS[kind].key_value:
        assert t.columns == {}            # key/value tables keep their rows as labels
    else:
        assert t.header_rows >= 1
        assert set(t.columns) <= set(KINDS[kind].columns)
        assert len(t.columns) >= 2


@pytest.mark.parametrize(("kind", "expected_columns", "expected_years"), [
    ("sp_cost", {"code": 0, "title": 1, "total": 7}, {2025: 2, 2026: 3, 2027: 4, 2028: 5, 2029: 6}),
    ("pp_indicators", {"name": 0, "unit": 1, "actual_t2": 2, "estimate_t1": 3, "target": 4}, {}),
    ("fr_results", {"code": 0, "name": 1, "unit": 2, "target": 3, "actual": 4, "rate_pct": 5,
                    "deviation_reason": 6}, {}),
    ("fr_economic", {"economic_code": 0, "label": 1, "initial_appropriation": 2, "added": 3, "reduced": 4,
                     "appropriation": 5, "spent": 6, "rate_pct": 7}, {}),
    ("pp_economic", {"economic_code": 0, "label": 1, "activities": 2, "general_admin": 3, "transfers": 4,
                     "total": 5}, {}),
    ("fr_activity_costs", {"performance_goal": 0, "name": 1, "planned": 2, "spent": 3, "rate_pct": 4}, {}),
])
def test_classify_maps_columns(kind, expected_columns, expected_years):
    doc_type, rows = REALISTIC[kind]
    t = table(rows)
    classify(t, doc_type)
    assert t.columns == expected_columns
    assert t.year_columns == expected_years


def test_classify_respects_doc_type():
    _, rows = REALISTIC["fr_results"]
    t = table(rows)
    classify(t, "performance_program")    # a results table is not looked for in a program
    assert t.kind is None
    t = table(REALISTIC["pp_activities"][1])
    classify(t, "activity_report")
    assert t.kind is None


def test_sp_cost_needs_three_year_columns():
    t = table([["Kod", "Amaç / Hedef", "2025", "2026", "Toplam"], ["A1", "Hak", "1,00", "2,00", "3,00"]])
    classify(t, "strategic_plan")
    assert t.kind != "sp_cost"


def test_unrelated_table_is_not_classified():
    t = table([["Kadro Türü", "Kadın", "Erkek", "Toplam"], ["Memur", "53", "102", "155"]])
    classify(t, "strategic_plan")
    assert t.kind is None
    assert t.columns == {}


@pytest.mark.parametrize(("doc_type", "text"), [
    ("strategic_plan", "Stratejik plan, kurumun orta ve uzun vadeli amaçlarını ortaya koyar. "
                       "Performans göstergeleri cinsiyete göre ayrıştırılmıştır."),
    ("performance_program", "Bu bölümde her performans hedefi için sorumlu birim bilgileri yer alır."),
])
def test_narrative_paragraph_is_not_a_key_value_table(doc_type, text):
    t = table([[text]], page=3)
    t.flavor = "hybrid"
    classify(t, doc_type)
    assert t.kind is None


# --------------------------------------------------------------------------- page joins


def _activities(rows, page, order=1):
    t = table(rows, page=page, order=order)
    classify(t, "performance_program")
    return t


CONTINUATION_BODY = [
    ["3. Kadın kooperatiflerine destek verilmesi", "1.000.000,00", "0,00", "1.000.000,00"],
    ["Genel Toplam", "29.995.000,00", "0,00", "29.995.000,00"],
]


def test_join_without_repeated_header():
    first = _activities(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY, page=8)
    cont = _activities(CONTINUATION_BODY, page=9)
    assert cont.kind is None              # no header on the continuation page
    out = join_continuations([first, cont])
    assert len(out) == 1
    t = out[0]
    assert t.rows == PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY + CONTINUATION_BODY
    assert t.row_pages == [8, 8, 8, 8, 9, 9]
    assert [p for p, _ in t.data_rows()] == [8, 8, 9, 9]


def test_join_with_repeated_header_drops_the_repeat():
    first = _activities(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY, page=8)
    cont = _activities(PP_ACTIVITIES_HEADER + CONTINUATION_BODY, page=9)
    assert cont.kind == "pp_activities" and cont.header_rows == 2
    out = join_continuations([first, cont])
    assert len(out) == 1
    assert out[0].rows == PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY + CONTINUATION_BODY
    assert out[0].row_pages == [8, 8, 8, 8, 9, 9]
    assert sum(1 for r in out[0].rows if r[0] == "Faaliyetler") == 1


def test_join_over_three_pages():
    a = _activities(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY[:1], page=8)
    b = _activities(PP_ACTIVITIES_BODY[1:], page=9)
    c = _activities(CONTINUATION_BODY, page=10)
    out = join_continuations([a, b, c])
    assert len(out) == 1
    assert out[0].row_pages == [8, 8, 8, 9, 10, 10]


def test_row_split_by_page_break_is_appended_to_previous_row():
    # pp_summary: the performance goal text (3rd column) runs over the page break; the tail row on
    # the next page has empty code cells and no figures.
    first = table(PP_SUMMARY_HEADER + PP_SUMMARY_BODY[:1]
                  + [["A1", "H1.2", "PH3 Bilgi ve teknolojik kaynakların sürekliliğini sağlamak,",
                      "70.971.632,61", "0,00", "70.971.632,61", "2,72"]], page=6)
    classify(first, "performance_program")
    tail = table([["", "", "dijital belediyecilik hizmetlerini geliştirmek", "", "", "", ""],
                  ["A2", "H2.1", "PH4 Kent yollarını güvenli hale getirmek", "10.000.000,00", "0,00",
                   "10.000.000,00", "0,38"]], page=7)
    classify(tail, "performance_program")
    out = join_continuations([first, tail])
    assert len(out) == 1
    t = out[0]
    assert len(t.rows) == 2 + 2 + 1        # header + two rows of page 6 (one completed) + one of page 7
    assert t.rows[3][2] == ("PH3 Bilgi ve teknolojik kaynakların sürekliliğini sağlamak, "
                            "dijital belediyecilik hizmetlerini geliştirmek")
    assert t.rows[3][3] == "70.971.632,61"  # figures untouched
    assert t.row_pages == [6, 6, 6, 6, 7]  # the completed row keeps the page it started on
    assert len(t.row_pages) == len(t.rows)


def test_row_split_in_first_column_is_appended_to_previous_row():
    first = _activities(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY
                        + [["3. Kadın danışma merkezinin kurulması", "5.000.000,00", "0,00", "5.000.000,00"]],
                        page=8)
    tail = _activities([["ve işletilmesi", "", "", ""], *CONTINUATION_BODY], page=9)
    out = join_continuations([first, tail])
    assert len(out) == 1
    assert out[0].rows[4][0] == "3. Kadın danışma merkezinin kurulması ve işletilmesi"
    assert len(out[0].rows) == 2 + 3 + 2


def test_next_page_table_with_different_column_count_is_not_joined():
    first = _activities(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY, page=8)
    other = table([["Kadro Türü", "Kadın", "Erkek", "Toplam", "Oran"], ["Memur", "53", "102", "155", "%34"]],
                  page=9)
    classify(other, "performance_program")
    before = copy.deepcopy(first.rows)
    out = join_continuations([first, other])
    assert out == [first, other]
    assert first.rows == before and first.row_pages == [8, 8, 8, 8]


def test_headerless_table_with_different_column_count_is_not_joined():
    first = _activities(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY, page=8)
    other = table([["3. Kadın kooperatiflerine destek", "1.000.000,00", "1.000.000,00"]], page=9)
    classify(other, "performance_program")
    assert other.kind is None
    out = join_continuations([first, other])
    assert len(out) == 2
    assert len(first.rows) == 4


@pytest.mark.parametrize("case", ["gap_page", "second_on_page", "other_kind", "different_header", "kv_prev",
                                  "unclassified_prev"])
def test_not_joined(case):
    first = _activities(PP_ACTIVITIES_HEADER + PP_ACTIVITIES_BODY, page=8)
    tables = [first]
    if case == "gap_page":                      # a page in between
        tables.append(_activities(CONTINUATION_BODY, page=10))
    elif case == "second_on_page":              # not the first table on its page
        tables += [_activities(REALISTIC["pp_indicators"][1], page=9, order=1),
                   _activities(CONTINUATION_BODY, page=9, order=2)]
    elif case == "other_kind":                  # next page starts a table of another kind, same width
        nxt = table([["Ekonomik Kod", "Açıklama", "Genel Yönetim Giderleri", "Toplam"],
                     ["01", "Personel Giderleri", "432.707.236,28", "526.497.613,45"]], page=9)
        classify(nxt, "performance_program")
        assert nxt.kind == "pp_economic"
        tables.append(nxt)
    elif case == "different_header":            # same kind, but a new table with another header
        tables.append(_activities([["Faaliyet Adı", "Bütçe", "Bütçe Dışı", "Toplam"], *CONTINUATION_BODY], page=9))
        assert tables[-1].kind == "pp_activities"
    elif case == "kv_prev":                     # key/value cards are never joined
        card = table(REALISTIC["pp_goal_card"][1], page=8)
        classify(card, "performance_program")
        tables = [card, table([["Sorumlu Birim", "Kadın ve Aile Hizmetleri Müdürlüğü"]], page=9)]
    elif case == "unclassified_prev":
        tables = [table([["Kadro Türü", "Kadın", "Erkek", "Toplam"]], page=8),
                  table([["Memur", "53", "102", "155"]], page=9)]
    n_before = len(tables)
    out = join_continuations(tables)
    assert len(out) == n_before
    assert all(len(set(t.row_pages)) == 1 for t in out)
