"""Screenshot of Configurações."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ...core import importing
from ..common.shots import ShotContext, shot


@shot("settings.png")
def settings(ctx: ShotContext) -> QWidget:
    page = ctx.show_page("settings")
    page.show_tab("Serviços")
    return ctx.window


@shot("settings-users.png")
def settings_users(ctx: ShotContext) -> QWidget:
    """Configurações › Usuários of the demo clinic (without users: "usar sem login")."""
    page = ctx.show_page("settings")
    page.show_tab("Usuários")
    return ctx.window


@shot("settings_packages.png")
def settings_packages(ctx: ShotContext) -> QWidget:
    page = ctx.show_page("settings")
    page.show_tab("Pacotes")
    ctx.settle()
    return ctx.window


@shot("settings_import.png")
def settings_import(ctx: ShotContext) -> QWidget:
    """Configurações › Importar with the preview of a small patients sheet: one row to
    import, one already there, one in error (in red)."""
    page = ctx.show_page("settings")
    tab = page.show_tab("Importar")
    folder = Path(tempfile.mkdtemp(prefix="r3izzy-shot-"))
    sheet = folder / "pacientes.csv"
    sheet.write_text(
        "Nome;Telefone;CPF;Data de nascimento;Responsável\n"
        "Helena Martins;(11) 98765-4321;529.982.247-25;03/07/2016;Paula Martins\n"
        "Helena Martins;;529.982.247-25;03/07/2016;\n"
        "Caio;1234;111.111.111-12;31/02/2019;\n",
        encoding="utf-8",
    )
    tab.path = sheet
    tab.file_label.setText(str(sheet))
    tab._previewed(importing.preview(importing.PATIENTS, sheet))
    ctx.settle()
    return ctx.window
