"""The Court area: deadlines for everyone, production lists and outcomes for officers."""
