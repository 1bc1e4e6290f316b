"""The provisions a person may be held under, as data: each stage of a detention cites one.

The words follow the Immigration Act 1959/63 (Act 155) as printed in
``reference/immigration-act-1959-63.txt``; that copy has lost its section numbers, so the
numbers are from the Act itself (s.33's proviso confirms that s.15(1)(c) is the *expiry*
paragraph). Regulation 39 is in the Immigration Regulations 1963, not in the Act; the Act
names it in its definition of an "illegal immigrant".

A stage that cites the wrong section is unlawful detention (Shudangshu Chandra v KP
Imigresen [2022] 3 MLJ 277), so intake accepts only a section from this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ARREST = "arrest"
REMOVAL_ORDER = "removal_order"


@dataclass(frozen=True)
class LegalBasis:
    code: str  # as printed and stored in DetentionStage.section, e.g. "s.6(1)(c)"
    words: str  # what the section is about, in a clerk's words
    source: str  # the citation
    authority: str  # the DetentionStage.authority a first stage under it has
    # A limit the provision itself puts on detention under it: the rules table's code for
    # the period (with its source there), so that it is data, not a number here.
    max_rule: str | None = None


LEGAL_BASES: tuple[LegalBasis, ...] = (
    LegalBasis(
        "s.6(1)(c)",
        "Entering Malaysia without a valid Pass lawfully issued to him",
        "Immigration Act 1959/63 s.6(1)(c)",
        ARREST,
    ),
    LegalBasis(
        "s.15(1)(c)",
        "Remaining in Malaysia after the expiration of the period of a Pass issued to him",
        "Immigration Act 1959/63 s.15(1)(c)",
        ARREST,
    ),
    LegalBasis(
        "s.8(3)",
        "Prohibited immigrant: a non-citizen of a prohibited class",
        "Immigration Act 1959/63 s.8(3)",
        ARREST,
    ),
    LegalBasis(
        "s.36",
        "Unlawful return after removal: entering or residing after being removed",
        "Immigration Act 1959/63 s.36",
        ARREST,
    ),
    LegalBasis(
        "s.35",
        "Person liable to removal: detention pending a decision whether to order removal",
        "Immigration Act 1959/63 s.35 (not exceeding thirty days)",
        ARREST,
        max_rule="detention.pending_removal_decision",
    ),
    LegalBasis(
        "s.34",
        "Person ordered to be removed: detention to carry out the removal",
        "Immigration Act 1959/63 s.34",
        REMOVAL_ORDER,
    ),
    LegalBasis(
        "reg. 39(b)",
        "Contravening the conditions of a Pass",
        "Immigration Regulations 1963 reg. 39(b) (an 'illegal immigrant' under the Act)",
        ARREST,
    ),
)

_BY_KEY: dict[str, LegalBasis] = {}
_PREFIX = re.compile(r"^(section|sec|seksyen|s)(?=\d)")
_REG_PREFIX = re.compile(r"^(regulation|peraturan|reg|r)(?=\d)")


def _key(text: str) -> str:
    """Spelling-insensitive: "S.6(1)(c)", "s 6(1)(c)" and "6(1)(c)" are the same section."""
    compact = re.sub(r"[\s.]+", "", (text or "").lower())
    if _REG_PREFIX.match(compact):
        return "reg" + _REG_PREFIX.sub("", compact)
    return "s" + _PREFIX.sub("", compact)


for _basis in LEGAL_BASES:
    _BY_KEY[_key(_basis.code)] = _basis


def find(text: str) -> LegalBasis | None:
    """The basis a typed section names, or None when it is not one a detention may cite."""
    if not (text or "").strip():
        return None
    return _BY_KEY.get(_key(text))


def codes() -> tuple[str, ...]:
    return tuple(b.code for b in LEGAL_BASES)
