"""The desktop app's screens (Qt only). Shared building blocks in common/, one folder a
screen (patients/, packages/, agenda/, receitas/, finance/, settings/), the app around
them in shell/. It reaches data only through the core's functions."""
