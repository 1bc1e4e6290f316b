"""The Locations area (administrators): blocks and cells, capacity, category, service."""

from ui.locations.page import LocationsPage

__all__ = ["LocationsPage"]
