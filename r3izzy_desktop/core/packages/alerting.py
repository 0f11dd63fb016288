"""R22: the package alerts the reception acts on, and the WhatsApp message for each.

`alerts(today)` lists, for `ativo` packages: `acabando` (sessions left at or below the
clinic's threshold, and above 0), `vencendo` (sessions left, the last valid day from today
to today + the clinic's warning days), `vencido` (sessions left, the last valid day before
today) and `parcela atrasada` (R18: an installment not received and due before today, of a
package in any status but `encerrado`). `whatsapp_link(alert)` is the wa.me link that opens
WhatsApp with the clinic's message template filled. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import quote

from peewee import SQL, Select, fn

from .. import clock
from ..clinic import PackageDefaults, clinic_info, fill_message_template, package_defaults
from ..errors import ValidationError
from ..ptbr import format_brl, format_date, from_cents
from ..store.models import Installment, Package, Patient
from ..terms import ATIVO
from ..text import brazil_phone, fold
from . import ledger

ACABANDO = "acabando"
VENCENDO = "vencendo"
VENCIDO = "vencido"
PARCELA_ATRASADA = "parcela atrasada"
# The order of the list: what is already lost first, then what is about to be.
ALERT_KINDS = (VENCIDO, PARCELA_ATRASADA, VENCENDO, ACABANDO)
# R19's final status: an early closing cancels what was not received (no alert then).
_CLOSED = "encerrado"


@dataclass(frozen=True)
class PackageAlert:
    """One alert about one package (a package may have several: acabando and vencendo).

    `patient_id` / `patient_name` are the package's owner; `phone` the number to call as
    it was typed ("" when there is none); `contact_name` who reads the message (the
    guardian of a child, else the patient); `on` the day it is about (a vencendo alert
    counts the days from it); a parcela atrasada's `late_count` installments, their sum
    `late_amount` and the earliest due date `first_due`. `text`, the alert in words, is
    made when asked: a clinic has thousands of alerts, a screen shows a few texts."""

    kind: str
    package_id: int
    package_number: str
    patient_id: int
    patient_name: str
    phone: str
    sessions_left: int
    valid_until: date | None
    contact_name: str
    on: date
    late_count: int = 0
    late_amount: Decimal = ledger.ZERO
    first_due: date | None = None

    @property
    def text(self) -> str:
        if self.kind == PARCELA_ATRASADA:
            return overdue_text(
                self.patient_name,
                self.package_number,
                self.late_count,
                self.late_amount,
                self.first_due,
            )
        return alert_text(
            self.kind,
            self.patient_name,
            self.package_number,
            self.sessions_left,
            self.valid_until,
            self.on,
        )


def _sessions(count: int) -> str:
    return "1 sessão" if count == 1 else f"{count} sessões"


def _due_in(days: int) -> str:
    if days == 0:
        return "vence hoje"
    if days == 1:
        return "vence amanhã"
    return f"vence em {days} dias"


def alert_text(kind: str, patient_name: str, number: str, left: int, valid_until, today) -> str:
    """The alert in words, as the list shows it and the message's {aviso} says it."""
    package = f"O pacote de {patient_name} (No. {number})"
    if kind == ACABANDO:
        return f"{package} tem só {_sessions(left)} restante{'s' if left != 1 else ''}"
    if kind == VENCENDO:
        days = (valid_until - today).days
        return f"{package} {_due_in(days)}, em {format_date(valid_until)}"
    if kind == VENCIDO:
        return f"{package} venceu em {format_date(valid_until)} e ainda tem {_sessions(left)}"
    return f"{package} tem uma parcela atrasada"


def alerts(
    today: date | None = None, defaults: PackageDefaults | None = None
) -> list[PackageAlert]:
    """R22: every alert of the `ativo` packages on `today` (default: the core's today),
    vencido first, then parcela atrasada, vencendo (soonest first) and acabando (fewest
    sessions first); within a kind by patient name. `defaults`: the clinic's package
    defaults when the caller read them already (Gestão Financeira reads them with its
    figures); else they are read here. One statement for the alerts, whatever their number
    (plus one for the defaults when not given)."""
    day = today or clock.today()
    defaults = defaults or package_defaults()
    found: list[PackageAlert] = []
    # The driver's rows as they come (a clinic has thousands of alerts: peewee's
    # conversion of each value would cost more than the query; dates are read below).
    for row in Package._meta.database.execute(alert_rows(day, defaults)).fetchall():
        found += _row_alerts(row, day, defaults)
    folded: dict[str, str] = {}  # each patient's name folded once, not once per alert
    for alert in found:
        if alert.patient_name not in folded:
            folded[alert.patient_name] = fold(alert.patient_name)
    return sorted(found, key=lambda alert: _alert_order(alert, folded[alert.patient_name]))


def alert_rows(today: date, defaults: PackageDefaults):
    """The one query of `alerts`: the `ativo` packages with an alert by the validity or the
    sessions left (the late columns NULL), then, UNION ALL, the packages (not `encerrado`)
    with an installment not received and due before `today`, grouped with how many, their
    sum and the earliest due date; each row with its package's and patient's columns."""
    left = Package.sessions_total - Package.sessions_used
    soon = today + timedelta(days=defaults.warning_days)
    package_columns = (
        Package.id,
        Package.number,
        Package.patient,
        Package.sessions_total,
        Package.sessions_used,
        Package.valid_until,
        Patient.name,
        Patient.phone,
        Patient.guardian,
    )
    by_terms = (
        Package.select(*package_columns, SQL("NULL"), SQL("NULL"), SQL("NULL"))
        .join(Patient)
        .where(
            (Package.status == ATIVO)
            & (left > 0)
            & ((left <= defaults.ending_threshold) | (Package.valid_until <= soon))
        )
    )
    # The late installments grouped by package, with the package's and the patient's
    # columns (both functionally dependent on the grouped ids).
    late = Installment.received_on.is_null() & (Installment.due_on < today)
    overdue = (
        Installment.select(
            *package_columns,
            fn.COUNT(Installment.id),
            fn.SUM(Installment.amount),
            fn.MIN(Installment.due_on),
        )
        .join(Package)
        .join(Patient)
        .where(late & (Package.status != _CLOSED))
        .group_by(Package.id, Patient.id)
    )
    return by_terms.union_all(overdue)


def _row_alerts(row: tuple, day: date, defaults: PackageDefaults) -> list[PackageAlert]:
    """The alerts of one row of `alert_rows`."""
    (package_id, number, patient_id, total, used, valid_until, name, phone, guardian) = row[:9]
    late_count, late_cents, first_due = row[9:]
    valid_until = _as_day(valid_until) if valid_until is not None else None
    sessions_left = total - used

    def alert(kind: str, **late) -> PackageAlert:
        return PackageAlert(
            kind=kind,
            package_id=package_id,
            package_number=number,
            patient_id=patient_id,
            patient_name=name,
            phone=phone,
            sessions_left=sessions_left,
            valid_until=valid_until,
            contact_name=guardian or name,
            on=day,
            **late,
        )

    if late_count is not None:
        return [
            alert(
                PARCELA_ATRASADA,
                late_count=int(late_count),
                late_amount=from_cents(int(late_cents or 0)),
                first_due=_as_day(first_due),
            )
        ]
    kinds = []
    if valid_until is not None and valid_until < day:
        kinds.append(VENCIDO)
    elif valid_until is not None and (valid_until - day).days <= defaults.warning_days:
        kinds.append(VENCENDO)
    if sessions_left <= defaults.ending_threshold:
        kinds.append(ACABANDO)
    return [alert(kind) for kind in kinds]


def _alert_order(alert: PackageAlert, folded_name: str):
    due = alert.valid_until.toordinal() if alert.valid_until is not None else 0
    return (
        ALERT_KINDS.index(alert.kind),
        due if alert.kind == VENCENDO else 0,
        alert.sessions_left if alert.kind == ACABANDO else 0,
        folded_name,
        alert.package_id,
    )


def _overdue_query(today: date):
    """The packages (not `encerrado`) with an installment not received and due before
    `today`: id, how many such installments, their sum and the earliest due date."""
    late = Installment.received_on.is_null() & (Installment.due_on < today)
    return (
        Installment.select(
            Installment.package,
            fn.COUNT(Installment.id),
            fn.SUM(Installment.amount),
            fn.MIN(Installment.due_on),
        )
        .join(Package)
        .where(late & (Package.status != _CLOSED))
        .group_by(Installment.package)
    )


def overdue_text(patient_name: str, number: str, count: int, amount, first_due) -> str:
    """ "O pacote de Ana Souza (No. 260301090000) tem 2 parcelas atrasadas (R$ 666,67),
    a primeira vencida em 01/04/2026"."""
    package = f"O pacote de {patient_name} (No. {number})"
    what = "uma parcela atrasada" if count == 1 else f"{count} parcelas atrasadas"
    since = "vencida" if count == 1 else "a primeira vencida"
    return f"{package} tem {what} ({format_brl(amount)}), {since} em {format_date(first_due)}"


def _as_day(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def alert_count(today: date | None = None) -> int:
    """How many alerts `alerts(today)` lists (the count the navigation shows), counted in
    SQL: a clinic's packages are never read one by one for it. Two statements: the
    clinic's package settings, then the three counts as scalar subqueries of one SELECT."""
    day = today or clock.today()
    defaults = package_defaults()
    left = Package.sessions_total - Package.sessions_used
    counted = Package.select(fn.COUNT(Package.id)).where((Package.status == ATIVO) & (left > 0))
    ending = counted.where(left <= defaults.ending_threshold)
    # A package with a validity by then is either vencido or vencendo: one alert.
    dated = counted.where(Package.valid_until <= day + timedelta(days=defaults.warning_days))
    late = Select([_overdue_query(day).alias("late")], [fn.COUNT(SQL("*"))])
    row = Select(columns=[ending, dated, late]).bind(Package._meta.database).tuples()
    return sum(int(count or 0) for count in row.get())


def alert_message(alert: PackageAlert, template: str | None = None) -> str:
    """The clinic's message template (Configurações › Pacotes) filled for `alert`."""
    template = template or package_defaults().message_template
    clinic = clinic_info().name.strip() or "clínica"
    return fill_message_template(
        template,
        {
            "nome": alert.contact_name,
            "paciente": alert.patient_name,
            "clinica": clinic,
            "pacote": alert.package_number,
            "aviso": alert.text,
            "sessoes": str(alert.sessions_left),
            "validade": ledger.validity_label(alert.valid_until),
        },
    )


def whatsapp_number(phone: str, patient_name: str) -> str:
    """The phone as wa.me wants it: 55, the DDD and the number. ValidationError (field
    "phone") when the patient has no phone or it is not a Brazilian number."""
    if not (phone or "").strip():
        raise ValidationError(
            f"{patient_name} não tem telefone cadastrado. Cadastre o telefone em Pacientes "
            "(Editar dados) para enviar a mensagem.",
            "phone",
        )
    number = brazil_phone(phone)
    if number is None:
        raise ValidationError(
            f"O telefone de {patient_name} ({phone}) não é um número válido para o WhatsApp: "
            "corrija-o em Pacientes (Editar dados) com DDD e número, como (11) 98765-4321.",
            "phone",
        )
    return "55" + number


def whatsapp_link(alert: PackageAlert, template: str | None = None) -> str:
    """`https://wa.me/55<DDD><número>?text=<the message, URL-encoded>` for the alert's
    phone (see `whatsapp_number` for the errors)."""
    number = whatsapp_number(alert.phone, alert.patient_name)
    return f"https://wa.me/{number}?text={quote(alert_message(alert, template), safe='')}"
