"""Overview: one municipality at a glance — documents, plan periods, headline figures."""

import streamlit as st

from app import brief, ui
from app.i18n import fmt_money, fmt_pct, lang, t
from app.views import overview

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

if ui.page_setup("overview_title"):
    mid = ui.select_municipality()
    if mid:
        head = overview.headline(mid)
        c1, c2, c3 = st.columns(3)
        if head.get("year"):
            c1.metric(t("gender_share_year", year=head["year"]), fmt_pct(head["share"]),
                      help=t("gender_share_help"))
            c2.metric(t("left_out_year", year=head["year"]), head.get("left_out", 0),
                      delta=t("of_which_gender", n=head.get("left_out_gender", 0)), delta_color="off", delta_arrow="off")
            st.caption(t("principal_significant", p=fmt_money(head["principal"]), s=fmt_money(head["significant"])))
        else:
            c1.info(t("no_program"))
        if head.get("ach_year"):
            c3.metric(t("indicators_met_year", year=head["ach_year"]), f"{head['met']} / {head['indicators']}")
        st.subheader(t("plan_periods"))
        ui.show_table(overview.plan_periods(mid), t("plan_periods"), key="periods",
                      column_config=overview.column_labels(t))
        st.subheader(t("documents"))
        ui.show_table(overview.documents(mid), t("documents"), key="docs", column_config=overview.column_labels(t))
        built = overview.freshness().iloc[0]["built"]
        st.caption(t("freshness", when=f"{built:%Y-%m-%d %H:%M}" if built is not None else "–"))
        # The links carry the municipality and language: the next page shows the same one.
        ui.page_link("app_pages/gender_budget.py", label=t("gender_budget_title"), icon=":material/payments:")
        ui.page_link("app_pages/budget.py", label=t("budget_title"), icon=":material/account_balance:")
        ui.page_link("app_pages/left_out.py", label=t("left_out_title"), icon=":material/playlist_remove:")
        ui.page_link("app_pages/achievement.py", label=t("achievement_title"), icon=":material/insights:")
        # The brief is this page on paper (its headline figures, for a program year, with the charts,
        # the left-out objectives, the scorecard and the sources): made on click, one language.
        years = brief.program_years(mid)
        if years:
            st.subheader(t("br_button"), help=t("br_help"))
            row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
            year = row.selectbox(t("br_year"), years, key="brief_y", width=200, placeholder=t("choose_one"))
            language = lang()  # the file is made on click, outside this run: bind the language now
            base = f"izlek-{ui.slug(mid)}-{year}-{language}"
            for fmt, mime in (("docx", DOCX_MIME), ("pdf", "application/pdf")):
                row.download_button(t(f"br_{fmt}"),
                                    data=lambda fmt=fmt, year=year: brief.make(mid, year, fmt, language),
                                    file_name=f"{base}.{fmt}", mime=mime, key=f"dl-brief-{fmt}", on_click="ignore",
                                    icon=":material/description:")
        ui.report_pack_button(f"overview-{mid}")
