"""Reading the small CSV files people edit by hand (overrides, manual links, the deflator)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from etl import usercsv

OVERRIDES_FILE = "gender_overrides.csv"
LINKS_FILE = "objective_links.csv"


def user_file_paths(overrides_path: Path | None) -> tuple[Path | None, Path | None]:
    """The overrides file and the objective-links file that sits beside it.

    ``overrides_path`` may name the overrides CSV itself (``data/gender_overrides.csv``) or the
    folder holding both CSVs; ``None`` means no user corrections at all.
    """
    if overrides_path is None:
        return None, None
    p = Path(overrides_path)
    if p.is_dir():
        return p / OVERRIDES_FILE, p / LINKS_FILE
    return p, p.with_name(LINKS_FILE)


def csv_rows(path: Path | None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV with a header; ``#`` comment lines are skipped.

    Read by :mod:`etl.usercsv`, so what Excel saves (BOM, ``;``, Windows-1254) reads correctly.
    Nothing when the file does not exist: every one of these files is optional.
    """
    yield from usercsv.rows(path)


# --- overrides whose item has changed under their id ----------------------------------------

ItemKey = tuple[str, str, str]  # (municipality_id, item_kind, item_key), as overrides are keyed
# The columns that name an item, per relation: what the override's item_name is compared with.
NAME_COLUMNS = {
    "activities": ("municipality_id", "activity_id", "activity_name"),
    "objectives": ("municipality_id", "plan_start", "objective_code", "objective_title"),
    "indicators": ("municipality_id", "plan_start", "indicator_code", "indicator_name"),
}


def item_names(rows: Mapping[str, list[dict]]) -> dict[ItemKey, str | None]:
    """The current name of every item an override can name, keyed as overrides are."""
    out: dict[ItemKey, str | None] = {}
    for a in rows.get("activities") or []:
        out[(a["municipality_id"], "activity", a["activity_id"])] = a.get("activity_name")
    for o in rows.get("objectives") or []:
        out[(o["municipality_id"], "objective", f"{o.get('plan_start')}:{o.get('objective_code')}")] = \
            o.get("objective_title")
    for i in rows.get("indicators") or []:
        out[(i["municipality_id"], "indicator", f"{i.get('plan_start')}:{i.get('indicator_code')}")] = \
            i.get("indicator_name")
    return out


def name_moved(saved: str | None, now: str | None) -> bool:
    """Whether an override saved for the item named ``saved`` now points at another item ``now``
    (compared by :func:`etl.turkish.match_key`: case, dots and spacing do not count). An
    override without a saved name, or an id that names no item any more, is not "moved"."""
    from etl.turkish import match_key

    return bool(saved) and now is not None and match_key(now) != match_key(saved)


def stale_overrides(rows: Iterable[dict], path: Path | None,
                    names: Callable[[set[ItemKey]], Mapping[ItemKey, str | None]]) -> tuple[list[dict], list[str]]:
    """Split override rows into those to apply and messages about those whose ``item_name`` no
    longer matches the item their id names (an id that now points at another item must not move
    a marker). ``names(keys)`` gives the current names of at least ``keys``; it is called only
    when some row carries a name."""
    rows = list(rows)
    named = {_key(r) for r in rows if r.get("item_name")}
    if not named:
        return rows, []
    now_names = names(named)
    kept, problems = [], []
    for r in rows:
        key = _key(r)
        now = now_names.get(key)
        if name_moved(r.get("item_name"), now):
            problems.append(f"{path}: override for {key[1]} {key[2]} of {key[0]} was saved for "
                            f"{r['item_name'][:80]!r}, but that id is now {now[:80]!r}; not applied. Check the "
                            "row and correct item_key (or item_name).")
            continue
        kept.append(r)
    return kept, problems


def _key(row: dict) -> ItemKey:
    return ((row.get("municipality_id") or "").strip(), (row.get("item_kind") or "").strip(),
            (row.get("item_key") or "").strip())


@contextmanager
def named_overrides(overrides_path: Path | None,
                    names: Callable[[set[ItemKey]], Mapping[ItemKey, str | None]]
                    ) -> Iterator[tuple[Path | None, list[str], Callable[[str], str]]]:
    """The overrides to apply, for the build and ``python -m etl analyse`` alike.

    Yields ``(path, problems, shown)``: ``path`` is ``overrides_path`` itself when every row
    still names its item, else a temporary folder holding a copy without the moved rows (and
    the links file beside it); ``problems`` says which rows were left out and why (see
    :func:`stale_overrides`); ``shown(message)`` puts the user's file back into a message that
    names the temporary copy.
    """
    ov_path, links_path = user_file_paths(overrides_path)
    current = usercsv.read(ov_path)
    kept, problems = stale_overrides(current.rows, ov_path, names)
    if not problems:
        yield overrides_path, [], lambda m: m
        return
    with tempfile.TemporaryDirectory(prefix="izlek-overrides-") as tmp:
        usercsv.write(Path(tmp) / OVERRIDES_FILE, usercsv.CsvFile(rows=kept, delimiter=","), current.fields)
        if links_path is not None and links_path.is_file():
            (Path(tmp) / LINKS_FILE).write_bytes(links_path.read_bytes())
        copy = str(Path(tmp) / OVERRIDES_FILE)
        yield Path(tmp), problems, lambda m: m.replace(copy, str(ov_path))
