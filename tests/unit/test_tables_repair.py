"""Words cut at a cell border by camelot's split_text are mended from the page's text layer."""

from etl.tables import repair_split_words


def test_overflowing_unit_is_mended():
    words = {"Hizmete", "açılan", "kreş", "sayısı", "adet/kümülatif", "%45", "4"}
    row = ["PG2.1.2", "Hizmete açılan kreş sayısı a", "det/kümüla", "tif %45", "4"]
    assert repair_split_words(row, words) == ["PG2.1.2", "Hizmete açılan kreş sayısı", "adet/kümülatif", "%45", "4"]


def test_whole_words_are_left_alone():
    words = {"kişi", "%55", "90"}
    row = ["kişi", "%55", "90"]
    assert repair_split_words(row, words) == row
