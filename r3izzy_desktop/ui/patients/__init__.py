"""Pacientes: the searchable list, the patient form, the patient page, and the area that
navigates list → patient page → package list (SPEC §5.2, manual 1)."""
