"""The advocacy calendar: its dates, and the .ics file read back with icalendar."""

from __future__ import annotations

import json
from datetime import date, timedelta

import icalendar
import pytest

from app.views import calendar as cal
from tests.conftest import run_page


def test_council_day_and_working_days():
    assert cal.council_day(2026, 6, 1, 0) == date(2026, 6, 1)  # first Monday of June 2026
    assert cal.council_day(2026, 6, 5, 4) == date(2026, 6, 26)  # last Friday
    assert cal.working_days_after(date(2026, 6, 5), 1) == date(2026, 6, 8)  # Friday → Monday
    assert cal.working_days_after(date(2026, 6, 1), 5) == date(2026, 6, 8)


def test_events_of_an_election_year(sample_warehouse):
    evs = cal.events("ilginkoy", "Ilgınköy Belediyesi", 2024, "tr", week=2, weekday=1)
    kinds = [e.kind for e in evs]
    assert kinds.count("committee") == 12 and kinds.count("sp_preparation") == 1
    sp = next(e for e in evs if e.kind == "sp_preparation")
    assert (sp.start, sp.end) == (date(2024, 4, 1), date(2024, 9, 30))  # six months after 31.03.2024
    pp = next(e for e in evs if e.kind == "pp_published")
    assert (pp.start, pp.end) == (date(2024, 1, 1), date(2024, 1, 31))
    assert "2024 programı 3 hedefi dışarıda bıraktı" in pp.description  # from left_out_objectives
    prep = next(e for e in evs if e.kind == "pp_preparation")
    assert (prep.start, prep.end) == (date(2024, 5, 1), date(2024, 6, 30)) and "2025" in prep.summary
    june = next(e for e in evs if e.kind == "committee" and e.start.month == 6)
    assert (june.start, june.end) == (date(2024, 6, 12), date(2024, 6, 18))  # after Tuesday 11 June
    assert not any(e.kind == "sp_preparation" for e in cal.events("ilginkoy", "I", 2026, "en"))


def test_ics_parses_with_icalendar(sample_warehouse):
    evs = cal.events("ilginkoy", "Ilgınköy Belediyesi; \"test\", \\ x", 2029, "en")
    blob = cal.ics_bytes(evs, "İzlek · Ilgınköy · 2029")
    assert all(len(line.encode()) <= 75 for line in blob.decode().split("\r\n"))
    parsed = icalendar.Calendar.from_ical(blob)
    vevents = list(parsed.walk("VEVENT"))
    assert len(vevents) == len(evs)
    for ev, vev in zip(evs, vevents, strict=True):
        assert vev.decoded("DTSTART") == ev.start
        assert vev.decoded("DTEND") == ev.end + timedelta(days=1)  # exclusive end of an all-day event
        assert str(vev["SUMMARY"]) == ev.summary and str(vev["DESCRIPTION"]) == ev.description
    assert len({str(v["UID"]) for v in vevents}) == len(vevents)
    sp = next(v for v in vevents if "strategic plan" in str(v["SUMMARY"]))
    assert sp.decoded("DTSTART") == date(2029, 4, 1) and "expected" in str(sp["SUMMARY"])


def test_calendar_page(sample_warehouse):
    at = run_page("calendar.py", {"cy": "2024"})
    at.sidebar.selectbox(key="m").select("ilginkoy").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == 12 + 4 and table["Başlangıç"].is_monotonic_increasing
    assert any(b.key == "cal-ics" for b in at.get("download_button"))


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_timeline_months_in_the_language(sample_warehouse, lang):
    """Plotly named the date axis' months in English on the Turkish page ("Jan 2026", "Mar 2026"):
    the chart the page sends has its own quarter ticks, named in the chosen language."""
    at = run_page("calendar.py", {"cy": "2026", "m": "ilginkoy", "lang": lang})
    assert not at.exception, at.exception
    xaxis = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["xaxis"]
    assert xaxis["tickmode"] == "array"
    assert xaxis["ticktext"][:4] == {"tr": ["Oca 2026", "Nis", "Tem", "Eki"],
                                     "en": ["Jan 2026", "Apr", "Jul", "Oct"]}[lang]
    assert xaxis["tickvals"][:4] == ["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"]
    if lang == "tr":
        assert not {t.split()[0] for t in xaxis["ticktext"]} & set(cal.MONTHS["en"]) - set(cal.MONTHS["tr"])
