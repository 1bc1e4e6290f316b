"""Demonstration data: a plausible depot, its staff and detainees, from one seed.

``load_demo(db, detainees, seed, password)`` fills an empty database; see ``loader``.
"""

from depot_app.demo.loader import DemoReport, DemoUser, load_demo

__all__ = ["DemoReport", "DemoUser", "load_demo"]
