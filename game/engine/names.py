"""The engine's named tables, defined once.

The scenario format's allowed values (``game.scenario.model``), the JSON schema and the format
reference are built from these tuples, and the engine indexes its arrays by them: the order of
each tuple is the order of the matching array axis.
"""

from __future__ import annotations

# Attribute columns of ``State.attr`` (one row per actor).
ATTRIBUTES = ("military", "warheads", "delivery", "economy", "stability", "readiness", "resolve")
ATTR = {name: i for i, name in enumerate(ATTRIBUTES)}

# Clause kinds the engine gives a mechanism to (values of ``Params.clause_kind``).
CLAUSE_KINDS = (
    "consultation",
    "assistance",
    "no_hostile_alliance",
    "tech_cooperation",
    "oppose_sanctions",
)
KIND = {name: i for i, name in enumerate(CLAUSE_KINDS)}

# Preconditions an action may need (columns of ``Params.action_needs``).
NEEDS = (
    "nuclear",
    "tech_clause",
    "at_war",
    "not_at_war",
    "target_threatened",
    "target_at_war",
    "attacked",
)
NEED = {name: i for i, name in enumerate(NEEDS)}

# Objectives an actor's score weighs (columns of ``Params.objectives``).
OBJECTIVES = ("security", "alliance", "economy", "peace")

# Whom an action may be aimed at, from the mover's doctrine.
TARGET_KINDS = ("rival", "partner", "any")

# Menus of the action catalogue, in the order the picker shows them.
ACTION_CATEGORIES = ("diplomacy", "information", "economy", "military")

# A move counts as hostile above this hostility and as cooperative below its negative.
HOSTILE_CUTOFF = 0.05


def hostility_kind(hostility: float) -> str:
    """'hostile', 'cooperative' or 'neutral': how a move of this hostility reads."""
    if hostility > HOSTILE_CUTOFF:
        return "hostile"
    if hostility < -HOSTILE_CUTOFF:
        return "cooperative"
    return "neutral"
