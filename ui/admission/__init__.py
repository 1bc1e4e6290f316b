"""Admitting a detainee: the wizard, its steps and the photo."""
