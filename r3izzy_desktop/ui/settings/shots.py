"""Screenshot of Configurações."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

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
