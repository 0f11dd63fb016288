"""Configurações: services, locations, professionals, the clinic's data, backups and the
database, one tab each."""
