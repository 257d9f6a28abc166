"""How the readers cope with layouts the sample does not have, one behaviour per test.

The variety documents (tests/test_variety.py) exercise these end to end through real PDFs;
here each rule is pinned on the smallest input that shows it, so a regression names itself.
"""

from __future__ import annotations

import pytest

from etl.classify import is_prose, score
from etl.layout import table_kinds
from etl.mend import invented_chars
from etl.records.common import indicator_code
from etl.tables import Table, join_continuations
from etl.turkish import NumberFormatError, parse_number, split_code
from etl.unruled import (
    Run,
    _body_bounds,
    _Column,
    _columns_by_order,
    _cut,
    _cut_code,
    _join_tails,
    _join_wrapped,
    _label_bounds,
    _lines,
)


def _run(x0: float, x1: float, text: str, y: float = 100.0, h: float = 8.0) -> Run:
    return Run(x0, y, x1, y + h, text)


def _kind(name: str):
    return next(k for k in table_kinds() if k.name == name)


def _plan_records(rows: list[list[str]]) -> dict:
    """The records a 2020-2024 plan gives for one text-layer table of ``rows`` on page 6."""
    from etl.classify import classify
    from etl.records import sp
    from etl.records.common import Context

    t = Table(page=6, order=1, rows=rows, row_pages=[6] * len(rows), flavor="text", confidence=None)
    classify(t, "strategic_plan")
    return sp.parse([t], Context("m", "m/sp.pdf", 2020, 2024))


def test_camelot_characters_missing_from_the_page_are_invented():
    # pdfminer gives a run of distinct fullwidth glyphs as one repeated character
    assert invented_chars([["【【【【【", "Personel"]], "Stratejik Amaç 1 【１．２】 Personel") == {"【"}
    assert invented_chars([["\x00\x00: Dijital"]], "１．１】: Dijital") == {"\x00"}
    assert invented_chars([["AMAÇ 01", "Personel Giderleri"]], "AMAÇ 01 Personel Giderleri") == set()


def test_a_dash_run_into_a_figure_is_two_cells_not_a_negative_figure():
    with pytest.raises(NumberFormatError):
        parse_number("- 18.357.000,00")
    assert parse_number("-18.357.000,00").value == -18357000.0


def test_a_bracketed_code_that_lost_its_opening_bracket_is_read():
    assert split_code("1.1】 – Dijital belediyecilik", "objective")[1] == "H1.1"
    assert split_code("(2.3) Kreş", "objective")[1] == "H2.3"
    assert split_code("1.1 – Dijital", "objective")[1] is None  # a bare number needs its label


def test_a_bare_three_level_code_in_a_kod_column_is_an_indicator_code():
    assert indicator_code("1.1.1", "Yapılan sıcak asfalt miktarı") == ("1.1.1", "PG1.1.1", "Yapılan sıcak asfalt miktarı")
    assert indicator_code("1.1", "Ad")[1] is None


def test_prose_in_a_header_row_never_makes_a_kind():
    prose = ("Performans göstergelerinin hedef değerleri, önceki yılların gerçekleşmeleri ve mali imkânlar "
             "dikkate alınarak belirlenmiştir.")
    assert is_prose(prose) and not is_prose("Toplam Kaynak İçindeki Payı (%)")
    assert not score([["Açıklamalar", prose]], _kind("pp_indicators")).complete


def test_a_header_below_a_caption_row_starts_below_it():
    rows = [["Tablo 1: Ekonomik Sınıflandırmaya Göre Bütçe Giderleri", "", "", "", "", "", ""],
            ["Ekonomik Kod", "Açıklama", "Başlangıç Ödeneği", "Eklenen", "Düşülen", "Yıl Sonu Ödeneği", "Harcama"],
            ["01", "Personel Giderleri", "878.816.352", "0", "0", "878.816.352", "874.532.733"],
            ["02", "Sosyal Güvenlik Kurumlarına Devlet Primi Giderleri", "99.800.721", "0", "0", "99.800.721", "71.464.429"]]
    verdict = score(rows, _kind("fr_economic"))
    assert verdict.complete and verdict.start == 1


def test_column_bound_moves_into_the_white_space_of_right_aligned_figures():
    # "Bütçe" centred over right-aligned figures whose middle is past the labels' midpoint
    cols = [_Column(86, 124, ["Faaliyetler"]), _Column(238, 258, ["Bütçe"]), _Column(344, 380, ["Bütçe Dışı"]),
            _Column(464, 490, ["Toplam"])]
    body = [[_run(41, 143, "F1.1.1 Hayvan bakımevi"), _run(282, 324, "1.998.271,40"), _run(382, 396, "0,00"),
             _run(512, 554, "1.998.271,40")]]
    assert _label_bounds(cols)[1] < 303 < _body_bounds(cols, body)[1]
    assert _cut(body[0], cols, _body_bounds(cols, body)) == ["F1.1.1 Hayvan bakımevi", "1.998.271,40", "0,00",
                                                              "1.998.271,40"]


def test_a_caption_row_inside_the_table_does_not_move_column_bounds():
    cols = [_Column(86, 124, ["Faaliyetler"]), _Column(238, 258, ["Bütçe"]), _Column(344, 380, ["Bütçe Dışı"]),
            _Column(464, 490, ["Toplam"])]
    body = [[_run(41, 143, "F1.1.1 Hayvan"), _run(282, 324, "1.998.271,40"), _run(382, 396, "0,00"),
             _run(512, 554, "1.998.271,40")],
            [_run(41, 270, "Performans Hedefi Tablosu (Performans Hedefi 2)", y=80)]]
    bounds = _body_bounds(cols, body)
    assert bounds[0] < 238 < bounds[1]


def test_a_dash_drawn_lower_than_its_row_shares_its_line():
    band = [_run(64, 90, "Personel", y=667.7, h=6.5), _run(47, 55, "01", y=663.7, h=6.4),
            _run(128, 190, "67.153.989,27 TL", y=663.7, h=6.4), _run(306, 309, "-", y=663.7, h=4.8),
            _run(64, 95, "Giderleri", y=659.6, h=6.5)]
    lines = _lines(band)
    assert len(lines) == 1


def test_currency_signs_and_figure_tails_wrapped_under_a_row_join_it():
    rows = [["Kod", "Açıklama", "Ödenek"], ["", "TOPLAM", "461.244.419,"], ["", "", "00 TL"],
            ["01", "Personel", "75.754.246,00"], ["", "", "TL"]]
    _join_tails(rows, [1, 2, 3, 4])
    assert rows == [["Kod", "Açıklama", "Ödenek"], ["", "TOPLAM", "461.244.419,00 TL"],
                    ["01", "Personel", "75.754.246,00 TL"]]


def test_a_code_cut_at_its_dot_and_a_wrapped_name_join_the_row_above():
    assert _cut_code("PG1.1.", "2") and not _cut_code("Toplam 5.", "2") and not _cut_code("sayısı", "2")
    rows = [["Kod", "Gösterge", "2025"], ["PG1.1.", "Desteklenen kadın", "14"], ["2", "kooperatifi sayısı", ""],
            ["PG1.1.3", "Satış yapan kadın", "820"]]
    _join_wrapped(rows, [1, 2, 3])
    assert rows[1] == ["PG1.1.2", "Desteklenen kadın kooperatifi sayısı", "14"] and rows[2][0] == "PG1.1.3"


def test_rows_without_figures_of_a_goal_list_stay_rows():
    rows = [["Kod", "Amaç / Hedef"], ["AMAÇ 01", "Doğayı koruyan bir kent"], ["", "Sıfır atık yönetimini yaygınlaştırmak"]]
    _join_wrapped(rows, [1, 2])
    assert len(rows) == 3


def test_a_continued_table_laid_out_at_other_widths_keeps_its_columns_by_order():
    cols = [_Column(50, 65, ["Kod"]), _Column(91, 140, ["Performans Göstergeleri"]), _Column(275, 295, ["2020"])]
    band = [_run(41, 72, "PG 1.1.2"), _run(83, 133, "LED armatüre"), _run(83, 150, "noktası sayısı", y=90),
            _run(219, 239, "6.000")]
    moved = _columns_by_order(band, cols)
    assert moved is not None and [c.label for c in moved] == [["Kod"], ["Performans Göstergeleri"], ["2020"]]
    assert moved[2].x0 == 219
    assert _columns_by_order(band[:2], cols) is None


def test_a_headerless_text_table_below_another_on_the_same_page_continues_it():
    goal_list = Table(page=3, order=1, rows=[["Kod", "Amaç / Hedef"], ["AMAÇ 01", "Bir"], ["H1.1", "İki"]],
                      row_pages=[3, 3, 3], flavor="text", confidence=None, kind="sp_goal_list", header_rows=1)
    rest = Table(page=3, order=2, rows=[["H1.2", "Üç"], ["AMAÇ 02", "Dört"]], row_pages=[3, 3], flavor="text",
                 confidence=None)
    joined = join_continuations([goal_list, rest])
    assert len(joined) == 1 and joined[0].rows[-1] == ["AMAÇ 02", "Dört"]


def test_the_column_gap_of_a_tight_producer_is_a_layout_file_setting(tmp_path):
    from etl.layout import overlay, text_layer
    from etl.layout_file import load_for

    # Figures right-aligned 2.5 pt from the next column's: under the built-in 3 pt no white
    # space separates them, and the label midpoint (301) cuts "1.998.271,40" in two.
    cols = [_Column(86, 124, ["Faaliyetler"]), _Column(238, 258, ["Bütçe"]), _Column(344, 380, ["Bütçe Dışı"])]
    body = [[_run(41, 143, "F1.1.1 Hayvan bakımevi"), _run(282, 324, "1.998.271,40"), _run(326.5, 380, "25.000,00")]]
    assert _body_bounds(cols, body)[1] == pytest.approx(301)
    (tmp_path / "layout.toml").write_text("[text_layer]\nmin_column_gap_pt = 2.0\nband_gap = -1\nrun_gapp = 1\n",
                                          encoding="utf-8")
    user = load_for(tmp_path / "x.pdf")
    assert user.text_layer == {"min_column_gap_pt": 2.0}
    assert any("band_gap: expected a positive number" in p for p in user.problems)
    assert any("run_gapp: no such setting" in p for p in user.problems)
    with overlay(user):
        assert text_layer().min_column_gap_pt == 2.0
        assert 324 <= _body_bounds(cols, body)[1] <= 326.5
    assert text_layer().min_column_gap_pt == 3.0


def test_a_header_line_printed_below_its_cell_rule_goes_back_to_the_header():
    from etl.tables import repair_header_overflow

    rows = [["Kod", "Hedefe Etkisi", "Mevcut Durum"], ["1.1.1", "(%) 40%", "168.000"], ["1.1.2", "35%", "96,0"]]
    assert repair_header_overflow(rows) == [["Kod", "Hedefe Etkisi (%)", "Mevcut Durum"], ["1.1.1", "40%", "168.000"],
                                            ["1.1.2", "35%", "96,0"]]
    # "(%)" alone over an empty cell, and a unit row under the labels, join the header too
    assert repair_header_overflow([["Ad", "Gerç. Oranı", "Bütçe"], ["", "(%)", "(TL)"], ["x", "5", "6"]]) == \
        [["Ad", "Gerç. Oranı (%)", "Bütçe (TL)"], ["x", "5", "6"]]
    # a label that has its unit, and a name in brackets before text, stay as they are
    kept = [["Kod", "Hedefe Etkisi (%)", "Ad"], ["1.1.1", "(%) 40%", "(Kadın) danışma"]]
    assert repair_header_overflow(kept) == kept


def test_a_running_head_is_known_by_repeating_on_the_pages_wherever_the_margins_put_it():
    from etl.unruled import _running_key, running_keys

    def page(n: int, first: str) -> list[Run]:
        return [_run(40, 400, f"Gökçetepe Belediyesi 2020-2024 Stratejik Planı · Sayfa {n}", y=700),
                _run(40, 120, first, y=600), _run(300, 340, f"{n}.000", y=600)]

    pages = [page(4, "PG 1.1.2"), page(5, "Sorumlu Birim"), page(6, "Riskler")]
    keys = running_keys(pages)
    assert _running_key([pages[0][0]]) in keys
    assert _running_key([pages[1][0]]) in keys  # "Sayfa 4" and "Sayfa 5" are one line
    assert not any("sorumlu" in k for k in keys)
    assert running_keys(pages[:1]) == frozenset()  # one page says nothing of what repeats


def test_a_sum_of_money_wrapped_inside_its_kurus_is_one_figure():
    from etl.turkish import join_wrapped_figures

    assert join_wrapped_figures("19\u00a0851\u00a0818,0\n0") == "19\u00a0851\u00a0818,00"
    assert join_wrapped_figures("267 964 000,\n00") == "267 964 000,00"
    assert join_wrapped_figures("2.206.428.112,6\n9 TL") == "2.206.428.112,69 TL"
    # two figures of a merged cell stay two
    for two in ("1.000,00\n2.000,00", "6\n6", "12,5\n3", "1.234,5\n67"):
        assert join_wrapped_figures(two) == two


def test_a_figure_wrapped_inside_a_group_of_thousands_is_one_figure():
    from etl.turkish import join_wrapped_figures, parse_number

    # Calc wraps "384.000" in a narrow target column as "384.0" over "00".
    assert parse_number(join_wrapped_figures("384.0\n00")).value == 384000
    assert join_wrapped_figures("1.234.5\n67,89") == "1.234.567,89"
    for two in ("1.2\n3", "384.000\n12", "12\n30", "95.5\n100"):
        assert join_wrapped_figures(two) == two


def test_a_label_with_its_lost_bracket_code_in_brackets_leaves_no_bracket_in_the_title():
    from etl.records.labels import read_label

    lab = read_label("Stratejik Hedef (1.1】)", "sp_scorecard")
    assert (lab.field, lab.code, lab.rest) == ("objective", "H1.1", "")


def test_a_wrapped_name_line_under_no_label_goes_with_the_line_it_is_aligned_with():
    cols = [_Column(62.4, 76.1, ["Kod"]), _Column(141.5, 183.4, ["Göstergeler"]), _Column(250.9, 289.7, ["Birim"])]
    band = [_run(41.3, 57.3, "1.2.1", y=281.1), _run(100.1, 215.5, "Gıda yardımından yararlanan kadın /", y=285.2),
            _run(100.1, 137.3, "erkek sayısı", y=277.0), _run(265.1, 275.5, "kişi", y=281.1)]
    assert _cut(band, cols) == ["1.2.1", "Gıda yardımından yararlanan kadın / erkek sayısı", "kişi"]


def test_pdfium_s_mark_for_a_hyphen_at_a_line_end_keeps_the_word_whole():
    from etl.turkish import clean_text

    assert clean_text("tahakkuk\ufffe\r\ntahsilat çalışmaları") == "tahakkuk-tahsilat çalışmaları"


def test_the_rest_of_an_indicator_name_cut_by_a_page_break_joins_it_below_the_repeated_header():
    from etl.classify import classify
    from etl.records import sp
    from etl.records.common import Context

    header = ["Kod", "Göstergeler", "Ölçü Birimi", "2025", "2026", "2027", "2028", "2029"]
    card = [["AMAÇ", "A1 - Toplumsal cinsiyet eşitliğini güvence altına almak"],
            ["Stratejik Hedef", "HEDEF 1.3 - Kreş hizmetleriyle ebeveynlerin bakım yükünü hafifletmek"]]
    page5 = Table(page=5, order=1, rows=[r + [""] * 6 for r in card] + [
        header, ["1.3.1", "Kreş ve gündüz bakımevinden", "kişi", "396", "432", "468", "504", "540"]],
        row_pages=[5] * 4, flavor="text", confidence=None)
    page6 = Table(page=6, order=1, rows=[r + [""] * 6 for r in card] + [
        header, ["", "yararlanan çocuk sayısı", "", "", "", "", "", ""],
        ["1.3.2", "Hizmete açılan kreş sayısı", "adet", "10", "11", "12", "13", "14"],
        ["", "- Mülkiyet sorunları", "", "", "", "", "", ""]], row_pages=[6] * 6, flavor="text", confidence=None)
    for t in (page5, page6):
        classify(t, "strategic_plan")
    records = sp.parse([page5, page6], Context("m", "m/sp.pdf", 2025, 2029))
    names = {i["indicator_code"]: i["indicator_name"] for i in records["indicators"]}
    assert names == {"PG1.3.1": "Kreş ve gündüz bakımevinden yararlanan çocuk sayısı",
                     "PG1.3.2": "Hizmete açılan kreş sayısı"}


def test_the_last_line_of_a_header_cut_by_the_page_break_is_header_not_a_row():
    from etl.unruled import _ends_header

    cols = [_Column(57.8, 73.0, ["Kod"]), _Column(105.4, 152.0, ["Göstergeler"]), _Column(170.0, 200.0, ["Ölçü"]),
            _Column(221.5, 241.0, ["2025"]), _Column(498.5, 541.0, ["Raporlama"])]
    assert _ends_header([_run(175.6, 198.9, "Birimi"), _run(507.7, 532.0, "Sıklığı")], cols)
    assert not _ends_header([_run(41.3, 68.7, "PG2.3.1"), _run(228.4, 252.8, "18.000")], cols)
    assert not _ends_header([_run(92.5, 159.7, "Yapılan sıcak asfalt miktarı ve bakımı")], cols)


def test_a_bare_number_after_a_hedef_label_is_the_objective_code_not_part_of_the_title():
    rows = [["Hedef", "Kartı – 1.3", "", ""], ["Amaç", "Stratejik Amaç 1 – Hesap verebilir bir yönetim", "", ""],
            ["HEDEF", "1.3: Mali kaynakları etkin yönetmek", "", ""],
            ["Kod", "Performans Göstergeleri", "2020", "2021"], ["PG 1.3.1", "Öz gelir tahsilat oranı", "71", "73"]]
    records = _plan_records(rows)
    assert [(o["objective_code"], o["objective_title"]) for o in records["objectives"]] == \
        [("H1.3", "Mali kaynakları etkin yönetmek")]


def test_a_card_title_with_a_bare_number_names_the_card():
    # "Hedef Kartı – 2.3", cut in two by the text layer, and no Hedef row of its own below it.
    rows = [["Hedef", "Kartı – 2.3", "", ""], ["Kod", "Performans Göstergeleri", "2020", "2021"],
            ["PG 2.3.1", "Öz gelir tahsilat oranı", "71", "73"]]
    records = _plan_records(rows)
    assert [o["objective_code"] for o in records["objectives"]] == ["H2.3"]
    assert [i["objective_code"] for i in records["indicators"]] == ["H2.3"]
    assert [i["check_name"] for i in records["validation_issues"] if i["check_name"].startswith("scorecard")] == []


def test_a_last_column_empty_below_its_header_is_read_again_past_the_rule():
    from etl.mend import _empty_last_column

    cells = [["Göstergeler", "2024 Tahmin", "2025 Hedef"], ["1.1.1 Eğitim süresi", "22", ""], ["1.1.2 Personel", "1.550", ""]]
    assert _empty_last_column(cells) == {(1, 2), (2, 2)}
    cells[2][2] = "1.920"
    assert _empty_last_column(cells) == set()  # a column with figures inside the rule is read as it is
    assert _empty_last_column([["Ad", "Açıklama"], ["x", ""], ["y", ""]]) == {(1, 1), (2, 1)}  # figures only, below


def test_indicator_weights_short_of_100_make_the_document_partial_naming_the_objectives():
    from etl.checks import indicator_weights
    from etl.completeness import checked_shortfalls

    rows = {"indicators": [
        {"municipality_id": "m", "plan_start": 2020, "objective_code": "H1.1", "weight_pct": 45.0,
         "source_document_id": "m/sp.pdf", "source_page": 4},
        {"municipality_id": "m", "plan_start": 2020, "objective_code": "H1.2", "weight_pct": 100.0,
         "source_document_id": "m/sp.pdf", "source_page": 5}]}
    (gap,) = checked_shortfalls(indicator_weights(rows))
    assert "1 objectives do not add up to 100 % (H1.1; page 4)" in gap


def test_total_lines_of_an_unruled_table_are_rows_not_wrapped_lines_of_the_row_above():
    from etl.unruled import _join_wrapped

    rows = [["09", "Yedek Ödenekler", "-", "637.661,80 ₺", "-", "637.661,80 ₺"],
            ["", "BÜTÇE TOPLAMI", "65.526.616,70 ₺", "25.989.000,00 ₺", "5.407.000,00 ₺", "96.922.616,70 ₺"],
            ["", "Bütçe Dışı Kaynak", "-", "-", "-", "-"],
            ["", "Giderleri", "", "", "", ""]]
    _join_wrapped(rows, [0, 1, 2, 3])
    # A row of dashes holds values (zeros); only the line without any is a wrapped name's rest.
    assert [r[1] for r in rows] == ["Yedek Ödenekler", "BÜTÇE TOPLAMI", "Bütçe Dışı Kaynak Giderleri"]


def test_a_line_of_code_and_figure_tails_cut_inside_their_groups_joins_its_row():
    from etl.unruled import _join_tails

    rows = [["PG2.2.", "Yapılan sıcak asfalt miktarı", "ton", "228.000", "252.00", "276.00"],
            ["1", "", "", "", "0", "0"],
            ["PG2.2.2", "Kaldırım uzunluğu", "km", "32", "36", "40"]]
    _join_tails(rows, [0, 1, 2])
    assert rows == [["PG2.2.1", "Yapılan sıcak asfalt miktarı", "ton", "228.000", "252.000", "276.000"],
                    ["PG2.2.2", "Kaldırım uzunluğu", "km", "32", "36", "40"]]


def test_a_figure_cut_at_its_decimal_mark_inside_one_text_cell_is_one_figure():
    from etl.unruled import _reading_order

    assert _reading_order([_run(10, 60, "4 944 275 432,", y=100), _run(10, 22, "10", y=90)]) == "4 944 275 432,10"
    assert _reading_order([_run(10, 60, "252.00", y=100), _run(10, 16, "0", y=90)]) == "252.000"
    assert _reading_order([_run(10, 60, "Yapılan sıcak", y=100), _run(10, 40, "asfalt", y=90)]) == "Yapılan sıcak asfalt"


def test_a_figure_grouped_by_spaces_wrapped_between_two_groups_joins_its_row():
    from etl.turkish import parse_number
    from etl.unruled import _join_tails

    rows = [["01", "Personel Giderleri", "1 217 454", "54 470", "0,00", "60,82%"],
            ["", "", "638,33", "040,74", "", ""],
            ["02", "Faiz Giderleri", "95 300 004,33", "0,00", "0,00", "71,72%"]]
    _join_tails(rows, [0, 1, 2])
    assert [parse_number(c).value for c in rows[0][2:5]] == [1217454638.33, 54470040.74, 0]
    assert len(rows) == 2
    # A plain figure over a row's own figure is not a cut: two rows stay two.
    rows = [["", "Ara toplam", "454", "12"], ["", "", "638,33", ""]]
    _join_tails(rows, [0, 1])
    assert len(rows) == 2


def test_a_unit_in_brackets_at_the_end_of_a_wrapped_name_is_the_indicator_s_unit():
    rows = [["HEDEF", "H3.1: Gıda denetimini etkinleştirmek", "", "", ""],
            ["Göstergeler", "Hedefe Etkisi (%)", "Başlangıç Değeri", "2020", "2021"],
            ["3.1.3 Gıda işletmesi", "40%", "10.000", "10.800", "11.600"],
            ["denetim sayısı (adet)", "", "", "", ""]]
    records = _plan_records(rows)
    assert [(i["indicator_name"], i["unit"]) for i in records["indicators"]] == \
        [("Gıda işletmesi denetim sayısı", "adet")]


def test_a_page_holding_only_a_table_s_last_rows_and_its_total_is_a_table_page():
    from etl.pages import PageInfo, is_table_page

    rest = PageInfo(5, "Faaliyetler Kaynak İhtiyacı (TL)\nBütçe Bütçe Dışı Toplam\nverilmesi\n"
                       "Genel Toplam 124.803.000,00 TL 16.006.000,00 TL 140.809.000,00 TL", 0, 0)
    assert is_table_page(rest)
    prose = PageInfo(6, "Faaliyetlerin kaynak ihtiyacı 2024 yılında 12.000.000 TL artmıştır.\n"
                        "Genel toplam içinde payı yüzde 12 olmuştur.", 0, 0)
    assert not is_table_page(prose)


def test_a_name_wrapped_under_its_figures_stays_with_them_when_the_gaps_differ_by_a_hair():
    from etl.unruled import _home_loose_lines

    # Calc, one word a line in a narrow name column; the figure line reaches 0.2 pt higher.
    tops = [(452.5, 459.5), (443.7, 450.5), (434.9, 441.9), (425.8, 433.1), (417.3, 424.3), (408.5, 415.5)]
    lines = [[Run(10, y0, 50, y1, "x")] for y0, y1 in tops]
    parts = _home_loose_lines(lines, [0, 5], [False, True, True, True, True, False], set())
    assert parts == [[0, 1, 2, 3, 4], [5]]


def test_two_sums_of_money_run_together_with_their_tl_signs_are_cut_between_them():
    from etl.unruled import _split_at_bounds

    # Bold totals set close: "6.767.000,00 TL 158.775.576,20 TL" is one run across two columns.
    r = Run(398, 100, 520, 108, "6.767.000,00 TL 158.775.576,20 TL", spaces=(440, 452, 500), gaps=(0.3, 0.3, 0.3))
    assert [p.text for p in _split_at_bounds(r, [455])] == ["6.767.000,00 TL", "158.775.576,20 TL"]
    # A run whose figures open with their sign is cut before the second sign, never after one.
    r = Run(398, 100, 470, 108, "₺ 1.234 ₺ 5.678", spaces=(405, 430, 437), gaps=(0.3, 0.3, 0.3))
    assert [p.text for p in _split_at_bounds(r, [428])] == ["₺ 1.234", "₺ 5.678"]
    # One figure and its sign stay whole.
    r = Run(398, 100, 470, 108, "1.377.809,60 TL", spaces=(455,), gaps=(0.3,))
    assert [p.text for p in _split_at_bounds(r, [450])] == ["1.377.809,60 TL"]


def test_a_caption_in_a_larger_type_right_under_a_table_is_not_a_line_of_its_last_row():
    from etl.unruled import bands

    row = [_run(41, 200, "Kaldırım ve yaya yollarının", y=152, h=7), _run(347, 400, "33 541 000,00", y=148, h=7),
           _run(41, 120, "getirilmesi", y=144, h=7)]
    caption = _run(40, 120, "Faaliyet Maliyetleri", y=135, h=9)
    assert [len(b) for b in bands(row + [caption])] == [3, 1]
    assert [len(b) for b in bands(row + [_run(40, 120, "sayısı", y=137, h=7)])] == [4]  # same size: a wrapped line


def test_a_heading_starting_at_the_table_s_left_edge_is_its_first_cell_not_the_widest_one_it_crosses():
    cols = [_Column(117, 150, ["Faaliyet Adı"]), _Column(302, 350, ["Planlanan (TL)"]),
            _Column(482, 535, ["Gerçekleşen (TL)"]), _Column(660, 740, ["Gerçekleşme Oranı (%)"])]
    heading = _run(40, 477, "PH2.1.2: 2023 yılı içinde yağmur suyu hatlarının yapımı kapsamındaki çalışmaları tamamlamak")
    assert _cut([heading], cols)[0].startswith("PH2.1.2:")


def test_figures_cut_by_the_labels_midpoint_keep_their_column_when_the_next_one_is_empty():
    # "%112,61" right-aligned under "Gerçekleşme Oranı (%)", nothing under "Sapma Nedeni": the
    # dash of a row without a rate goes with the rates, not into the empty column.
    cols = [_Column(73, 150, ["Performans Göstergesi"]), _Column(576, 660, ["Gerçekleşme Oranı (%)"]),
            _Column(725, 770, ["Sapma Nedeni"])]
    body = [[_run(41, 200, "PG 1.1.1 Mobil uygulama"), _run(671, 703, "%112,61")],
            [_run(41, 200, "PG 1.1.3 Açık veri"), _run(699, 704, "-")]]
    bounds = _body_bounds(cols, body)
    assert 704 < bounds[1] < 725
    assert _cut(body[1], cols, bounds) == ["PG 1.1.3 Açık veri", "-", ""]


def test_a_line_of_figures_right_under_a_header_line_is_the_first_row():
    from etl.unruled import _header_kinds, _split_rows

    header = [_run(117, 160, "Faaliyet Adı", y=316, h=6), _run(302, 350, "Planlanan (TL)", y=316, h=6),
              _run(482, 540, "Gerçekleşen (TL)", y=316, h=6), _run(660, 740, "Gerçekleşme Oranı (%)", y=316, h=6)]
    row = [_run(41, 250, "Veri merkezi ve siber güvenlik", y=305, h=7), _run(376, 420, "7 456 921,00", y=305, h=7),
           _run(559, 600, "4 914 607,00", y=305, h=7), _run(774, 800, "%65,91", y=305, h=7)]
    parts = _split_rows(header + row, None, "activity_report", 842, _header_kinds("activity_report"))
    assert [sorted(r.text for r in p) for p in parts] == [sorted(r.text for r in header), sorted(r.text for r in row)]


def test_the_rest_of_a_header_cut_by_the_page_break_completes_the_header_row_of_the_page_before():
    from etl.unruled import PageLayout, read_layouts

    labels = [(54, 69, "Kod"), (99, 145, "Göstergeler"), (170, 187, "Ölçü"), (203, 231, "Hedefe"),
              (240, 290, "Plan Dönemi"), (299, 318, "2025"), (332, 351, "2026"), (463, 489, "İzleme")]
    page5 = [_run(40, 300, "Stratejik Hedef 3.1 - Koruyucu sağlık hizmetleri", y=420)] + \
        [_run(a, b, t, y=400) for a, b, t in labels]
    page6 = [_run(167, 190, "Birimi", y=780), _run(198, 236, "Etkisi (%)", y=780), _run(246, 284, "Başlangıç", y=780),
             _run(464, 488, "Sıklığı", y=780),
             _run(41, 69, "PG3.1.1", y=766), _run(84, 140, "Sağlık taraması", y=766), _run(173, 184, "kişi", y=766),
             _run(221, 237, "%35", y=766), _run(270, 290, "3.300", y=766), _run(303, 323, "3.600", y=766),
             _run(336, 356, "3.900", y=766), _run(468, 485, "3 Ay", y=766)]
    out = read_layouts({5: PageLayout(page5, 595, 842), 6: PageLayout(page6, 595, 842)}, "strategic_plan")
    assert out[5][-1].rows[0] == ["Kod", "Göstergeler", "Ölçü Birimi", "Hedefe Etkisi (%)",
                                  "Plan Dönemi Başlangıç", "2025", "2026", "İzleme Sıklığı"]
    assert out[6][0].rows[0][:5] == ["PG3.1.1", "Sağlık taraması", "kişi", "%35", "3.300"]


def test_a_card_label_whose_two_lines_were_read_into_two_cells_in_either_order_is_the_label():
    # "Tahmini" over "Maliyet" in one cell, read as "Maliyet | Tahmini" by camelot's hybrid parser.
    rows = [["HEDEF", "1.1: Hukuki süreçleri etkin izlemek", "", "", ""],
            ["Kod", "Göstergeler", "2020", "2021", "2022"],
            ["1.1.1", "Lehe sonuçlanan dava oranı", "70", "72", "74"],
            ["Maliyet", "Tahmini", "3 511 211,00", "", ""],
            ["İşbirliği", "Yapılacak Birimler", "Yazı İşleri", "", ""]]
    records = _plan_records(rows)
    assert [i["indicator_code"] for i in records["indicators"]] == ["PG1.1.1"]
    assert [o["cost_estimate"] for o in records["objectives"]] == [3511211.0]


def test_a_wrapped_line_set_where_the_next_row_s_code_starts_ends_the_cell_above():
    from etl.unruled import _split_rows

    cols = [_Column(45, 60, ["Amaç"]), _Column(150, 260, ["Performans Hedefi"]), _Column(420, 460, ["Toplam (TL)"])]
    first = [_run(41, 50, "A4", y=100), _run(150, 400, "PH 4.1.1: Engelli bireylere yönelik desteğini", y=100),
             _run(410, 470, "93.879.000,00", y=100)]
    rest = [_run(150, 190, "sürdürmek", y=90)]
    second = [_run(41, 50, "A5", y=81), _run(150, 400, "PH 5.1.1: Kültür-sanat etkinliklerini yaymak", y=81),
              _run(410, 470, "184.621.000,00", y=81)]
    # The gap above "sürdürmek" is the wider one, but the line starts where "PH 5.1.1" does.
    parts = _split_rows(first + rest + second, cols, "performance_program", 600)
    assert [sorted(r.text for r in p) for p in parts] == [sorted(r.text for r in first + rest),
                                                          sorted(r.text for r in second)]


def test_a_card_label_row_at_a_page_s_edge_is_kept_not_taken_for_a_running_head_or_a_caption():
    from etl.unruled import PageLayout, read_layouts

    header = [(54, 69, "Kod"), (99, 145, "Performans Göstergesi"), (170, 187, "Ölçü Birimi"), (299, 318, "2025"),
              (332, 351, "2026")]
    page5 = [_run(a, b, t, y=300) for a, b, t in header] + [
        _run(41, 69, "PG2.2.3", y=285), _run(99, 160, "Toplanan evsel atık", y=285), _run(170, 185, "ton", y=285),
        _run(299, 318, "410.000", y=285), _run(332, 351, "420.000", y=285),
        _run(41, 100, "Sorumlu Birim", y=49), _run(192, 300, "Temizlik İşleri Müdürlüğü", y=49)]
    page6 = [_run(41, 100, "Sorumlu Birim", y=560), _run(192, 300, "Fen İşleri Müdürlüğü", y=560),
             _run(41, 100, "Riskler", y=540), _run(192, 300, "- Uzman personelin ayrılması", y=540)] + \
        [_run(a, b, t, y=400) for a, b, t in header]  # the next card's table
    out = read_layouts({5: PageLayout(page5, 842, 595), 6: PageLayout(page6, 842, 595)}, "strategic_plan")
    rows5 = [r for t in out[5] for r in t.rows]
    rows6 = [r for t in out[6] for r in t.rows]
    assert ["Sorumlu Birim", "Temizlik İşleri Müdürlüğü"] in rows5
    assert ["Sorumlu Birim", "Fen İşleri Müdürlüğü"] in rows6
