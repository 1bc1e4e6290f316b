"""Depot's PySide6 front end: windows, pages, table models and background operations.

Layers: ``ui`` imports ``depot_app`` (never ``db``); every database call runs on the
worker (:mod:`ui.worker`) through an operation (:mod:`ui.operations`).
"""
