"""Figures on the package boundaries of a dadkhah source tree (prints; asserts nothing).

Usage: python benchmarks/boundaries.py [SRC]        (default: src/ beside this folder)

Counts, for the closing note of a restructure and for anyone checking one:
- imports of another package's private module or private name (``from dadkhah.store._engine
  import …``, ``from dadkhah.linkage.review import _insert_decision``);
- cycles between top-level packages (every import, including those inside functions);
- direct use of ``case.engine`` outside ``store/``;
- parameters named ``case`` typed ``Any``/``object``, and those typed ``Case``.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def module_name(path: Path, src: Path) -> str:
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def private_reach_ins(src: Path) -> list[str]:
    """``file:line target`` for each import of another package's private module or name."""
    found = []
    for path in sorted((src / "dadkhah").rglob("*.py")):
        here = package_of(module_name(path, src))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                if not t.startswith("dadkhah.") or package_of(t) == here:
                    continue
                if any(p.startswith("_") and not p.startswith("__") for p in t.split(".")[1:]):
                    found.append(f"{path.relative_to(src)}:{node.lineno} {t}")
                    break
    return found


def package_edges(src: Path) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in (src / "dadkhah").rglob("*.py"):
        here = package_of(module_name(path, src))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods = [node.module]
                if node.module == "dadkhah":
                    mods = [f"dadkhah.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            for m in mods:
                there = package_of(m)
                if m.startswith("dadkhah.") and there and there != here and here:
                    edges[here].add(there)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs of packages that reach each other (directly or through others)."""
    def reach(a: str) -> set[str]:
        seen, todo = set(), [a]
        while todo:
            for b in edges.get(todo.pop(), ()):
                if b not in seen:
                    seen.add(b)
                    todo.append(b)
        return seen
    r = {a: reach(a) for a in edges}
    return sorted({tuple(sorted((a, b))) for a in r for b in r[a]
                   if a != b and a in r.get(b, ())})


def engine_uses(src: Path) -> int:
    n = 0
    for path in (src / "dadkhah").rglob("*.py"):
        if "store" in path.relative_to(src / "dadkhah").parts[:1]:
            continue
        n += path.read_text(encoding="utf-8").count(".engine.")
    return n


def case_annotations(src: Path) -> tuple[int, int]:
    loose = typed = 0
    for path in (src / "dadkhah").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.arg) and node.arg == "case" and node.annotation is not None:
                ann = ast.unparse(node.annotation)
                if ann in ("Any", "object"):
                    loose += 1
                elif ann.strip("'\"") == "Case":
                    typed += 1
    return loose, typed


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "src"
    reach = private_reach_ins(src)
    edges = package_edges(src)
    loose, typed = case_annotations(src)
    print(f"private reach-ins across packages: {len(reach)}")
    for r in reach:
        print(f"  {r}")
    print(f"package cycles: {len(cycles(edges))} {cycles(edges)}")
    print(f"'.engine.' outside store/: {engine_uses(src)}")
    print(f"'case' parameters typed Any/object: {loose}; typed Case: {typed}")


if __name__ == "__main__":
    main()
