"""Numbers and texts for the Sources page: documents, validation findings, tables and rows per page.

Every query is parameterised; the one identifier that comes from a widget (the relation of
the figure lookup) is only ever taken from the list the warehouse itself reports.
"""

from __future__ import annotations

from urllib.parse import urlencode

import duckdb
import pandas as pd

from app import data
from app.i18n import register

register({
    "src_all_munis": {"tr": "Tüm belediyeler", "en": "All municipalities"},
    "src_all_munis_help": {"tr": "Belge ve bulgu listelerinde tüm belediyeleri göster.",
                           "en": "List documents and findings of every municipality."},
    "src_documents": {"tr": "Belgeler", "en": "Documents"},
    "src_documents_caption": {
        "tr": "{n} belge: {ok} tamam, {partial} kısmi, {failed} başarısız. Sorunlu olanlar en üstte.",
        "en": "{n} documents: {ok} ok, {partial} partial, {failed} failed. Problems first."},
    "src_issues": {"tr": "Doğrulama bulguları", "en": "Validation findings"},
    "src_no_issues": {"tr": "Doğrulama kontrolleri bu seçim için bir sorun bulmadı.",
                      "en": "The validation checks found nothing for this selection."},
    "src_viewer": {"tr": "Kaynak sayfa", "en": "Source page"},
    "src_viewer_caption": {
        "tr": "Bir belge ve sayfa seçin: solda sayfanın görüntüsü, sağda o sayfada bulunan tablolar, altta ambarın "
              "o sayfadan yüklediği satırlar; bir rakamı kaynağıyla karşılaştırmak için.",
        "en": "Pick a document and page: the picture of the page on the left, the tables found on it on the right, "
              "and below the rows the warehouse loaded from it — to check a figure against its source."},
    "src_document": {"tr": "Belge", "en": "Document"},
    "src_page": {"tr": "Sayfa", "en": "Page"},
    "src_page_of": {"tr": "{doc} — sayfa {p} / {n}", "en": "{doc} — page {p} of {n}"},
    "src_open_page": {"tr": "Sayfayı aç", "en": "Open page"},
    "src_download_pdf": {"tr": "PDF'yi indir", "en": "Download PDF"},
    "src_download_page": {"tr": "Sayfa görüntüsü (PNG)", "en": "Page image (PNG)"},
    "src_doc_refused": {
        "tr": "Adresteki belge ({doc}) gösterilmedi: veri ambarında böyle bir belge yok. Yalnızca listedeki "
              "belgeler açılabilir; aşağıda listenin ilk belgesi gösteriliyor.",
        "en": "The document in the address ({doc}) was not shown: the warehouse has no such document. Only "
              "listed documents can be opened; the first one of the list is shown below."},
    "src_page_refused": {
        "tr": "Adresteki sayfa numarası ({p}) bu belgede yok; 1. sayfa gösteriliyor.",
        "en": "The page number in the address ({p}) is not in this document; showing page 1."},
    "src_muni_ignored": {
        "tr": "Adresteki belediye ({m}) ambarda yok; yok sayıldı.",
        "en": "The municipality in the address ({m}) is not in the warehouse; it was ignored."},
    "src_image_refused": {"tr": "Bu belge yolu reddedildi: {detail}", "en": "This document path was refused: {detail}"},
    "src_image_missing": {
        "tr": "PDF dosyası bulunamadı ({detail}). Ham klasör (`data/raw` ya da `IZLEK_RAW`) derlemeden bu yana "
              "değişmiş olabilir.",
        "en": "The PDF file is missing ({detail}). The raw folder (`data/raw` or `IZLEK_RAW`) may have changed "
              "since the build."},
    "src_image_page": {"tr": "Sayfa gösterilemiyor: {detail}", "en": "The page cannot be shown: {detail}"},
    "src_image_unreadable": {"tr": "PDF açılamadı: {detail}", "en": "The PDF could not be opened: {detail}"},
    "src_tables_on_page": {"tr": "Bu sayfada bulunan tablolar", "en": "Tables found on this page"},
    "src_tables_note": {
        "tr": "Sayfadaki düz mavi çerçeveler İzlek'in okuduğu tabloları, kesikli turuncu çerçeveler bulunup hiçbir "
              "tablo türüne uymadığı için okunmayan tabloları gösterir.",
        "en": "Solid blue frames on the page are the tables İzlek read; dashed orange frames are tables it found but "
              "could not match to any table kind, so nothing was read from them."},
    "src_unrecognised": {"tr": "Bu sayfada {n} tablo tanınmadı (kesikli turuncu çerçeve).",
                         "en": "{n} tables on this page were not recognised (dashed orange frame)."},
    "src_page_issues": {"tr": "Bu sayfayla ilgili doğrulama bulguları", "en": "Validation findings about this page"},
    "kind_none": {"tr": "tanınmadı", "en": "not recognised"},
    "src_no_tables": {"tr": "Bu sayfada tablo bulunmadı.", "en": "No table was found on this page."},
    "src_lookup": {"tr": "Rakam kontrolü", "en": "Figure lookup"},
    "src_lookup_caption": {
        "tr": "Hangi ilişkinin bu sayfadan yüklenen satırları aşağıda gösterilsin?",
        "en": "Which relation's rows from this page to show below?"},
    "src_no_rows": {"tr": "Ambar bu sayfadan hiç satır yüklemedi.", "en": "The warehouse loaded no rows from this page."},
    "src_n_rows": {"tr": "bu sayfadan {n} satır", "en": "rows from this page: {n}"},
    "src_relation": {"tr": "İlişki (tablo)", "en": "Relation"},
    "src_viewer_link": {"tr": "Görüntüle", "en": "View"},
    "src_no_documents": {"tr": "Bu seçim için belge yok.", "en": "No documents for this selection."},
    "src_traced": {"tr": "İzlenen satır: {what}", "en": "Traced row: {what}"},
    "src_traced_note": {
        "tr": "İzlek tabloların sayfadaki yerini saklar, tek tek satırların yerini saklamaz: kalın mor çerçeve bu "
              "satırın okunduğu tabloyu gösterir (yukarıda büyütülmüş), satırın kendisi aşağıdaki listede sarıyla "
              "işaretlidir.",
        "en": "İzlek keeps where each table is on the page, not where each row is: the thick purple frame is the "
              "table this row was read from (enlarged above), and the row itself is marked in yellow in the list "
              "below."},
    "src_traced_zoom": {"tr": "Satırın okunduğu tablo (büyütülmüş)", "en": "The table the row was read from "
                                                                              "(enlarged)"},
    "src_traced_no_region": {
        "tr": "Bu sayfada bu ilişkiye ait bir tablonun yeri kayıtlı değil; satır aşağıdaki listede sarıyla işaretli.",
        "en": "No table of this relation has its place recorded on this page; the row is marked in yellow below."},
    # The fact relations by what their rows are (the radio keeps the warehouse's name for the URL).
    "rel_activities": {"tr": "Faaliyetler (PP)", "en": "Activities (PP)"},
    "rel_activity_results": {"tr": "Faaliyet harcamaları (FR)", "en": "Activity spending (AR)"},
    "rel_budget_lines": {"tr": "Ekonomik kod satırları", "en": "Economic code lines"},
    "rel_gender_scorecard_evidence": {"tr": "Karne kanıtları", "en": "Scorecard evidence"},
    "rel_goals": {"tr": "Stratejik amaçlar", "en": "Strategic goals"},
    "rel_objectives": {"tr": "Stratejik hedefler", "en": "Objectives"},
    "rel_indicators": {"tr": "Plan göstergeleri", "en": "Plan indicators"},
    "rel_indicator_achievement": {"tr": "Gösterge gerçekleşmesi", "en": "Indicator achievement"},
    "rel_indicator_kinds": {"tr": "Gösterge türleri", "en": "Indicator kinds"},
    "rel_indicator_values": {"tr": "Gösterge değerleri", "en": "Indicator values"},
    "rel_objective_costs": {"tr": "Hedef maliyetleri (SP)", "en": "Objective costs (SP)"},
    "rel_performance_goals": {"tr": "Performans hedefleri", "en": "Performance goals"},
    "rel_program_budget_parts": {"tr": "Program bütçe kalemleri", "en": "Program budget parts"},
    "rel_program_totals": {"tr": "Program toplamları", "en": "Program totals"},
    "rel_report_results": {"tr": "Faaliyet raporu sonuçları", "en": "Activity report results"},
    "rel_validation_issues": {"tr": "Doğrulama bulguları", "en": "Validation findings"},
    "src_row_refused": {
        "tr": "Adresteki satır ({row}) bu sayfanın {relation} satırları arasında yok; işaretlenmedi.",
        "en": "The row in the address ({row}) is not among this page's {relation} rows; nothing is marked."},
})

# Which kinds of table each relation's rows are read from (etl/layouts/tables.toml → etl/records):
# the frame a traced row is outlined by. A relation missing here is outlined by every table read
# on its page.
RELATION_KINDS: dict[str, tuple[str, ...]] = {
    "activities": ("pp_activities",), "activity_results": ("fr_activity_costs",),
    "budget_lines": ("pp_economic", "fr_economic"), "goals": ("sp_goal_list",),
    "indicators": ("sp_scorecard",), "objectives": ("sp_scorecard", "sp_goal_list"),
    "objective_costs": ("sp_cost",), "performance_goals": ("pp_goal_card",),
    "program_budget_parts": ("pp_economic",), "program_totals": ("pp_summary", "pp_economic"),
    "report_results": ("fr_results", "fr_activity_costs"), "indicator_achievement": ("fr_results",),
    "indicator_values": ("pp_indicators", "sp_scorecard", "fr_results"),
    "indicator_kinds": ("pp_indicators", "sp_scorecard"),
}

_STATUS_ORDER = "case status when 'failed' then 0 when 'partial' then 1 when 'ok' then 2 else 3 end"


def viewer_url(document_id: str, page: int | None = None) -> str:
    """Relative URL of the Sources page showing ``document_id`` (and ``page``): other pages may link here."""
    params = {"doc": document_id} if page is None else {"doc": document_id, "p": int(page)}
    return "sources?" + urlencode(params)


def documents(mid: str | None) -> pd.DataFrame:
    """Documents of one municipality (all when ``mid`` is None): failed first, then partial, then ok."""
    where, params = ("where municipality_id = ?", [mid]) if mid else ("", [])
    df = data.query(
        f"""select document_id, municipality_id, file_name, doc_type, year_start, year_end, page_count,
                   tables_found, rows_loaded, status, message, detection, sha256
            from documents {where}
            order by {_STATUS_ORDER}, municipality_id, year_end desc nulls last, doc_type, file_name""", params)
    df.insert(0, "viewer", [viewer_url(d, 1) for d in df["document_id"]])
    return df


def status_counts(docs: pd.DataFrame) -> dict[str, int]:
    counts = docs["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in ("ok", "partial", "failed")}


def issues(mid: str | None) -> pd.DataFrame:
    """Validation findings of one municipality (its documents' too), errors first; all when ``mid`` is None."""
    where, params = ("", [])
    if mid:
        where = ("where v.municipality_id = ? or v.document_id in "
                 "(select document_id from documents where municipality_id = ?)")
        params = [mid, mid]
    df = data.query(
        f"""select v.severity, v.check_name, v.message, v.document_id, v.source_page, v.municipality_id
            from validation_issues v {where}
            order by case v.severity when 'error' then 0 when 'warning' then 1 else 2 end,
                     v.document_id nulls first, v.source_page, v.check_name""", params)
    df.insert(0, "viewer", [viewer_url(d, p) if isinstance(d, str) and pd.notna(p) else None
                            for d, p in zip(df["document_id"], df["source_page"], strict=True)])
    return df


def known_document(document_id: str) -> dict | None:
    """The document's id, municipality and page count, or None when the warehouse has no such document."""
    df = data.query("select document_id, municipality_id, page_count from documents where document_id = ?",
                    [document_id])
    return None if df.empty else df.iloc[0].to_dict()


def known_municipality(value: str) -> bool:
    """Whether ``?m=`` names a municipality: by id, or by name (the bound selector writes its label)."""
    return not data.query("select 1 from municipalities where municipality_id = ? or name = ?", [value, value]).empty


def tables_on_page(document_id: str, page: int) -> pd.DataFrame:
    """Tables camelot found on the page (tables joined across pages count on each of their pages)."""
    return data.query(
        """select table_order, kind, flavor, page, last_page, n_rows, n_cols, round(confidence, 2) as confidence,
                  header
           from extracted_tables
           where document_id = ? and ? between page and coalesce(last_page, page)
           order by page, table_order""", [document_id, int(page)])


def table_boxes(document_id: str, page: int, recognised: bool = True,
                kinds: tuple[str, ...] | None = None) -> tuple[tuple[float, ...], ...]:
    """Where camelot found tables on the page, for outlining them on the page image: the tables
    a kind claimed (``recognised``) or those no kind claimed (``kind`` NULL, read into no relation);
    with ``kinds``, only the recognised tables of those kinds.

    Empty for a warehouse built before table regions were kept: the page is shown unframed.
    """
    where, params = f"kind is {'not ' if recognised else ''}null", [document_id, int(page)]
    if kinds:
        where = f"kind in ({', '.join('?' for _ in kinds)})"
        params += list(kinds)
    try:
        df = data.query(f"""select x1, y1, x2, y2, page_width, page_height from table_regions
                            where document_id = ? and page = ? and {where}
                            order by table_order""", params)
    except duckdb.CatalogException:
        return ()
    return tuple(tuple(float(v) for v in row) for row in df.itertuples(index=False))


def traced_boxes(document_id: str, page: int, relation: str) -> tuple[tuple[float, ...], ...]:
    """The tables on the page a row of ``relation`` can have been read from."""
    return table_boxes(document_id, page, kinds=RELATION_KINDS.get(relation))


TRACED_OUTLINE = (204, 121, 167)  # the palette's reddish purple: apart from blue (read) and vermilion (not read)


def _pixels(box: tuple[float, ...], image) -> tuple[float, float, float, float]:
    x1, y1, x2, y2, width, height = box
    sx, sy = image.width / (width or image.width), image.height / (height or image.height)
    return x1 * sx, (height - y2) * sy, x2 * sx, (height - y1) * sy


def outline_traced(png: bytes, boxes: tuple[tuple[float, ...], ...]) -> tuple[bytes, bytes | None]:
    """``png`` with the traced row's table in a thick purple frame over a light tint, and that
    region cut out and enlarged (None when there is no box)."""
    if not boxes:
        return png, None
    import io

    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(png)).convert("RGB")
    tint = Image.new("RGB", image.size, TRACED_OUTLINE)
    mask = Image.new("L", image.size, 0)
    draw_mask = ImageDraw.Draw(mask)
    regions = [_pixels(b, image) for b in boxes]
    for left, top, right, bottom in regions:
        draw_mask.rectangle([left, top, right, bottom], fill=40)  # a light wash: the print stays readable
    image = Image.composite(tint, image, mask)
    draw = ImageDraw.Draw(image)
    for left, top, right, bottom in regions:
        draw.rectangle([left - 8, top - 8, right + 8, bottom + 8], outline=TRACED_OUTLINE, width=7)
    left = max(0, min(r[0] for r in regions) - 16)
    top = max(0, min(r[1] for r in regions) - 16)
    right = min(image.width, max(r[2] for r in regions) + 16)
    bottom = min(image.height, max(r[3] for r in regions) + 16)
    zoom = image.crop((int(left), int(top), int(right), int(bottom)))
    outs = []
    for picture in (image, zoom):
        out = io.BytesIO()
        picture.save(out, format="PNG")
        outs.append(out.getvalue())
    return outs[0], outs[1]


UNRECOGNISED_OUTLINE = (213, 94, 0)  # the palette's vermilion, apart from the blue of tables read


def outline_unrecognised(png: bytes, boxes: tuple[tuple[float, ...], ...]) -> bytes:
    """``png`` (a rendered page) with the unrecognised tables outlined in a dashed vermilion frame."""
    if not boxes:
        return png
    import io

    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(png)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x1, y1, x2, y2, width, height in boxes:
        sx, sy = image.width / (width or image.width), image.height / (height or image.height)
        left, top, right, bottom = x1 * sx - 6, (height - y2) * sy - 6, x2 * sx + 6, (height - y1) * sy + 6
        # Dashes: a frame that reads as "found, not read" next to the solid frames of tables read.
        for start in range(int(left), int(right), 18):
            draw.line([(start, top), (min(start + 10, right), top)], fill=UNRECOGNISED_OUTLINE, width=4)
            draw.line([(start, bottom), (min(start + 10, right), bottom)], fill=UNRECOGNISED_OUTLINE, width=4)
        for start in range(int(top), int(bottom), 18):
            draw.line([(left, start), (left, min(start + 10, bottom))], fill=UNRECOGNISED_OUTLINE, width=4)
            draw.line([(right, start), (right, min(start + 10, bottom))], fill=UNRECOGNISED_OUTLINE, width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def page_issues(document_id: str, page: int) -> pd.DataFrame:
    """The validation findings about this page of the document, errors first."""
    return data.query(
        """select severity, check_name, message from validation_issues
           where document_id = ? and source_page = ?
           order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, check_name""",
        [document_id, int(page)])


def fact_relations() -> list[str]:
    """Warehouse relations whose rows carry ``source_document_id`` and ``source_page``."""
    df = data.query(
        """select table_name from information_schema.columns
           where table_catalog = current_database() and table_schema = 'main'
             and column_name in ('source_document_id', 'source_page')
           group by table_name having count(*) = 2 order by table_name""")
    return list(df["table_name"])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _checked(relation: str, allowed: list[str] | None = None) -> str:
    """``relation`` as a quoted identifier, only when the warehouse lists it as a fact relation."""
    allowed = fact_relations() if allowed is None else allowed
    if relation not in allowed:
        raise ValueError(f"{relation!r} is not a relation with source pages")
    name = allowed[allowed.index(relation)]  # the warehouse's own string, not the caller's
    return _quoted(name)


def relation_label(relation: str) -> str:
    """What a relation's rows are, in the interface language (the name itself when unknown)."""
    from app.i18n import TEXTS, t

    return t(f"rel_{relation}") if f"rel_{relation}" in TEXTS else relation


def rows_per_relation(document_id: str, page: int) -> dict[str, int]:
    """For each fact relation, how many of its rows come from this page."""
    relations = fact_relations()
    if not relations:
        return {}
    sql = " union all ".join(
        f"select ? as relation, count(*) as n from {_checked(r, relations)} where source_document_id = ? and source_page = ?"
        for r in relations)
    params: list = []
    for r in relations:
        params += [r, document_id, int(page)]
    df = data.query(sql, params)
    return dict(zip(df["relation"], df["n"].astype(int), strict=True))


def rows_on_page(relation: str, document_id: str, page: int) -> pd.DataFrame:
    """The rows of ``relation`` printed on the page."""
    return data.query(f"select * from {_checked(relation)} where source_document_id = ? and source_page = ?",
                      [document_id, int(page)])
