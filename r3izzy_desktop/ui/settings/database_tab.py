"""Configurações › Banco de dados: which database this PC uses, and switching it.

One PC uses a local SQLite file; a clinic with several PCs points every PC at one
PostgreSQL server (README, "Vários computadores"). "Testar conexão" connects off the UI
thread with a short timeout and says what is there; "Usar este banco" opens the server
database (creating or upgrading the schema), remembers it for the next start (QSettings,
as common/profiles.py keeps it) and rebuilds the window on it, as a restore does. "Voltar ao
arquivo local" does the same with the local file.

The address is saved in this PC's app settings (QSettings); the password goes to the
system's credential store (the Windows Credential Manager, the Secret Service on Linux),
never into the settings. Where there is no store, the tab says so and the password is
asked at each start (common/profiles.py).
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import credentials, users
from ...core.database import (
    DEFAULT_DB_NAME,
    ENV_DB,
    current_url,
    data_dir,
    describe_url,
    is_postgres,
    open_database,
    server,
    sqlite_path_of,
)
from ...core.errors import DomainError
from ..common import messages, profiles
from ..common.fields import WholeNumberEdit
from ..common.jobs import Job
from ..common.operations import run_op
from ..common.widgets import Card, FormField, is_connected, label

log = logging.getLogger(__name__)


class DatabaseSection(QWidget):
    """The Banco de dados tab. `refresh()` re-reads which database is in use."""

    # Another database is in use now: (this tab's title, its URL).
    data_replaced = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.task: Job | None = None
        self._testing: tuple[str, bool] | None = None  # (url, then use it)
        self.last_info: server.ServerInfo | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 18)
        outer.setSpacing(16)

        in_use = Card()
        in_use.body.addWidget(label(self.tr("Banco de dados em uso"), "sectionTitle"))
        self.in_use = label("", wrap=True)
        self.in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        in_use.body.addWidget(self.in_use)
        row = QHBoxLayout()
        self.local_note = label("", "muted", wrap=True)
        row.addWidget(self.local_note, 1)
        self.local_button = QPushButton(self.tr("Voltar ao arquivo local"))
        self.local_button.clicked.connect(self.use_local_file)
        row.addWidget(self.local_button, 0, Qt.AlignmentFlag.AlignTop)
        in_use.body.addLayout(row)
        outer.addWidget(in_use)

        card = Card()
        card.body.addWidget(
            label(self.tr("Servidor PostgreSQL (vários computadores)"), "sectionTitle")
        )
        card.body.addWidget(
            label(
                self.tr(
                    "Para a clínica usar o programa em vários computadores ao mesmo tempo, "
                    "todos apontam para o mesmo banco num servidor PostgreSQL da rede local. "
                    "Um arquivo local numa pasta compartilhada da rede não serve: pode se "
                    "corromper."
                ),
                "muted",
                wrap=True,
            )
        )
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("ex.: 192.168.0.10"))
        self.port = WholeNumberEdit(self.tr("Porta"), low=1, high=65535)
        self.port.setText(str(server.DEFAULT_PORT))
        self.port.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.database = QLineEdit()
        self.database.setPlaceholderText("r3izzy")
        self.user = QLineEdit()
        self.user.setPlaceholderText("r3izzy")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields = {
            "host": FormField(self.tr("Servidor"), self.host),
            "port": FormField(self.tr("Porta"), self.port),
            "database": FormField(self.tr("Banco de dados"), self.database),
            "user": FormField(self.tr("Usuário"), self.user),
            "password": FormField(self.tr("Senha"), self.password),
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.fields["host"], 0, 0, top)
        grid.addWidget(self.fields["port"], 0, 1, top)
        grid.addWidget(self.fields["database"], 0, 2, top)
        grid.addWidget(self.fields["user"], 1, 0, top)
        grid.addWidget(self.fields["password"], 1, 1, 1, 2, top)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 2)
        card.body.addLayout(grid)
        self.password_note = label(self.password_storage_text(), "muted", wrap=True)
        card.body.addWidget(self.password_note)
        buttons = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.setVisible(False)
        buttons.addWidget(self.progress)
        self.result = label("", wrap=True)
        self.result.setObjectName("testResult")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons.addWidget(self.result, 1)
        self.test_button = QPushButton(self.tr("Testar conexão"))
        self.test_button.clicked.connect(self.test_connection)
        buttons.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        self.use_button = QPushButton(self.tr("Usar este banco"))
        self.use_button.setProperty("primary", True)
        self.use_button.clicked.connect(self.use_server)
        buttons.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignTop)
        card.body.addLayout(buttons)
        outer.addWidget(card)
        outer.addStretch(1)
        for editor in (self.host, self.port, self.database, self.user, self.password):
            editor.textEdited.connect(self._fields_edited)
        self._fill_fields()
        self.refresh()

    def password_storage_text(self) -> str:
        if credentials.store_available():
            where = self.tr(
                "A senha fica guardada no cofre de senhas do sistema (no Windows, o "
                "Gerenciador de Credenciais), não nas configurações do programa."
            )
        else:
            where = self.tr(
                "Este computador não tem um cofre de senhas do sistema: a senha não é "
                "gravada e será pedida a cada início do programa."
            )
        return (
            where
            + " "
            + self.tr(
                "Use para o R3izzy um usuário do PostgreSQL que só tenha acesso ao banco "
                "da clínica."
            )
        )

    # -- state ----------------------------------------------------------------------------
    def refresh(self) -> None:
        url = current_url()
        if url is None:
            self.in_use.setText(self.tr("Nenhum banco aberto."))
        elif is_postgres():
            fields = server.fields_of(url)
            where = f"{fields.host}:{fields.port}" if fields else url
            self.in_use.setText(
                self.tr("Servidor PostgreSQL: banco “%1” em %2, usuário %3.")
                .replace("%1", fields.database if fields else "")
                .replace("%2", where)
                .replace("%3", fields.user if fields else "")
            )
        else:
            self.in_use.setText(self.tr("Arquivo local (este computador):\n%1").replace("%1", url))
        on_server = url is not None and is_postgres()
        self.local_button.setVisible(on_server)
        self.local_note.setText(
            self.tr("Voltar a usar o arquivo deste computador:\n%1").replace(
                "%1", self.local_file()
            )
            if on_server
            else ""
        )
        self.local_note.setVisible(on_server)
        self._update_buttons()

    def busy(self) -> bool:
        return self.task is not None and self.task.is_running()

    def _update_buttons(self) -> None:
        self.test_button.setEnabled(not self.busy())
        self.use_button.setEnabled(not self.busy())
        self.local_button.setEnabled(not self.busy())

    def _fill_fields(self) -> None:
        """The server this PC used last (with its saved password), else the one in use."""
        candidates = [profiles.remembered_url(), *reversed(profiles.known_urls()), current_url()]
        for url in candidates:
            fields = server.fields_of(profiles.completed(url) if url else "")
            if fields is not None:
                self.host.setText(fields.host)
                self.port.setText(str(fields.port))
                self.database.setText(fields.database)
                self.user.setText(fields.user)
                self.password.setText(fields.password)
                return

    def _fields_edited(self) -> None:
        self.last_info = None
        self.result.setText("")
        for field in self.fields.values():
            field.set_error(None)

    def url(self) -> str | None:
        """The URL of the fields, or None after showing what is wrong with them."""
        for field in self.fields.values():
            field.set_error(None)
        built = run_op(
            self,
            lambda: server.build_url(
                self.host.text(),
                self.port.text(),
                self.database.text(),
                self.user.text(),
                self.password.text(),
            ),
            failed=self._refused,
        )
        return built.value if built else None

    def _refused(self, error: DomainError) -> None:
        field = self.fields.get(getattr(error, "field", None) or "")
        if field is not None:
            field.set_error(str(error))
            field.editor.setFocus()
        else:
            messages.show_domain_error(self, error)

    @staticmethod
    def local_file() -> str:
        """The local SQLite file to go back to: the last one this PC used, else the default."""
        for url in reversed(profiles.known_urls()):
            path = sqlite_path_of(url)
            if path is not None and path != ":memory:":
                return path
        return profiles.normalized_url(str(data_dir() / DEFAULT_DB_NAME))

    # -- Testar conexão ---------------------------------------------------------------------
    def test_connection(self, _checked: bool = False, *, then_use: bool = False) -> None:
        url = self.url()
        if url is None or self.busy():
            return
        self.result.setText(self.tr("Conectando a %1…").replace("%1", describe_url(url)))
        self.result.setProperty("status", "")
        self.progress.setVisible(True)
        self._testing = (url, then_use)
        self.task = Job(lambda _progress: server.inspect(url), "testar conexão")
        self.task.succeeded.connect(self._tested)
        self.task.failed.connect(self._test_failed)
        self.task.ended.connect(self._finished)
        self._update_buttons()
        self.task.start()

    def _finished(self) -> None:
        self.progress.setVisible(False)
        self._update_buttons()

    def _tested(self, info: server.ServerInfo) -> None:
        assert self._testing is not None
        url, then_use = self._testing
        self.last_info = info
        self.result.setText(info.describe())
        if then_use and info.usable:
            self._switch_to_server(url, info)
        elif then_use:
            messages.show_error(self, info.describe(), self.tr("Este banco não pode ser usado"))

    def _test_failed(self, error) -> None:
        self.last_info = None
        text = str(error) if isinstance(error, DomainError) else f"Erro inesperado: {error}"
        self.result.setText(self.tr("Falhou: %1").replace("%1", text))

    # -- switching ------------------------------------------------------------------------
    def use_server(self) -> None:
        """Test the server first (off the UI thread), then ask, then switch."""
        self.test_connection(then_use=True)

    def _switch_to_server(self, url: str, info: server.ServerInfo) -> None:
        what = (
            self.tr("O banco está vazio: o R3izzy vai criar as tabelas nele.")
            if info.state == server.EMPTY
            else self.tr("O banco já tem os dados de uma clínica no R3izzy.")
        )
        if not messages.confirm(
            self,
            self.tr("Usar este banco"),
            self.tr(
                "Este computador passará a usar o banco “%1” do servidor %2.\n%3\n\n"
                "Os dados do arquivo local não são copiados (para mover uma clínica para o "
                "servidor, veja “migrate-to” no README); o arquivo continua guardado."
            )
            .replace("%1", self.database.text().strip())
            .replace("%2", self.host.text().strip())
            .replace("%3", what),
            confirm_text=self.tr("Usar este banco"),
        ):
            return
        self.switch_to(url)

    def use_local_file(self) -> None:
        path = self.local_file()
        if not messages.confirm(
            self,
            self.tr("Voltar ao arquivo local"),
            self.tr(
                "Este computador deixará de usar o servidor e voltará ao arquivo:\n%1\n\n"
                "O que foi feito no servidor continua lá, não no arquivo."
            ).replace("%1", path),
            confirm_text=self.tr("Usar o arquivo local"),
        ):
            return
        self.switch_to(path)

    def switch_to(self, url: str) -> bool:
        """Open `url` as the app's database, remember it for the next start and rebuild
        the window on it. When it cannot be opened, the one in use stays."""
        if not users.can("database.switch"):
            messages.show_error(self, self.tr("Só um administrador troca o banco de dados."))
            return False
        target = profiles.normalized_url(url)
        previous = profiles.in_use() or current_url()
        create = not profiles.is_known(target)
        opened = run_op(
            self,
            lambda: open_database(target, create=create),
            title=self.tr("Não foi possível usar este banco"),
        )
        if not opened:
            if previous:
                try:
                    open_database(previous, create=False)
                except DomainError:
                    log.exception("reopening %s after a failed switch", describe_url(previous))
            self.refresh()
            return False
        profiles.remember_url(target)
        profiles.set_in_use(target)
        log.info("database switched to %s", describe_url(target))
        if os.environ.get(ENV_DB):
            messages.inform(
                self,
                self.tr("Banco de dados"),
                self.tr(
                    "Atenção: a variável de ambiente %1 está definida neste computador; na "
                    "próxima vez que o programa abrir, ele usará o banco indicado nela."
                ).replace("%1", ENV_DB),
            )
        if is_connected(self, self.data_replaced):
            self.data_replaced.emit("Banco de dados", target)  # the shell rebuilds the pages
        else:
            self.refresh()
        return True
