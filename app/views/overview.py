"""Numbers for the Overview page of one municipality."""

from __future__ import annotations

import pandas as pd

from app import data
from app.i18n import register


def documents(mid: str) -> pd.DataFrame:
    """The municipality's documents with status and message, newest first."""
    return data.query(
        "select file_name, doc_type, year_start, year_end, page_count, status, message "
        "from documents where municipality_id = ? order by year_end desc nulls last, doc_type, file_name", [mid])


def plan_periods(mid: str) -> pd.DataFrame:
    """Plan periods with their counts of goals, objectives and indicators."""
    return data.query(
        """select o.plan_start, o.plan_end, count(distinct o.goal_code) as goals, count(*) as objectives,
                  (select count(*) from indicators i where i.municipality_id = o.municipality_id
                     and i.plan_start = o.plan_start) as indicators
           from objectives o where o.municipality_id = ? group by all order by o.plan_start""", [mid])


def headline(mid: str) -> dict:
    """Headline figures: latest program year's gender share, objectives left out, indicators met."""
    gb = data.query("select * from gender_budget where municipality_id = ? order by year desc limit 1", [mid])
    out: dict = {"year": None, "share": None, "principal": None, "significant": None}
    if not gb.empty:
        row = gb.iloc[0]
        out.update(year=int(row["year"]), share=row["gender_share_pct"], principal=row["principal_budget"],
                   significant=row["significant_budget"], total=row["total_budget"])
        lo = data.query("select count(*) as n, count(*) filter (where gender_marker > 0) as g "
                        "from left_out_objectives where municipality_id = ? and year = ?", [mid, out["year"]])
        out["left_out"], out["left_out_gender"] = int(lo.iloc[0]["n"]), int(lo.iloc[0]["g"])
    ach = data.query("select year, count(*) filter (where status = 'met') as met, count(*) as n "
                     "from indicator_achievement where municipality_id = ? group by year order by year desc limit 1",
                     [mid])
    if not ach.empty:
        out.update(ach_year=int(ach.iloc[0]["year"]), met=int(ach.iloc[0]["met"]), indicators=int(ach.iloc[0]["n"]))
    return out


_COLUMNS = {
    "plan_start": ("Plan başlangıcı", "Plan start"), "plan_end": ("Plan sonu", "Plan end"),
    "goals": ("Amaç", "Goals"), "objectives": ("Stratejik hedef", "Objectives"), "indicators": ("Gösterge", "Indicators"),
    "file_name": ("Dosya", "File"), "doc_type": ("Belge türü", "Document type"),
    "year_start": ("İlk yıl", "First year"), "year_end": ("Son yıl", "Last year"),
    "page_count": ("Sayfa", "Pages"), "status": ("Durum", "Status"), "message": ("Mesaj", "Message"),
}
register({f"ov_col_{k}": {"tr": tr, "en": en} for k, (tr, en) in _COLUMNS.items()})


def column_labels(t) -> dict:
    """Column headers of the Overview tables in the interface language (years without separators)."""
    import streamlit as st

    years = {"plan_start", "plan_end", "year_start", "year_end"}
    return {c: (st.column_config.NumberColumn(t(f"ov_col_{c}"), format="%d") if c in years
                else t(f"ov_col_{c}")) for c in _COLUMNS}


def freshness() -> pd.DataFrame:
    """When the warehouse file was written."""
    import datetime as dt

    key = data.warehouse_version()
    ts = None if key is None else dt.datetime.fromtimestamp(key[2] / 1e9)
    return pd.DataFrame({"built": [ts]})
