"""The model layer: peewee models, package rules, reports and export. Never imports Qt."""
