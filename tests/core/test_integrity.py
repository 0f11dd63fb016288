"""R14: the consistency check finds each kind of tampering, and its command line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from r3izzy_desktop.core import clinic, integrity, packages, payments
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.packages import ledger
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import ONE_ACTIVE_PAYMENT_INDEX

D = Decimal
REPO = Path(__file__).resolve().parents[2]


def sql(statement: str, *params) -> None:
    # "?" is SQLite's placeholder; the same statements run on PostgreSQL with its own.
    db.execute_sql(statement.replace("?", db.obj.param), params)


@pytest.fixture
def clinic_day(patient, make_session, make_package):
    """Two packages with debits, a credit, a change, a manual payment: all consistent."""
    busy = make_package(sessions=3, total="1000.00")
    finished = make_package(sessions=2, total="500.00")
    s = [make_session(day, 10) for day in range(1, 8)]
    packages.pay_sessions(busy, s[0:2], accept_price_adjustment=True)
    packages.refund_session(s[1])
    packages.edit_package(busy, sessions=4, total=D("1200.00"))
    packages.pay_sessions(finished, s[2:4])
    payments.pay_manually([s[4]], method="pix")
    return {"busy": busy, "finished": finished, "sessions": s}


def messages() -> list[str]:
    return [str(problem) for problem in integrity.check()]


def test_a_clean_database_has_no_problems(db):
    assert integrity.check() == []


def test_a_consistent_clinic_has_no_problems(clinic_day):
    assert integrity.check() == []


def test_open_amount_tampered(clinic_day):
    busy = clinic_day["busy"]
    sql("UPDATE package SET open_amount = open_amount + 1 WHERE id = ?", busy.id)
    found = messages()
    assert f"Pacote No. {busy.number}: registra 900,01 em aberto, os débitos dão 900,00" in found
    assert all(busy.number in text for text in found)


def test_a_lines_change_of_the_open_amount_tampered(clinic_day):
    """R20: the credit roll-forward sums each line's stored change; one that is not its
    open amount minus the line before's is named, line and figures."""
    busy = clinic_day["busy"]
    debit = next(h for h in packages.history(busy) if h.kind == "sessão debitada")
    sql("UPDATE package_event SET open_change = open_change + 1 WHERE id = ?", debit.id)
    found = messages()
    assert found == [
        f"Pacote No. {busy.number}: histórico: a linha 2 (sessão debitada) registra variação "
        "de -333,32 no valor em aberto, mas ele foi de 1.000,00 para 666,67 (-333,33)"
    ]


def test_sessions_used_tampered(clinic_day):
    busy = clinic_day["busy"]
    sql("UPDATE package SET sessions_used = 0 WHERE id = ?", busy.id)
    found = messages()
    assert f"Pacote No. {busy.number}: registra 0 sessões usadas, os débitos somam 1" in found


@pytest.mark.parametrize(
    ("which", "status", "words"),
    [
        ("finished", "ativo", "status ativo não condiz com 0 sessões restantes"),
        ("finished", "inativo", "status inativo não condiz com 0 sessões restantes"),
        ("busy", "finalizado", "status finalizado não condiz com 3 sessões restantes"),
        ("busy", "inativo", "o histórico termina em ativo, o pacote está inativo"),
        ("busy", "pausado", "status pausado não condiz"),
    ],
)
def test_status_tampered(clinic_day, which, status, words):
    pkg = clinic_day[which]
    sql("UPDATE package SET status = ? WHERE id = ?", status, pkg.id)
    found = messages()
    assert any(words in text and pkg.number in text for text in found), found


def test_history_line_deleted(clinic_day):
    busy = clinic_day["busy"]
    last = packages.history(busy)[-1]  # the manual change
    sql("DELETE FROM package_event WHERE id = ?", last.id)
    found = messages()
    assert found
    assert any("o histórico não reproduz o total de sessões e o valor total" in t for t in found)


def test_a_credit_line_deleted(clinic_day):
    busy = clinic_day["busy"]
    credit = next(h for h in packages.history(busy) if h.kind == "sessão creditada")
    sql("DELETE FROM package_event WHERE id = ?", credit.id)
    found = messages()
    assert any(busy.number in t and "histórico" in t for t in found), found


def test_the_first_line_deleted(clinic_day):
    busy = clinic_day["busy"]
    sql("DELETE FROM package_event WHERE id = ?", packages.history(busy)[0].id)
    found = messages()
    assert any("o histórico não começa com 'criado'" in t for t in found), found


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("open_amount", 1, "saldo gravado 0,01"),
        ("sessions_left", 9, "saldo de sessões gravado 9"),
        ("status", "inativo", "status gravado inativo, recalculado ativo"),
        ("price_per_session", 1, "valor médio gravado 0,01"),
        ("amount", 100, "debitou 1,00, a regra dá 333,33"),
        ("kind", "sessão perdida", "tipo desconhecido"),
        ("note", "Pago em dinheiro", "observação alterada"),
    ],
)
def test_history_line_altered(clinic_day, column, value, words):
    busy = clinic_day["busy"]
    debit = packages.history(busy)[1]  # the first debit
    sql(f"UPDATE package_event SET {column} = ? WHERE id = ?", value, debit.id)
    found = messages()
    assert any(words in t and busy.number in t and "linha 2" in t for t in found), found


def test_a_second_active_payment(clinic_day):
    session = clinic_day["sessions"][0]  # debited by the busy package
    sql(f'DROP INDEX "{ONE_ACTIVE_PAYMENT_INDEX}"')
    sql(
        "INSERT INTO payment (session_id, method, amount, paid_on, info, operator, "
        "created_at, void_reason) VALUES (?, 'pix', 33333, ?, '', '', ?, '')",
        session.id,
        date(2025, 4, 1),
        date(2025, 4, 1),
    )
    found = messages()
    assert f"Sessão {session.id}: paga 2 vezes (só pode haver um pagamento ativo)" in found, found


def test_an_active_debit_on_a_deleted_session(clinic_day):
    finished, session = clinic_day["finished"], clinic_day["sessions"][2]
    sql("UPDATE session SET deleted_at = '2025-04-30 12:00:00' WHERE id = ?", session.id)
    found = messages()
    assert f"Pacote No. {finished.number}: débito ativo na sessão excluída de 03/04 10:00" in found


def test_an_active_manual_payment_on_a_deleted_session(clinic_day):
    session = clinic_day["sessions"][4]
    sql("UPDATE session SET deleted_at = '2025-04-30 12:00:00' WHERE id = ?", session.id)
    assert f"Sessão {session.id}: pagamento manual ativo numa sessão excluída" in messages()


def test_an_active_debit_on_a_justified_absence(clinic_day):
    finished, session = clinic_day["finished"], clinic_day["sessions"][3]
    sql("UPDATE session SET attendance = 'falta_justificada' WHERE id = ?", session.id)
    assert (
        f"Pacote No. {finished.number}: débito ativo na falta justificada de 04/04 10:00"
        in messages()
    )


def test_a_session_price_differing_from_its_debit(clinic_day):
    finished, session = clinic_day["finished"], clinic_day["sessions"][2]
    sql("UPDATE session SET price = 20000 WHERE id = ?", session.id)
    found = messages()
    assert (
        f"Pacote No. {finished.number}: a sessão de 03/04 10:00 vale 200,00 mas foi debitada "
        "em 250,00" in found
    ), found


def test_a_debit_on_another_patients_session(clinic_day, other_patient):
    finished, session = clinic_day["finished"], clinic_day["sessions"][2]
    sql("UPDATE session SET patient_id = ? WHERE id = ?", other_patient.id, session.id)
    [problem] = integrity.check()
    assert str(problem) == (
        f"Pacote No. {finished.number}: debita a sessão de 03/04 10:00, que é de outro paciente"
    )
    assert (problem.package_number, problem.session_id) == (finished.number, session.id)


def test_a_debit_amount_tampered(clinic_day):
    finished, session = clinic_day["finished"], clinic_day["sessions"][2]
    sql("UPDATE payment SET amount = 20000 WHERE session_id = ?", session.id)
    sql("UPDATE session SET price = 20000 WHERE id = ?", session.id)
    found = messages()
    assert any(finished.number in t and "os débitos dão 50,00" in t for t in found), found
    assert any("os débitos do histórico não são os débitos ativos" in t for t in found), found


def test_a_voided_debit_revived(clinic_day):
    busy, session = clinic_day["busy"], clinic_day["sessions"][1]  # refunded earlier
    sql("UPDATE payment SET voided_at = NULL WHERE session_id = ?", session.id)
    found = messages()
    assert any(busy.number in t and "usada" in t for t in found), found


def test_progress_is_reported(clinic_day):
    calls = []
    integrity.check(progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2, 2)


def test_replay_checks_each_note_start():
    created = ledger.EventRecord(
        kind="criado",
        status="ativo",
        sessions_left=1,
        open_amount=D("10.00"),
        price_per_session=D("10.00"),
        sessions_total=1,
        total=D("10.00"),
        note="Pacote criado",
    )
    assert ledger.replay([created]).problems == []
    renamed = ledger.EventRecord(**{**created.__dict__, "note": "Pacote comprado"})
    assert ledger.replay([renamed]).problems == [
        "linha 1 (criado): observação alterada: “Pacote comprado”"
    ]


# --- the command line ------------------------------------------------------------------------


def run_check(path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "R3IZZY_DB"}
    return subprocess.run(
        [sys.executable, "-m", "r3izzy_desktop", "check", "--db", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )


def file_clinic(path: Path) -> str:
    open_database(str(path))
    patient = clinic.add_patient("Ana Souza")
    service = clinic.add_service("Método Bobath", price=D("250.00"))
    from datetime import datetime

    from r3izzy_desktop.core import agenda

    session = agenda.schedule(patient, service, datetime(2025, 4, 1, 10, 0))
    pkg = packages.create_package(patient, sessions=4, total=D("1000.00"), paid_on=date.today())
    packages.pay_sessions(pkg, [session])
    close_database()
    return pkg.number


def test_cli_check_ok(tmp_path):
    path = tmp_path / "clinica.db"
    file_clinic(path)
    result = run_check(path)
    assert (result.returncode, result.stdout.strip()) == (0, "OK"), result.stderr


def test_cli_check_lists_problems(tmp_path):
    path = tmp_path / "clinica.db"
    number = file_clinic(path)
    open_database(str(path))
    sql("UPDATE package SET open_amount = 1 WHERE number = ?", number)
    close_database()
    result = run_check(path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("inconsistências:")
    assert f"- Pacote No. {number}: registra 0,01 em aberto, os débitos dão 750,00" in lines
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_check_on_a_missing_file(tmp_path):
    path = tmp_path / "nao-existe.db"
    result = run_check(path)
    assert result.returncode == 2
    assert "não foi encontrado" in result.stderr
    assert "Traceback" not in result.stderr
    assert not path.exists()
