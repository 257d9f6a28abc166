"""Compare municipalities: 2 to 6 side by side on the same scales — gender budget share, objectives
left out, indicator achievement and gender budget per capita."""

import streamlit as st

from app import i18n, ui, url_state
from app.i18n import lang, t
from app.views import compare as cmp
from app.views import scorecard as sc


def _apply_preset(munis, which: str) -> None:
    # A callback runs before the multiselect is drawn, so it may set the widget's value.
    st.session_state["ms"] = cmp.preset(munis, which)
    st.session_state["_cmp_preset"] = which


def _picker(munis, names: dict[str, str]) -> list[str]:
    """2–6 municipalities out of as many as 1,400: narrow the list by a search and by province and
    kind, then pick; a pick outside the current filter stays picked (and listed)."""
    cols = st.columns(3)
    search = cols[0].text_input(t("cmp_search"), key="cmp-search")
    provinces = sorted(p for p in munis["province"].dropna().unique())
    province = cols[1].selectbox(t("cmp_province"), [None, *provinces], key="cmp-province", placeholder=t("choose_one"),
                                 format_func=lambda p: t("cmp_any") if p is None else p)
    kinds = sorted(k for k in munis["kind"].dropna().unique())
    kind = cols[2].selectbox(t("cmp_kind"), [None, *kinds], key="cmp-kind", placeholder=t("choose_one"),
                             format_func=lambda k: t("cmp_any") if k is None else t(f"cmp_kind_{k}")
                             if f"cmp_kind_{k}" in i18n.TEXTS else k)
    shown = list(cmp.filter_municipalities(munis, search, province, kind)["municipality_id"])
    if search or province or kind:
        st.caption(t("cmp_matches", n=len(shown), total=len(names)))
    picked = st.session_state.get("ms") or cmp.default_selection(munis)
    options = list(dict.fromkeys([*(m for m in picked if m in names), *shown]))
    return st.multiselect(t("cmp_select"), options, format_func=names.get,
                          default=None if "ms" in st.session_state else cmp.default_selection(munis),
                          max_selections=cmp.MAX_SELECTED, placeholder=t("choose_many"), key="ms")


if ui.page_setup("compare_title"):
    munis = cmp.municipalities()
    if len(munis) < cmp.MIN_SELECTED:
        st.info(t("cmp_need_two"))
    else:
        names = dict(zip(munis["municipality_id"], munis["name"], strict=True))
        st.caption(t("cmp_preset"))
        buttons = st.container(horizontal=True)
        for which in cmp.PRESETS:
            buttons.button(t(f"cmp_preset_{which}"), key=f"cmp-preset-{which}", on_click=_apply_preset,
                           args=(munis, which), width="content")
        url_state.seed("ms", list(names), multi=True)
        if "ms" in st.session_state:
            st.session_state["ms"] = [m for m in st.session_state["ms"] if m in names][: cmp.MAX_SELECTED]
        selected = _picker(munis, names)
        url_state.sync("ms", list(selected), default=cmp.default_selection(munis))
        ui.set_context(municipality=", ".join(names[m] for m in selected) or None)
        which = st.session_state.pop("_cmp_preset", None)
        if which and cmp.preset_size(munis, which) > cmp.MAX_SELECTED:
            st.caption(t("cmp_preset_truncated", n=cmp.preset_size(munis, which), max=cmp.MAX_SELECTED))

        problem = cmp.validate(selected)
        if problem:
            st.warning(t(problem))
            if which and which != "all" and cmp.preset_size(munis, which) < cmp.MIN_SELECTED:
                st.caption(t("cmp_too_few_kind", n=cmp.preset_size(munis, which)))
        else:
            st.caption(t("cmp_same_scale"))
            if cmp.mixed_kinds(munis, selected):
                st.caption(t("cmp_mixed_kinds"))
            ui.show_table(cmp.summary_table(cmp.summary(selected)), t("cmp_summary"), key="cmp-summary")

            st.subheader(t("scorecard_title"), help=t("sc_ranking_help"))
            ui.show_table(sc.ranking_table(sc.ranking(selected), lang()), t("scorecard_title"), key="cmp-scorecard",
                          column_config={c: st.column_config.NumberColumn(format="%.1f %%")
                                         for c in (t("sc_col_share"), t("sc_col_principal"), t("sc_col_significant"))})

            shares = cmp.gender_share(selected)
            st.subheader(t("cmp_share"))
            st.caption(t("cmp_share_help") + " " + t("cmp_share_median", n=cmp.PEER_MIN))
            if shares.empty:
                st.info(t("cmp_no_data_chart"))
            else:
                ui.show_figure(cmp.share_figure(shares), t("cmp_share"), cmp.share_table(shares), key="cmp-share")

            left_out = cmp.left_out_rate(selected)
            st.subheader(t("cmp_left_out"))
            st.caption(t("cmp_left_out_help"))
            if left_out.empty:
                st.info(t("cmp_no_data_chart"))
            else:
                ui.show_figure(cmp.left_out_figure(left_out), t("cmp_left_out"), cmp.left_out_table(left_out),
                               key="cmp-left-out")

            years = cmp.achievement_years(selected)
            year = ui.select_year(years, label_key="ach_report_year")
            st.subheader(t("cmp_status", year=year or "–"))
            st.caption(t("cmp_status_help"))
            status = cmp.status_distribution(selected, year) if year else None
            if status is None or status.empty:
                st.info(t("cmp_no_data_chart"))
            else:
                absent = [names[m] for m in selected if m not in set(status["municipality_id"])]
                if absent:
                    st.caption(t("cmp_status_missing", year=year, names=ui.md_escape(", ".join(absent))))
                ui.show_figure(cmp.status_figure(status, year), t("cmp_status", year=year), cmp.status_table(status),
                               key="cmp-status")

            st.subheader(t("cmp_per_capita"))
            st.caption(t("cmp_per_capita_help", base=cmp.price_base_year(shares)))
            no_population = cmp.missing_population(selected)
            if no_population:
                st.warning(t("cmp_no_population", names=ui.md_escape(", ".join(no_population))))
            per_capita = shares.dropna(subset=["principal_real_per_capita", "significant_real_per_capita"],
                                       how="all")
            if per_capita.empty:
                st.info(t("cmp_no_data_chart"))
            else:
                ui.show_figure(cmp.per_capita_figure(per_capita), t("cmp_per_capita"),
                               cmp.per_capita_table(per_capita), key="cmp-per-capita")
        ui.report_pack_button("compare-" + "-".join(selected))
