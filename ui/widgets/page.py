"""The heading every page starts with: a title, a line under it, actions on the right."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


def page_header(title: str, subtitle: QLabel | str | None = None,
                *actions: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    texts = QVBoxLayout()
    texts.setSpacing(2)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    texts.addWidget(heading)
    if subtitle is not None:
        if isinstance(subtitle, str):
            subtitle = QLabel(subtitle)
            subtitle.setObjectName("pageSubtitle")
        texts.addWidget(subtitle)
    row.addLayout(texts, 1)
    for action in actions:
        row.addWidget(action)
    return box
