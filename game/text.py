"""Words shared by every part that prints or draws text."""

from __future__ import annotations


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, the word plural but for one: "1 month", "36 months", "2,000 runs"."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def sentence_case(s: str) -> str:
    """``s`` with its first letter a capital and the rest as written ("DMZ incident", where
    ``str.capitalize`` gives "Dmz incident")."""
    return s[:1].upper() + s[1:]


def lower_first(s: str) -> str:
    """``s`` to follow other words: its first letter small, unless its first word is written
    in capitals ("move at the UN Security Council"; "DMZ incident" as it is)."""
    first = s.split(" ", 1)[0]
    return s if len(first) > 1 and first.isupper() else s[:1].lower() + s[1:]


def percent(x: float) -> str:
    """A share as a percentage: one decimal, two within 1% of none or of all, three within
    0.01%, so that a share that is not 0 or 1 never reads as 0.0% or 100.0% ("99.95%")."""
    near = min(abs(x), abs(1.0 - x))
    if 0 < near < 0.0001:
        return f"{x:.3%}"
    return f"{x:.2%}" if 0 < near < 0.01 else f"{x:.1%}"


# About as many characters of a goal's short name as the player card and the state picker
# show at their narrowest column (11-point text in 148 pixels): a longer one is cut there.
SHORT_NAME_ROOM = 26


def short_goal(name: str) -> str:
    """A goal's name before its colon ("Regime security"): what the player card shows."""
    return name.split(":")[0].strip()
