"""Pact: a turn-based simulation of Northeast Asia after the 2024 Russia-DPRK treaty."""

__version__ = "0.1.0"
