"""Where each table sits on its page is kept (table_regions) and drawn on the page image."""

from __future__ import annotations

import io

from PIL import Image

from app import page_image
from tests.conftest import read_relation

DOC, PAGE = "ilginkoy/ilginkoy_2024_performans_programi.pdf", 8


def test_regions_are_stored_for_every_table_part(embedded_sample):
    warehouse, _ = embedded_sample
    regions = [r for r in read_relation(warehouse, "table_regions") if r["document_id"] == DOC and r["page"] == PAGE]
    assert [r["kind"] for r in regions] == ["pp_goal_card", "pp_indicators", "pp_activities"]
    for r in regions:  # inside the page, stacked from the top down
        assert 0 <= r["x1"] < r["x2"] <= r["page_width"] and 0 <= r["y1"] < r["y2"] <= r["page_height"]
    assert regions[0]["y1"] > regions[1]["y2"] > regions[1]["y1"] > regions[2]["y2"]


def test_tables_are_outlined_on_the_page_image(embedded_sample, monkeypatch):
    warehouse, _ = embedded_sample
    monkeypatch.delenv("IZLEK_RAW", raising=False)
    r = next(r for r in read_relation(warehouse, "table_regions") if r["document_id"] == DOC and r["page"] == PAGE)
    box = (r["x1"], r["y1"], r["x2"], r["y2"], r["page_width"], r["page_height"])
    plain = Image.open(io.BytesIO(page_image.render(DOC, PAGE))).convert("RGB")
    framed = Image.open(io.BytesIO(page_image.render(DOC, PAGE, boxes=(box,)))).convert("RGB")
    sx = framed.width / r["page_width"]
    x, y = int((r["x1"] + r["x2"]) / 2 * sx), int((r["page_height"] - r["y2"]) * sx - 2)
    assert framed.getpixel((x, y)) == (0, 114, 178)
    assert plain.getpixel((x, y)) != (0, 114, 178)
