"""The panel beside the locations tree: the selected block or cell in full, with whom a
cell is for in the placement rules' own words and the whole out-of-service reason."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from depot_app.readmodels import BlockView, CellView
from depot_app.services.placement import CATEGORY_RULES
from ui import format as fmt
from ui.locations.tree import block_title
from ui.widgets.record import Card, FactGrid


def _label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.hide()
    return label


class LocationDetail(Card):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("", parent)
        self.facts = FactGrid()
        self.note = _label("muted")
        self.warning = _label("banner")
        for widget in (self.facts, self.warning, self.note):
            self.body.addWidget(widget)

    def _say(self, title: str, facts: list[tuple[str, str]], warning: str = "",
             note: str = "") -> None:
        self.title.setText(title)
        self.facts.set_facts(facts)
        self.facts.setVisible(bool(facts))
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def show_nothing(self, has_blocks: bool, can_manage: bool) -> None:
        if has_blocks:
            self._say("Nothing selected", [], note="Select a block or a cell to see it here.")
        elif can_manage:
            self._say("No blocks yet", [], note="Add a block first, then add its cells: each "
                      "with its places and whom it is for.")
        else:
            self._say("No blocks yet", [], note="An administrator has not added any blocks "
                      "or cells to this depot yet.")

    def show_cell(self, cell: CellView, block: BlockView | None) -> None:
        rule = CATEGORY_RULES.get(cell.category)
        free = cell.capacity - cell.occupancy
        facts = [("Block", block_title(block) if block else ""),
                 ("Cell for", f"{cell.category_label}: {rule.holds}" if rule
                  else cell.category_label),
                 ("Places", fmt.count(cell.capacity)),
                 ("Held now", fmt.count(cell.occupancy))]
        if cell.in_service:
            facts.append(("Free", fmt.count(max(0, free))))
            facts.append(("Service", "In service"))
        else:
            facts.append(("Service", "Out of service"))
            facts.append(("Reason", cell.reason))
        warning = ""
        if not cell.in_service and cell.occupancy:
            warning = (f"{fmt.plural(cell.occupancy, 'detainee is', 'detainees are')} still "
                       "held in this cell: move them to a cell in service.")
        elif free < 0:
            warning = (f"{fmt.plural(-free, 'more detainee', 'more detainees')} held than "
                       "the cell's capacity (placed by an officer's override).")
        self._say(f"Cell {cell.label}", facts, warning)

    def show_block(self, block: BlockView) -> None:
        cells = block.cells
        out = [c for c in cells if not c.in_service]
        places = sum(c.capacity for c in cells if c.in_service)
        held = sum(c.occupancy for c in cells)
        free = sum(max(0, c.capacity - c.occupancy) for c in cells if c.in_service)
        facts = [("Code", block.code),
                 ("Cells", fmt.count(len(cells)) + (f" ({len(out)} out of service)"
                                                    if out else "")),
                 ("Places", f"{fmt.count(places)} in service"),
                 ("Held now", fmt.count(held)),
                 ("Free", fmt.count(free))]
        for key, rule in CATEGORY_RULES.items():
            of_kind = [c for c in cells if c.category == key]
            if of_kind:
                facts.append((rule.label, fmt.plural(len(of_kind), "cell") + ", "
                              + fmt.plural(sum(c.capacity for c in of_kind if c.in_service),
                                           "place")))
        note = "" if cells else "No cells yet: select the block and use Add cell."
        self._say(block.name, facts, note=note)
