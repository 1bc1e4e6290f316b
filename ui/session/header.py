"""The heading the session dialogs share: the product, the depot, where the data lives."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def dialog_header(title: str, subtitle: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 6)
    layout.setSpacing(2)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    layout.addWidget(heading)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("pageSubtitle")
        sub.setWordWrap(True)
        layout.addWidget(sub)
    return box


def footer_text(database: str, workstation: str) -> QLabel:
    label = QLabel(f"Database: {database}\nWorkstation: {workstation}")
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label
