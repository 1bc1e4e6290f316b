"""The layering rule, checked by walking every import (import-linter checks it too).

ui -> printing -> forms -> depot_app -> db; ui never imports db; nothing below ui imports
Qt; the CLI (depot_app/cli) is the one composition root allowed to reach forms, printing and ui.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["db", "depot_app", "forms", "printing", "ui"]  # lowest first
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def violations() -> list[str]:
    problems = []
    for rank, package in enumerate(LAYERS):
        allowed = set(LAYERS[: rank + 1])
        if package == "ui":
            allowed.discard("db")
        for path in _modules(package):
            rel = path.relative_to(ROOT)
            composition_root = rel.parts[:2] == ("depot_app", "cli")
            for line, name in _imports(path):
                top = name.split(".")[0]
                if top in QT and package != "ui":
                    problems.append(f"{rel}:{line} imports Qt ({name}) below ui/")
                if top in LAYERS and top not in allowed:
                    if composition_root and top in ("forms", "printing", "ui"):
                        continue
                    problems.append(f"{rel}:{line} imports {name}: {package} may not reach {top}")
    return problems


def test_layers_point_one_way():
    assert violations() == []


def test_the_check_catches_an_upward_import(tmp_path, monkeypatch):
    bad = ROOT / "db" / "_layer_probe_tmp.py"
    bad.write_text("import depot_app.actor\nfrom PySide6 import QtCore\n", encoding="utf-8")
    try:
        problems = violations()
    finally:
        bad.unlink()
    assert any("db may not reach depot_app" in p for p in problems)
    assert any("imports Qt" in p for p in problems)


@pytest.mark.parametrize("package", ["db", "depot_app", "forms", "printing"])
def test_core_runs_without_qt_loaded(package):
    import subprocess
    import sys
    code = (f"import importlib, pkgutil, sys, {package}\n"
            f"for m in pkgutil.walk_packages({package}.__path__, '{package}.'):\n"
            "    if '.cli' in m.name or 'migrations' in m.name: continue\n"
            "    importlib.import_module(m.name)\n"
            "assert not any(k.startswith('PySide6') for k in sys.modules), 'Qt was imported'\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
