"""Everything about a patient's packages: the list of cards, the package form, the history,
paying existing sessions and the paid sessions (SPEC §5.3–5.5, manual 1–6)."""
