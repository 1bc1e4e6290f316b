"""Prescribed forms as declarative definitions and context builders. No ReportLab, no Qt."""
