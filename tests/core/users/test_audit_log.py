"""R23's audit log: each audited action leaves its line (who, when, what), and the log is
append-only in the database itself."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import peewee
import pytest

from r3izzy_desktop.core import agenda, audit, backup, clinic, clock, packages, payments, users
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import NotAllowed
from r3izzy_desktop.core.reports import data_sheets, export
from r3izzy_desktop.core.store.binding import db as proxy
from r3izzy_desktop.core.store.models import AuditEntry
from tests.helpers.snapshot import db_snapshot

from .conftest import PASSWORD

AT = datetime(2026, 3, 2, 14, 30)


def actions() -> list[tuple[str, str, str]]:
    return [(e.user_name, e.action, e.detail) for e in reversed(audit.entries())]


def test_each_audited_action_leaves_its_line(as_role, tmp_path):
    as_role("administrador")
    with clock.frozen(AT):
        patient = clinic.add_patient("Ana Souza")
        service = clinic.add_service("Método Bobath", price=Decimal("250.00"))
        session = agenda.schedule(patient, service, datetime(2026, 3, 3, 10))
        package = packages.create_package(patient, sessions=4, total="1000.00")
        payments.pay_manually([session], method="pix")
        start = max(e.id for e in audit.entries())
        packages.edit_package(package, status="inativo")
        payments.void_payment(session)
        clinic.set_setting("lock_idle_minutes", "5")
        clinic.set_setting("lock_idle_minutes", "5")  # no change, no line
        export.patient_packages_xlsx(patient, tmp_path / "pacotes.xlsx")
        export.package_report_xlsx(tmp_path / "relatorio.xlsx")
        data_sheets.patient_data_xlsx(patient, tmp_path / "dados.xlsx")
        users.add_user("Bia", login="bia", password=PASSWORD, role="recepção")
        clinic.anonymize_patient(patient)
    lines = [
        (e.user_name, e.action, e.detail)
        for e in sorted(audit.entries(), key=lambda e: e.id)
        if e.id > start
    ]
    assert lines == [
        (
            "Ana Admin",
            "pacote alterado",
            f"Pacote No. {package.number} (paciente #{patient.id}): "
            "Pacote alterado: status: inativo,",
        ),
        (
            "Ana Admin",
            "estorno",
            f"Sessão #{session.id} de 03/03 10:00: Pix em 02/03/2026, R$ 250,00",
        ),
        ("Ana Admin", "configuração", "lock_idle_minutes: 5"),
        ("Ana Admin", "exportação", f"Pacotes do paciente #{patient.id}: pacotes.xlsx"),
        ("Ana Admin", "exportação", "Relatório de Pacotes: relatorio.xlsx"),
        ("Ana Admin", "dados do paciente", f"Paciente #{patient.id}: dados.xlsx"),
        ("Ana Admin", "usuário", "Usuário bia cadastrado (Recepção)"),
        ("Ana Admin", "paciente anonimizado", f"Paciente #{patient.id} anonimizado"),
    ]
    assert all(e.at == AT for e in audit.entries() if e.id > start)
    assert "Ana Souza" not in str(audit.entries())  # patients by number, never by name


def test_logins_and_logouts_are_recorded(staff):
    users.login("rita", PASSWORD)
    users.logout()
    with pytest.raises(NotAllowed):
        users.login("rita", "errada")
    users.login("ana", PASSWORD)
    assert [(n, a) for n, a, _d in actions()][-4:] == [
        ("Rita Recepção", "entrada"),
        ("Rita Recepção", "saída"),
        ("Rita Recepção", "entrada recusada"),
        ("Ana Admin", "entrada"),
    ]


def test_the_log_is_filtered_by_user_action_and_period(staff):
    with clock.frozen(datetime(2026, 3, 1, 9)):
        users.login("rita", PASSWORD)
    with clock.frozen(datetime(2026, 3, 5, 9)):
        users.login("ana", PASSWORD)
    rita = next(u for u in users.list_users() if u.login == "rita")
    assert {e.user_id for e in audit.entries(user=rita.id)} == {rita.id}
    assert [
        e.detail
        for e in audit.entries(action="entrada", start=date(2026, 3, 1), end=date(2026, 3, 1))
    ] == ["Login “rita”"]
    assert audit.entries(start=date(2026, 3, 2), end=date(2026, 3, 4)) == []
    assert "entrada" in audit.actions_seen()


def test_the_database_refuses_to_change_or_remove_a_line(staff):
    users.login("ana", PASSWORD)
    before = db_snapshot()
    assert before["audit_entry"]
    for statement in (
        AuditEntry.update(detail="apagado"),
        AuditEntry.delete(),
        AuditEntry.delete().where(AuditEntry.id == 1),
    ):
        with pytest.raises(peewee.DatabaseError), proxy.atomic():
            statement.execute()
    if isinstance(proxy.obj, peewee.PostgresqlDatabase):  # the app's is a subclass
        with pytest.raises(peewee.DatabaseError), proxy.atomic():
            proxy.execute_sql('TRUNCATE "audit_entry"')
    assert db_snapshot() == before


# --- backups and restores: SQLite files --------------------------------------------------


@pytest.fixture
def clinic_file(tmp_path):
    path = tmp_path / "clinica.db"
    open_database(str(path))
    users.add_user("Ana Admin", login="ana", password=PASSWORD, role="administrador")
    users.login("ana", PASSWORD)
    users.add_user("Fábio", login="fabio", password=PASSWORD, role="financeiro")
    clinic.add_patient("Ana Souza")
    users.logout()
    yield path
    close_database()


@pytest.mark.sqlite_only
def test_backups_and_restores_are_for_administrators_and_recorded(clinic_file, tmp_path):
    users.login("fabio", PASSWORD)
    with pytest.raises(NotAllowed, match="fazer backups"):
        backup.backup_now(tmp_path / "b.db")
    with pytest.raises(NotAllowed, match="restaurar"):
        backup.restore(tmp_path / "b.db")
    assert not (tmp_path / "b.db").exists()
    users.login("ana", PASSWORD)
    saved = backup.backup_now(tmp_path / "b.db")
    assert actions()[-1][1:] == ("backup", f"Backup gravado em {saved}")
    clinic.add_patient("Bruno Depois")
    result = backup.restore(saved)
    # The login goes on in the restored database, whose log says it was restored.
    assert users.current_user().login == "ana"
    name, action, detail = actions()[-1]
    assert (name, action) == ("Ana Admin", "restauração")
    assert str(saved) in detail and str(result.safety_copy) in detail
    assert [p.name for p in clinic.list_patients()] == ["Ana Souza"]


@pytest.mark.sqlite_only
def test_automatic_backups_need_no_role_and_are_recorded(clinic_file):
    users.login("fabio", PASSWORD)
    made = backup.automatic_backup(backup.AT_START)
    users.login("ana", PASSWORD)
    assert actions()[-2][:2] == ("Fábio", "backup")
    assert actions()[-2][2] == f"Backup automático (inicio) gravado em {made}"
