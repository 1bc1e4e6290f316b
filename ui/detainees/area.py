"""The Detainees area: the list, and the record card opened from it (or from anywhere)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.context import AppContext
from ui.detainees.detail import DetaineeRecordView
from ui.detainees.list_page import DetaineeListPage


class DetaineesArea(QStackedWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.list_page = DetaineeListPage(ctx)
        self.record = DetaineeRecordView(ctx)
        self.addWidget(self.list_page)
        self.addWidget(self.record)
        self.list_page.sig_open_requested.connect(self.open_detainee)
        self.record.sig_back_requested.connect(self.show_list)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.record)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.show_list)
        alt_back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self.record)
        alt_back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        alt_back.activated.connect(self.show_list)

    def open_detainee(self, detention_id: int) -> None:
        self.record.show_detention(detention_id)
        self.setCurrentWidget(self.record)
        self.record.back_button.setFocus()

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_page)
        self.list_page.table.setFocus()

    def activate(self) -> None:
        """Called when the area is chosen in the navigation."""
        if self.currentWidget() is self.list_page:
            self.list_page.focus_search()

    def close_area(self) -> None:
        self.list_page.close_page()
        self.record.close_page()
