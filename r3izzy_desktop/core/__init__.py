"""The model layer: peewee models, package rules, reports and export. Never imports Qt."""

from .store import drivers

# Before any model is defined: peewee without the PostgreSQL driver (drivers.py).
drivers.import_peewee()
