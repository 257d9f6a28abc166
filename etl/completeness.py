"""Did we read everything a document promises? Counts the document itself gives, compared.

A strategic plan's goal list names its objectives, a program's İdare Performans Tablosu
names its performance goals and prints their money, a report's budget table names its
economic codes. Each shortfall is a sentence a person can act on; any shortfall makes the
document ``partial`` (``ok`` means everything it promises was read).
"""

from __future__ import annotations


def page_ranges(pages: list[int]) -> str:
    """"12–14, 17" for [12, 13, 14, 17]."""
    out: list[str] = []
    for p in sorted(set(pages)):
        if out and out[-1].split("–")[-1].isdigit() and int(out[-1].split("–")[-1]) == p - 1:
            out[-1] = out[-1].split("–")[0] + f"–{p}"
        else:
            out.append(str(p))
    return ", ".join(out)


def promises_economic_table(page_texts: list[str]) -> bool:
    """The document announces a table by economic code (layouts/vocabulary.toml [promises])."""
    from etl.layout import vocabulary
    from etl.turkish import casefold_tr

    terms = [casefold_tr(t) for t in vocabulary()["promises"]["economic_table"]]
    return any(t in casefold_tr(text) for text in page_texts for t in terms)


def shortfalls(doc_type: str, records: dict, issues: list[dict], economic_promised: bool = True) -> list[str]:
    """What the document promises but was not read, one sentence each."""
    out: list[str] = []
    checks = [i for i in issues if i["severity"] in ("warning", "error")]

    def pages_of(check: str) -> list[int]:
        return [i["source_page"] for i in checks if i["check_name"] == check and i["source_page"]]

    if doc_type == "strategic_plan":
        empty = pages_of("scorecard_without_indicators")
        if empty:
            out.append(f"{len(empty)} scorecards have no indicator rows read (page {page_ranges(empty)})")
        if pages_of("scorecard_without_objective"):
            out.append(f"scorecards without a readable Hedef code on page {page_ranges(pages_of('scorecard_without_objective'))}")
    elif doc_type == "performance_program":
        goals = {g["performance_goal_code"] for g in records.get("performance_goals", []) if g.get("performance_goal_code")}
        with_activities = {a.get("performance_goal_code") for a in records.get("activities", [])}
        missing = sorted(goals - with_activities, key=_code_order)
        if goals and missing:
            out.append(f"{len(missing)} of {len(goals)} performance goals have no activities read: "
                       f"{', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}")
        if economic_promised and not records.get("budget_lines"):
            out.append("no Toplam Kaynak İhtiyacı table by economic code was read")
        uncoded = pages_of("indicator_without_code")
        if uncoded:
            out.append(f"indicator rows without a readable code on page {page_ranges(uncoded)}")
    elif doc_type == "activity_report" and economic_promised and not records.get("budget_lines"):
        out.append("no budget table by economic code (Bütçe Giderleri) was read")
    unparsed = pages_of("unparsed_number")
    if unparsed:
        out.append(f"{len(unparsed)} figures could not be read as numbers (page {page_ranges(unparsed)}; "
                   "see validation_issues for the cells)")
    unread = pages_of("total_not_read")
    if unread:
        out.append(f"{len(unread)} tables have no total line read, so their sums could not be checked "
                   f"(page {page_ranges(unread)})")
    return out


def _code_order(code: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in code[2:].split("."))


def checked_shortfalls(issues: list[dict]) -> list[str]:
    """What the warehouse-wide checks (etl.checks) found a document did not give in full.

    Indicator weights of an objective that do not add up to 100 % mean an indicator row or its
    weight was not read (or the plan misprints them): either way a person must look.
    """
    weights = [i for i in issues if i["check_name"] == "indicator_weights"]
    if not weights:
        return []
    codes = [i.get("subject") or "?" for i in weights]
    pages = [i["source_page"] for i in weights if i.get("source_page")]
    return [f"the indicator weights of {len(weights)} objectives do not add up to 100 % "
            f"({', '.join(codes[:6])}{' …' if len(codes) > 6 else ''}"
            f"{'; page ' + page_ranges(pages) if pages else ''}): an indicator row or its weight was not read"]
