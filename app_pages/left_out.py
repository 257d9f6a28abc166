"""Objectives left out: SP objectives missing from a year's program, whom to contact, a letter text."""

import hashlib

import pandas as pd
import streamlit as st

from app import ui
from app.i18n import lang, t
from app.views import left_out as lo_view

NUMBER = st.column_config.NumberColumn

if ui.page_setup("left_out_title"):
    mid = ui.select_municipality()
    years = lo_view.program_years(mid) if mid else []
    if mid and not years:
        st.info(t("no_program"))
    elif mid:
        year = ui.select_year(years)
        name = ui.municipalities().set_index("municipality_id").loc[mid, "name"]
        cov = lo_view.coverage(mid, year)
        if cov.empty:
            st.info(t("lo_no_plan", year=year))
        else:
            st.markdown(t("lo_intro", year=year))
            missing = lo_view.left_out(mid, year)
            markers = missing["gender_marker"].fillna(0)
            c1, c2, c3, c4 = st.columns(4)
            c1.metric(t("lo_metric_left_out"), len(missing))
            c2.metric(t("lo_metric_principal"), int((markers == 2).sum()))
            c3.metric(t("lo_metric_significant"), int((markers == 1).sum()))
            c4.metric(t("lo_metric_covered"), f"{int(cov['covered'].sum())} / {len(cov)}")

            if missing.empty:
                st.success(t("lo_none", year=year))
            women = lo_view.women_units(mid)
            letters = []
            for obj, marker in zip(missing.to_dict("records"), markers.astype(int), strict=True):
                # Document text in a Markdown label: escaped, so "*", "[x](…)" or "<b>" show as written.
                label = ui.md_escape(f"{obj['objective_code']} · {obj['objective_title']} — {obj['marker_label']}")
                with st.expander(label, expanded=marker > 0,
                                 icon=":material/flag:" if marker > 0 else ":material/radio_button_unchecked:"):
                    st.markdown(f"**{t('lo_contacts')}**")
                    st.markdown("\n".join(f"- {ui.md_escape(c)}"
                                          for c in lo_view.contacts(obj["responsible_unit"], women, lang())))
                    letter = lo_view.letter(obj, name, year, lang(), women)
                    letters.append({"objective_code": obj["objective_code"], "letter": letter})
                    # A text area, not st.code: st.code's copy button made the browser load and run
                    # Streamlit's code highlighter (1.5 MB; +0.6 s to a cold first render, bench/README.md). The text
                    # stays data (a widget's value, never Markdown); the reader selects it or edits
                    # it before copying (no rerun: on_change="ignore"), or downloads it as a .txt.
                    # The key names the letter's text, so a new year or language shows the new one.
                    digest = hashlib.sha1(letter.encode("utf-8")).hexdigest()[:10]
                    st.text_area(t("lo_letter"), letter, height="content", on_change="ignore",
                                 key=f"lo-letter-{obj['objective_code']}-{digest}")
                    st.download_button(t("lo_letter_download"), letter.encode("utf-8"),
                                       file_name=f"{ui.slug(name)}-{year}-{ui.slug(obj['objective_code'])}.txt",
                                       mime="text/plain", on_click="ignore", icon=":material/download:",
                                       key=f"lo-letter-file-{obj['objective_code']}-{digest}")
            if letters:  # the report pack carries the letters too
                ui.pack_table(pd.DataFrame(letters), t("lo_letters_sheet", year=year),
                              {"objective_code": t("lo_col_objective"), "letter": t("lo_letter")})

            st.subheader(t("lo_table", year=year))
            ui.show_table(missing, f"{name} {t('lo_table', year=year)}", key="lo-missing", relation="objectives",
                          row_key="objective_code", column_config={
                "objective_code": t("lo_col_objective"), "printed_code": t("lo_col_printed_code"),
                "objective_title": st.column_config.TextColumn(t("lo_col_objective_title"), width="large"),
                "responsible_unit": t("lo_col_responsible_unit"), "gender_marker": NUMBER(t("lo_col_marker"), format="%d"),
                "marker_label": t("lo_col_marker_label"), "plan_start": NUMBER(t("lo_col_plan"), format="%d"),
                "plan_end": None, "source_document": t("lo_col_source_document"),
                "source_page": NUMBER(t("lo_col_source_page"), format="%d")})

            counts = lo_view.by_year(mid)
            if not counts.empty:
                st.subheader(t("lo_by_year"))
                title = f"{name}: {t('lo_by_year')}"
                ui.show_figure(lo_view.by_year_figure(counts, title), title, counts, key="lo-years")

            st.subheader(t("lo_coverage", year=year), help=t("lo_coverage_help"))
            ui.show_table(cov, f"{name} {t('lo_coverage', year=year)}", key="lo-coverage", column_config={
                "objective_code": t("lo_col_objective"),
                "objective_title": st.column_config.TextColumn(t("lo_col_objective_title"), width="large"),
                "responsible_unit": t("lo_col_responsible_unit"), "gender_marker": NUMBER(t("lo_col_marker"), format="%d"),
                "covered": st.column_config.CheckboxColumn(t("lo_col_covered")), "matched_how": t("lo_col_matched_how"),
                "confidence": st.column_config.ProgressColumn(t("lo_col_confidence"), min_value=0.0, max_value=1.0,
                                                              format="%.2f"),
                "matched_by": t("lo_col_matched_by"), "plan_start": NUMBER(t("lo_col_plan"), format="%d"),
                "plan_end": None})
        ui.report_pack_button(f"left-out-{mid}-{year}")
