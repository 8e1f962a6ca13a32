"""Words shared by every part that prints or draws text."""

from __future__ import annotations


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, the word plural but for one: "1 month", "36 months", "2,000 runs"."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
