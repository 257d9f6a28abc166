"""Indicator achievement: status heatmap, one indicator's targets vs actuals, objective roll-up,
published rates that disagree with the computed ones, and how the rates are computed."""

import streamlit as st

from app import ui, url_state
from app.i18n import t
from app.views import achievement as ach

if ui.page_setup("achievement_title"):
    # The tables name their document and page in the reader's words; the links are built from them.
    SOURCE = (t("ach_col_document"), t("ach_col_page"))
    mid = ui.select_municipality()
    years = ach.report_years(mid) if mid else []
    if mid and not years:
        st.info(t("ach_no_data", mid=ui.md_escape(mid)))
    if mid and years:
        year = ui.select_year(years, label_key="ach_report_year")
        url_state.seed("gm", list(ach.MARKERS), multi=True)
        markers = st.segmented_control(
            t("ach_marker_filter"), list(ach.MARKERS), format_func=ach.marker_label, selection_mode="multi",
            default=None if "gm" in st.session_state else list(ach.MARKERS), key="gm", help=t("ach_marker_filter_help"))
        url_state.sync("gm", list(markers or []), default=list(ach.MARKERS))
        plan = ach.plan_period(mid, year)
        if not markers:
            st.info(t("ach_no_marker"))
        elif plan is not None:
            start, end = plan
            rows = ach.results(mid, start, markers)
            if rows.empty:
                st.info(t("ach_no_rows"))
            else:
                counts = ach.status_counts(rows, year)
                for col, (status, n) in zip(st.columns(len(counts)), counts.items(), strict=True):
                    col.metric(t("ach_status_count", year=year, status=ach.status_label(status)), n)

                st.subheader(t("ach_plan_period", start=start, end=end))
                wide, narrow = ui.wide_and_narrow("ach-heatmap")
                with wide:
                    st.caption(t("ach_heatmap_help"))
                    ui.show_figure(ach.heatmap_figure(rows), f"{t('ach_heatmap')} {mid} {start}-{end}",
                                   ach.heatmap_data(rows), key="ach-heatmap")
                with narrow:  # 60 rows of long labels do not fit 390 px: the year's statuses as a list
                    st.caption(t("ach_heatmap_narrow", year=year))
                    st.markdown(ach.status_lines(rows, year))

                options = ach.indicator_options(rows)
                url_state.seed("ind", list(options))
                if st.session_state.get("ind") not in options:
                    st.session_state.pop("ind", None)
                code = st.selectbox(t("ach_indicator"), list(options), format_func=options.get, placeholder=t("choose_one"), key="ind")
                url_state.sync("ind", code, default=next(iter(options), None))
                if code:
                    values = ach.trend(mid, code, start, end)
                    if values.empty:
                        st.caption(t("ach_no_trend"))
                    else:
                        title = t("ach_trend", code=options[code])
                        st.caption(t("ach_trend_help"))
                        ui.show_figure(ach.trend_figure(values, title, ach.baseline(mid, code, start)),
                                       f"{t('ach_trend', code=code)} {mid}", ach.trend_table(values),
                                       key="ach-trend")

                st.subheader(t("ach_results", year=year))
                ui.show_table(ach.results_table(rows[rows["year"] == year]), f"{t('ach_results', year=year)} {mid}",
                              key="ach-results", source=SOURCE, relation="indicator_achievement",
                              row_key=(t("ach_col_code"), "indicator_code"))

            st.subheader(t("ach_rollup", year=year))
            st.caption(t("ach_rollup_help"))
            ui.show_table(ach.rollup_table(ach.rollup(mid, year, markers)), f"{t('ach_rollup', year=year)} {mid}",
                          key="ach-rollup", source=SOURCE, relation="objectives",
                          row_key=(t("ach_col_objective"), "objective_code"))

            st.subheader(t("ach_mismatch"))
            st.caption(t("ach_mismatch_help"))
            wrong = ach.mismatches(mid, markers)
            if wrong.empty:
                st.success(t("ach_no_mismatch"))
            else:
                ui.show_table(ach.mismatch_table(wrong), f"{t('ach_mismatch')} {mid}", key="ach-mismatch",
                              source=SOURCE, relation="indicator_achievement",
                              row_key=(t("ach_col_code"), "indicator_code"))

        st.subheader(t("ach_formulas"))
        st.markdown(t("ach_formula_text"))
        st.latex(t("ach_latex_achievement"))
        st.markdown(t("ach_progress_text"))
        st.latex(t("ach_latex_progress"))
        st.markdown(t("ach_rules_text"))
        ui.report_pack_button(f"achievement-{mid}")
