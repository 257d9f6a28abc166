"""Gender budget: one municipality's program money by gender marker, by year, by directorate, by activity."""

import streamlit as st

from app import ui, url_state
from app.i18n import fmt_pct, t
from app.views import gender_budget as gb_view

NUMBER = st.column_config.NumberColumn


def _money_columns(unit: str, cols: dict[str, str]) -> dict:
    return {c: NUMBER(f"{t(label)} ({unit})", format="localized") for c, label in cols.items()}


if ui.page_setup("gender_budget_title"):
    mid = ui.select_municipality()
    gb = gb_view.yearly(mid) if mid else None
    if mid and gb.empty:
        st.info(t("no_program"))
    elif mid:
        name = ui.municipalities().set_index("municipality_id").loc[mid, "name"]
        st.markdown(t("gb_intro"))
        url_state.seed("view", list(gb_view.VIEWS))
        st.session_state.setdefault("view", "nominal")
        view = st.segmented_control(t("gb_view"), list(gb_view.VIEWS), format_func=lambda v: t(f"gb_view_{v}"),
                                    key="view", required=True)
        url_state.sync("view", view, default="nominal")
        # The real view opens on the latest year that has a CPI value (the current year has none yet).
        year = ui.select_year(gb["year"].tolist(), default=gb_view.default_year(gb, view))
        unit = gb_view.unit_label(gb, view)
        if view == "per_capita" and gb_view.population_missing(gb):
            st.warning(t("gb_no_population", mid=ui.md_escape(mid)))
        for note in gb_view.view_notes(gb, view):
            st.caption(note)

        s = gb_view.series(gb, view)
        row = s.loc[s["year"] == year].iloc[0]
        st.markdown(f"**{t('gb_program_year', year=year)}** · {unit}")
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(t("gb_metric_principal"), gb_view.fmt_amount(row["principal"], view, compact=True),
                  help=gb_view.fmt_amount(row["principal"], view))
        c2.metric(t("gb_metric_significant"), gb_view.fmt_amount(row["significant"], view, compact=True),
                  help=gb_view.fmt_amount(row["significant"], view))
        c3.metric(t("gb_metric_total"), gb_view.fmt_amount(row["total"], view, compact=True),
                  help=gb_view.fmt_amount(row["total"], view))
        c4.metric(t("gb_metric_share"), fmt_pct(row["share_pct"]), help=t("gender_share_help"))

        st.subheader(t("gb_by_year"))
        title = f"{name}: {t('gb_by_year')}"
        ui.show_figure(gb_view.by_year_figure(s, title, unit), f"{title} – {unit}",
                       s[["year", "principal", "significant", "gender_total", "total", "share_pct"]], key="gb-year")

        st.subheader(t("gb_program_vs_spent"), help=t("gb_program_vs_spent_help"))
        ps = gb_view.program_vs_spent(s)
        if ps.empty:
            st.info(t("gb_no_spent"))
        else:
            spent_row = ps.loc[ps["year"] == year]
            if not spent_row.empty:
                st.metric(t("gb_execution", year=year), fmt_pct(spent_row.iloc[0]["gender_execution_pct"]))
            for y, n in gb[["year", "spent_rows_unmatched"]].dropna().itertuples(index=False):
                if n:
                    st.caption(t("gb_unmatched", year=int(y), n=int(n)))
            title = f"{name}: {t('gb_program_vs_spent')}"
            ui.show_figure(gb_view.program_vs_spent_figure(ps, title, unit), f"{title} – {unit}", ps, key="gb-spent")

        st.subheader(t("gb_by_unit", year=year))
        factor = gb_view.factors(gb, view)[gb["year"] == year].iloc[0]
        units = gb_view.by_directorate(mid, year, factor)
        if factor != factor:  # NaN: no CPI or no population for this year
            st.caption(t("gb_year_not_in_view", year=year))
        elif (units["principal"] + units["significant"]).gt(0).any():
            title = f"{name}: {t('gb_by_unit_chart', year=year)}"
            ui.show_figure(gb_view.by_directorate_figure(units, title, unit), f"{title} – {unit}",
                           units, key="gb-units")
        else:
            st.caption(t("gb_no_gender_units"))
        ui.show_table(units, f"{name} {t('gb_by_unit', year=year)}", key="gb-units-table", column_config={
            "responsible_unit": t("gb_col_responsible_unit"),
            **_money_columns(unit, {"principal": "gb_col_principal", "significant": "gb_col_significant",
                                    "not_targeted": "gb_col_not_targeted", "total": "gb_col_total"}),
            "share_pct": NUMBER(t("gb_col_share_pct"), format="%.2f")})

        st.subheader(t("gb_activities", year=year), help=t("gb_activities_help"))
        acts = gb_view.activities(mid, year)
        # The activity id names the row (a printed code is missing in some layouts): Sources marks it.
        ui.show_table(acts, f"{name} {t('gb_activities', year=year)}", key="gb-activities",
                      relation="activities", row_key="activity_id", column_config={
            "printed_code": t("gb_col_code"), "performance_goal_code": t("gb_col_performance_goal"),
            "objective_code": t("gb_col_objective"), "activity_name": st.column_config.TextColumn(t("gb_col_activity"),
                                                                                              width="large"),
            "responsible_unit": t("gb_col_responsible_unit"), "marker": NUMBER(t("gb_col_marker"), format="%d"),
            "marker_label": t("gb_col_marker_label"), "reason": t("gb_col_reason"),
            "matched_terms": t("gb_col_matched_terms"), "tag_source": t("gb_col_tag_source"),
            **_money_columns("TL", {"budget": "gb_col_budget", "off_budget": "gb_col_off_budget", "total": "gb_col_total"}),
            "source_document": t("gb_col_source_document"), "source_page": NUMBER(t("gb_col_source_page"), format="%d"),
            "activity_id": None})
        ui.report_pack_button(f"gender-budget-{mid}-{year}")
