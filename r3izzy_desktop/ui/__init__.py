"""The desktop app's screens (Qt only). Shared building blocks in common/, one folder a
screen (patients/, packages/, agenda/, receitas/, finance/, settings/), the app around
them in shell/. It reaches data only through the core's functions."""

import PySide6.QtCore  # noqa: F401 - loaded first, so its import hook is made cheaper at once

from . import qt_loading

qt_loading.install()
