"""Lawful custody: each stage's authority and its deadline, court productions before a
Magistrate and their outcomes, detention orders (see docs/court.md)."""
