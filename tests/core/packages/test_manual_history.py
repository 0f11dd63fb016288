"""The reference manual's history table (section 2.1), replayed through the SPEC §6 API."""

from datetime import date
from decimal import Decimal

from r3izzy_desktop.core import integrity, packages

# (Tipo, Status, Observação, Saldo de Sessões, Saldo R$) exactly as the manual prints them.
MANUAL_TABLE = [
    ("criado", "ativo", "Pacote criado", 4, "1000.00"),
    ("sessão debitada", "ativo", "Debitada pela sessão 01/04 10:00", 3, "750.00"),
    ("sessão creditada", "ativo", "Creditada pela sessão 01/04 10:00", 4, "1000.00"),
    ("sessão debitada", "ativo", "Debitada pela sessão 04/04 09:00", 3, "750.00"),
    ("sessão creditada", "ativo", "Creditada pela sessão 04/04 09:00", 4, "1000.00"),
    ("alterado manualmente", "inativo", "Pacote alterado: status: inativo,", 4, "1000.00"),
    ("alterado manualmente", "ativo", "Pacote alterado: status: ativo,", 4, "1000.00"),
    ("sessão debitada", "ativo", "Debitada pela sessão 04/04 09:00", 3, "750.00"),
    ("sessão debitada", "ativo", "Debitada pela sessão 06/04 09:00", 2, "500.00"),
    ("sessão creditada", "ativo", "Creditada pela sessão 04/04 09:00", 3, "750.00"),
    ("sessão debitada", "ativo", "Debitada pela sessão 04/04 09:00", 2, "500.00"),
    ("sessão creditada", "ativo", "Creditada pela sessão 04/04 09:00", 3, "750.00"),
    ("sessão creditada", "ativo", "Creditada pela sessão 06/04 09:00", 4, "1000.00"),
    ("sessão debitada", "ativo", "Debitada pela sessão 06/04 09:00", 3, "750.00"),
]


def test_manual_history_table_replays_exactly(patient, make_session):
    s0104 = make_session(1, 10)
    s0404 = make_session(4, 9)
    s0604 = make_session(6, 9)
    pkg = packages.create_package(
        patient, sessions=4, total=Decimal("1000.00"), paid_on=date(2025, 5, 2)
    )

    packages.pay_sessions(pkg, [s0104])
    packages.refund_session(s0104)
    packages.pay_sessions(pkg, [s0404])
    packages.refund_session(s0404)
    packages.edit_package(pkg, status="inativo")
    packages.edit_package(pkg, status="ativo")
    packages.pay_sessions(pkg, [s0404])
    packages.pay_sessions(pkg, [s0604])
    packages.refund_session(s0404)
    packages.pay_sessions(pkg, [s0404])
    packages.refund_session(s0404)
    packages.refund_session(s0604)
    packages.pay_sessions(pkg, [s0604])

    lines = packages.history(pkg)
    got = [(h.kind, h.status, h.note, h.sessions_left, h.open_amount) for h in lines]
    want = [(k, st, note, left, Decimal(amount)) for k, st, note, left, amount in MANUAL_TABLE]
    assert got == want
    # "Valor Médio" 250 and "Data Pacote" 02/05 on every line.
    assert {h.price_per_session for h in lines} == {Decimal("250.00")}
    assert {h.package_date for h in lines} == {date(2025, 5, 2)}

    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "ativo",
        3,
        Decimal("750.00"),
    )
    assert integrity.check() == []
