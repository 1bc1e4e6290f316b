"""The Dashboard area: today at a glance."""
