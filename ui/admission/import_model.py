"""The rows of an arrest-list preview as a table: what will happen to each and why."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from depot_app.services.arrest_import import ImportPreview, PreviewRow
from ui import theme

COLUMNS = ("Row", "Name", "Born", "Nationality", "Document", "Outcome", "Why")
FILTERS = ("All rows", "Refused", "Known persons", "Repeat entrants (s.36)",
           "Duplicates in the file")


def outcome(r: PreviewRow) -> str:
    if not r.valid:
        return "Refused"
    linked = next((k for k in r.known if k.person_id == r.linked_person_id), None)
    if linked is not None:
        return f"Admit: new episode of {linked.full_name}"
    return "Admit: new person"


def why(r: PreviewRow) -> str:
    words = [f"{e.field}: {e.reason}" for e in r.errors]
    if r.duplicate_of is not None and not any("row" in w for w in words):
        words.append(f"same person as row {r.duplicate_of}")
    for k in r.known:
        if k.person_id == r.linked_person_id:
            text = f"document on record ({', '.join(k.episodes[:2]) or 'no custody'})"
        else:
            text = f"resembles {k.full_name} ({'; '.join(k.reasons[:2])})"
        if k.previously_removed:
            when, section = k.previously_removed
            text += f"; removed {when:%d/%m/%Y}{' under ' + section if section else ''}: s.36"
        if k.in_custody_as:
            text += f"; in custody now as {k.in_custody_as}"
        words.append(text)
    return "; ".join(words)


def shown_by(kind: int, r: PreviewRow) -> bool:
    return (kind == 0 or (kind == 1 and not r.valid) or (kind == 2 and bool(r.known))
            or (kind == 3 and any(k.previously_removed for k in r.known))
            or (kind == 4 and r.duplicate_of is not None))


class PreviewModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.preview: ImportPreview | None = None
        self.rows: list[PreviewRow] = []
        self.kind = 0

    def set_preview(self, preview: ImportPreview | None, kind: int = 0) -> None:
        self.beginResetModel()
        self.preview = preview
        self.kind = kind
        self.rows = [r for r in preview.rows if shown_by(kind, r)] if preview else []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            v = r.values
            return (str(r.row), v.get("full_name", ""), v.get("date_of_birth", ""),
                    v.get("nationality", ""),
                    " ".join(x for x in (v.get("document_type", ""), v.get("document_number", ""))
                             if x),
                    outcome(r), why(r))[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 6:
            return why(r).replace("; ", "\n")
        if role == Qt.ItemDataRole.ForegroundRole:
            if not r.valid:
                return QBrush(QColor(theme.DANGER))
            if any(k.previously_removed for k in r.known):
                return QBrush(QColor("#9a5b00"))
        return None
