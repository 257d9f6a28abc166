"""Stable, content-based ids for items that have no printed key of their own (activities).

An activity used to be ``<municipality>:<year>:<PH>:<n>`` — its position in the table — so
one activity inserted in a re-issued program moved every later id, and every override keyed
by those ids silently applied to a different activity. Now the id is made of what the
activity *is*: the year, its performance goal and its normalised name, or its printed code
when the table prints no name::

    altinsogut:2024:PH1.2:kadin-danisma-merkezinin-kurulmasi
    altinsogut:2024:PH1.2:kod-1-2-3

The name comes first because programs number activities 1, 2, 3… within a goal: a printed
code is then a position again, and shifts when one activity is inserted.

Two activities with the same name under the same goal get ``~2``, ``~3`` in table order
(:func:`dedupe`). :func:`migrate_overrides` rewrites an overrides file keyed by the old
positional ids once, using the warehouse those ids came from.
"""

from __future__ import annotations

import hashlib
import re

from etl.turkish import casefold_tr

_ASCII = str.maketrans("çğıöşüâîûéè", "cgiosuaiuee")
MAX_SLUG = 60
# The old positional form: <municipality>:<year>:<performance goal>:<n>.
POSITIONAL = re.compile(r"^(?P<mid>[^:]+):(?P<year>\d{4}):(?P<ph>[^:]+):(?P<n>\d+)$")


def slug(text: str | None) -> str:
    """Lower-case ASCII words joined by ``-`` (Turkish letters folded); long names end in a short hash."""
    folded = casefold_tr(str(text or "")).translate(_ASCII)
    words = re.findall(r"[a-z0-9]+", folded)
    full = "-".join(words)
    if len(full) <= MAX_SLUG:
        return full
    digest = hashlib.sha1(full.encode()).hexdigest()[:6]
    return full[:MAX_SLUG].rstrip("-") + "-" + digest


def activity_id(municipality_id: str, year: int | None, performance_goal_code: str | None,
                printed_code: str | None, name: str | None) -> str:
    """``<municipality>:<year>:<PH>:<slug of the name>``, else ``…:kod-<printed code>``."""
    ph = (performance_goal_code or "PH?").strip()
    code = slug(printed_code)
    key = slug(name) or (f"kod-{code}" if code else "adsiz")
    return f"{municipality_id}:{year}:{ph}:{key}"


def dedupe(rows: list[dict], field: str = "activity_id") -> None:
    """Make ``field`` unique in place: the second and later holders of an id get ``~2``, ``~3``…"""
    seen: dict[str, int] = {}
    for r in rows:
        base = r.get(field)
        if base is None:
            continue
        n = seen.get(base, 0) + 1
        seen[base] = n
        if n > 1:
            r[field] = f"{base}~{n}"


def is_positional(item_key: str) -> bool:
    """Whether ``item_key`` has the old positional form (ends in a bare counter)."""
    return POSITIONAL.match(str(item_key or "").strip()) is not None


def migration_map(old_activities: list[dict]) -> dict[str, str]:
    """Old positional id → content id, from activities rows that still carry the old ids."""
    new_rows = [{**a, "activity_id": activity_id(a["municipality_id"], a.get("year"), a.get("performance_goal_code"),
                                                 a.get("printed_code"), a.get("activity_name"))}
                for a in old_activities]
    dedupe(new_rows)
    return {old["activity_id"]: new["activity_id"] for old, new in zip(old_activities, new_rows, strict=True)
            if is_positional(old["activity_id"]) and old["activity_id"] != new["activity_id"]}


def migrate_rows(rows: list[dict], mapping: dict[str, str]) -> tuple[list[dict], list[str]]:
    """Override rows with activity item_keys rewritten by ``mapping``; and what was not found."""
    out, missing = [], []
    for r in rows:
        key = str(r.get("item_key") or "").strip()
        if r.get("item_kind") == "activity" and is_positional(key):
            if key in mapping:
                r = {**r, "item_key": mapping[key]}
            else:
                missing.append(key)
        out.append(r)
    return out, missing
