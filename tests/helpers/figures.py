"""Figures the reliability tests measure (crash images checked, batches lost, refusals,
detection times), printed at the end of the pytest run ("Reliability figures") so that
CI's log and README's table come from the same lines."""

from __future__ import annotations

FIGURES: list[tuple[str, dict[str, object]]] = []


def report(test: str, **figures: object) -> None:
    FIGURES.append((test, figures))


def lines() -> list[str]:
    return [
        f"{test}: " + ", ".join(f"{key}={value}" for key, value in figures.items())
        for test, figures in FIGURES
    ]
