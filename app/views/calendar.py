"""The advocacy calendar of a municipality (guide Q13, Q15, Q20), on a page and as an ``.ics`` file.

Dates that matter: the performance program is published in January, the activity report goes to
the council in April, the next program is prepared in May–June, a new strategic plan is prepared in
the six months after local elections, and the council's committees meet within five working days
after the monthly council meeting (whose day the user gives, as councils set it themselves). The
dates are data (``calendar.toml``); the texts are here, in Turkish and English.
"""

from __future__ import annotations

import calendar as _cal
import hashlib
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from app import data, i18n

CALENDAR_PATH = Path(__file__).with_name("calendar.toml")
KINDS = ("pp_published", "fr_council", "pp_preparation", "sp_preparation", "committee")
WEEKDAYS = tuple(range(7))  # Monday = 0
KIND_COLOURS = {"pp_published": "#0072B2", "fr_council": "#E69F00", "pp_preparation": "#009E73",
                "sp_preparation": "#CC79A7", "committee": "#999999"}

# Plotly.js names months in English on a date axis whatever the page's language (Streamlit's
# bundle carries no plotly locale): the axis gets its own ticks, with these names.
MONTHS = {"tr": ("Oca", "Şub", "Mar", "Nis", "May", "Haz", "Tem", "Ağu", "Eyl", "Eki", "Kas", "Ara"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}

TEXTS: dict[str, dict[str, str]] = {
    "cal_intro": {
        "tr": "Belediyenizle çalışırken kaçırılmaması gereken tarihler. Takvim dosyasını (.ics) indirip Google "
              "Takvim, Outlook ya da telefonunuzun takvimine ekleyebilirsiniz.",
        "en": "The dates not to miss when working with your municipality. Download the calendar file (.ics) and "
              "add it to Google Calendar, Outlook or your phone."},
    "cal_year": {"tr": "Takvim yılı", "en": "Calendar year"},
    "cal_council": {"tr": "Meclis toplantı günü", "en": "Council meeting day"},
    "cal_council_help": {
        "tr": "Meclis her ay kendi belirlediği günde toplanır (5393 s. Kanun md. 20). Belediyenizin gününü seçin: "
              "ayın kaçıncı haftası, hangi gün.",
        "en": "The council meets monthly on a day it sets itself (Law 5393 art. 20). Pick your municipality's: "
              "which week of the month, which weekday."},
    "cal_week": {"tr": "Ayın haftası", "en": "Week of the month"},
    "cal_weekday": {"tr": "Gün", "en": "Weekday"},
    "cal_download": {"tr": "Takvim dosyası (.ics) indir", "en": "Download calendar (.ics)"},
    "cal_col_start": {"tr": "Başlangıç", "en": "From"},
    "cal_col_end": {"tr": "Bitiş", "en": "To"},
    "cal_col_what": {"tr": "Ne", "en": "What"},
    "cal_col_todo": {"tr": "Ne yapmalı", "en": "What to do"},
    "cal_chart": {"tr": "{year} savunuculuk takvimi", "en": "{year} advocacy calendar"},
    "cal_kind_pp_published": {"tr": "Performans programı yayımlanır", "en": "Performance program published"},
    "cal_kind_fr_council": {"tr": "Faaliyet raporu meclise sunulur", "en": "Activity report to the council"},
    "cal_kind_pp_preparation": {"tr": "Gelecek yılın programı hazırlanır", "en": "Next year's program prepared"},
    "cal_kind_sp_preparation": {"tr": "Yeni stratejik plan hazırlanır", "en": "New strategic plan prepared"},
    "cal_kind_committee": {"tr": "Meclis komisyonları", "en": "Council committees"},
    "cal_pp_published": {"tr": "{name}: {year} Performans Programı yayımlanır",
                         "en": "{name}: {year} Performance Program published"},
    "cal_pp_published_todo": {
        "tr": "Programın yayımlandığını kontrol edin; cinsiyet bütçe payına ve programa alınmayan hedeflere "
              "bakın (İzlek: Toplumsal cinsiyet bütçesi, Programa alınmayan hedefler).{extra}",
        "en": "Check that the program is out; look at the gender budget share and the objectives left out "
              "(İzlek: Gender budget, Objectives left out).{extra}"},
    "cal_pp_extra": {"tr": " {year} programı {n} hedefi dışarıda bıraktı ({g} tanesi cinsiyetle ilgili).",
                     "en": " The {year} program left out {n} objectives ({g} gender-related)."},
    "cal_fr_council": {"tr": "{name}: {year} Faaliyet Raporu meclise sunulur",
                       "en": "{name}: {year} Activity Report goes to the council"},
    "cal_fr_council_todo": {
        "tr": "Gösterge hedeflerinin tutturulup tutturulmadığına ve bütçenin nasıl harcandığına bakın; "
              "cinsiyetle ilgili faaliyetler için bilgi edinme başvurusu yapın (4982).",
        "en": "See whether the indicator targets were met and how the budget was spent; send an information "
              "request on the gender-related activities (Law 4982)."},
    "cal_pp_preparation": {"tr": "{name}: {year} Performans Programı hazırlanıyor",
                           "en": "{name}: the {year} Performance Program is being prepared"},
    "cal_pp_preparation_todo": {
        "tr": "Cinsiyete göre ayrıştırılmış gösterge önerilerini ve programa alınmayan hedefleri sorumlu "
              "müdürlüklere götürün (İzlek: Gösterge önerileri, Gönderilecek belgeler).",
        "en": "Take the sex-disaggregated indicator proposals and the left-out objectives to the directorates "
              "(İzlek: Indicator proposals, Documents to send)."},
    "cal_sp_preparation": {"tr": "{name}: yeni stratejik plan hazırlanıyor ({when} yerel seçimlerinden sonra)",
                           "en": "{name}: the new strategic plan is being prepared (after the {when} local elections)"},
    "cal_sp_preparation_todo": {
        "tr": "Katılım ve paydaş toplantılarına katılın; kadın örgütlerinin paydaş olarak yer almasını, bir "
              "eşitlik hedefi ve cinsiyete göre ayrıştırılmış göstergeler konmasını isteyin.",
        "en": "Take part in the participation and stakeholder meetings; ask that women's organisations be "
              "consulted, and for an equality objective and sex-disaggregated indicators."},
    "cal_expected": {"tr": "{month} (beklenen)", "en": "{month} (expected)"},
    "cal_committee": {"tr": "{name}: meclis komisyonları toplanır", "en": "{name}: council committees meet"},
    "cal_committee_todo": {
        "tr": "Meclis toplantısı {meeting}; komisyonlar sonraki {n} iş günü içinde toplanır. Kadın Erkek "
              "Eşitliği Komisyonunun gündemine konu önerin.",
        "en": "Council meeting {meeting}; the committees meet within the next {n} working days. Propose an "
              "item for the Equality Committee's agenda."},
}
i18n.register(TEXTS)


@dataclass(frozen=True)
class Event:
    """One calendar entry: all-day, from ``start`` to ``end`` inclusive."""

    kind: str
    start: date
    end: date
    summary: str
    description: str
    uid: str


def _tr(lang: str):
    def tr(key: str, **fmt: object) -> str:
        entry = i18n.TEXTS[key]
        return entry.get(lang, entry["tr"]).format(**fmt)
    return tr


def settings(path: Path = CALENDAR_PATH) -> dict:
    """calendar.toml: local elections, months to prepare the plan, committee working days."""
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def council_day(year: int, month: int, week: int, weekday: int) -> date:
    """The ``week``-th (1–4, or 5 = last) ``weekday`` of the month."""
    days = [d for d in _cal.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[-1] if week >= 5 or week > len(days) else days[week - 1]


def working_days_after(day: date, n: int) -> date:
    """The n-th working day (Monday–Friday) after ``day`` (public holidays are not known here)."""
    d, left = day, n
    while left:
        d += timedelta(days=1)
        left -= d.weekday() < 5
    return d


def _month_end(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, _cal.monthrange(y, m)[1]))


def _left_out_counts(mid: str, year: int) -> tuple[int, int] | None:
    df = data.query("select count(*) as n, count(*) filter (where gender_marker >= 1) as g from left_out_objectives "
                    "where municipality_id = ? and year = ?", [mid, year])
    n, g = int(df["n"].iloc[0]), int(df["g"].iloc[0])
    return (n, g) if n else None


def events(mid: str, name: str, year: int, lang: str, week: int = 1, weekday: int = 0,
           conf: dict | None = None) -> list[Event]:
    """The year's dates for one municipality, in ``lang``, sorted by start."""
    tr = _tr(lang)
    conf = conf or settings()

    def ev(kind: str, start: date, end: date, summary: str, todo: str) -> Event:
        uid = hashlib.sha1(f"{mid}|{kind}|{start.isoformat()}".encode()).hexdigest()[:20] + "@izlek"
        return Event(kind, start, end, summary, todo, uid)

    counts = _left_out_counts(mid, year)
    extra = tr("cal_pp_extra", year=year, n=counts[0], g=counts[1]) if counts else ""
    out = [
        ev("pp_published", date(year, 1, 1), date(year, 1, 31), tr("cal_pp_published", name=name, year=year),
           tr("cal_pp_published_todo", extra=extra)),
        ev("fr_council", date(year, 4, 1), date(year, 4, 30), tr("cal_fr_council", name=name, year=year - 1),
           tr("cal_fr_council_todo")),
        ev("pp_preparation", date(year, 5, 1), date(year, 6, 30), tr("cal_pp_preparation", name=name, year=year + 1),
           tr("cal_pp_preparation_todo")),
    ]
    months = int(conf.get("sp_months_after_election", 6))
    for e in conf.get("local_elections", []):
        held: date = e["date"]
        if e.get("expected"):
            held = _month_end(held.year, held.month)  # only the month is known: count from its end
        start, end = held + timedelta(days=1), _add_months(held, months)
        if start.year <= year <= end.year:
            when = (tr("cal_expected", month=held.strftime("%m.%Y")) if e.get("expected")
                    else held.strftime("%d.%m.%Y"))
            out.append(ev("sp_preparation", max(start, date(year, 1, 1)), min(end, date(year, 12, 31)),
                          tr("cal_sp_preparation", name=name, when=when), tr("cal_sp_preparation_todo")))
    n = int(conf.get("committee_working_days", 5))
    for month in range(1, 13):
        meeting = council_day(year, month, week, weekday)
        out.append(ev("committee", working_days_after(meeting, 1), working_days_after(meeting, n),
                      tr("cal_committee", name=name),
                      tr("cal_committee_todo", meeting=meeting.strftime("%d.%m.%Y"), n=n)))
    return sorted(out, key=lambda e: (e.start, KINDS.index(e.kind)))


def table(evs: list[Event], lang: str) -> pd.DataFrame:
    tr = _tr(lang)
    return pd.DataFrame({tr("cal_col_start"): [e.start for e in evs], tr("cal_col_end"): [e.end for e in evs],
                         tr("cal_col_what"): [e.summary for e in evs], tr("cal_col_todo"): [e.description for e in evs]})


def figure(evs: list[Event], title: str, lang: str) -> go.Figure:
    """A timeline: one row per kind of date, a bar per entry."""
    tr = _tr(lang)
    fig = go.Figure()
    for kind in KINDS:
        mine = [e for e in evs if e.kind == kind]
        if not mine:
            continue
        label = tr(f"cal_kind_{kind}")
        fig.add_bar(y=[label] * len(mine), x=[(e.end - e.start).days * 86_400_000 + 86_400_000 for e in mine],
                    base=[e.start.isoformat() for e in mine], orientation="h", name=label,
                    marker_color=KIND_COLOURS[kind], customdata=[[e.summary] for e in mine],
                    hovertemplate="%{customdata[0]}<extra></extra>")
    tickvals, ticktext = month_ticks(evs, lang)
    fig.update_layout(title=title, xaxis={"type": "date", "tickmode": "array", "tickvals": tickvals,
                                          "ticktext": ticktext},
                      yaxis={"autorange": "reversed"}, showlegend=False, barmode="overlay", height=360)
    return fig


def month_ticks(evs: list[Event], lang: str, step: int = 3) -> tuple[list[str], list[str]]:
    """Ticks on the first day of every ``step``-th month (January, April…) the entries span, named
    in the language: "Oca 2026", "Nis", "Tem", "Eki", "Oca 2027" (the year at the first tick and
    at each January). Quarters, so that the names fit side by side at phone width too."""
    if not evs:
        return [], []
    first, last = min(e.start for e in evs), max(e.end for e in evs)
    tick = date(first.year, (first.month - 1) // step * step + 1, 1)
    vals, texts = [], []
    while tick <= last:
        name = MONTHS[lang][tick.month - 1]
        texts.append(f"{name} {tick.year}" if not vals or tick.month == 1 else name)
        vals.append(tick.isoformat())
        tick = _add_months(tick, step)
    return vals, texts


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 line folding: at most 75 octets per line, continuation lines start with a space."""
    out, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > (75 if not out else 74):
            out.append(cur.decode("utf-8"))
            cur = b""
        cur += b
    out.append(cur.decode("utf-8"))
    return "\r\n ".join(out)


def ics_bytes(evs: list[Event], calendar_name: str, now: datetime | None = None) -> bytes:
    """An iCalendar (RFC 5545) file with one all-day VEVENT per entry."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//İzlek//Advocacy calendar//TR", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text(calendar_name)}"]
    for e in evs:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{e.start:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{e.end + timedelta(days=1):%Y%m%d}",  # DTEND of an all-day event is exclusive
                  f"SUMMARY:{_ics_text(e.summary)}", f"DESCRIPTION:{_ics_text(e.description)}",
                  f"CATEGORIES:{e.kind}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
