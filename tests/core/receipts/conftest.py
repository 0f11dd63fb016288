"""What the receipt tests share: a family (a mother paying for two children), a service, a
professional with a council registration, and a way to give money back (R19)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.core.packages import lines
from r3izzy_desktop.core.store.models import PackageEvent

MOTHER_CPF = "52998224725"  # a published valid example
CHILD_CPF = "11144477735"  # another one
OTHER_CPF = "39053344705"


@pytest.fixture
def family(db):
    """Ana (pays) and her children Pedro and Maria; Bruno pays for himself."""
    ana = clinic.add_patient("Ana Souza", cpf=MOTHER_CPF)
    pedro = clinic.add_patient("Pedro Souza", guardian="Ana Souza", payer_cpf=MOTHER_CPF)
    maria = clinic.add_patient(
        "Maria Souza", cpf=CHILD_CPF, guardian="Ana Souza", payer_cpf="529.982.247-25"
    )
    bruno = clinic.add_patient("Bruno Lima", cpf=OTHER_CPF)
    service = clinic.add_service("Método Bobath", price=Decimal("250.00"))
    pro = clinic.add_professional("Dra. Luíza Reis", council="CREFITO-3 12345-F")
    return {"ana": ana, "pedro": pedro, "maria": maria, "bruno": bruno, "svc": service, "pro": pro}


def give_back(package, amount: Decimal, at: datetime) -> None:
    """An R19 closing that refunds `amount` written at `at`: close_package when it is there
    (issue 17), else the `encerrado` line it writes, with the refund on it."""
    from r3izzy_desktop.core import clock

    with clock.frozen(at):
        if hasattr(packages, "close_package"):
            packages.close_package(package, refund=amount, method="pix", closed_on=at.date())
            return
        row = packages.get_package(package.id) if hasattr(packages, "get_package") else package
        event = lines.record(row, "encerrado", "Pacote encerrado", operator="teste")
        PackageEvent.update(refunded=amount).where(PackageEvent.id == event.id).execute()


def day(month: int, dd: int, year: int = 2026) -> date:
    return date(year, month, dd)
