"""Recording movements, departures, visits and property returns from a detainee's record."""
