"""The ``depot`` command: the composition root (``main``). Nothing imports this package."""
