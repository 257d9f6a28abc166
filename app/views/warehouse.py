"""The Warehouse page's numbers: every relation with its description from ``etl/schema.py``, and the
whole warehouse to take away (the DuckDB file, or a zip of one Parquet file per relation)."""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

import pandas as pd

from app import data, i18n
from etl.schema import BY_NAME

# etl/schema.py describes the relations in English; their Turkish, keyed by the English text.
_TEXTS = tomllib.loads(Path(__file__).with_name("warehouse_tr.toml").read_text(encoding="utf-8"))
TURKISH: dict[str, str] = _TEXTS["text"]
# Columns etl/schema.py leaves undescribed: name → (Turkish, English).
UNDESCRIBED: dict[str, list[str]] = _TEXTS["column"]
# Streamlit's grid wraps a cell's text only in rows taller than 4rem (64 px; DataFrame.js,
# isWrappingAllowed): 72 px holds three lines of the longest "one row per" sentence.
WRAP_ROW_HEIGHT = 72
GRAIN_WIDTH = 300  # px: the longest sentence (etl/schema.py, ~90 characters in Turkish) in three lines
RELATION_WIDTH = 190  # px: the longest relation name (25 characters) whole
# DuckDB's column types in a reader's words (the type itself in brackets, for SQL).
_TYPE_WORDS = {"VARCHAR": "wh_type_text", "BIGINT": "wh_type_integer", "INTEGER": "wh_type_integer",
               "DOUBLE": "wh_type_decimal", "BOOLEAN": "wh_type_boolean"}

i18n.register({
    "wh_intro": {
        "tr": "Ambarın tüm tabloları ve görünümleri, satır sayıları ve sütunlarıyla. Tüm ambarı indirip "
              "`duckdb`, pandas ya da R ile açabilir, ya da SQL sorgusu sayfasında sorgulayabilirsiniz.",
        "en": "Every table and view of the warehouse with its row count and columns. Download the whole "
              "warehouse and open it with `duckdb`, pandas or R, or query it on the SQL query page."},
    "wh_missing": {
        "tr": "Henüz veri ambarı yok: `{path}` bulunamadı. PDF'leri `data/raw/<belediye>/` altına koyup "
              "`python -m etl build` ile derleyin.",
        "en": "No warehouse yet: `{path}` does not exist. Put the PDFs under `data/raw/<municipality_id>/` and "
              "build it with `python -m etl build`."},
    "wh_unreadable": {"tr": "Ambar okunamadı (`{path}`): {error}", "en": "Could not read the warehouse `{path}`: {error}"},
    "wh_empty": {"tr": "Ambarda tablo ya da görünüm yok. `python -m etl build` ile yeniden derleyin.",
                 "en": "The warehouse has no tables or views. Rebuild it with `python -m etl build`."},
    "wh_caption": {"tr": "`{path}` · {n} ilişki", "en": "`{path}` · {n} relations"},
    "wh_col_relation": {"tr": "İlişki", "en": "Relation"},
    "wh_col_kind": {"tr": "Tür", "en": "Kind"},
    "wh_col_rows": {"tr": "Satır", "en": "Rows"},
    "wh_col_grain": {"tr": "Her satır bir", "en": "One row per"},
    "wh_col_public": {"tr": "Genel", "en": "Public"},
    "wh_col_columns": {"tr": "Sütunlar", "en": "Columns"},
    "wh_kind_table": {"tr": "tablo", "en": "table"},
    "wh_kind_view": {"tr": "görünüm", "en": "view"},
    "wh_download_duckdb": {"tr": "Ambarı indir (DuckDB)", "en": "Download the warehouse (DuckDB)"},
    "wh_download_parquet": {"tr": "Ambarı indir (Parquet, zip)", "en": "Download the warehouse (Parquet, zip)"},
    "wh_columns_of": {"tr": "Sütunlar: {rel}", "en": "Columns of {rel}"},
    "wh_col_column": {"tr": "Sütun", "en": "Column"},
    "wh_col_type": {"tr": "Tür", "en": "Type"},
    "wh_col_doc": {"tr": "Açıklama", "en": "Description"},
    "wh_relation": {"tr": "İlişki seçin", "en": "Pick a relation"},
    "wh_undeclared": {"tr": "– (etl/schema.py'de tanımlı değil)", "en": "– (not declared in etl/schema.py)"},
    "wh_type_text": {"tr": "metin", "en": "text"},
    "wh_type_integer": {"tr": "tam sayı", "en": "whole number"},
    "wh_type_decimal": {"tr": "ondalıklı sayı", "en": "decimal number"},
    "wh_type_boolean": {"tr": "evet/hayır", "en": "yes/no"},
})


def describe(text: str) -> str:
    """A description from etl/schema.py in the interface language (English as written)."""
    return TURKISH.get(text, text) if i18n.lang() == "tr" else text


def type_label(duckdb_type: str) -> str:
    """"tam sayı (BIGINT)": a column type in words, with DuckDB's name for it."""
    key = _TYPE_WORDS.get(duckdb_type.upper())
    return f"{i18n.t(key)} ({duckdb_type})" if key else duckdb_type


def relations_table(relations: list[data.Relation]) -> pd.DataFrame:
    """One row per relation: name, kind (in the interface language), rows, what a row is (from
    etl/schema.py, translated), public (part of docs/warehouse.md's contract), columns.

    No cell is empty: a relation etl/schema.py does not declare says so, and is not public."""
    return pd.DataFrame({
        "relation": [r.name for r in relations],
        "kind": [i18n.t(f"wh_kind_{r.kind}") for r in relations],
        "rows": pd.array([r.row_count for r in relations], dtype="Int64"),
        "grain": [describe(BY_NAME[r.name].grain) if r.name in BY_NAME else i18n.t("wh_undeclared")
                  for r in relations],
        "public": [bool(BY_NAME[r.name].public) if r.name in BY_NAME else False for r in relations],
        "columns": [", ".join(r.columns) for r in relations],
    })


def columns_table(relation: data.Relation) -> pd.DataFrame:
    """A relation's columns with their type (in words) and description from etl/schema.py, in the
    interface language; a column etl/schema.py leaves undescribed gets warehouse_tr.toml's words for
    its name, else the dashboard's header for it, else "–"."""
    declared = {c.name: c for c in BY_NAME[relation.name].columns} if relation.name in BY_NAME else {}

    def doc(column: str) -> str:
        if column in declared and declared[column].doc:
            return describe(declared[column].doc)
        if column in UNDESCRIBED:
            return UNDESCRIBED[column][0 if i18n.lang() == "tr" else 1]
        header = f"col_{column}"
        return i18n.t(header) if header in i18n.TEXTS else "–"

    return pd.DataFrame({
        "column": list(relation.columns),
        "type": [type_label(declared[c].type) if c in declared else "–" for c in relation.columns],
        "doc": [doc(c) for c in relation.columns],
    })


def duckdb_bytes(path: Path | None = None) -> bytes:
    """The warehouse file as it is (it is only ever replaced whole, so a read is consistent)."""
    return Path(path or data.warehouse_path()).read_bytes()


def parquet_zip(path: Path | None = None) -> bytes:
    """A zip with one ``<relation>.parquet`` per relation of the warehouse."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in data.list_relations(path):
            # sql-safe: a relation name read from the warehouse's information_schema, quoted
            df = data.query(f'select * from "{rel.name.replace(chr(34), chr(34) * 2)}"', path=path)
            part = io.BytesIO()
            df.to_parquet(part, index=False)
            zf.writestr(f"{rel.name}.parquet", part.getvalue())
    return buf.getvalue()
