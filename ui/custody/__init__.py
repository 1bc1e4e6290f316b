"""Custody: the live establishment roll and headcounts."""

from ui.custody.headcount_page import HeadcountPage
from ui.custody.roll_page import RollPage

__all__ = ["HeadcountPage", "RollPage"]
