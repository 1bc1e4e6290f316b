"""Medical: admission screening, examinations, outcomes the depot acts on, confidential
findings, hospital referrals and outbreak lists (see docs/medical.md)."""
