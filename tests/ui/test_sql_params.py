"""No SQL is built from values: every value reaches DuckDB as a ``?`` parameter.

Two halves:

* a static check over ``app_pages/*.py``, ``app/*.py`` and ``app/views/*.py``: the SQL handed to
  ``data.query(`` or any ``.execute(`` may only be built from string constants, ``?``
  placeholder lists (``", ".join("?" for _ in ids)``) and names or helper functions that are
  themselves built that way. An f-string, ``.format`` or ``%`` that puts anything else into the
  SQL fails the test, unless the call carries a ``# sql-safe: <why>`` comment (on the line
  before the call or any of its lines) — meant for identifiers taken from the warehouse's own
  catalog, never for a value a user can type;
* hostile URL values fed to every page through the real router: no exception, and the
  warehouse is byte-for-byte and row-for-row what it was.
"""

from __future__ import annotations

import ast
import hashlib
import io
import textwrap
import tokenize
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

SCANNED = sorted([*REPO.glob("app_pages/*.py"), *REPO.glob("app/*.py"), *REPO.glob("app/views/*.py")])
SAFE_CALLS = {"int", "float", "len", "str.join"}  # int()/float() of anything is a number, not SQL text

# Known interpolations in files this test's authors may not edit: (file, function, expression) → why.
# They are catalog identifiers or the sink itself; the preferred fix is a `# sql-safe:` comment in
# place, after which the entry can go (an entry that matches nothing fails the test).
ALLOWED = {
    ("app/data.py", "query", "sql"):
        "data.query itself: the SQL is its caller's, and every caller is checked here",
    ("app/data.py", "work", "_quote(schema)"): "schema name read from information_schema, quoted",
    ("app/data.py", "work", "_quote(table)"): "table name read from information_schema, quoted",
    ("app/views/sources.py", "rows_per_relation", "_checked(r, relations)"):
        "relation name checked against information_schema.columns, quoted",
    ("app/views/sources.py", "rows_on_page", "_checked(relation)"):
        "relation name checked against information_schema.columns, quoted",
}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    function: str
    expression: str
    waived: bool  # a `# sql-safe: <why>` comment vouches for the call

    def __str__(self) -> str:
        return f"{self.file}:{self.line} in {self.function}(): SQL built from `{self.expression}`"


class _Checker:
    def __init__(self, source: str, name: str):
        self.name = name
        self.tree = ast.parse(source)
        self.functions: dict[str, ast.FunctionDef] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.setdefault(node.name, node)
        self.vouched: set[int] = set()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT and tok.string.lstrip("# ").startswith("sql-safe:") \
                    and tok.string.split("sql-safe:", 1)[1].strip():
                self.vouched.add(tok.start[0])

    # --- where names come from

    def _scope(self, node: ast.AST) -> ast.AST:
        """The function around ``node`` (lambdas are see-through), else the module."""
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return self.tree

    def _assigned(self, name: str, scope: ast.AST) -> list[ast.expr] | None:
        """Every value assigned to ``name`` in ``scope``, its enclosing functions, then the module;
        None when it is a parameter or never assigned."""
        chain = [scope]
        while chain[-1] is not self.tree:
            chain.append(self._scope(chain[-1]))
        for where in chain:
            values: list[ast.expr] = []
            nodes = where.body if where is self.tree else ast.walk(where)
            for node in nodes:
                if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        values += self._values_for(name, target, node.value)
            if values:
                return values
            if where is not self.tree:
                params = where.args
                if any(a.arg == name for a in [*params.posonlyargs, *params.args, *params.kwonlyargs]):
                    return None
        return None

    def _values_for(self, name: str, target: ast.expr, value: ast.expr) -> list[ast.expr]:
        if isinstance(target, ast.Name):
            return [value] if target.id == name else []
        if isinstance(target, ast.Tuple | ast.List):
            for i, elt in enumerate(target.elts):
                if isinstance(elt, ast.Name) and elt.id == name:
                    return self._element(value, i)
        return []

    def _element(self, value: ast.expr, i: int) -> list[ast.expr]:
        if isinstance(value, ast.Tuple | ast.List) and i < len(value.elts):
            return [value.elts[i]]
        if isinstance(value, ast.IfExp):
            return self._element(value.body, i) + self._element(value.orelse, i)
        return [value]  # unpacked from something we cannot see into: judged as a whole

    # --- what is safe SQL text

    def unsafe(self, expr: ast.expr, scope: ast.AST, seen: frozenset = frozenset()) -> list[ast.expr]:
        """The sub-expressions that put something other than constant SQL text into ``expr``."""
        if isinstance(expr, ast.Constant):
            return []
        if isinstance(expr, ast.JoinedStr):
            return [bad for part in expr.values if isinstance(part, ast.FormattedValue)
                    for bad in self.unsafe(part.value, scope, seen)]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.unsafe(expr.left, scope, seen) + self.unsafe(expr.right, scope, seen)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):  # "…%s…" % value
            args = expr.right.elts if isinstance(expr.right, ast.Tuple) else [expr.right]
            return self.unsafe(expr.left, scope, seen) + [b for a in args for b in self.unsafe(a, scope, seen)]
        if isinstance(expr, ast.IfExp):
            return self.unsafe(expr.body, scope, seen) + self.unsafe(expr.orelse, scope, seen)
        if isinstance(expr, ast.Tuple | ast.List):
            return [b for e in expr.elts for b in self.unsafe(e, scope, seen)]
        if isinstance(expr, ast.Name):
            if expr.id in seen:
                return []
            values = self._assigned(expr.id, scope)
            if values is None:
                return [expr]
            return [b for v in values for b in self.unsafe(v, self._scope(v), seen | {expr.id})]
        if isinstance(expr, ast.Call):
            return self._unsafe_call(expr, scope, seen)
        return [expr]

    def _unsafe_call(self, call: ast.Call, scope: ast.AST, seen: frozenset) -> list[ast.expr]:
        func = call.func
        if isinstance(func, ast.Name) and func.id in SAFE_CALLS:
            return []
        if isinstance(func, ast.Attribute) and func.attr in ("join", "format") and isinstance(func.value, ast.Constant):
            pieces = []
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                if isinstance(arg, ast.GeneratorExp | ast.ListComp | ast.SetComp):
                    pieces += self.unsafe(arg.elt, self._scope(arg) if arg in self.parents else scope, seen)
                else:
                    pieces += self.unsafe(arg, scope, seen)
            return [call] if pieces and func.attr == "format" else pieces
        if isinstance(func, ast.Name) and func.id in self.functions and func.id not in seen:
            helper = self.functions[func.id]
            returns = [n.value for n in ast.walk(helper) if isinstance(n, ast.Return) and n.value is not None]
            bad = [b for r in returns for b in self.unsafe(r, helper, seen | {func.id})]
            return [call] if bad or not returns else []
        return [call]

    # --- the sinks

    def findings(self) -> list[Finding]:
        out = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            f = node.func
            is_query = f.attr == "query" and isinstance(f.value, ast.Name) and f.value.id == "data"
            if not (is_query or f.attr == "execute"):
                continue
            sql = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg in ("sql", "query")),
                                                      None)
            if sql is None:
                continue
            scope = self._scope(node)
            waived = any(line in self.vouched for line in range(node.lineno - 1, node.end_lineno + 1))
            function = getattr(scope, "name", "<module>")
            for bad in self.unsafe(sql, scope):
                out.append(Finding(self.name, getattr(bad, "lineno", node.lineno), function, ast.unparse(bad),
                                   waived))
        return out


def findings_in(source: str, name: str = "snippet.py") -> list[Finding]:
    return _Checker(source, name).findings()


def _unwaived(source: str) -> list[str]:
    return [f.expression for f in findings_in(textwrap.dedent(source)) if not f.waived]


# --- the checker catches what it should -------------------------------------------------------

@pytest.mark.parametrize("snippet", [
    'def f(mid):\n    return data.query(f"select * from documents where municipality_id = \'{mid}\'")',
    'def f(year):\n    return data.query("select * from gender_budget where year = %s" % year)',
    'def f(year):\n    return data.query("select * from gender_budget where year = {}".format(year))',
    'def f(name):\n    sql = "select * from " + name\n    return data.query(sql)',
    'def f(con, value):\n    con.execute(f"insert into t values ({value})")',
    'def f(cur, m):\n    where = f"where m = \'{m}\'" if m else ""\n    cur.execute("select 1 " + where)',
    'def _sql(m):\n    return f"select * from t where m = \'{m}\'"\ndef f(m):\n    return data.query(_sql(m))',
    'def f(ids):\n    return data.query(f"select * from t where m in ({\', \'.join(ids)})")',
    'def f(m):\n    return data.query(f"select * from t where m = {m!r}")  # sql-safe:',
    'def f(m):\n    return data.query(sql=f"select * from t where m = \'{m}\'")',
])
def test_checker_flags_sql_built_from_values(snippet):
    assert _unwaived(snippet), snippet


@pytest.mark.parametrize("snippet", [
    'def f(mid):\n    return data.query("select * from documents where municipality_id = ?", [mid])',
    'def f(ids):\n    marks = ", ".join("?" for _ in ids)\n    return data.query(f"select * from t where m in ({marks})", ids)',
    'def _in(ids):\n    return ", ".join("?" for _ in ids)\ndef f(ids):\n    return data.query(f"select 1 where m in ({_in(ids)})", ids)',
    'ORDER = "case status when \'failed\' then 0 else 1 end"\ndef f():\n    return data.query(f"select * from documents order by {ORDER}")',
    'def f(mid):\n    where, params = ("where m = ?", [mid]) if mid else ("", [])\n    return data.query(f"select 1 {where}", params)',
    'def f(n):\n    return data.query(f"select * from t limit {int(n)}")',
    'def f(table):\n    # sql-safe: table comes from information_schema.tables\n    return data.query(f"select count(*) from {table}")',
])
def test_checker_accepts_placeholders_constants_and_vouched_identifiers(snippet):
    assert _unwaived(snippet) == [], snippet


# --- the app -----------------------------------------------------------------------------------

def _all_findings() -> list[Finding]:
    out = []
    for path in SCANNED:
        out += findings_in(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    return out


def test_scan_covers_the_app():
    names = {str(p.relative_to(REPO)) for p in SCANNED}
    assert {"app/data.py", "app/ui.py", "app/views/sources.py", "app_pages/overview.py", "app_pages/upload.py"} <= names
    # the scan sees the app's real queries (else it would pass by finding nothing to look at)
    checker = _Checker((REPO / "app/views/compare.py").read_text(encoding="utf-8"), "compare.py")
    sinks = [n for n in ast.walk(checker.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr == "query"]
    assert len(sinks) >= 5


def test_no_sql_is_built_from_values():
    found = _all_findings()
    bad = [f for f in found if not f.waived and (f.file, f.function, f.expression) not in ALLOWED]
    assert not bad, "SQL built from values (use ? parameters, or `# sql-safe: <why>` for catalog identifiers):\n" \
        + "\n".join(map(str, bad))


def test_allow_list_has_no_stale_entries():
    keys = {(f.file, f.function, f.expression) for f in _all_findings()}
    stale = [k for k in ALLOWED if k not in keys]
    assert not stale, f"remove these entries from ALLOWED, the code no longer has them: {stale}"


# --- hostile URLs on every page ----------------------------------------------------------------

HOSTILE = {
    "m": "x' OR 1=1 --", "y": "2024; DROP TABLE documents", "lang": "<script>alert(1)</script>",
    "doc": "../../etc/passwd", "p": "-1", "ms": ["a'--", "ilginkoy'; DELETE FROM municipalities; --"], "gm": "9",
    "view": "nominal' --", "ind": "PG1' UNION SELECT * FROM documents --", "kind": ["'; DROP TABLE gender_tags --"],
    "mk": ["3"], "rel": 'documents"; DROP TABLE documents; --', "all": "1 OR 1=1",
}
PAGES = sorted(p.name for p in (REPO / "app_pages").glob("*.py"))


def _fingerprint(warehouse: Path) -> tuple[str, dict[str, int]]:
    digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()]
        counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
    return digest, counts


@pytest.fixture(scope="module")
def hostile_env(embedded_sample):
    warehouse, _ = embedded_sample
    mp = pytest.MonkeyPatch()
    mp.setenv("IZLEK_WAREHOUSE", str(warehouse))
    mp.setenv("IZLEK_UPLOAD_PASSWORD", "pw")  # so the upload page is registered and fed the same URL
    mp.setenv("IZLEK_READ_ONLY", "0")
    before = _fingerprint(warehouse)
    yield warehouse, before
    mp.undo()


@pytest.mark.parametrize("page", PAGES)
def test_hostile_url_values_do_no_harm(hostile_env, page):
    warehouse, before = hostile_env
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    for key, value in HOSTILE.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    at = at.switch_page(f"app_pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, page
    assert _fingerprint(warehouse) == before
    shown = " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "error")
                     for e in at.get(kind))
    assert "<script>" not in shown
