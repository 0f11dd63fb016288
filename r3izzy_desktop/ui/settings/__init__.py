"""Configurações: services, locations, professionals and the clinic's data, one tab each."""
