"""The package's shape, measured from its source with ``ast`` and ``re`` (nothing is imported):
imports point one way (no cycle, function-level imports included) and template facts live only
in ``xinzhou_fiscal/templates/`` (no table number such as 公开05表 in code, comments or docstrings
elsewhere; code names tables by key, docs/templates.md「Naming tables」). Each measure is first
shown to catch what it looks for on a small made-up case, so it can fail."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import xinzhou_fiscal

PACKAGE = Path(xinzhou_fiscal.__file__).parent
NAME = PACKAGE.name
TEMPLATES = PACKAGE / "templates"
#: a Xinzhou table number as the code would write it: 公开 and two digits (公开05, 公开05表, 公开01–10)
TABLE_NUMBER = re.compile(r"公开\d{2}")


def _modules() -> dict[str, Path]:
    """Dotted module name → file, for every .py file of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(module: str, source: str, known: set[str], is_package: bool) -> set[str]:
    """The package's modules that ``source`` (module ``module``) imports, at any level of the file
    (a function-level import counts): ``import a.b``, ``from a import b`` (b a module, else a),
    relative imports resolved."""
    found = set()
    here = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{anchor}.{base}" if base else anchor
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
    return {m for m in found if m in known and m != module}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan): each is an import cycle."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {m: imports(m, p.read_text(encoding="utf-8"), known, p.name == "__init__.py") for m, p in mods.items()}


def test_the_cycle_finder_finds_a_function_level_cycle():
    known = {"pkg.a", "pkg.b", "pkg.c"}
    graph = {"pkg.a": imports("pkg.a", "from pkg import b\n", known, False),
             "pkg.b": imports("pkg.b", "def f():\n    from .c import x\n", known, False),
             "pkg.c": imports("pkg.c", "def g():\n    import pkg.a\n", known, False)}
    assert graph == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.c"}, "pkg.c": {"pkg.a"}}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert cycles({"pkg.a": {"pkg.b"}, "pkg.b": set()}) == []


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert len(graph) > 50 and sum(map(len, graph.values())) > 150, "the graph was read"
    assert f"{NAME}.checks.findings" in graph[f"{NAME}.checks.context"]
    assert cycles(graph) == []


def table_numbers(source: str) -> list[tuple[int, str]]:
    """(line, text) of every table number (公开NN) in a source file: code, comments and docstrings."""
    return [(i, line.strip()) for i, line in enumerate(source.splitlines(), 1) if TABLE_NUMBER.search(line)]


def test_the_number_finder_sees_code_comments_and_docstrings():
    source = '"""From 公开05表."""\nx = "{t:general_budget_expenditure}"  # 公开01–10\ny = f"{{t:income}}"\n'
    assert [i for i, _ in table_numbers(source)] == [1, 2]


def test_no_table_number_outside_the_templates():
    files = [p for p in PACKAGE.rglob("*.py") if TEMPLATES not in p.parents]
    assert len(files) > 50
    found = {str(p.relative_to(PACKAGE)): hits for p in files if (hits := table_numbers(p.read_text(encoding="utf-8")))}
    assert found == {}, "name tables by key (templates.name / {t:KEY} placeholders): " + repr(found)[:600]
    assert table_numbers((TEMPLATES / "names.py").read_text(encoding="utf-8")), "the templates keep them"
