"""The Detainees area: find a detainee, open the record card."""
