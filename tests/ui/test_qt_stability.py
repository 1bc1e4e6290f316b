"""Guard against the PySide6 6.12.0 / CPython 3.11 ``none_dealloc`` abort (STYLE.md): every
Qt call that returns None corrupted None's reference count and after a few thousand the
process died at exit. Make many such calls in a child process and require a clean exit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import datetime as dt
    import sys

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableView, QWidget

    from depot_app.readmodels import DetaineeRow
    from ui.detainees.model import DetaineeTableModel

    app = QApplication(sys.argv[:1])
    widget = QWidget()
    label = QLabel(widget)
    edit = QLineEdit(widget)
    for i in range(5000):          # each returns None
        widget.update()
        widget.setEnabled(i % 2 == 0)
        label.setText(str(i))
        edit.setCursorPosition(0)

    pending = []
    model = DetaineeTableModel(lambda ids, deliver: pending.append((ids, deliver)),
                               page_size=50)
    view = QTableView()
    view.setModel(model)
    model.set_ids(list(range(1, 2001)))
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for row in range(0, 2000, 50):
        model.data(model.index(row, 0))
    for ids, deliver in pending:
        deliver([DetaineeRow(i, f"SMY-2026-{i:06d}", f"Person {i}", "M", None, "IDN",
                             "Indonesia", "Blok A / A-01", "in_custody", when) for i in ids])
    for i in range(5000):
        top = model.index(i % 2000, 0)
        model.dataChanged.emit(top, top)
        model.data(top, Qt.ItemDataRole.DisplayRole)
    model.invalidate()
    view.deleteLater()
    widget.deleteLater()
    app.processEvents()
    print("done", flush=True)
""")


def test_thousands_of_none_returning_qt_calls_exit_cleanly():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert "done" in result.stdout
    assert "none_dealloc" not in result.stderr
