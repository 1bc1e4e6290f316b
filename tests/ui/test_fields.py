"""Field errors beside their fields: a reason goes when the user changes its field, and a
one-line hint or reason takes one line's height (not two)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
)

from ui.widgets.fields import GENERIC, FieldForm, NoteLabel


def _dialog(qtbot) -> tuple[QDialog, FieldForm]:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setMinimumWidth(560)
    form = FieldForm()
    QVBoxLayout(dialog).addWidget(form)
    form.add_field("name", "Name", QLineEdit())
    form.add_field("kind", "Kind", QComboBox())
    form.field("kind").addItems(["Family", "Lawyer"])
    form.add_field("notes", "Notes", QPlainTextEdit(), "A short hint on one line.")
    form.add_field("cells", "Cell", QListWidget())
    form.field("cells").addItems(["A-01", "A-02"])
    form.add_field("agree", "", QCheckBox("Agreed"))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, form


def test_a_reason_goes_when_its_field_is_changed(qtbot):
    _dialog_, form = _dialog(qtbot)
    form.show_errors({"name": "Name is required", "kind": "Choose the kind",
                      "notes": "Notes are too long", "cells": "Choose the cell",
                      "agree": "Tick to agree"})
    assert form.message.text() == GENERIC and form.message.isVisible()
    assert form.error_text("name") == "Name is required"

    qtbot.keyClicks(form.field("name"), "Agus")
    assert form.error_text("name") == ""
    assert form.error_label("name").isHidden()
    assert form.error_text("kind") == "Choose the kind"  # the others stay until changed
    assert form.message.isVisible()

    form.field("kind").activated.emit(1)  # chosen from the list
    assert form.error_text("kind") == ""
    qtbot.keyClicks(form.field("notes"), "x")
    assert form.error_text("notes") == ""
    cells = form.field("cells")
    rect = cells.visualItemRect(cells.item(1))
    qtbot.mouseClick(cells.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert form.error_text("cells") == ""
    assert form.message.isVisible()  # one reason left
    qtbot.mouseClick(form.field("agree"), Qt.MouseButton.LeftButton,
                     pos=QPoint(5, form.field("agree").height() // 2))
    assert form.error_text("agree") == ""
    assert form.message.isHidden()  # the last reason gone: so is "correct the fields…"


def test_a_reason_set_by_the_program_is_kept_and_a_service_message_stays(qtbot):
    _dialog_, form = _dialog(qtbot)
    form.show_errors({"name": "Name is required"}, general="Someone else changed it")
    form.field("name").setText("Agus")  # not the user: the reason stays
    assert form.error_text("name") == "Name is required"
    qtbot.keyClicks(form.field("name"), "!")
    assert form.error_text("name") == ""
    assert form.message.text() == "Someone else changed it"  # not the generic words


def test_the_form_asks_the_window_to_fit_when_a_reason_comes_or_goes(qtbot):
    _dialog_, form = _dialog(qtbot)
    with qtbot.waitSignal(form.sig_changed_size, timeout=1000):
        form.show_errors({"name": "Name is required"})
    with qtbot.waitSignal(form.sig_changed_size, timeout=1000):
        qtbot.keyClicks(form.field("name"), "A")
    with qtbot.assertNotEmitted(form.sig_changed_size):
        qtbot.keyClicks(form.field("name"), "g")  # nothing left to clear


def test_a_one_line_hint_or_reason_is_one_line_high(qtbot):
    dialog, form = _dialog(qtbot)
    form.show_errors({"name": "Name is required"})
    qtbot.wait(20)
    line = form.fontMetrics().height()
    hint = next(n for n in form.findChildren(NoteLabel) if n.text().startswith("A short hint"))
    error = form.error_label("name")
    for label in (hint, error):
        assert label.height() <= line + 4, (label.text(), label.height(), line)
    # Rows do not overlap: the hint sits between the notes box and the next field.
    notes, cells = form.field("notes"), form.field("cells")
    assert notes.geometry().bottom() < hint.geometry().top()
    assert hint.geometry().bottom() < cells.geometry().top()
    # A long reason wraps and gets the lines it needs.
    long = "Give the reason; " * 12
    form.show_errors({"name": long})
    qtbot.waitUntil(lambda: form.error_label("name").height() >= 2 * line, timeout=1000)
    label = form.error_label("name")
    assert label.height() >= label.heightForWidth(label.width()) - 1
    assert dialog.isVisible()
