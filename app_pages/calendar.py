"""Advocacy calendar (guide Q13, Q15, Q20): the dates that matter for a municipality, and an .ics file."""

from datetime import date

import streamlit as st

from app import ui, url_state
from app.i18n import lang, t
from app.views import calendar as cal

if ui.page_setup("calendar_title"):
    mid = ui.select_municipality()
    if mid:
        name = ui.municipalities().set_index("municipality_id").loc[mid, "name"]
        this_year = date.today().year
        years = list(range(this_year - 2, this_year + 4))
        url_state.seed("cy", years)
        st.session_state.setdefault("cy", this_year)
        year = st.sidebar.selectbox(t("cal_year"), years, placeholder=t("choose_one"), key="cy", persist_state="session")
        url_state.sync("cy", year, default=this_year)
        st.caption(t("cal_intro"))
        st.markdown(f"**{t('cal_council')}**", help=t("cal_council_help"))
        c1, c2 = st.columns(2)
        week = c1.selectbox(t("cal_week"), [1, 2, 3, 4, 5], placeholder=t("choose_one"), key="cal-week",
                            format_func=lambda w: {5: "5 / son" if lang() == "tr" else "5 / last"}.get(w, str(w)))
        weekday = c2.selectbox(t("cal_weekday"), cal.WEEKDAYS, placeholder=t("choose_one"), key="cal-weekday",
                               format_func=lambda d: date(2024, 1, 1 + d).strftime("%A") if lang() == "en"
                               else ("Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar")[d])
        evs = cal.events(mid, name, year, lang(), week=week, weekday=weekday)
        st.download_button(t("cal_download"), data=cal.ics_bytes(evs, f"İzlek · {name} · {year}"),
                           file_name=f"{ui.slug(f'izlek {name} {year}')}.ics", mime="text/calendar",
                           key="cal-ics", on_click="ignore", icon=":material/event:", type="primary")
        title = f"{name}: {t('cal_chart', year=year)}"
        ui.show_figure(cal.figure(evs, title, lang()), title, key="cal-chart")
        ui.show_table(cal.table(evs, lang()), title, key="cal-table")
        ui.report_pack_button(f"calendar-{mid}-{year}")
