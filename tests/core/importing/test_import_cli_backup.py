"""R24 on a clinic's SQLite file: the command line's exit codes and preview, and the
backup taken before an import."""

from __future__ import annotations

import pytest

from r3izzy_desktop import cli
from r3izzy_desktop.core import backup, importing
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.store.models import Patient

from .files import PATIENT_HEADER, write_csv, write_xlsx

GOOD = [PATIENT_HEADER, ["Ana Souza", "", "529.982.247-25", "03/07/2015", "", "", "", ""]]
BAD = [*GOOD, ["Carla", "", "111", "", "", "", "", ""]]


@pytest.fixture
def clinic_file(tmp_path, monkeypatch):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    path = tmp_path / "clinica.db"
    open_database(str(path))
    close_database()
    yield path
    close_database()


def count_patients(path) -> int:
    open_database(str(path), create=False)
    try:
        return Patient.select().count()
    finally:
        close_database()


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    close_database()
    return code, out.out, out.err


def test_cli_dry_run_writes_nothing(capsys, clinic_file, tmp_path):
    file = write_csv(tmp_path / "p.csv", GOOD)
    code, out, _ = run(
        capsys, "import", "patients", str(file), "--db", str(clinic_file), "--dry-run"
    )
    assert code == 0 and "Linha 2: Será importado — Ana Souza" in out and "nada foi gravado" in out
    assert count_patients(clinic_file) == 0


def test_cli_imports_and_exits_0_with_a_backup(capsys, clinic_file, tmp_path):
    file = write_xlsx(tmp_path / "p.xlsx", GOOD)
    code, out, _ = run(capsys, "import", "patients", str(file), "--db", str(clinic_file))
    assert code == 0 and "Importado(s): 1." in out
    assert count_patients(clinic_file) == 1
    copies = [b for b in backup.list_backups(str(clinic_file)) if b.reason == backup.BEFORE_IMPORT]
    assert len(copies) == 1 and backup.validate(copies[0].path).patients == 0
    # again: Ana is there already, nothing to import, still everything in place
    code, out, _ = run(capsys, "import", "patients", str(file), "--db", str(clinic_file))
    assert code == 0 and "Ignorado" in out and count_patients(clinic_file) == 1


def test_cli_with_row_errors_imports_nothing_unless_told(capsys, clinic_file, tmp_path):
    file = write_csv(tmp_path / "p.csv", BAD)
    code, out, _ = run(capsys, "import", "patients", str(file), "--db", str(clinic_file))
    assert code == 1 and "Linha 3: Erro" in out and count_patients(clinic_file) == 0
    code, out, _ = run(
        capsys, "import", "patients", str(file), "--db", str(clinic_file), "--skip-errors"
    )
    assert code == 1 and count_patients(clinic_file) == 1


def test_cli_refuses_a_bad_file_with_exit_2(capsys, clinic_file, tmp_path):
    bad = tmp_path / "foto.xlsx"
    bad.write_bytes(b"\x89PNG not a sheet")
    code, _out, err = run(capsys, "import", "packages", str(bad), "--db", str(clinic_file))
    assert code == 2 and "não é uma planilha" in err and "Traceback" not in err


def test_import_backs_the_database_up_first(clinic_file, tmp_path):
    open_database(str(clinic_file), create=False)
    found = importing.preview(importing.PATIENTS, write_csv(tmp_path / "p.csv", GOOD))
    result = importing.import_preview(found)
    assert result.backup is not None and result.backup.exists()
    assert backup.validate(result.backup).patients == 0
