"""R21: the clinic's receipts (recibos) and the year's statement for the tax return.

Receipts are written by the operations that receive money (receipt_book.py); this module
reads them: `for_year(year)` for the accountant (Excel: reports/receipts_sheet.py),
`annual_statement(year, payer_cpf=…)` — the "Declaração de pagamentos para o Imposto de
Renda" a parent asks for each March: what was received from that payer in the year, per
patient, each line less the refunds (R19) of that patient's packages in the year — and
`document(number)` / `statement_document(...)`, everything a printed receipt or
statement shows (the clinic, the amount in words, "cidade, data").

A package's receipts and refunds belong to its owner's payer: a refund counts against the
payer of the package's receipts (the owner's payer when it has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from peewee import JOIN, Case, fn

from .. import clock
from ..clinic import ClinicInfo, clinic_info
from ..errors import NotFound, ValidationError
from ..money_words import amount_in_words
from ..ptbr import MONTHS, format_brl, format_date
from ..receipt_book import (
    PACOTE,
    PAGAMENTO,
    PARCELA,
    SOURCE_LABELS,
    SOURCES,
    payer_of,
)
from ..store.models import (
    Installment,
    Package,
    PackageEvent,
    Patient,
    Payment,
    Receipt,
    ReceiptPayment,
    Session,
    package_id_of,
)
from ..terms import method_label
from ..text import cpf_is_valid, digits, fold, format_cpf

ZERO = Decimal("0.00")
# R19's closing line (terms.ENCERRADO once issue 17 lands; the stored word is fixed).
ENCERRADO = "encerrado"

__all__ = [
    "PACOTE",
    "PAGAMENTO",
    "PARCELA",
    "SOURCES",
    "SOURCE_LABELS",
    "AnnualStatement",
    "Payer",
    "ReceiptDocument",
    "ReceiptRow",
    "ReceiptTotals",
    "StatementDocument",
    "StatementLine",
    "annual_statement",
    "city_date",
    "document",
    "document_label",
    "first_of_year",
    "for_installment",
    "for_package",
    "for_session",
    "for_year",
    "get_receipt",
    "payers",
    "search",
    "statement_document",
    "totals_of",
    "year_totals",
    "years",
]


@dataclass(frozen=True)
class ReceiptRow:
    """One receipt as the screens, the export and the documents read it. CPFs are digits
    ("" when unknown); `method` is the stored key ("pix"), `method_label` its word."""

    id: int
    number: int
    issued_on: date
    source: str
    payer_name: str
    payer_cpf: str
    patient_id: int
    patient_name: str
    patient_cpf: str
    amount: Decimal
    method: str
    cancelled: bool
    cancelled_at: datetime | None
    cancel_reason: str
    replaced_by: int | None
    package_id: int | None
    package_number: str
    items: tuple[str, ...]
    balance: str

    @property
    def method_label(self) -> str:
        return method_label(self.method) if self.method else ""

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def payer_cpf_text(self) -> str:
        return format_cpf(self.payer_cpf) if self.payer_cpf else ""

    @property
    def patient_cpf_text(self) -> str:
        return format_cpf(self.patient_cpf) if self.patient_cpf else ""

    @property
    def patient_is_payer(self) -> bool:
        """Whether the patient is the payer (then the receipt names them once)."""
        same_cpf = self.payer_cpf == self.patient_cpf
        return fold(self.payer_name) == fold(self.patient_name) and same_cpf

    @property
    def status_label(self) -> str:
        return "Cancelado" if self.cancelled else "Válido"


# What a receipt row reads: the receipt's columns and its package's number, one statement.
_COLUMNS = (
    Receipt.id,
    Receipt.number,
    Receipt.issued_on,
    Receipt.source,
    Receipt.payer_name,
    Receipt.payer_cpf,
    Receipt.patient,
    Receipt.patient_name,
    Receipt.patient_cpf,
    Receipt.amount,
    Receipt.method,
    Receipt.cancelled_at,
    Receipt.cancel_reason,
    Receipt.replaced_by,
    Receipt.package,
    Package.number,
    Receipt.items,
    Receipt.balance,
)


def _select():
    return Receipt.select(*_COLUMNS).join(
        Package, JOIN.LEFT_OUTER, on=(Receipt.package == Package.id)
    )


def _rows(query) -> list[ReceiptRow]:
    """The rows of a `_select()` query (tuples: thousands of receipts in milliseconds)."""
    return [
        ReceiptRow(
            id=id_,
            number=number,
            issued_on=issued_on,
            source=source,
            payer_name=payer_name,
            payer_cpf=payer_cpf,
            patient_id=patient_id,
            patient_name=patient_name,
            patient_cpf=patient_cpf,
            amount=amount,
            method=method,
            cancelled=cancelled_at is not None,
            cancelled_at=cancelled_at,
            cancel_reason=cancel_reason,
            replaced_by=replaced_by,
            package_id=package_id,
            package_number=package_number or "",
            items=tuple(line for line in (items or "").split("\n") if line),
            balance=balance,
        )
        for (
            id_,
            number,
            issued_on,
            source,
            payer_name,
            payer_cpf,
            patient_id,
            patient_name,
            patient_cpf,
            amount,
            method,
            cancelled_at,
            cancel_reason,
            replaced_by,
            package_id,
            package_number,
            items,
            balance,
        ) in query.tuples()
    ]


@dataclass(frozen=True)
class ReceiptTotals:
    """What the Recibos window's summary says: how many receipts, how many and how much
    valid, how many cancelled."""

    count: int
    valid_count: int
    valid_total: Decimal
    cancelled: int


def totals_of(rows: list[ReceiptRow]) -> ReceiptTotals:
    """The totals of receipts already read (a search's)."""
    valid = [r for r in rows if not r.cancelled]
    total = sum((r.amount for r in valid), ZERO)
    return ReceiptTotals(len(rows), len(valid), total, len(rows) - len(valid))


def _year_bounds(year: int) -> tuple[date, date]:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValidationError("Ano inválido.", "year")
    return date(year, 1, 1), date(year, 12, 31)


def _in_year(year: int):
    start, end = _year_bounds(year)
    return (Receipt.issued_on >= start) & (Receipt.issued_on <= end)


def for_year(year: int) -> list[ReceiptRow]:
    """Every receipt issued in `year` (cancelled ones included, `.cancelled`), by number."""
    return _rows(_select().where(_in_year(year)).order_by(Receipt.number))


def first_of_year(year: int, limit: int) -> list[ReceiptRow]:
    """The first `limit` receipts of `year` by number: what a window shows at once while
    the rest of a busy year is read (`for_year`)."""
    return _rows(_select().where(_in_year(year)).order_by(Receipt.number).limit(limit))


def year_totals(year: int) -> ReceiptTotals:
    """`totals_of(for_year(year))`, in one statement."""
    valid = Receipt.cancelled_at.is_null()
    count, valid_count, cents = (
        Receipt.select(
            fn.COUNT(Receipt.id),
            fn.SUM(Case(None, [(valid, 1)], 0)),
            fn.SUM(Case(None, [(valid, Receipt.amount)], 0)),
        )
        .where(_in_year(year))
        .tuples()
        .get()
    )
    count, valid_count = int(count or 0), int(valid_count or 0)
    total = Receipt.amount.python_value(int(cents or 0))
    return ReceiptTotals(count, valid_count, total, count - valid_count)


def search(year: int, query: str = "") -> list[ReceiptRow]:
    """The year's receipts whose payer or patient (name or CPF) or number contain every
    word of `query` (case and accents ignored)."""
    rows = for_year(year)
    words = fold(query).split()
    if not words:
        return rows

    def matches(row: ReceiptRow) -> bool:
        text = " ".join(
            (fold(row.payer_name), fold(row.patient_name), row.payer_cpf, row.patient_cpf)
        )
        for word in words:
            number = digits(word)
            if word in text or (number and (number in text or number == str(row.number))):
                continue
            return False
        return True

    return [row for row in rows if matches(row)]


def years() -> list[int]:
    """The years with receipts, newest first (the current year always)."""
    found = {d.year for (d,) in Receipt.select(Receipt.issued_on).distinct().tuples()}
    found.add(clock.today().year)
    return sorted(found, reverse=True)


def get_receipt(number: int) -> ReceiptRow:
    """The receipt numbered `number`; NotFound when there is none."""
    found = _rows(_select().where(Receipt.number == number))
    if not found:
        raise NotFound(f"Recibo No. {number} não encontrado.")
    return found[0]


def for_package(package: Package | int | str) -> list[ReceiptRow]:
    """Every receipt of a package (its creation and its installments), by number."""
    package_id = package_id_of(package)
    return _rows(_select().where(Receipt.package == package_id).order_by(Receipt.number))


def for_installment(package: Package | int | str, number: int) -> ReceiptRow | None:
    """The valid receipt of the package's installment `number` (None when unreceived)."""
    package_id = package_id_of(package)
    installment = Installment.get_or_none(
        (Installment.package == package_id) & (Installment.number == number)
    )
    if installment is None:
        return None
    found = _rows(
        _select()
        .where((Receipt.installment == installment.id) & Receipt.cancelled_at.is_null())
        .order_by(Receipt.number.desc())
        .limit(1)
    )
    return found[0] if found else None


def for_session(session: Session | int) -> list[ReceiptRow]:
    """The valid receipts behind a session's payment: the receipt of its manual payment,
    or the receipts of the package that paid it. Empty when it is not paid."""
    session_id = session.id if isinstance(session, Session) else session
    payment = Payment.get_or_none((Payment.session == session_id) & Payment.voided_at.is_null())
    if payment is None:
        return []
    if payment.package_id is not None:
        return [r for r in for_package(payment.package_id) if not r.cancelled]
    return _rows(
        _select()
        .switch(Receipt)
        .join(ReceiptPayment, on=ReceiptPayment.receipt == Receipt.id)
        .where((ReceiptPayment.payment == payment.id) & Receipt.cancelled_at.is_null())
        .order_by(Receipt.number)
    )


# --- the annual statement -------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """One patient on a payer's statement: what was received in the year less the refunds
    of their packages in the year (`amount` = received − refunded)."""

    patient_id: int
    patient_name: str
    patient_cpf: str
    received: Decimal
    refunded: Decimal
    amount: Decimal
    receipts: tuple[int, ...]  # the numbers of the valid receipts counted

    @property
    def patient_cpf_text(self) -> str:
        return format_cpf(self.patient_cpf) if self.patient_cpf else ""


@dataclass(frozen=True)
class AnnualStatement:
    year: int
    payer_name: str
    payer_cpf: str
    lines: tuple[StatementLine, ...]
    total: Decimal
    received: Decimal
    refunded: Decimal

    @property
    def payer_cpf_text(self) -> str:
        return format_cpf(self.payer_cpf) if self.payer_cpf else ""


@dataclass(frozen=True)
class Payer:
    """A payer of the year: name, CPF (digits, "" unknown) and their statement's total."""

    name: str
    cpf: str
    total: Decimal
    patients: tuple[str, ...]

    @property
    def cpf_text(self) -> str:
        return format_cpf(self.cpf) if self.cpf else ""


def _payer_key(name: str, cpf: str) -> tuple[str, str]:
    """Payers are told apart by CPF; those without one by name."""
    return (cpf, "") if cpf else ("", fold(name).strip())


def _refunds(year: int) -> list[tuple[tuple[str, str], str, int, str, str, Decimal]]:
    """The refunds (R19 closings) written in `year`: (payer key, payer name, patient id,
    patient name, patient CPF, amount), each for the payer of the package's receipts (its
    owner's payer when it has none)."""
    start = datetime(year, 1, 1)
    end = datetime(year + 1, 1, 1)
    events = list(
        PackageEvent.select(PackageEvent.package, PackageEvent.refunded)
        .where(
            (PackageEvent.kind == ENCERRADO)
            & (PackageEvent.at >= start)
            & (PackageEvent.at < end)
            & (PackageEvent.refunded > 0)
        )
        .tuples()
    )
    found = []
    for package_id, refunded in events:
        package = Package.get_by_id(package_id)
        owner = Patient.get_by_id(package.patient_id)
        last = (
            Receipt.select()
            .where((Receipt.package == package_id) & Receipt.cancelled_at.is_null())
            .order_by(Receipt.number.desc())
            .first()
        )
        if last is not None:
            name, cpf = last.payer_name, last.payer_cpf
        else:
            name, cpf = payer_of(owner)
        found.append((_payer_key(name, cpf), name, owner.id, owner.name, owner.cpf, refunded))
    return found


def _statements(year: int) -> dict[tuple[str, str], AnnualStatement]:
    start, end = _year_bounds(year)
    receipts = list(
        Receipt.select()
        .where(
            (Receipt.issued_on >= start)
            & (Receipt.issued_on <= end)
            & Receipt.cancelled_at.is_null()
        )
        .order_by(Receipt.number)
    )
    payers: dict[tuple[str, str], dict] = {}

    def entry(key, name, cpf) -> dict:
        return payers.setdefault(key, {"name": name, "cpf": cpf, "patients": {}})

    def patient_entry(payer: dict, patient_id: int, name: str, cpf: str) -> dict:
        return payer["patients"].setdefault(
            patient_id,
            {"name": name, "cpf": cpf, "received": ZERO, "refunded": ZERO, "numbers": []},
        )

    for r in receipts:
        payer = entry(_payer_key(r.payer_name, r.payer_cpf), r.payer_name, r.payer_cpf)
        line = patient_entry(payer, r.patient_id, r.patient_name, r.patient_cpf)
        line["name"], line["cpf"] = r.patient_name, r.patient_cpf or line["cpf"]
        line["received"] += r.amount
        line["numbers"].append(r.number)
        payer["name"] = r.payer_name
    for key, name, patient_id, patient_name, patient_cpf, refunded in _refunds(year):
        payer = entry(key, name, key[0])
        line = patient_entry(payer, patient_id, patient_name, patient_cpf)
        line["refunded"] += refunded
    out = {}
    for key, payer in payers.items():
        lines = tuple(
            sorted(
                (
                    StatementLine(
                        patient_id=patient_id,
                        patient_name=p["name"],
                        patient_cpf=p["cpf"],
                        received=p["received"],
                        refunded=p["refunded"],
                        amount=p["received"] - p["refunded"],
                        receipts=tuple(p["numbers"]),
                    )
                    for patient_id, p in payer["patients"].items()
                ),
                key=lambda line: (fold(line.patient_name), line.patient_id),
            )
        )
        out[key] = AnnualStatement(
            year=year,
            payer_name=payer["name"],
            payer_cpf=payer["cpf"],
            lines=lines,
            total=sum((line.amount for line in lines), ZERO),
            received=sum((line.received for line in lines), ZERO),
            refunded=sum((line.refunded for line in lines), ZERO),
        )
    return out


def annual_statement(
    year: int, payer_cpf: str | None = None, *, payer_name: str | None = None
) -> AnnualStatement:
    """R21: what was received in `year` from the payer of CPF `payer_cpf` (digits, or
    written with dots and dash), per patient, each line less the refunds of that patient's
    packages in the year; `.total` is their sum. A payer without CPF is found by
    `payer_name` instead. Cancelled receipts count for nothing. A payer with nothing in the
    year gets a statement with no line and a total of 0,00. ValidationError for a CPF with
    wrong check digits or neither CPF nor name."""
    cpf = digits(payer_cpf or "")
    if cpf and not cpf_is_valid(cpf):
        raise ValidationError("CPF do pagador inválido: confira os dígitos.", "payer_cpf")
    if not cpf and not (payer_name or "").strip():
        raise ValidationError("Informe o CPF (ou o nome) do pagador.", "payer_cpf")
    key = _payer_key(payer_name or "", cpf)
    found = _statements(year).get(key)
    if found is not None:
        return found
    name = (payer_name or "").strip()
    if cpf and not name:
        patient = Patient.select().where(Patient.payer_cpf == cpf).first()
        name = patient.payer_name if patient is not None else ""
    return AnnualStatement(year, name, cpf, (), ZERO, ZERO, ZERO)


def payers(year: int) -> list[Payer]:
    """Every payer with a receipt or a refund in `year`, by name, with their total (the
    Declaração anual "for all payers")."""
    found = [
        Payer(s.payer_name, s.payer_cpf, s.total, tuple(line.patient_name for line in s.lines))
        for s in _statements(year).values()
    ]
    return sorted(found, key=lambda p: (fold(p.name), p.cpf))


# --- documents ------------------------------------------------------------------------------


def document_label(document_number: str) -> str:
    """ "CNPJ" for 14 digits, "CPF" for 11, else "CNPJ/CPF"."""
    return {14: "CNPJ", 11: "CPF"}.get(len(digits(document_number)), "CNPJ/CPF")


def city_date(city: str, day: date) -> str:
    """ "São Paulo, 3 de julho de 2026" (without a city: "3 de julho de 2026")."""
    when = f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"
    return f"{city.strip()}, {when}" if city and city.strip() else when


@dataclass(frozen=True)
class ReceiptDocument:
    """Everything a printed receipt shows (R21)."""

    receipt: ReceiptRow
    clinic: ClinicInfo
    clinic_document_label: str
    amount_in_words: str
    city_date: str
    statement: str  # "Recebemos de … a importância de R$ … (…), referente a …"

    @property
    def title(self) -> str:
        return f"Recibo No. {self.receipt.number}"


def document(number: int) -> ReceiptDocument:
    """What the receipt numbered `number` prints: the clinic (name, CNPJ/CPF, address,
    city), payer and patient with CPFs, what was paid, the amount in figures and words,
    the date and method, a package's balance, and "cidade, data". NotFound when none."""
    row = get_receipt(number)
    info = clinic_info()
    words = amount_in_words(row.amount)
    payer = row.payer_name + (f" (CPF {row.payer_cpf_text})" if row.payer_cpf else "")
    about = ""
    if not row.patient_is_payer:
        about = f", pelos atendimentos de {row.patient_name}" + (
            f" (CPF {row.patient_cpf_text})" if row.patient_cpf else ""
        )
    what = {
        PACOTE: f"ao pacote No. {row.package_number}",
        PARCELA: "à parcela do pacote No. " + row.package_number,
        PAGAMENTO: "às sessões abaixo",
    }.get(row.source, "ao que segue")
    how = f", pago em {format_date(row.issued_on)}" + (
        f" ({row.method_label})" if row.method_label else ""
    )
    statement = (
        f"Recebemos de {payer} a importância de {format_brl(row.amount)} ({words}){about}, "
        f"referente {what}{how}."
    )
    return ReceiptDocument(
        receipt=row,
        clinic=info,
        clinic_document_label=document_label(info.document),
        amount_in_words=words,
        city_date=city_date(info.city, row.issued_on),
        statement=statement,
    )


def _words(amount: Decimal) -> str:
    if amount <= 0:
        return "zero real" if amount == 0 else "menos " + amount_in_words(-amount)
    return amount_in_words(amount)


@dataclass(frozen=True)
class StatementDocument:
    """Everything the printed Declaração anual shows."""

    statement: AnnualStatement
    clinic: ClinicInfo
    clinic_document_label: str
    total_in_words: str
    city_date: str
    text: str

    @property
    def title(self) -> str:
        return f"Declaração de pagamentos {self.statement.year}"


def statement_document(
    year: int,
    payer_cpf: str | None = None,
    *,
    payer_name: str | None = None,
    issued_on: date | None = None,
) -> StatementDocument:
    """What the "Declaração de pagamentos para o Imposto de Renda" of a payer prints."""
    statement = annual_statement(year, payer_cpf, payer_name=payer_name)
    info = clinic_info()
    day = issued_on or clock.today()
    who = statement.payer_name or "—"
    if statement.payer_cpf:
        who += f", CPF {statement.payer_cpf_text},"
    text = (
        f"Declaramos, para fins de Imposto de Renda, que recebemos de {who} no ano de "
        f"{year}, a importância total de {format_brl(statement.total)} "
        f"({_words(statement.total)}), "
        "referente a serviços de saúde prestados aos pacientes abaixo"
        + (" (já descontadas as devoluções no ano)." if statement.refunded > 0 else ".")
    )
    return StatementDocument(
        statement=statement,
        clinic=info,
        clinic_document_label=document_label(info.document),
        total_in_words=_words(statement.total),
        city_date=city_date(info.city, day),
        text=text,
    )
