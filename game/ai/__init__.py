"""Policies that choose the moves of every actor for a whole batch of runs at once."""

from .policy import doctrine_policy, valid_moves

__all__ = ["doctrine_policy", "valid_moves"]
