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
        st.subheader(t("source"))
        ui.show_table(bud.lines(mid, year), f"{who} {t('source')}", key="bud-lines", relation="budget_lines",
                      row_key="economic_code")
        ui.report_pack_button(f"budget-{mid}-{year}")
