"""Reading packages: their figures, terms, history, paid sessions and what they could pay.

Plain reads for the screens, reports and the operations (operations.py); the package's
`__init__` re-exports them, so the SPEC §6 names stay `packages.summary`,
`packages.history`, `packages.offerable_packages`. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from peewee import JOIN, Select

from .. import clock
from ..errors import NotFound
from ..store.models import (
    Package,
    PackageEvent,
    PackageShare,
    Patient,
    Payment,
    Service,
    Session,
    package_id_of,
)
from ..terms import ATIVO, ENCERRADO, method_label
from ..text import fold
from . import coverage, ledger
from . import plans as plan

# --- rows the screens and reports read ---------------------------------------------------


@dataclass(frozen=True)
class PackageSummary:
    id: int
    number: str
    patient_id: int
    patient_name: str
    paid_on: date
    status: str
    total: Decimal
    open_amount: Decimal
    price_per_session: Decimal
    sessions_total: int
    sessions_used: int
    sessions_left: int
    notes: str
    version: int
    created_at: datetime
    # R15: the last valid day (None: no limit); `expired` ("vencido", a badge, never a
    # status): ativo, sessions left and valid_until before today; `days_to_expiry`: days
    # from today to valid_until (negative once past), None without a validity.
    valid_until: date | None = None
    expired: bool = False
    days_to_expiry: int | None = None
    # R16: the names of the services it is limited to, sorted ("" none: every service),
    # and their ids in the same order.
    services: tuple[str, ...] = ()
    service_ids: tuple[int, ...] = ()
    # R17: the names of the patients it is shared with, in the order they were registered
    # (as the history note lists them; none: nobody), and their ids in the same order.
    # The owner is `patient_id` / `patient_name`.
    shared_with: tuple[str, ...] = ()
    shared_with_ids: tuple[int, ...] = ()
    # R18: what was received (installments received), what is still owed (the amounts
    # not received: total − received), of it what is overdue (not received, due before
    # today), the installments (how many, how many received, how many overdue), whether
    # only what was received may be used, the payment method (a key of
    # terms.MANUAL_METHODS, "" unknown) and whether it was sold with a plan.
    received: Decimal = ledger.ZERO
    owed: Decimal = ledger.ZERO
    overdue: Decimal = ledger.ZERO
    installments_count: int = 0
    installments_received: int = 0
    overdue_count: int = 0
    pay_before_use: bool = False
    method: str = ""
    has_plan: bool = False

    @property
    def method_label(self) -> str:
        """ "Pix", "Cartão de crédito"; "" when unknown."""
        return method_label(self.method) if self.method else ""

    # R19: what the closing of an `encerrado` package gave back and what the clinic kept
    # (0 for any other package).
    refunded: Decimal = ledger.ZERO
    retained: Decimal = ledger.ZERO

    def is_shared_with(self, patient_id: int) -> bool:
        return patient_id in self.shared_with_ids

    def expires_within(self, warning_days: int) -> bool:
        """ "Vence em N dias" shows (R15): ativo with sessions left, the validity from today
        to today + `warning_days`."""
        return (
            self.status == ATIVO
            and self.sessions_left > 0
            and self.days_to_expiry is not None
            and 0 <= self.days_to_expiry <= warning_days
        )

    @property
    def next_debit(self) -> Decimal | None:
        """What the next debit would take (R5), None when no session is left."""
        if self.sessions_left <= 0:
            return None
        return ledger.next_debit(self.open_amount, self.sessions_left)


@dataclass(frozen=True)
class HistoryRow:
    id: int
    kind: str
    at: datetime
    status: str
    note: str
    sessions_left: int
    open_amount: Decimal
    price_per_session: Decimal
    package_date: date
    amount: Decimal
    session_id: int | None
    operator: str


@dataclass(frozen=True)
class PaidSession:
    session_id: int
    payment_id: int
    starts_at: datetime
    service_name: str
    price: Decimal
    amount: Decimal
    paid_on: date
    attendance: str
    patient_id: int = 0  # whose session: the owner's, or (R17) a sharer's
    patient_name: str = ""


# --- reading -----------------------------------------------------------------------------


def get_package(package: Package | int | str) -> Package:
    """The package by instance, id or number, read fresh from the database."""
    found = Package.get_or_none(Package.id == package_id_of(package))
    if found is None:
        raise NotFound("Pacote não encontrado.")
    return found


def _names(model, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(model.select(model.id, model.name).where(model.id.in_(list(ids))).tuples())


class _TermNames:
    """The terms of a set of packages and the names they show, and (R19) what the closed
    ones gave back: gathered from the rows of the packages' one read (`_summaries`)."""

    def __init__(self) -> None:
        self.services: dict[int, set[int]] = {}
        self.shared: dict[int, set[int]] = {}
        self.service_names: dict[int, str] = {}
        self.patient_names: dict[int, str] = {}
        # R19: the refunded and retained amounts of the closed ones (their encerrado line).
        self.closings: dict[int, tuple[Decimal, Decimal]] = {}

    def add_term(self, package_id: int, kind: int, other_id: int, name: str) -> None:
        if kind:
            self.shared.setdefault(package_id, set()).add(other_id)
            self.patient_names[other_id] = name
        else:
            self.services.setdefault(package_id, set()).add(other_id)
            self.service_names[other_id] = name

    def services_of(self, package_id: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
        named = sorted(
            ((self.service_names.get(i, ""), i) for i in self.services.get(package_id, ())),
            key=lambda pair: (fold(pair[0]), pair[0], pair[1]),
        )
        return tuple(name for name, _ in named), tuple(i for _, i in named)

    def shared_of(self, package_id: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
        ids = tuple(sorted(self.shared.get(package_id, ())))
        return tuple(self.patient_names.get(i, "") for i in ids), ids


def _summarize(
    row: Package,
    patient_name: str,
    names: _TermNames,
    money: dict[int, plan.InstallmentFigures],
) -> PackageSummary:
    paid = money.get(row.id, plan.InstallmentFigures())
    service_names, service_ids = names.services_of(row.id)
    shared_names, shared_ids = names.shared_of(row.id)
    refunded, retained = names.closings.get(row.id, (ledger.ZERO, ledger.ZERO))
    left = row.sessions_left
    days = (row.valid_until - clock.today()).days if row.valid_until is not None else None
    return PackageSummary(
        id=row.id,
        number=row.number,
        patient_id=row.patient_id,
        patient_name=patient_name,
        paid_on=row.paid_on,
        status=row.status,
        total=row.total,
        open_amount=row.open_amount,
        price_per_session=ledger.price_per_session(row.total, row.sessions_total),
        sessions_total=row.sessions_total,
        sessions_used=row.sessions_used,
        sessions_left=left,
        notes=row.notes,
        version=row.version,
        created_at=row.created_at,
        valid_until=row.valid_until,
        expired=row.status == ATIVO and left > 0 and days is not None and days < 0,
        days_to_expiry=days,
        services=service_names,
        service_ids=service_ids,
        shared_with=shared_names,
        shared_with_ids=shared_ids,
        received=paid.received,
        owed=paid.owed,
        overdue=paid.overdue,
        installments_count=paid.count,
        installments_received=paid.received_count,
        overdue_count=paid.overdue_count,
        pay_before_use=bool(row.pay_before_use),
        method=row.method or "",
        has_plan=bool(row.has_plan),
        refunded=refunded,
        retained=retained,
    )


_MONEY = tuple(f"money_{name}" for name in plan.FIGURE_COLUMNS)


def _summaries(chosen_ids, *order) -> list[PackageSummary]:
    """The packages whose ids `chosen_ids` (a query of package ids) selects, as summaries,
    in `order`: one
    statement whatever their number. Their owner's name, their installments' figures (R18)
    and their closing line (R19), one row each, are joined in; their terms (R16, R17) too,
    a package limited to two services or shared with two patients coming as two or more
    rows (few: a package has a handful of terms at most), gathered here. On a clinic's
    server each statement is a round trip: this was three to four."""
    # The packages' ids, found once (a materialized CTE, named by each part: peewee's
    # `select_from` would repeat its WITH), which every part filters on by primary key: the
    # planner then never walks every package in date order, nor looks them up five times.
    chosen = chosen_ids.cte("chosen", materialized=True)
    ids = Select((chosen,), (chosen.c.id,))
    money = plan.figures_query(ids).alias("money")
    closing = (
        PackageEvent.select(
            PackageEvent.package.alias("package_id"),
            PackageEvent.refunded.alias("refunded"),
            PackageEvent.retained.alias("retained"),
        )
        .where((PackageEvent.kind == ENCERRADO) & PackageEvent.package.in_(ids))
        .alias("closing")
    )
    terms = coverage.terms_union(ids).alias("terms")
    query = (
        Package.select(
            Package,
            Patient.name,
            *(money.c[name].alias(f"money_{name}") for name in plan.FIGURE_COLUMNS),
            closing.c.refunded.alias("closing_refunded"),
            closing.c.retained.alias("closing_retained"),
            terms.c.kind.alias("term_kind"),
            terms.c.id.alias("term_id"),
            terms.c.name.alias("term_name"),
        )
        .join(Patient)
        .switch(Package)
        .join(money, JOIN.LEFT_OUTER, on=(money.c.package_id == Package.id))
        .switch(Package)
        .join(closing, JOIN.LEFT_OUTER, on=(closing.c.package_id == Package.id))
        .switch(Package)
        .join(terms, JOIN.LEFT_OUTER, on=(terms.c.package_id == Package.id))
        .where(Package.id.in_(ids))
        .order_by(*order)
        .with_cte(chosen)
    )
    rows: dict[int, Package] = {}  # in the order read, once each
    names = _TermNames()
    figures: dict[int, plan.InstallmentFigures] = {}
    for row in query.objects():
        if row.term_kind is not None:
            names.add_term(row.id, int(row.term_kind), row.term_id, row.term_name)
        if row.id in rows:
            continue
        rows[row.id] = row
        if row.money_count is not None:
            figures[row.id] = plan.figures_from(*(getattr(row, alias) for alias in _MONEY))
        if row.closing_refunded is not None:
            names.closings[row.id] = (
                plan.from_cents_or_zero(row.closing_refunded),
                plan.from_cents_or_zero(row.closing_retained),
            )
    return [_summarize(row, row.name, names, figures) for row in rows.values()]


def summary(package: Package | int | str) -> PackageSummary:
    """The package's figures (R4) and terms (R15-R17) as they are in the database now
    (one statement)."""
    found = _summaries(Package.select(Package.id).where(Package.id == package_id_of(package)))
    if not found:
        raise NotFound("Pacote não encontrado.")
    return found[0]


def own_or_shared(patient_id: int, include_shared: bool = True):
    """SQL condition: the package is the patient's, or (R17) shared with them."""
    own = Package.patient == patient_id
    if not include_shared:
        return own
    shared = PackageShare.select(PackageShare.package).where(PackageShare.patient == patient_id)
    return own | Package.id.in_(shared)


def list_packages(
    patient: Patient | int, status: str | None = None, *, include_shared: bool = True
) -> list[PackageSummary]:
    """A patient's packages, newest payment first; optionally only one status. With
    `include_shared` (the default) also the packages shared with the patient (R17): their
    `patient_id` / `patient_name` is the owner's."""
    patient_id = patient.id if isinstance(patient, Patient) else patient
    # Own ones, then shared ones, as a UNION (an OR of both keeps a server from using either
    # index: it walked every package).
    ids = Package.select(Package.id).where(Package.patient == patient_id)
    if status:
        ids = ids.where(Package.status == status)
    if include_shared:
        shared = (
            PackageShare.select(PackageShare.package)
            .join(Package, on=(PackageShare.package == Package.id))
            .where(PackageShare.patient == patient_id)
        )
        ids = ids | (shared.where(Package.status == status) if status else shared)
    return _summaries(ids, Package.paid_on.desc(), Package.id.desc())


@dataclass(frozen=True)
class ActiveTotals:
    """What a patient's `ativo` packages still hold, added up (the patient page's summary):
    the patient's own and those shared with them (R17; `shared` of them), and how many are
    vencido (R15)."""

    packages: int
    sessions_left: int
    open_amount: Decimal
    shared: int = 0
    expired: int = 0


def active_totals(
    patient: Patient | int, active: list[PackageSummary] | None = None
) -> ActiveTotals:
    """The patient's `ativo` packages, own and shared: how many, sessions left and open
    amount, summed. `active`: those packages as the caller has just read them
    (`list_packages(patient, status="ativo")`), so a screen showing both reads them once."""
    patient_id = patient.id if isinstance(patient, Patient) else patient
    rows = list_packages(patient_id, status=ATIVO) if active is None else active
    return ActiveTotals(
        packages=len(rows),
        sessions_left=sum(row.sessions_left for row in rows),
        open_amount=sum((row.open_amount for row in rows), ledger.ZERO),
        shared=sum(1 for row in rows if row.patient_id != patient_id),
        expired=sum(1 for row in rows if row.expired),
    )


def history(package: Package | int | str) -> list[HistoryRow]:
    """The package's history, oldest first (R9)."""
    query = (
        PackageEvent.select()
        .where(PackageEvent.package == package_id_of(package))
        .order_by(PackageEvent.id)
    )
    return [
        HistoryRow(
            id=event.id,
            kind=event.kind,
            at=event.at,
            status=event.status,
            note=event.note,
            sessions_left=event.sessions_left,
            open_amount=event.open_amount,
            price_per_session=event.price_per_session,
            package_date=event.package_date,
            amount=event.amount,
            session_id=event.session_id,
            operator=event.operator,
        )
        for event in query
    ]


def paid_sessions(package: Package | int | str) -> list[PaidSession]:
    """The sessions this package pays now (its active debits), in chronological order."""
    query = (
        Payment.select(Payment, Session, Service, Patient)
        .join(Session)
        .join(Service)
        .switch(Session)
        .join(Patient)
        .where((Payment.package == package_id_of(package)) & Payment.voided_at.is_null())
        .order_by(Session.starts_at, Payment.id)
    )
    return [
        PaidSession(
            session_id=payment.session.id,
            payment_id=payment.id,
            starts_at=payment.session.starts_at,
            service_name=payment.session.service.name,
            price=payment.session.price,
            amount=payment.amount,
            paid_on=payment.paid_on,
            attendance=payment.session.attendance,
            patient_id=payment.session.patient.id,
            patient_name=payment.session.patient.name,
        )
        for payment in query
    ]
