"""R8 (and R8, extended): changing a package by hand — sessions, total, payment date,
status, notes, and its terms: the owner (a transfer), the validity, the services covered,
the patients it is shared with. One transaction; one `alterado manualmente` line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .. import access, audit, receipt_book
from ..clinic import get_patient, operator_name
from ..errors import ValidationError
from ..paying import lock_package
from ..store.models import Package, Patient, Payment, Service, Session, refresh_instance
from ..store.transactions import operation
from ..terms import ALTERADO, ATIVO, ENCERRADO, FINALIZADO, INATIVO
from ..validation import a_date, money_value, optional_text, whole_number
from . import coverage, ledger, lines
from . import plans as plan
from .coverage import UNSET, Terms
from .lines import MAX_NOTES, MAX_SESSIONS


def _clean_status(status: Any) -> str | None:
    if status is None:
        return None
    if status == FINALIZADO:
        raise ValidationError(
            "O status “finalizado” não pode ser escolhido: o pacote é finalizado "
            "quando não tem mais sessões restantes.",
            "status",
        )
    if status == ENCERRADO:
        raise ValidationError(
            "O status “encerrado” não pode ser escolhido aqui: use Encerrar pacote, que "
            "mostra quanto devolver.",
            "status",
        )
    if status not in (ATIVO, INATIVO):
        raise ValidationError("Status inválido: use ativo ou inativo.", "status")
    return status


@operation
@access.allowed("packages.edit_package")
def edit_package(
    package: Package | int | str,
    *,
    sessions: int | None = None,
    total: Decimal | str | None = None,
    paid_on: date | None = None,
    status: str | None = None,
    notes: str | None = None,
    patient: Patient | int | None = None,
    valid_until: date | None = UNSET,
    services: Sequence[Service | int] | None = UNSET,
    shared_with: Sequence[Patient | int] | None = UNSET,
    expected_version: int | None = None,
) -> Package:
    """R8: change sessions, total, payment date, status (ativo/inativo) and notes, and
    (R8, extended) the owner (`patient`: a transfer), the validity (`valid_until`, None:
    no limit), the services covered (`services`, None or empty: all) and the patients it
    is shared with (`shared_with`, None or empty: nobody). What is not given stays.

    Sessions may not go below those already used. When sessions or total change, the
    active debits are re-priced by R5 under the new figures in chronological order of
    their sessions (ties by debit order), and each paid session's price follows. The
    status becomes `finalizado` when no session is left, else the one asked for, else
    the current one (a finalizado package with sessions again becomes ativo). A change of
    the terms leaves the existing debits where they are. The owner is never among those
    it is shared with: a transfer to a sharer takes them off the sharing, and the (new)
    owner listed in `shared_with` is left out. Appends `alterado manualmente` listing the
    changed fields; no change, no line. An `encerrado` package (R19) changes only its
    notes: any other change is a ValidationError.
    """
    row = lock_package(package)
    lines.check_version(row, expected_version)
    new_sessions = row.sessions_total
    if sessions is not None:
        new_sessions = whole_number(
            sessions, "Número total de sessões", low=1, high=MAX_SESSIONS, field="sessions"
        )
        if new_sessions < row.sessions_used:
            raise ValidationError(
                f"Este pacote já tem {row.sessions_used} "
                f"{'sessão usada' if row.sessions_used == 1 else 'sessões usadas'}: o número "
                f"total de sessões não pode ser menor que {row.sessions_used}. Para reduzir "
                "mais, remova antes sessões pagas.",
                "sessions",
            )
    new_total = row.total if total is None else money_value(total, "Total pago", field="total")
    new_paid_on = (
        row.paid_on if paid_on is None else a_date(paid_on, "Data de pagamento", field="paid_on")
    )
    new_notes = (
        row.notes
        if notes is None
        else optional_text(notes, "Observações", max_length=MAX_NOTES, field="notes")
    )
    if row.status == ENCERRADO:
        old_terms = coverage.terms_of(row)
        new_terms = _changed_terms(old_terms, patient, valid_until, services, shared_with)
        _only_notes_when_closed(
            row, status, (new_sessions, new_total, new_paid_on, new_terms), old_terms
        )
        new_status = ENCERRADO
    else:
        if (new_sessions, new_total) != (row.sessions_total, row.total):
            lines.check_cent_per_session(new_total, new_sessions)
        if new_total != row.total:
            plan.check_total_change(row, new_total)  # R18: never below what was received
        asked = _clean_status(status)
        new_status = ledger.status_after_change(asked, row.status, new_sessions - row.sessions_used)
        old_terms = coverage.terms_of(row)
        new_terms = _changed_terms(old_terms, patient, valid_until, services, shared_with)

    note = ledger.change_note(
        owner=_term_change(
            old_terms.owner_id,
            new_terms.owner_id,
            lambda: coverage.patient_name(new_terms.owner_id),
        ),
        status=(row.status, new_status),
        sessions=(row.sessions_total, new_sessions),
        total=(row.total, new_total),
        paid_on=(row.paid_on, new_paid_on),
        valid_until=(old_terms.valid_until, new_terms.valid_until),
        services=_term_change(
            old_terms.service_ids,
            new_terms.service_ids,
            lambda: ledger.names_label(
                coverage.service_names(new_terms.service_ids), ledger.ALL_SERVICES
            ),
        ),
        shared_with=_term_change(
            old_terms.shared_ids,
            new_terms.shared_ids,
            lambda: ledger.names_label(coverage.patient_names(new_terms.shared_ids), ledger.NOBODY),
        ),
        notes=(row.notes, new_notes),
    )
    if note is None:
        refresh_instance(package, row)
        return row

    reprice = (new_sessions, new_total) != (row.sessions_total, row.total)
    old_total, old_paid_on = row.total, row.paid_on
    row.sessions_total = new_sessions
    row.total = new_total
    row.paid_on = new_paid_on
    row.notes = new_notes
    row.status = new_status
    row.patient = new_terms.owner_id
    row.valid_until = new_terms.valid_until
    if reprice:
        row.open_amount = _reprice_debits(row)
    row.version += 1
    row.save()
    coverage.write_terms(row, old_terms, new_terms)
    plan.follow_change(row, old_total, old_paid_on)
    if (row.total, row.paid_on) != (old_total, old_paid_on):
        # R21: without a plan the receipt of the old figures is replaced by one of the new.
        receipt_book.package_changed(row, operator=operator_name())
    lines.record(row, ALTERADO, note, terms=new_terms, operator=operator_name())
    audit.record(
        audit.PACKAGE_CHANGE, f"Pacote No. {row.number} (paciente #{row.patient_id}): {note}"
    )
    refresh_instance(package, row)
    return row


def _only_notes_when_closed(row: Package, status: Any, new: tuple, old_terms: Terms) -> None:
    """R19: an `encerrado` package is final; only its notes may change. A field given with
    the value it already has is no change (a form sends them all)."""
    same = new == (row.sessions_total, row.total, row.paid_on, old_terms)
    if not same or status not in (None, ENCERRADO):
        raise ValidationError(
            f"O pacote No. {row.number} está encerrado: só as observações podem ser "
            "alteradas. Nada foi alterado."
        )


def _changed_terms(
    old: Terms, patient: Any, valid_until: Any, services: Any, shared_with: Any
) -> Terms:
    """The terms after an edit: each one given replaces the old (R8, extended)."""
    owner = old.owner_id if patient is None else get_patient(patient).id
    if shared_with is UNSET:
        shared = old.shared_ids - {owner}  # the new owner no longer needs a share
    else:
        shared = coverage.clean_shared(shared_with, owner)  # the owner left out
    return Terms(
        owner_id=owner,
        valid_until=old.valid_until
        if valid_until is UNSET
        else coverage.clean_valid_until(valid_until),
        service_ids=old.service_ids if services is UNSET else coverage.clean_services(services),
        shared_ids=shared,
    )


def _term_change(old: Any, new: Any, shown) -> ledger.TermChange:
    """(old, new, how the note shows new): the names are read only when it changed."""
    return (old, new, shown() if old != new else "")


def _reprice_debits(row: Package) -> Decimal:
    """Re-price the package's active debits by R5 under its (new) figures; returns the open
    amount. Each paid session's price follows its new debit amount."""
    debits = list(
        Payment.select(Payment, Session)
        .join(Session)
        .where((Payment.package == row.id) & Payment.voided_at.is_null())
        .order_by(Session.starts_at, Payment.id)
    )
    amounts = ledger.debit_schedule(row.total, row.sessions_total, len(debits))
    for payment, amount in zip(debits, amounts, strict=True):
        if payment.amount != amount:
            payment.amount = amount
            payment.save(only=[Payment.amount])
        if payment.session.price != amount:
            payment.session.price = amount
            payment.session.save(only=[Session.price])
    return row.total - sum(amounts, ledger.ZERO)
