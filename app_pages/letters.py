"""Documents ready to send (DOCX, Turkish or English): the left-out letter, a bilgi edinme request
under Law 4982 and a cooperation offer, with the sender's details typed on the page."""

import streamlit as st

from app import ui
from app.i18n import LANGS, lang, t
from app.views import left_out as lo_view
from app.views import letters as lt

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(make, stem: str, key: str) -> None:
    st.download_button(t("lt_download"), data=make, file_name=f"{ui.slug(stem)}.docx", mime=DOCX_MIME,
                       key=key, on_click="ignore", icon=":material/download:", type="primary")


if ui.page_setup("letters_title"):
    mid = ui.select_municipality()
    if mid:
        name = ui.municipalities().set_index("municipality_id").loc[mid, "name"]
        st.caption(t("lt_intro"))
        st.session_state.setdefault("lt-kind", lt.KINDS[0])
        st.session_state.setdefault("lt-lang", lang())
        kind = st.segmented_control(t("lt_kind"), lt.KINDS, format_func=lambda k: t(f"lt_kind_{k}"),
                                    key="lt-kind", required=True)
        doc_lang = st.segmented_control(t("lt_doc_lang"), list(LANGS), format_func=LANGS.get, key="lt-lang",
                                        required=True)
        with st.expander(t("lt_sender"), expanded=True):
            c1, c2 = st.columns(2)
            sender = lt.Sender(
                organisation=c1.text_input(t("lt_org"), key="lt-org"),
                signatory=c2.text_input(t("lt_signatory"), key="lt-signatory"),
                address=c1.text_input(t("lt_address"), key="lt-address"),
                contact=c2.text_input(t("lt_contact"), key="lt-contact"),
                date=c1.date_input(t("lt_date"), key="lt-date", format="DD.MM.YYYY").strftime("%d.%m.%Y"))

        if kind == "left_out":
            years = lo_view.program_years(mid)
            year = ui.select_year(years) if years else None
            options = lt.left_out_options(mid, year) if year else None
            if options is None or options.empty:
                st.info(t("lt_no_left_out", year=year or "–"))
            else:
                rows = options.to_dict("records")
                i = st.selectbox(t("lt_objective"), range(len(rows)), placeholder=t("choose_one"), key="lt-lo-objective",
                                 format_func=lambda i: f"{rows[i]['objective_code']} · {rows[i]['objective_title']} "
                                                       f"({rows[i]['marker_label']})")
                with st.expander(t("lt_preview")):
                    st.text(lo_view.letter(rows[i], name, year, doc_lang, lo_view.women_units(mid)))
                _download(lambda: lt.left_out_docx(rows[i], name, mid, year, sender, doc_lang),
                          f"{name} {year} {rows[i]['objective_code']} {t('lt_kind_left_out')}", "lt-dl-left-out")
        elif kind == "info_request":
            years = lo_view.program_years(mid)
            year = ui.select_year(years) if years else None
            acts = lt.gender_activities(mid, year) if year else None
            if acts is None or acts.empty:
                st.info(t("lt_no_activities", year=year or "–"))
            else:
                labels = dict(zip(acts["activity_id"], acts["activity_name"], strict=True))
                chosen = st.multiselect(t("lt_activities", n=lt.MAX_ACTIVITIES), list(labels),
                                        default=list(labels)[: min(5, lt.MAX_ACTIVITIES)], format_func=labels.get,
                                        max_selections=lt.MAX_ACTIVITIES, placeholder=t("choose_many"), key="lt-activities")
                picked = acts[acts["activity_id"].isin(chosen)]
                st.dataframe(picked.drop(columns=["activity_id"]), hide_index=True, key="lt-activities-table")
                if not picked.empty:
                    _download(lambda: lt.info_request_docx(picked, name, year, sender, doc_lang),
                              f"{name} {year} {t('lt_kind_info_request')}", "lt-dl-info")
        else:
            objs = lt.objectives(mid)
            if objs.empty:
                st.info(t("lt_no_objectives"))
            else:
                rows = objs.to_dict("records")
                i = st.selectbox(t("lt_objective"), range(len(rows)), placeholder=t("choose_one"), key="lt-co-objective",
                                 format_func=lambda i: f"{rows[i]['objective_code']} · {rows[i]['objective_title']}")
                offer = st.text_area(t("lt_offer"), placeholder=t("lt_default_offer"), key="lt-offer")
                inds = lt.objective_indicators(mid, int(rows[i]["plan_start"]), rows[i]["objective_code"])
                st.dataframe(inds, hide_index=True, key="lt-indicators")
                _download(lambda: lt.cooperation_docx(rows[i], inds, name, offer, sender, doc_lang),
                          f"{name} {rows[i]['objective_code']} {t('lt_kind_cooperation')}", "lt-dl-coop")
