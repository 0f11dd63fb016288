"""Command line: `r3izzy-desktop [--db URL] [--demo]` opens the app; subcommands do the rest.

    r3izzy-desktop                      open the app on the default database
    r3izzy-desktop --demo               open the app on a fresh temporary demo database
    r3izzy-desktop check [--db URL]     integrity check (R14): "OK", exit 0; else the list, exit 1
    r3izzy-desktop demo --out FILE      write a demo database (--size small|large, --seed N)
    r3izzy-desktop backup --out FILE    back the SQLite database up into FILE (online copy)
    r3izzy-desktop restore FILE         replace the database with a backup (checked first;
                                        the current database is backed up before)
    r3izzy-desktop import patients|packages FILE [--dry-run] [--skip-errors]
                                        bring a clinic in from a spreadsheet (R24): the
                                        preview, then the import (a backup first); exit 0
                                        only when every row was imported or left out by
                                        rule, 1 when a row has an error
    r3izzy-desktop --smoke              offscreen self-test of the installed app, exit 0 if OK

A database with users (R23): the commands that copy or replace data (backup, restore,
migrate-to) run as a user given by `--user LOGIN` (or R3IZZY_USER), with the password
from R3IZZY_PASSWORD (a scheduled task) or typed at the prompt; the role must allow the
command (administrador; `import` too). `check` only reads (the app runs it in the
background) and `demo` writes a new file: neither logs in.

Qt is imported only by the commands that open windows.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence

from . import APP_NAME, __version__
from .core.text import plural

log = logging.getLogger(__name__)

# Subcommands register here: name -> (help, add_arguments, run).
Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
COMMANDS: dict[str, Command] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None]):
    def register(run: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (help_text, arguments, run)
        return run

    return register


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="banco de dados: arquivo SQLite, sqlite:///arquivo ou postgresql://… "
        "(padrão: R3IZZY_DB ou a pasta de dados do usuário)",
    )


ENV_USER = "R3IZZY_USER"
ENV_PASSWORD = "R3IZZY_PASSWORD"


def _user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        help=f"usuário, num banco com login (ou {ENV_USER}); a senha vem de {ENV_PASSWORD} "
        "ou é perguntada",
    )


def log_in(args: argparse.Namespace) -> None:
    """Log the command's user in when the open database has users (R23); NotAllowed when
    no user is given, the password is wrong, or none can be asked for."""
    from .core import users
    from .core.errors import NotAllowed

    if not users.login_required():
        return
    login = getattr(args, "user", None) or os.environ.get(ENV_USER)
    if not login:
        raise NotAllowed(
            f"Este banco de dados exige login: use --user LOGIN (ou {ENV_USER}); a senha vem "
            f"de {ENV_PASSWORD} ou é perguntada."
        )
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not sys.stdin or not sys.stdin.isatty():
            raise NotAllowed(f"Informe a senha de {login} em {ENV_PASSWORD}.")
        import getpass  # only here: a start of the app never asks (1.6 ms of it)

        password = getpass.getpass(f"Senha de {login}: ")
    users.login(login, password)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; without its `commands` (their parsers are most of
    argparse's work), the one that opens the app (`parse_arguments`)."""
    parser = argparse.ArgumentParser(
        prog="r3izzy-desktop", description=f"{APP_NAME}: gestão de pacotes de sessões."
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    _db_option(parser)
    parser.add_argument(
        "--demo", action="store_true", help="abre um banco temporário com dados de demonstração"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="teste rápido do programa instalado, sem janela (pasta temporária); sai com 0 se OK",
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMANDO")
    for name, (help_text, arguments, _run) in COMMANDS.items():
        child = sub.add_parser(name, help=help_text)
        _db_option(child)
        arguments(child)
    return parser


_APP_FLAGS = ("--demo", "--smoke")


def _opens_the_app(argv: Sequence[str]) -> bool:
    """Whether `argv` is only the options that open the app (--db URL, --demo, --smoke),
    each spelled out: the usual start, parsed without building every command's parser."""
    expecting_url = False
    for arg in argv:
        if expecting_url:
            expecting_url = False
        elif arg == "--db":
            expecting_url = True
        elif not (arg in _APP_FLAGS or arg.startswith("--db=")):
            return False
    return not expecting_url


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The arguments, as `build_parser()` reads them (its errors and help included)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return build_parser(commands=not _opens_the_app(argv)).parse_args(argv)


def _no_arguments(_parser: argparse.ArgumentParser) -> None:
    return None


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    # The app runs the start-up check as this command in a process of its own, so the
    # check never competes with the window for the interpreter (ui/shell/check_process.py).
    parser.add_argument("--json", metavar="FILE", help=argparse.SUPPRESS)


@command("check", "verifica a consistência dos pacotes (R14)", _check_arguments)
def run_check(args: argparse.Namespace) -> int:
    from .core import integrity
    from .core.database import open_database

    if args.json and hasattr(os, "nice"):
        os.nice(10)  # in the background of the app: the window comes first
    open_database(args.db, create=False)
    problems = integrity.check()
    if args.json:
        import json
        from pathlib import Path

        Path(args.json).write_text(
            json.dumps([str(problem) for problem in problems], ensure_ascii=False),
            encoding="utf-8",
        )
    if not problems:
        print("OK")
        return 0
    print(f"{plural(len(problems), 'inconsistência', 'inconsistências')}:")
    for problem in problems:
        print(f"- {problem}")
    return 1


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE", help="arquivo a criar")
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--seed", type=int, default=7)


@command("demo", "grava um banco de demonstração", _demo_arguments)
def run_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .core import demo
    from .core.database import open_database

    out = Path(args.out)
    if out.exists():
        print(f"O arquivo já existe: {out}", file=sys.stderr)
        return 2
    open_database(str(out))
    counts = demo.populate(size=args.size, seed=args.seed)
    print(", ".join(f"{value} {name}" for name, value in counts.items()))
    return 0


def _backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE", help="arquivo do backup")
    _user_option(parser)


@command("backup", "grava um backup do banco SQLite num arquivo", _backup_arguments)
def run_backup(args: argparse.Namespace) -> int:
    from .core import backup
    from .core.database import close_database, open_database

    backup.database_file(args.db)  # a PostgreSQL database: say so before connecting
    open_database(args.db, create=False)
    log_in(args)
    target = backup.backup_now(args.out)
    close_database()
    info = backup.validate(target)
    print(
        f"Backup gravado em {target}: {plural(info.patients, 'paciente', 'pacientes')}, "
        f"{plural(info.packages, 'pacote', 'pacotes')}, "
        f"{plural(info.sessions, 'sessão', 'sessões')}."
    )
    return 0


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="o backup a restaurar")
    _user_option(parser)


@command("restore", "substitui o banco SQLite por um backup (confere antes)", _restore_arguments)
def run_restore(args: argparse.Namespace) -> int:
    from .core import backup
    from .core.database import close_database, open_database
    from .core.errors import DatabaseProblem

    backup.database_file(args.db)  # a PostgreSQL database: say so before connecting
    try:
        open_database(args.db, create=False)
    except DatabaseProblem as exc:
        # A missing or damaged database has no users to ask: restoring it is the way out.
        print(f"O banco atual não pôde ser aberto ({exc.kind}); restaurando assim mesmo.")
    else:
        log_in(args)
    result = backup.restore(args.file, args.db)
    close_database()
    info = result.info
    print(
        f"Backup restaurado em {result.database}: "
        f"{plural(info.patients, 'paciente', 'pacientes')}, "
        f"{plural(info.packages, 'pacote', 'pacotes')}, "
        f"{plural(info.sessions, 'sessão', 'sessões')}."
    )
    if result.safety_copy:
        print(f"O banco anterior foi guardado em {result.safety_copy}")
    if result.set_aside:
        print(f"O arquivo danificado foi guardado como {result.set_aside}")
    return 0


def _migrate_to_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="postgresql://…", help="banco de destino (vazio)")
    _user_option(parser)


@command(
    "migrate-to", "copia o banco SQLite (--db) para um servidor PostgreSQL", _migrate_to_arguments
)
def run_migrate_to(args: argparse.Namespace) -> int:
    from .core import access, integrity
    from .core.database import close_database, default_database_url, describe_url, open_database
    from .core.store import transfer

    source = args.db or default_database_url()
    open_database(source, create=False)
    log_in(args)
    access.check("database.migrate_to")  # everything is copied: the clinic's administrator
    close_database()
    print(f"Copiando {source} para {describe_url(args.target)}…")
    started = time.monotonic()
    steps: list[tuple[str, float]] = []

    def stage(text: str) -> None:
        if steps:
            # "\r" and spaces: over the last progress line, if there was one.
            print(f"\r  ({time.monotonic() - steps[-1][1]:.1f} s)" + " " * 50)
        print(f"{text}…")
        steps.append((text, time.monotonic()))

    result = transfer.copy_to(
        source,
        args.target,
        check=integrity.check,
        progress=lambda table, done, total: print(f"  {table}: {done}/{total}    ", end="\r"),
        stage=stage,
    )
    now = time.monotonic()
    print(f"\r  ({now - steps[-1][1]:.1f} s)" + " " * 50 + f"\nTempo total: {now - started:.1f} s")
    for table, count in result.counts.items():
        print(f"  {table}: {count} linhas")
    if result.target_problems:
        print(
            "O destino tem "
            f"{plural(len(result.target_problems), 'inconsistência', 'inconsistências')}:"
        )
        for problem in result.target_problems:
            print(f"- {problem}")
        return 1
    print("Verificação de consistência na origem e no destino: OK")
    return 0


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("patients", "packages"), help="o que importar")
    parser.add_argument("file", metavar="FILE", help="a planilha (.xlsx ou .csv)")
    parser.add_argument("--dry-run", action="store_true", help="só mostra a prévia; não grava nada")
    parser.add_argument(
        "--skip-errors",
        action="store_true",
        help="importa as linhas sem erro mesmo quando outras têm (sai com 1 assim mesmo)",
    )
    _user_option(parser)


@command("import", "importa pacientes ou pacotes de uma planilha (R24)", _import_arguments)
def run_import(args: argparse.Namespace) -> int:
    from .core import importing
    from .core.database import open_database

    open_database(args.db)
    log_in(args)
    found = importing.preview(args.kind, args.file)
    for line in importing.preview_lines(found):
        print(line)
    if args.dry_run:
        print("Prévia apenas (--dry-run): nada foi gravado.")
        return 1 if found.errors else 0
    if found.errors and not args.skip_errors:
        print(
            "Nada foi importado: corrija as linhas com erro e rode de novo "
            "(ou use --skip-errors para importar as outras)."
        )
        return 1
    if not found.can_import:
        print("Nada a importar.")
        return 1 if found.errors else 0
    result = importing.import_preview(found)
    if result.backup:
        print(f"Backup antes da importação: {result.backup}")
    elif result.backup_note:
        print(f"Sem backup automático ({result.backup_note}).")
    print(f"Importado(s): {result.created}.")
    return 1 if result.errors else 0


def _receipts_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, metavar="ANO", help="o ano dos recibos")
    parser.add_argument("--out", required=True, metavar="FILE", help="a planilha a criar (.xlsx)")
    _user_option(parser)


@command("receipts", "exporta os recibos de um ano para o contador (R21)", _receipts_arguments)
def run_receipts(args: argparse.Namespace) -> int:
    from .core import receipts
    from .core.database import open_database
    from .core.reports import receipts_sheet

    open_database(args.db)
    log_in(args)
    saved = receipts_sheet.receipts_xlsx(args.year, args.out)
    rows = receipts.for_year(args.year)
    valid = sum(1 for row in rows if not row.cancelled)
    print(f"{len(rows)} recibo(s) de {args.year} ({valid} válido(s)) gravados em {saved}")
    return 0


def _screenshots_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("outdir", metavar="OUTDIR", help="pasta onde gravar os PNG")
    parser.add_argument(
        "--only", nargs="+", metavar="NOME", help="só estas telas (ex.: patients.png)"
    )


@command(
    "screenshots",
    "grava em PNG cada tela e diálogo, com dados de demonstração",
    _screenshots_arguments,
)
def run_screenshots(args: argparse.Namespace) -> int:
    import os

    # Before Qt is imported: render offscreen, never on the user's display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .ui.shell.screenshots import run

    for path in run(args.outdir, names=args.only):
        print(path)
    return 0


def run_app(args: argparse.Namespace) -> int:
    from .ui.shell.app import run

    return run(db_url=args.db, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    from .core.errors import DomainError
    from .logs import setup_logging

    args = parse_arguments(argv)
    if args.smoke:
        from .ui.shell.smoke import run_smoke  # sets up its own temporary folder and log

        return run_smoke()
    setup_logging(console=args.command is not None)
    try:
        if args.command is None:
            return run_app(args)
        return COMMANDS[args.command][2](args)
    except DomainError as exc:
        print(f"Erro: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
