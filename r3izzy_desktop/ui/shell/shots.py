"""Screenshots of the shell's dialogs and of the smaller dialogs of other areas that have
no page of their own: Sobre, the start-up's database problem, the integrity report, the
login, a user's and a password's dialogs, the backup chooser, the server password and the
package receipt (registered in `ui.shell.screenshots`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ...core import clock
from ...core.backup.copies import AT_CLOSE, AT_START, BackupFile
from ...core.errors import DatabaseProblem
from ..common.shots import ShotContext, shot


@shot("about.png")
def about(ctx: ShotContext) -> QWidget:
    from .about import AboutDialog

    return ctx.dialog(AboutDialog(ctx.window))


@shot("database_problem.png")
def database_problem(ctx: ShotContext) -> QWidget:
    from .startup import DatabaseProblemDialog

    problem = DatabaseProblem(
        "O arquivo do banco de dados está danificado e não pode ser aberto.",
        "damaged",
        str(Path.home() / "R3izzy Desktop" / "r3izzy.db"),
    )
    return ctx.dialog(DatabaseProblemDialog(problem, ctx.window))


@shot("integrity_report.png")
def integrity_report(ctx: ShotContext) -> QWidget:
    from .startup import IntegrityReportDialog

    problems = [
        "Pacote No. 261101110700: saldo de sessões 3, o histórico dá 2.",
        "Sessão de 12/11/2026 10:00 (Alice Barbosa Rodrigues): paga por um pacote excluído.",
    ]
    return ctx.dialog(IntegrityReportDialog(problems, ctx.window))


@shot("login.png")
def login(ctx: ShotContext) -> QWidget:
    from .login import LoginDialog

    return ctx.dialog(LoginDialog(ctx.window, reason="A tela foi bloqueada por inatividade."))


@shot("user_dialog.png")
def user_dialog(ctx: ShotContext) -> QWidget:
    from ..settings.user_dialogs import UserDialog

    return ctx.dialog(UserDialog(ctx.window, first=True))


@shot("password_dialog.png")
def password_dialog(ctx: ShotContext) -> QWidget:
    from ..settings.user_dialogs import PasswordDialog

    return ctx.dialog(PasswordDialog("Maria Aparecida dos Santos", ctx.window))


@shot("choose_backup.png")
def choose_backup(ctx: ShotContext) -> QWidget:
    from ..settings.backup_dialogs import ChooseBackupDialog

    folder = ctx.outdir / "backups"
    now = datetime.combine(clock.today(), datetime.min.time()) + timedelta(hours=8)
    backups = [
        BackupFile(folder / f"r3izzy-{day}.db", now - timedelta(days=day), reason, 2_400_000)
        for day, reason in ((0, AT_START), (1, AT_CLOSE), (1, AT_START), (2, AT_CLOSE))
    ]
    return ctx.dialog(ChooseBackupDialog(backups, folder, ctx.window))


@shot("server_password.png")
def server_password(ctx: ShotContext) -> QWidget:
    from ..common.server_password import ServerPasswordDialog

    return ctx.dialog(ServerPasswordDialog("postgres@192.168.0.10:5432/clinica", ctx.window))


@shot("receipt_dialog.png")
def receipt_dialog(ctx: ShotContext) -> QWidget:
    from ..finance.shots import receipt_example
    from ..packages.receipt import ReceiptDialog

    return ctx.dialog(ReceiptDialog(receipt_example(), ctx.window))
