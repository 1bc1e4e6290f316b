"""A quiet look for a screen used all shift: Fusion, a light restrained palette, 10 pt text."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 10

INK = "#1f2933"          # body text
MUTED = "#5f6b7a"        # secondary text
WINDOW = "#eef1f4"       # window background
SURFACE = "#ffffff"      # fields, tables, cards
LINE = "#d3d9e0"         # borders
ACCENT = "#1f5f99"       # selection, primary buttons
ACCENT_SOFT = "#dbe8f5"
DANGER_BG = "#fdecea"
DANGER = "#b3261e"
WARN_BG = "#fff4d6"
WARN_INK = "#6b4b00"
OK_INK = "#1e6b3a"

STYLESHEET = f"""
QToolTip {{ color: {INK}; background: {SURFACE}; border: 1px solid {LINE}; }}
QListWidget#nav {{
    background: #243447; color: #e8edf2; border: none; outline: 0;
    padding-top: 8px; font-size: {BASE_POINT_SIZE + 1}pt;
}}
QListWidget#nav::item {{ padding: 10px 16px; border-left: 4px solid transparent; }}
QListWidget#nav::item:selected {{
    background: #2f4560; color: white; border-left: 4px solid #7fb2e5;
}}
QListWidget#nav::item:hover:!selected {{ background: #2a3c52; }}
QListWidget#stepOutline {{
    background: {WINDOW}; border: none; border-right: 1px solid {LINE}; outline: 0;
    padding-top: 14px;
}}
QListWidget#stepOutline::item {{ padding: 7px 14px; color: {INK}; }}
QListWidget#stepOutline::item:disabled {{ color: #9aa5b1; }}
QListWidget#stepOutline::item:selected {{
    background: {ACCENT_SOFT}; color: {ACCENT}; font-weight: 600;
    border-left: 3px solid {ACCENT};
}}
QFrame#card, QFrame#tile {{
    background: {SURFACE}; border: 1px solid {LINE}; border-radius: 6px;
}}
QLabel#pageTitle {{ font-size: {BASE_POINT_SIZE + 6}pt; font-weight: 600; color: {INK}; }}
QLabel#pageSubtitle, QLabel#muted {{ color: {MUTED}; }}
QLabel#sectionTitle {{ font-weight: 600; color: {INK}; font-size: {BASE_POINT_SIZE + 1}pt; }}
QLabel#tileValue {{ font-size: {BASE_POINT_SIZE + 12}pt; font-weight: 600; color: {INK}; }}
QLabel#tileValue[tone="accent"] {{ color: {ACCENT}; }}
QLabel#tileValue[tone="warn"] {{ color: #9a5b00; }}
QLabel#tileValue[tone="danger"] {{ color: {DANGER}; }}
QLabel#tileLabel {{ color: {MUTED}; }}
QLabel#fieldError {{ color: {DANGER}; }}
QLabel#formError {{
    color: {DANGER}; background: #fdecea; border: 1px solid #f3c2bd; border-radius: 4px;
    padding: 6px 8px;
}}
QLabel#banner {{
    color: {WARN_INK}; background: {WARN_BG}; border: 1px solid #ecd28b; border-radius: 4px;
    padding: 8px 10px;
}}
QLabel#chip {{
    background: {ACCENT_SOFT}; color: {ACCENT}; border-radius: 9px; padding: 2px 9px;
}}
QLabel#chip[tone="warn"] {{ background: {WARN_BG}; color: {WARN_INK}; }}
QLabel#chip[tone="grey"] {{ background: #e6e9ed; color: {MUTED}; }}
QLabel#chip[tone="danger"] {{ background: {DANGER_BG}; color: {DANGER}; font-weight: 600; }}
QPushButton {{ padding: 5px 14px; }}
QPushButton:checked {{
    background: {ACCENT_SOFT}; color: {ACCENT}; border: 1px solid {ACCENT}; border-radius: 3px;
}}
QPushButton[primary="true"] {{
    background: {ACCENT}; color: white; border: 1px solid #184d7d; border-radius: 3px;
    padding: 6px 18px; font-weight: 600;
}}
QPushButton[primary="true"]:disabled {{ background: #8fa9c2; border-color: #8fa9c2; }}
QPushButton[primary="true"]:hover:!disabled {{ background: #246bab; }}
QHeaderView::section {{
    background: #f3f5f7; color: {INK}; padding: 4px 6px; border: none;
    border-right: 1px solid {LINE}; border-bottom: 1px solid {LINE}; font-weight: 600;
}}
QTableView {{ gridline-color: #e7eaee; selection-background-color: {ACCENT};
             alternate-background-color: #f7f9fb; }}
QStatusBar QLabel {{ color: {MUTED}; padding: 0 6px; }}
QStatusBar QLabel#statusError {{ color: {DANGER}; font-weight: 600; }}
"""


def palette() -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, WINDOW), (roles.WindowText, INK), (roles.Base, SURFACE),
        (roles.AlternateBase, "#f7f9fb"), (roles.Text, INK), (roles.Button, "#f6f7f9"),
        (roles.ButtonText, INK), (roles.Highlight, ACCENT), (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, SURFACE), (roles.ToolTipText, INK), (roles.Link, ACCENT),
        (roles.PlaceholderText, "#8a94a1"), (roles.Mid, LINE), (roles.Light, "#ffffff"),
        (roles.Midlight, "#f0f2f5"), (roles.Dark, "#aab3bd"),
    ):
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.ButtonText, roles.WindowText):
        p.setColor(disabled, role, QColor("#9aa3ad"))
    return p


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(palette())
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def mark_primary(button) -> None:
    """Style a push button as the one main action of its form."""
    button.setProperty("primary", True)
    button.style().unpolish(button)
    button.style().polish(button)
