"""The tree of blocks and their cells: what each cell is for, its places, how many it holds
now, how many are free, and whether it is in service (with the reason if not).

A block's row adds up its cells: places and free places count only cells in service;
held counts everyone whose cell it is. Each row carries its key, ("block", id) or
("cell", id), so the selection and the expanded blocks survive a reload.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from depot_app.readmodels import BlockView, CellView
from depot_app.services.placement import CATEGORY_RULES
from ui import format as fmt
from ui import theme

COLUMNS = ["Block / cell", "Cell for", "Places", "Held", "Free", "Service"]
NAME, CATEGORY, PLACES, HELD, FREE, SERVICE = range(len(COLUMNS))
HEADER_TIPS = {
    NAME: "Each block (name · code) with its cells under it",
    CATEGORY: "Whom the cell is for under the placement rules",
    PLACES: "How many the cell holds; for a block, the places in its cells in service",
    HELD: "Detainees in custody whose cell it is, including any away at court or hospital",
    FREE: "Places not taken in cells in service",
    SERVICE: "A cell out of service takes nobody more until it is returned to service",
}
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # ("block", id) or ("cell", id), on the first column
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
Key = tuple[str, int]


def block_title(block: BlockView) -> str:
    return f"{block.name} · {block.code}"


def category_words(category: str) -> str:
    """'Adult male: men aged 18 and over', as the placement rules say it."""
    rule = CATEGORY_RULES.get(category)
    return f"{rule.label}: {rule.holds}" if rule else category


def free_places(cell: CellView) -> int:
    """Places not taken (negative when more are held than it holds); 0 out of service."""
    return cell.capacity - cell.occupancy if cell.in_service else 0


def _row(texts: list[str], key: Key) -> list[QStandardItem]:
    items = []
    for column, text in enumerate(texts):
        item = QStandardItem(text)
        item.setEditable(False)
        if column in (PLACES, HELD, FREE):
            item.setTextAlignment(RIGHT)
        items.append(item)
    items[NAME].setData(key, KEY_ROLE)
    return items


def block_row(block: BlockView) -> list[QStandardItem]:
    cells = block.cells
    places = sum(c.capacity for c in cells if c.in_service)
    held = sum(c.occupancy for c in cells)
    free = sum(max(0, free_places(c)) for c in cells)
    out = sum(1 for c in cells if not c.in_service)
    if not cells:
        service = ""
    elif out:
        service = f"{out} of {fmt.plural(len(cells), 'cell')} out of service"
    else:
        service = "All in service"
    items = _row([block_title(block),
                  fmt.plural(len(cells), "cell") if cells else "No cells yet",
                  fmt.count(places), fmt.count(held), fmt.count(free), service],
                 ("block", block.id))
    for item in items:
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    if out:
        items[SERVICE].setForeground(QBrush(QColor(theme.WARN_INK)))
    return items


def cell_row(cell: CellView) -> list[QStandardItem]:
    free = free_places(cell)
    if not cell.in_service:
        free_text = "—"
    elif free < 0:
        free_text = f"{-free} over"
    else:
        free_text = fmt.count(free)
    service = "In service" if cell.in_service else f"Out of service: {cell.reason}"
    items = _row([cell.code, cell.category_label, fmt.count(cell.capacity),
                  fmt.count(cell.occupancy), free_text, service], ("cell", cell.id))
    items[CATEGORY].setToolTip(category_words(cell.category))
    if not cell.in_service:
        items[SERVICE].setForeground(QBrush(QColor(theme.DANGER)))
        items[SERVICE].setToolTip(service)  # the whole reason, when the column cuts it
        for column in (NAME, CATEGORY, PLACES, FREE):
            items[column].setForeground(QBrush(QColor(theme.MUTED)))
    elif free < 0:
        items[FREE].setForeground(QBrush(QColor(theme.DANGER)))
        items[FREE].setToolTip("More detainees are held than the cell's capacity")
    return items


class LocationsTree(QTreeView):
    sig_selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.source = QStandardItemModel(0, len(COLUMNS), self)
        self.source.setHorizontalHeaderLabels(COLUMNS)
        for column, tip in HEADER_TIPS.items():
            self.source.setHeaderData(column, Qt.Orientation.Horizontal, tip,
                                      Qt.ItemDataRole.ToolTipRole)
        for column in (PLACES, HELD, FREE):
            self.source.horizontalHeaderItem(column).setTextAlignment(RIGHT)
        self.setModel(self.source)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionsMovable(False)
        for column in (NAME, CATEGORY, PLACES, HELD, FREE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._filling = False
        self.selectionModel().selectionChanged.connect(self._selection_changed)

    def _selection_changed(self, *_args) -> None:
        if not self._filling:
            self.sig_selection_changed.emit()

    def _rows(self) -> list[QModelIndex]:
        """The first-column index of every row, blocks and cells, in order."""
        m = self.source
        found = []
        for r in range(m.rowCount()):
            top = m.index(r, NAME)
            found.append(top)
            found.extend(m.index(c, NAME, top) for c in range(m.rowCount(top)))
        return found

    @staticmethod
    def key_of(index: QModelIndex) -> Key | None:
        key = index.siblingAtColumn(NAME).data(KEY_ROLE) if index.isValid() else None
        return (str(key[0]), int(key[1])) if key else None

    def fill(self, blocks: tuple[BlockView, ...], keep: Key | None) -> None:
        """Show these blocks, keeping collapsed blocks collapsed and ``keep`` selected."""
        m = self.source
        collapsed = {self.key_of(m.index(r, NAME)) for r in range(m.rowCount())
                     if not self.isExpanded(m.index(r, NAME))}
        self._filling = True  # one selection change at the end, not one per step
        try:
            m.setRowCount(0)
            for block in blocks:
                top = block_row(block)
                for cell in block.cells:
                    top[NAME].appendRow(cell_row(cell))
                m.appendRow(top)
                self.setExpanded(top[NAME].index(), ("block", block.id) not in collapsed)
            self.selectionModel().clear()
            if keep is not None:
                self.select(*keep)
        finally:
            self._filling = False
        self.sig_selection_changed.emit()

    def select(self, kind: str, ident: int) -> bool:
        for index in self._rows():
            if self.key_of(index) == (kind, ident):
                self.setCurrentIndex(index)
                self.scrollTo(index)
                return True
        return False

    def selected_key(self) -> Key | None:
        rows = self.selectionModel().selectedRows(NAME)
        return self.key_of(rows[0]) if rows else None

    def row_texts(self, name: str) -> list[str]:
        """The texts of the row whose first column reads ``name`` (for tests)."""
        for index in self._rows():
            if index.data() == name:
                return [index.siblingAtColumn(c).data() for c in range(len(COLUMNS))]
        raise KeyError(name)
