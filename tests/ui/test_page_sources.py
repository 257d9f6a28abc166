"""The Sources page (AppTest through the router) and app/page_image.py (unit)."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from app import page_image
from app.views import sources
from tests.conftest import REPO, run_page

KNOWN_DOC = "ilginkoy/ilginkoy_2022_performans_programi.pdf"
KNOWN_PAGE = 7  # a Performans Hedefi Tablosu: goal card, indicators and activities on one page
TRAVERSALS = ["../../etc/passwd", "/etc/passwd", "altinsogut/../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
              "altinsogut/../ilginkoy/ilginkoy_2022_performans_programi.pdf", "C:\\Windows\\win.ini"]


@pytest.fixture(autouse=True)
def _raw_from_the_repo(monkeypatch):
    """Page images come from data/raw, the folder the sample warehouse was built from."""
    monkeypatch.delenv("IZLEK_RAW", raising=False)


@pytest.fixture
def media(monkeypatch):
    """Bytes of every media file (st.image, …) the app registers, by file id."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        seen[file_id] = path_or_data if isinstance(path_or_data, bytes) else b""
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


def _run(query: dict[str, str] | None = None, lang: str = "tr") -> AppTest:
    """The Sources page opened as a deep link with ``query`` as its URL parameters."""
    return run_page("sources.py", query, lang, deep_link=True)


# AppTest does not report st.dataframe keys; each table of the page has a column no other has.
_MARK = {"documents": "sha256", "issues": "check_name", "page-tables": "flavor", "lookup": "source_document_id"}


def _frame(at: AppTest, table: str):
    return next(d.value for d in at.dataframe if _MARK[table] in d.value.columns)


def _select_municipality(at: AppTest, mid: str) -> AppTest:
    # Not ?m=<id>: the bound selector writes its label (the name) into the URL.
    return at.sidebar.selectbox(key="m").select(mid).run()


# --- the page -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "title", "documents"), [("tr", "Kaynaklar", "Belgeler"), ("en", "Sources", "Documents")])
def test_page_runs_in_both_languages(sample_warehouse, lang, title, documents):
    at = _run(lang=lang)
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert documents in [s.value for s in at.subheader]


def test_documents_of_the_municipality_and_of_all(sample_warehouse):
    at = _select_municipality(_run(), "serinyurt")
    docs = _frame(at, "documents")
    assert len(docs) == 11 and set(docs["municipality_id"]) == {"serinyurt"}
    assert set(docs["status"]) == {"Tamam"}  # the status code, in the interface language
    assert all(u.startswith("sources?doc=serinyurt%2F") for u in docs["viewer"])
    at.sidebar.toggle(key="all").set_value(True).run()
    assert not at.exception
    docs = _frame(at, "documents")
    assert len(docs) == 33 and set(docs["municipality_id"]) == {"altinsogut", "ilginkoy", "serinyurt"}


def test_viewer_shows_a_real_png_of_the_linked_page(sample_warehouse, media):
    at = _run({"doc": KNOWN_DOC, "p": str(KNOWN_PAGE)})
    assert not at.exception, at.exception
    assert at.selectbox(key="doc").value == KNOWN_DOC
    assert at.number_input(key="p").value == KNOWN_PAGE
    (image,) = at.get("image")
    assert image.proto.imgs[0].caption.startswith(f"{KNOWN_DOC} — sayfa {KNOWN_PAGE} /")
    file_id = image.proto.imgs[0].url.rsplit("/", 1)[-1].split(".")[0]
    png = media[file_id]
    assert png.startswith(page_image.PNG_SIGNATURE) and len(png) > 10_000


def test_tables_on_the_page_are_listed_with_their_kind(sample_warehouse):
    at = _run({"doc": KNOWN_DOC, "p": str(KNOWN_PAGE)})
    tables = _frame(at, "page-tables")
    # The kind codes, said in the interface language.
    assert list(tables["kind"]) == ["PP performans hedefi kartı", "PP gösterge tablosu", "PP faaliyet tablosu"]
    assert any("çerçeve" in c.value for c in at.caption)  # says why there is no highlight


def test_figure_lookup_shows_the_rows_printed_on_the_page(sample_warehouse):
    at = _run({"doc": KNOWN_DOC, "p": str(KNOWN_PAGE)})
    rel = at.radio(key="rel")
    assert "activities" in rel.options and "indicator_values" in rel.options
    rel.set_value("activities").run()
    rows = _frame(at, "lookup")
    assert len(rows) == 3
    assert set(rows["source_document_id"]) == {KNOWN_DOC} and set(rows["source_page"]) == {KNOWN_PAGE}
    assert set(rows["municipality_id"]) == {"ilginkoy"}


def test_page_number_follows_the_picker_and_resets_with_the_document(sample_warehouse):
    at = _run({"doc": KNOWN_DOC, "p": str(KNOWN_PAGE)})
    at.number_input(key="p").increment().run()
    assert not at.exception and at.number_input(key="p").value == KNOWN_PAGE + 1
    other = next(o for o in at.selectbox(key="doc").options if o != KNOWN_DOC)
    at.selectbox(key="doc").select(other).run()
    assert not at.exception and at.number_input(key="p").value == 1


@pytest.mark.parametrize("doc", TRAVERSALS)
def test_path_traversal_in_the_url_is_refused_with_a_message(sample_warehouse, media, doc):
    at = _run({"doc": doc, "p": "1"})
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("gösterilmedi" in w for w in warnings), warnings
    # The viewer falls back to a listed document, never to the requested path.
    shown = at.selectbox(key="doc").value
    assert shown in set(_frame(at, "documents")["document_id"])
    (image,) = at.get("image")
    assert image.proto.imgs[0].caption.startswith(shown)
    assert media[image.proto.imgs[0].url.rsplit("/", 1)[-1].split(".")[0]].startswith(page_image.PNG_SIGNATURE)


@pytest.mark.parametrize("query", [
    {"m": "x' OR 1=1 --"},
    {"m": "Serinyurt Belediyesi' OR name <> '"},
    {"m": "altinsogut'; drop table documents; --"},
    {"doc": "x' OR 1=1 --", "p": "1 OR 1=1"},
    {"p": "999"},
    {"p": "-3"},
    {"p": "1e309"},  # a float past the largest: Streamlit's bound number_input would overflow on it
    {"doc": KNOWN_DOC, "p": "1e309"},
    {"rel": "documents where 1=1 --"},
    {"all": "x' OR 1=1"},
])
def test_malicious_url_values_are_explained_not_executed(sample_warehouse, query):
    at = _run(query)
    assert not at.exception, at.exception
    docs = _frame(at, "documents")
    assert len(docs) in (11, 33)  # a valid municipality (or all) — never something the URL invented
    if "m" in query:
        assert any("yok sayıldı" in w.value and "m=" in w.value for w in at.warning)
    if query.get("p") == "999":
        assert at.number_input(key="p").value == 1


def test_english_messages_for_a_refused_document(sample_warehouse):
    at = _run({"doc": "../../etc/passwd"}, lang="en")
    assert not at.exception
    assert at.title[0].value == "Sources"
    assert at.selectbox(key="doc").value != "../../etc/passwd"


# --- a tiny warehouse with failures: order and findings -----------------------------------------

@pytest.fixture
def broken_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table municipalities (municipality_id varchar, name varchar, province varchar, kind varchar, "
                "population bigint)")
    con.execute("insert into municipalities values ('kuzey', 'Kuzey Belediyesi', 'X', 'ilçe', 1000)")
    con.execute("""create table documents (document_id varchar, municipality_id varchar, file_name varchar,
                   sha256 varchar, doc_type varchar, year_start int, year_end int, page_count int, status varchar,
                   message varchar, detection varchar, tables_found int, rows_loaded int)""")
    con.execute("""insert into documents values
        ('kuzey/a.pdf', 'kuzey', 'a.pdf', 's1', 'strategic_plan', 2020, 2024, 3, 'ok', 'fine', 'name', 2, 10),
        ('kuzey/b.pdf', 'kuzey', 'b.pdf', 's2', 'activity_report', 2023, 2023, null, 'failed', 'not a PDF', 'name', 0, 0),
        ('kuzey/c.pdf', 'kuzey', 'c.pdf', 's3', 'performance_program', 2024, 2024, 5, 'partial', 'superseded',
         'name', 1, 0)""")
    con.execute("""create table validation_issues (document_id varchar, municipality_id varchar, severity varchar,
                   check_name varchar, message varchar, source_page int)""")
    con.execute("""insert into validation_issues values
        ('kuzey/a.pdf', 'kuzey', 'warning', 'sum_to_total', 'rows do not add up', 2),
        ('kuzey/c.pdf', null, 'error', 'duplicate', 'two programs for 2024', null),
        (null, 'guney', 'warning', 'other', 'another municipality', null)""")
    con.execute("""create table extracted_tables (document_id varchar, page int, last_page int, table_order int,
                   kind varchar, flavor varchar, confidence double, n_rows int, n_cols int, header varchar)""")
    con.execute("create table activities (activity_id varchar, municipality_id varchar, activity_name varchar, "
                "source_document_id varchar, source_page int)")
    con.close()
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(path))
    return path


def test_failed_documents_come_first_and_findings_are_listed(broken_warehouse):
    at = _run()
    assert not at.exception, at.exception
    docs = _frame(at, "documents")
    assert list(docs["status"]) == ["Başarısız", "Kısmi", "Tamam"]
    assert "1 başarısız" in next(c.value for c in at.caption if "belge:" in c.value)
    found = _frame(at, "issues")
    assert list(found["severity"]) == ["Hata", "Uyarı"]  # the other municipality's finding is not here
    assert found["viewer"].iloc[1] == "sources?doc=kuzey%2Fa.pdf&p=2"
    # The PDFs of this warehouse are not on disk: the viewer says so instead of failing.
    assert any("bulunamadı" in e.value for e in at.error)


# --- app/page_image.py ----------------------------------------------------------------------------

def test_render_returns_png_of_the_page(monkeypatch):
    monkeypatch.delenv("IZLEK_RAW", raising=False)
    png = page_image.render(KNOWN_DOC, KNOWN_PAGE)
    assert png.startswith(page_image.PNG_SIGNATURE)
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert width > 1000 and height > 800
    assert page_image.render(KNOWN_DOC, 1) != png
    assert page_image.page_count(KNOWN_DOC) == 31


@pytest.mark.parametrize("doc", [*TRAVERSALS, "", "altinsogut", "altinsogut/x/y.pdf", "altinsogut/municipality.toml",
                                 "./altinsogut/pp2023.pdf", "altinsogut/pp2023.pdf\x00.png"])
def test_render_refuses_anything_but_a_document_id(doc):
    with pytest.raises(page_image.PageUnavailable) as err:
        page_image.render(doc, 1)
    assert err.value.reason == "refused"


def test_render_refuses_a_symlink_out_of_the_raw_folder(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "kuzey").mkdir(parents=True)
    outside = tmp_path / "secret.pdf"
    shutil.copy(REPO / "data" / "raw" / KNOWN_DOC, outside)
    os.symlink(outside, raw / "kuzey" / "link.pdf")
    shutil.copy(REPO / "data" / "raw" / KNOWN_DOC, raw / "kuzey" / "real.pdf")
    monkeypatch.setenv("IZLEK_RAW", str(raw))
    with pytest.raises(page_image.PageUnavailable) as err:
        page_image.render("kuzey/link.pdf", 1)
    assert err.value.reason == "refused"
    assert page_image.render("kuzey/real.pdf", 1).startswith(page_image.PNG_SIGNATURE)  # IZLEK_RAW is used


def test_render_explains_missing_files_pages_and_broken_pdfs(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "kuzey").mkdir(parents=True)
    (raw / "kuzey" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    monkeypatch.setenv("IZLEK_RAW", str(raw))
    with pytest.raises(page_image.PageUnavailable) as err:
        page_image.render("kuzey/none.pdf", 1)
    assert err.value.reason == "missing"
    with pytest.raises(page_image.PageUnavailable) as err:
        page_image.render("kuzey/broken.pdf", 1)
    assert err.value.reason == "unreadable"
    monkeypatch.delenv("IZLEK_RAW")
    for page in (0, 32, -1, "x"):
        with pytest.raises(page_image.PageUnavailable) as err:
            page_image.render(KNOWN_DOC, page)
        assert err.value.reason == "page"


def test_lookup_only_reads_relations_the_warehouse_lists(sample_warehouse):
    assert "activities" in sources.fact_relations() and "documents" not in sources.fact_relations()
    for bad in ("documents", 'activities" --', "activities; drop table documents"):
        with pytest.raises(ValueError):
            sources.rows_on_page(bad, KNOWN_DOC, KNOWN_PAGE)
    assert sources.viewer_url("a b/c.pdf", 3) == "sources?doc=a+b%2Fc.pdf&p=3"


# --- a row traced from another page ----------------------------------------------------------------

def _png_of(image, media) -> bytes:
    return media[image.proto.imgs[0].url.rsplit("/", 1)[-1].split(".")[0]]


def _purple_pixels(png: bytes) -> int:
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return int((pixels == np.array(sources.TRACED_OUTLINE, dtype=pixels.dtype)).all(axis=2).sum())


def test_a_row_traced_from_a_table_is_outlined_enlarged_and_marked(sample_warehouse, media):
    from urllib.parse import parse_qsl, urlsplit

    left_out = run_page("left_out.py", {"m": "ilginkoy"})
    assert not left_out.exception, left_out.exception
    table = next(d.value for d in left_out.dataframe if "objective_code" in d.value.columns
                 and "source_link" in d.value.columns)
    link = table["source_link"].iloc[0]
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["rel"] == "objectives" and query["rk"] == "objective_code"
    assert query["rv"] == table["objective_code"].iloc[0]

    at = _run(query)
    assert not at.exception, at.exception
    assert any(m.value.startswith("**İzlenen satır: Stratejik hedefler · objective\\_code") for m in at.markdown)
    zoom, page = at.get("image")
    zoom_png, page_png = _png_of(zoom, media), _png_of(page, media)
    # The scorecard's table in its purple frame, on the page and enlarged on its own.
    assert _purple_pixels(page_png) > 1_000 and _purple_pixels(zoom_png) > 1_000
    assert len(zoom_png) < len(page_png)
    rows = _frame(at, "lookup")
    assert rows["objective_code"].iloc[0] == query["rv"]  # the traced row first
    assert set(rows["source_page"]) == {int(query["p"])}
    assert not at.warning


def test_a_traced_row_the_page_does_not_hold_is_named_in_a_warning(sample_warehouse, media):
    at = _run({"doc": KNOWN_DOC, "p": str(KNOWN_PAGE), "rel": "activities", "rk": "activity_name",
               "rv": "no such activity"})
    assert not at.exception, at.exception
    assert any("no such activity" in w.value and "işaretlenmedi" in w.value for w in at.warning)
    assert _purple_pixels(_png_of(at.get("image")[0], media)) > 1_000  # the activities table, still framed
