"""Budget: the municipality's whole budget by economic code — program, appropriation, spent, execution."""

import streamlit as st

from app import ui
from app.i18n import fmt_money, fmt_pct, t
from app.views import budget as bud
from app.views.gender_budget import fmt_amount, separators

if ui.page_setup("budget_title"):
    mid = ui.select_municipality()
    years = bud.years(mid) if mid else []
    if mid and not years:
        st.info(t("bud_none"))
    elif mid:
        # Opens on the latest year with spending (the current year has only its program yet).
        totals = bud.by_year(mid)
        spent_years = totals.loc[totals["spent"].notna(), "year"]
        year = ui.select_year(years, default=int(spent_years.max()) if len(spent_years) else None)
        who = ui.context_label()
        st.markdown(t("bud_intro"))
        codes = bud.by_code(mid, year)
        c1, c2, c3, c4 = st.columns(4)
        program, appr, spent = bud.totals(codes)
        st.markdown(f"**{year}** · {t('gb_unit_nominal')}")
        c1.metric(t("bud_total_program"), fmt_amount(program, "nominal", compact=True), help=fmt_money(program))
        c2.metric(t("bud_total_appropriation"), fmt_amount(appr, "nominal", compact=True), help=fmt_money(appr))
        c3.metric(t("bud_total_spent"), fmt_amount(spent, "nominal", compact=True), help=fmt_money(spent))
        c4.metric(t("bud_total_rate"), fmt_pct(spent / appr * 100 if appr == appr and appr else None))
        if codes["spent"].isna().all():
            st.caption(t("bud_no_spent", year=year))

        st.subheader(t("bud_by_code", year=year))
        title = f"{ui.context_label().split(' · ')[0]}: {t('bud_by_code', year=year)}"
        ui.show_figure(bud.by_code_figure(codes, title, separators()), title, bud.shown_codes(codes), key="bud-codes")
        ui.show_table(bud.shown_codes(codes), f"{who} {t('bud_table', year=year)}", key="bud-table")

        if not totals.empty:
            st.subheader(t("bud_by_year"))
            title = f"{ui.context_label().split(' · ')[0]}: {t('bud_by_year')}"
            ui.show_figure(bud.by_year_figure(totals, title, separators()), title, totals, key="bud-years")
        st.subheader(t("bud_activities", year=year), help=t("bud_activities_help"))
        acts = bud.activity_spending(mid, year)
        if acts.empty:
            st.caption(t("bud_no_activities", year=year))
        else:
            planned, spent_acts = acts["planned"].sum(min_count=1), acts["spent"].sum(min_count=1)
            st.caption(t("bud_activities_caption", n=len(acts), planned=fmt_money(planned), spent=fmt_money(spent_acts),
                         rate=fmt_pct(spent_acts / planned * 100 if planned == planned and planned else None)))
            shown = acts.assign(relation=[t(f"kind_{'fr_activity_costs' if r == 'activity_results' else 'fr_results'}")
                                          for r in acts["relation"]])
            ui.show_table(shown, f"{who} {t('bud_activities', year=year)}", key="bud-activities",
                          column_config={c: t(f"bud_col_{c}") for c in
                                         ("relation", "performance_goal_code", "activity_name", "planned", "spent",
                                          "published_rate_pct", "source_document", "source_page")})

        st.subheader(t("source"))
        ui.show_table(bud.lines(mid, year), f"{who} {t('source')}", key="bud-lines", relation="budget_lines",
                      row_key="economic_code")
        ui.report_pack_button(f"budget-{mid}-{year}")
