"""Imports go one way, from the pages down to a small core; a test fails on any import upward or sideways
(function-level imports included). The README's layout section says the same in words."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# What each package may import (besides itself). Read from the bottom up: core, then store and geo, then
# ingest and metrics, the figure builders (viz), the file builders (exports), then the command line
# (analytics) and the Streamlit helpers (ui), and last the pages and app.py.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "store": {"core"},
    "geo": {"core"},
    "ingest": {"core", "store", "geo"},
    "metrics": {"core", "store", "geo"},
    "viz": {"core", "geo", "metrics"},
    "exports": {"core", "geo", "metrics", "viz"},
    "analytics": {"core", "store", "geo", "ingest", "metrics", "viz", "exports"},
    "ui": {"core", "store", "geo", "ingest", "metrics", "viz", "exports"},
    "pages": {"core", "store", "geo", "ingest", "metrics", "viz", "exports", "ui"},
    "app": {"ui"},
}
PURE = {"core", "store", "geo", "ingest", "metrics", "viz", "exports", "analytics"}  # never import streamlit


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def _product_files() -> list[tuple[str, Path]]:
    files = [("app", ROOT / "app.py")]
    for unit in ALLOWED:
        folder = ROOT / unit
        if folder.is_dir():
            files += [(unit, p) for p in sorted(folder.rglob("*.py"))]
    return files


def test_every_package_imports_only_the_layers_below_it():
    wrong = []
    for unit, path in _product_files():
        for target, line in _imports(path):
            if target in ALLOWED and target != unit and target not in ALLOWED[unit]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_the_pure_layers_never_import_streamlit():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for unit, path in _product_files()
        if unit in PURE
        for target, line in _imports(path)
        if target == "streamlit"
    ]
    assert wrong == []


def test_every_product_package_is_in_the_layering():
    """A new top-level package must be placed in ALLOWED (and in the README) before it can be used."""
    skip = {"tests", "bench", "scripts", "data", "static", "docs"}
    packages = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in skip and any(p.glob("*.py"))}
    assert packages <= set(ALLOWED)
