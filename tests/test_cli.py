"""The command line's arguments (r3izzy_desktop/cli.py): opening the app is parsed without
building every command's parser, and reads exactly as the full parser reads it."""

import pytest

from r3izzy_desktop import cli

APP_LINES = [
    [],
    ["--db", "clinica.db"],
    ["--db=postgresql://recepcao@servidor/clinica", "--demo"],
    ["--smoke"],
    ["--demo", "--db", "check"],  # a database file that happens to be called "check"
]


@pytest.mark.parametrize("argv", APP_LINES)
def test_opening_the_app_reads_as_the_full_parser(argv):
    assert cli.parse_arguments(argv) == cli.build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", APP_LINES)
def test_opening_the_app_builds_no_command_parser(argv, monkeypatch):
    def refuse(_parser):
        raise AssertionError("a command's parser was built to open the app")

    commands = {name: (text, refuse, run) for name, (text, _args, run) in cli.COMMANDS.items()}
    monkeypatch.setattr(cli, "COMMANDS", commands)
    assert cli.parse_arguments(argv).command is None


@pytest.mark.parametrize(
    "argv, command",
    [
        (["check", "--db", "clinica.db"], "check"),
        (["--db", "clinica.db", "check"], "check"),
        (["demo", "--out", "demo.db"], "demo"),
    ],
)
def test_a_command_is_read_by_the_full_parser(argv, command):
    args = cli.parse_arguments(argv)
    assert args.command == command
    assert args == cli.build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--he"], ["--db"], ["--nada"]])
def test_help_and_mistakes_are_the_full_parsers(argv, capsys):
    with pytest.raises(SystemExit):
        cli.parse_arguments(argv)
    out = capsys.readouterr()
    assert "COMANDO" in out.out + out.err  # the usage names the commands
