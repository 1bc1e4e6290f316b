"""The words of court work: why a detainee goes to court, what the court decided, and the
purposes for which s.51(5)(b) lets a Magistrate order detention."""

from __future__ import annotations

# Why the production is made.
PURPOSES = {
    "first": "First production (s.51(5))",
    "further": "For a further order",
    "mention": "Mention or trial",
}

# What the court decided. Those that start a new Magistrate's order say with what purpose.
DETENTION_ORDER, REMAND, CHARGED, RELEASED, CONVICTED = (
    "detention_order", "remand", "charged", "released", "convicted")
OUTCOMES = {
    DETENTION_ORDER: "Detention order",
    REMAND: "Remand for investigation",
    CHARGED: "Charged (remanded pending trial)",
    RELEASED: "Released by the court",
    CONVICTED: "Convicted (sentence; transfer to prison)",
}
WITH_ORDER = (DETENTION_ORDER, REMAND, CHARGED)
ENDS_AUTHORITY = (RELEASED, CONVICTED)

# s.51(5)(b): "for the purpose of investigations into an offence ... or ... either making
# inquiries, or effecting his removal from Malaysia"; and a remand after a charge.
ORDER_PURPOSES = {
    "investigation": "investigations into an offence against the Act",
    "inquiries": "making inquiries under the Act",
    "removal": "effecting removal from Malaysia",
    "trial": "remand pending trial",
}

STATUSES = {
    "scheduled": "Scheduled",
    "out": "At court",
    "done": "Outcome recorded",
    "cancelled": "Cancelled",
    "closed": "Custody ended",
}
