"""The demonstration depot's blocks and cells, sized well above the population."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

ADULT_MALE, ADULT_FEMALE, FAMILY, JUVENILE, MEDICAL = (
    "adult_male", "adult_female", "family", "juvenile", "medical_isolation")

# code, name, category, (smallest, largest) cell capacity, share of the category's places,
# the least number of cells
BLOCKS = (
    ("A", "Blok A (Lelaki)", ADULT_MALE, (30, 40), 0.5, 3),
    ("B", "Blok B (Lelaki)", ADULT_MALE, (30, 40), 0.5, 3),
    ("C", "Blok C (Wanita)", ADULT_FEMALE, (20, 30), 1.0, 2),
    ("D", "Blok D (Keluarga)", FAMILY, (10, 16), 1.0, 2),
    ("E", "Blok E (Juvana)", JUVENILE, (10, 16), 1.0, 2),
    ("WP", "Wad Perubatan", MEDICAL, (10, 12), 1.0, 1),
)
HEADROOM = 1.6  # places per expected detainee
OUT_OF_SERVICE_REASON = "Kerja pembaikan paip dan tandas (repairs to plumbing)"


@dataclass
class CellSpec:
    key: tuple[str, str]  # (block code, cell code)
    category: str
    capacity: int
    in_service: bool = True
    reason: str = ""
    occupants: int = 0

    @property
    def free(self) -> int:
        return self.capacity - self.occupants if self.in_service else 0


@dataclass
class BlockSpec:
    code: str
    name: str
    category: str
    cells: list[CellSpec] = field(default_factory=list)


def plan_layout(rng: random.Random, expected: dict[str, int]) -> list[BlockSpec]:
    """Blocks and cells for ``expected`` detainees per category, with room to spare."""
    blocks = []
    for code, name, category, (low, high), share, least in BLOCKS:
        need = math.ceil(expected.get(category, 0) * HEADROOM * share) + low * least
        block = BlockSpec(code, name, category)
        total = 0
        while total < need or len(block.cells) < least:
            capacity = rng.randint(low, high)
            block.cells.append(CellSpec((code, f"{code}-{len(block.cells) + 1:02d}"), category,
                                        capacity))
            total += capacity
        blocks.append(block)
    # One men's cell under repair, as there usually is: it shows in the dashboard.
    spare = blocks[1].cells[-1]
    spare.in_service, spare.reason = False, OUT_OF_SERVICE_REASON
    return blocks


def cells_of(blocks: list[BlockSpec], category: str) -> list[CellSpec]:
    return [c for b in blocks if b.category == category for c in b.cells]


def place(rng: random.Random, blocks: list[BlockSpec], category: str,
          avoid: CellSpec | None = None) -> CellSpec | None:
    """A cell of the category with a free place; None when the category is full (the
    person then waits at reception)."""
    open_cells = [c for c in cells_of(blocks, category) if c.free > 0 and c is not avoid]
    if not open_cells:
        return None
    cell = rng.choice(open_cells)
    cell.occupants += 1
    return cell
