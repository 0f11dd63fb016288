"""Qt's own dialogs in Portuguese: the pt_BR catalogue Qt ships (qtbase_pt_BR.qm), plus the
few strings it lacks for this Qt version (the save dialog showed "Look in:" and "Files of
type:": Qt 6 renamed them "&Look in:" / "Files of &type:" and the catalogue kept the old
ones). Installed by `create_application`, so the app and the tests see the same dialogs."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from ...resources import resource_path

log = logging.getLogger(__name__)

# (context, source text) -> Portuguese, for what qtbase_pt_BR.qm does not translate.
MISSING: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "&Procurar em:",
    ("QFileDialog", "Files of &type:"): "Arquivos do &tipo:",
    ("QFileDialog", "Computer"): "Computador",
    ("QCalendarWidget", "Today"): "Hoje",
}


class MissingStrings(QTranslator):
    """The strings of MISSING; everything else is left to the installed catalogues."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        return MISSING.get((context, source_text))  # None: not ours, ask the next one

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication) -> list[QTranslator]:
    """Qt's pt_BR catalogue and the missing strings, installed once; what was installed."""
    installed: list[QTranslator] = []
    catalogue = QTranslator(app)
    for folder in (
        str(resource_path("translations")),
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        if catalogue.load("qtbase_pt_BR", folder):
            app.installTranslator(catalogue)
            installed.append(catalogue)
            break
    else:
        log.warning("Qt's pt_BR translation (qtbase_pt_BR.qm) not found")
    supplement = MissingStrings(app)
    app.installTranslator(supplement)  # the last installed is asked first
    installed.append(supplement)
    return installed
