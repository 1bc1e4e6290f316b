"""How the depot names where a detainee is, in one place for every screen, service and
form: a cell ("Blok A / A-01"), reception, out of the depot and why, or gone from custody."""

from __future__ import annotations

# Why a detainee held here is out of the depot: the roll's columns...
AWAY_REASONS = {"court": "Court", "hospital": "Hospital", "embassy": "Embassy"}
# ...their location while out...
AWAY_LABELS = {reason: f"Out: {words.lower()}" for reason, words in AWAY_REASONS.items()}
# ...and the words in a sentence ("is away at court").
AWAY_WORDS = {"court": "at court", "hospital": "at hospital",
              "embassy": "at an embassy or consulate"}
# Where someone no longer held is "now", for a list that still names them.
GONE_LABELS = {"released": "Released", "removed": "Removed", "transferred": "Transferred",
               "absconded": "Absconded", "deceased": "Died"}
RECEPTION = "Reception (unallocated)"


def cell_words(block_name: str, cell_code: str) -> str:
    """A cell as wardens say it: "Blok A / A-01"."""
    return f"{block_name} / {cell_code}"


def away_label(reason: str) -> str:
    return AWAY_LABELS.get(reason, f"Out: {reason}")


def away_words(reason: str) -> str:
    return AWAY_WORDS.get(reason, f"at {reason}" if reason else "out of the depot")


def held_location(away_reason: str, cell_code: str | None, block_name: str | None) -> str:
    """Where a detainee in custody is: out (and why), a cell, or reception."""
    if away_reason:
        return away_label(away_reason)
    if cell_code is None or block_name is None:
        return RECEPTION
    return cell_words(block_name, cell_code)


def location(status: str, away_reason: str, cell_code: str | None,
             block_name: str | None) -> str:
    """Where a detainee is, or that they have left custody and how."""
    if status != "in_custody":
        return GONE_LABELS.get(status, status.replace("_", " ").capitalize())
    return held_location(away_reason, cell_code, block_name)
