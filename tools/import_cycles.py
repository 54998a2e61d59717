#!/usr/bin/env python3
"""Import cycles in rugcoach, between modules and between rooms (stdlib only).

    python3 tools/import_cycles.py . [--strict]

Every `import` / `from ... import` is read with `ast`, wherever it is: at module level
("top"), inside a function ("func": runs later, but still a circle in the design), or under
`if TYPE_CHECKING:` ("type": only for the type checker). Importing `a.b.c` also imports the
packages `a.b` and `a` (their __init__). Cycles are the strongly connected components of
that graph; they are reported with and without the type-only edges.

Rooms: the first part below `rugcoach` (cli, coach, ...) of a module in a subpackage;
top-level modules are "basics". Room edges that point against the intended flow (ORDER,
as ARCHITECTURE.md describes it) are listed too.

Exit status: 0, or 1 with --strict when a module cycle (without type-only edges) exists.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

PKG = "rugcoach"
# The intended flow: a room may import the rooms before it, never one after it.
ORDER = ["basics", "content", "diary", "coach", "programme", "reports", "term", "cli"]


def modules_of(src: Path) -> dict[str, Path]:
    found = {}
    for path in sorted((src / PKG).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, name: str, is_pkg: bool) -> list[tuple[str, str, int]]:
    """(imported module name, kind, line) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            k = kind
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                k = "func" if kind != "type" else "type"
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.body:
                    visit_one(sub, "type")
                for sub in child.orelse:
                    visit_one(sub, kind)
                continue
            visit_one(child, k)

    def visit_one(child: ast.AST, kind: str) -> None:
        if isinstance(child, ast.Import):
            for alias in child.names:
                out.append((alias.name, kind, child.lineno))
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                here = name.split(".") if is_pkg else name.split(".")[:-1]
                here = here[: len(here) - (child.level - 1)]
                base = ".".join(here + ([base] if base else []))
            for alias in child.names:
                out.append((f"{base}.{alias.name}", kind, child.lineno))
                out.append((base, kind, child.lineno))
        visit(child, kind)

    visit(tree, "top")
    return out


def graph(src: Path) -> tuple[dict[str, dict[str, list[tuple[str, int]]]], set[str]]:
    mods = modules_of(src)
    edges: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for name, path in mods.items():
        for target, kind, line in imports_of(path, name, path.name == "__init__.py"):
            if not target.startswith(PKG):
                continue
            # `from a import b`: b may be a module or a name in a; keep what exists.
            parts = target.split(".")
            for i in range(len(parts), 0, -1):
                cand = ".".join(parts[:i])
                if cand in mods and cand != name and not name.startswith(cand + "."):
                    # (a module's own package is initialised before it: no edge back)
                    if cand != PKG:
                        edges[name][cand].append((kind, line))
                    break
            # importing a.b.c runs the __init__ of a.b as well
            for i in range(2, len(parts)):
                parent = ".".join(parts[:i])
                if parent in mods and parent != name and not name.startswith(parent + "."):
                    edges[name][parent].append((kind, line))
    return edges, set(mods)


def sccs(nodes: set[str], adj: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    result: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10000)

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(adj.get(v, ())):
            if w not in index:
                strong(w)
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
                result.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            strong(v)
    return result


def room_of(module: str, flat_map: dict[str, str] | None) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "basics"
    if flat_map is not None and len(parts) == 2:
        new = flat_map.get(parts[1])
        return new.split(".")[0] if new else "basics"
    return parts[1] if parts[1] in ORDER else "basics"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo", type=Path)
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()
    src = args.repo.resolve() / "src"
    edges, nodes = graph(src)
    flat = not any((src / PKG / room / "__init__.py").exists() for room in ORDER[1:])
    flat_map = None
    print(f"{len(nodes)} modules, layout: {'flat' if flat else 'rooms'}")
    bad = False
    for label, kinds in (
        ("all imports", {"top", "func", "type"}),
        ("without type-only", {"top", "func"}),
    ):
        adj = {
            a: {b for b, uses in bs.items() if any(k in kinds for k, _ in uses)}
            for a, bs in edges.items()
        }
        comps = sccs(nodes, adj)
        print(f"\n== module cycles ({label}): {len(comps)}")
        for comp in comps:
            print("  cycle:", " <-> ".join(c.removeprefix(PKG + ".") for c in comp))
            for a in comp:
                for b in comp:
                    uses = [u for u in edges.get(a, {}).get(b, []) if u[0] in kinds]
                    if uses:
                        how = ", ".join(sorted({f"{k}@{ln}" for k, ln in uses}))
                        print(
                            f"      {a.removeprefix(PKG + '.')} -> {b.removeprefix(PKG + '.')}  ({how})"  # noqa: E501
                        )
        if label == "without type-only" and comps:
            bad = True
    # rooms
    room_edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, bs in edges.items():
        for b, uses in bs.items():
            ra, rb = room_of(a, flat_map), room_of(b, flat_map)
            if a == PKG + ".__main__":
                continue  # the entry point: `python -m rugcoach` runs the shell
            if ra != rb:
                kinds = sorted({k for k, _ in uses})
                room_edges[(ra, rb)].append(
                    f"{a.removeprefix(PKG + '.')} -> {b.removeprefix(PKG + '.')} [{'/'.join(kinds)}]"  # noqa: E501
                )
    rooms = {r for pair in room_edges for r in pair}
    for label, kinds in (
        ("all imports", {"top", "func", "type"}),
        ("without type-only", {"top", "func"}),
    ):
        adj = defaultdict(set)
        for (ra, rb), lst in room_edges.items():
            if any(
                any(k in kinds for k in x.rsplit("[", 1)[1].rstrip("]").split("/")) for x in lst
            ):
                adj[ra].add(rb)
        comps = sccs(rooms, adj)
        print(f"\n== room cycles ({label}): {len(comps)}")
        for comp in comps:
            print("  ", " <-> ".join(comp))
    print("\n== room edges against the flow", " -> ".join(ORDER))
    for (ra, rb), lst in sorted(room_edges.items()):
        if ra in ORDER and rb in ORDER and ORDER.index(rb) > ORDER.index(ra):
            print(f"  {ra} -> {rb}:")
            for x in sorted(lst):
                print("      " + x)
    return 1 if (bad and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
