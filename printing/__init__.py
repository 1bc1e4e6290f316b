"""Rendering: ReportLab PDFs, barcodes and fonts. No Qt.

``render(form, context)`` prints any form; ``render_cards`` prints many cards with progress
and cancel; ``printing.jobs`` runs a whole print job (serial, render, counterfoil) in one
unit of work.
"""

from reportlab import rl_config

# Binary PDF streams: ASCII85 makes every photo 25 % larger and, without ReportLab's optional
# C accelerator, costs about 2.5 ms a card in pure Python (bench/bench_cards.py).
rl_config.useA85 = 0

from printing.cards import PrintCancelled, render_cards  # noqa: E402
from printing.render import render  # noqa: E402

__all__ = ["PrintCancelled", "render", "render_cards"]
