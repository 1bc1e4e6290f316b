"""Domain services: plain functions taking ``(uow, actor, request)``."""
