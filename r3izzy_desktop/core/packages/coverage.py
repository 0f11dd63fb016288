"""What a package covers (R15-R17): its owner, its last valid day, the services it is
limited to and the patients it is shared with; checking a session against them; reading
and writing them.

The operations (operations.py) clean what the caller gives and write it here; the reads
(reads.py) show it; `check_session` is R6's per-session check extended (R6, extended).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import Value

from ..errors import NotFound, PackageExpired, ServiceNotCovered, ValidationError
from ..ptbr import format_date, format_day_month_time
from ..store.models import Package, PackageService, PackageShare, Patient, Service, Session
from ..terms import FALTA_JUSTIFICADA
from ..text import fold
from ..validation import a_date
from . import ledger


class _Unset:
    """A keyword argument not given: distinct from None, which for the terms means "no
    limit" (valid_until), "every service" (services) and "nobody" (shared_with)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class Terms:
    """A package's terms: empty `service_ids` = every service, empty `shared_ids` = nobody."""

    owner_id: int
    valid_until: date | None
    service_ids: frozenset[int]
    shared_ids: frozenset[int]

    def event_fields(self) -> dict[str, Any]:
        """The history line's columns that keep these terms (models.PackageEvent)."""
        return {
            "owner": self.owner_id,
            "valid_until": self.valid_until,
            "services": ledger.ids_text(self.service_ids),
            "shared_with": ledger.ids_text(self.shared_ids),
        }


# --- reading ----------------------------------------------------------------------------


def service_ids_of(package_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """{package id: the services it is limited to} (packages covering all are left out)."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = list(package_ids)
    if ids:
        query = PackageService.select(PackageService.package, PackageService.service).where(
            PackageService.package.in_(ids)
        )
        for package_id, service_id in query.tuples():
            found[package_id].add(service_id)
    return {key: frozenset(value) for key, value in found.items()}


def shared_ids_of(package_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """{package id: the patients it is shared with} (packages shared with nobody left out)."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = list(package_ids)
    if ids:
        query = PackageShare.select(PackageShare.package, PackageShare.patient).where(
            PackageShare.package.in_(ids)
        )
        for package_id, patient_id in query.tuples():
            found[package_id].add(patient_id)
    return {key: frozenset(value) for key, value in found.items()}


NamesById = dict[int, dict[int, str]]  # {package id: {service or patient id: its name}}


def terms_union(package_ids: Any):
    """The query of the terms of `package_ids` (a list or a subquery of ids), as rows
    (package id, kind, service or patient id, its name): kind 0 a service the package is
    limited to, 1 a patient it is shared with. A UNION ALL of both, so that whoever reads
    them (on its own, or joined to the packages' own read) sends one statement."""
    limited = (
        PackageService.select(
            PackageService.package, Value(0).alias("kind"), Service.id, Service.name
        )
        .join(Service, on=(PackageService.service == Service.id))
        .where(PackageService.package.in_(package_ids))
    )
    sharing = (
        PackageShare.select(PackageShare.package, Value(1).alias("kind"), Patient.id, Patient.name)
        .join(Patient, on=(PackageShare.patient == Patient.id))
        .where(PackageShare.package.in_(package_ids))
    )
    return limited + sharing


def named_terms_of(package_ids: Iterable[int]) -> tuple[NamesById, NamesById]:
    """({package id: {service id: name}}, {package id: {patient id: name}}): the services
    the packages are limited to and the patients they are shared with, with their names,
    in one statement whatever the number of packages (`terms_union`: on a clinic's
    server each statement is a round trip). Packages with neither are left out."""
    services: NamesById = defaultdict(dict)
    shared: NamesById = defaultdict(dict)
    ids = list(package_ids)
    if not ids:
        return {}, {}
    for package_id, kind, other_id, name in terms_union(ids).tuples():
        (shared if kind else services)[package_id][other_id] = name
    return dict(services), dict(shared)


def terms_of(row: Package) -> Terms:
    services, shared = named_terms_of([row.id])
    return Terms(
        owner_id=row.patient_id,
        valid_until=row.valid_until,
        service_ids=frozenset(services.get(row.id, ())),
        shared_ids=frozenset(shared.get(row.id, ())),
    )


def service_names(ids: Iterable[int]) -> tuple[str, ...]:
    """The services' names, sorted as a person reads them (accents and case aside)."""
    ids = list(ids)
    if not ids:
        return ()
    names = [name for (name,) in Service.select(Service.name).where(Service.id.in_(ids)).tuples()]
    return tuple(sorted(names, key=lambda name: (fold(name), name)))


def patient_names(ids: Iterable[int]) -> tuple[str, ...]:
    """The patients' names in the order they were registered (by id), as R8's note and the
    screens list the patients a package is shared with."""
    ids = list(ids)
    if not ids:
        return ()
    query = Patient.select(Patient.name).where(Patient.id.in_(ids)).order_by(Patient.id)
    return tuple(name for (name,) in query.tuples())


def patient_name(patient_id: int) -> str:
    return Patient.select(Patient.name).where(Patient.id == patient_id).scalar() or ""


# --- cleaning what the caller gives -------------------------------------------------------


def clean_valid_until(value: Any) -> date | None:
    """A last valid day (date, or text dd/MM/yyyy), or None for no limit."""
    if value is None or value == "":
        return None
    return a_date(value, "Validade", field="valid_until")


def _ids(values: Any, model, label: str) -> list[int]:
    if values is None:
        return []
    if isinstance(values, model | int) and not isinstance(values, bool):
        values = [values]  # one given alone
    ids = []
    for value in values:
        if isinstance(value, model):
            ids.append(value.id)
        elif isinstance(value, int) and not isinstance(value, bool):
            ids.append(value)
        else:
            raise ValidationError(f"{label}: valor inválido.")
    return ids


def clean_services(values: Any) -> frozenset[int]:
    """R16: the services a package is limited to (Service rows or ids); None or empty:
    every service. NotFound for an unknown one."""
    ids = set(_ids(values, Service, "Serviços"))
    known = {i for (i,) in Service.select(Service.id).where(Service.id.in_(ids)).tuples()}
    if ids - known:
        raise NotFound("Serviço não encontrado (talvez excluído em outro computador).")
    return frozenset(ids)


def clean_shared(values: Any, owner_id: int) -> frozenset[int]:
    """R17: the patients a package is shared with (Patient rows or ids); None or empty:
    nobody. NotFound for an unknown patient. The owner, who uses the package anyway, is
    left out when listed (e.g. `edit_package(pkg, patient=p2, shared_with=[p2, p3])`
    transfers to p2 and shares with p3)."""
    ids = set(_ids(values, Patient, "Compartilhar com"))
    known = {i for (i,) in Patient.select(Patient.id).where(Patient.id.in_(ids)).tuples()}
    if ids - known:
        raise NotFound("Paciente não encontrado (talvez excluído em outro computador).")
    return frozenset(ids - {owner_id})


# --- writing ------------------------------------------------------------------------------


def write_terms(row: Package, old: Terms | None, new: Terms) -> None:
    """Bring the package's service and share rows from `old` (None: a new package) to
    `new`; the package's own columns (patient, valid_until) are the caller's."""
    before_services = old.service_ids if old else frozenset()
    before_shared = old.shared_ids if old else frozenset()
    gone = before_services - new.service_ids
    if gone:
        PackageService.delete().where(
            (PackageService.package == row.id) & PackageService.service.in_(list(gone))
        ).execute()
    added = sorted(new.service_ids - before_services)
    if added:
        PackageService.insert_many(
            [(row.id, service_id) for service_id in added],
            fields=[PackageService.package, PackageService.service],
        ).execute()
    gone = before_shared - new.shared_ids
    if gone:
        PackageShare.delete().where(
            (PackageShare.package == row.id) & PackageShare.patient.in_(list(gone))
        ).execute()
    added = sorted(new.shared_ids - before_shared)
    if added:
        PackageShare.insert_many(
            [(row.id, patient_id) for patient_id in added],
            fields=[PackageShare.package, PackageShare.patient],
        ).execute()


# --- checking a session -------------------------------------------------------------------


def session_day(starts_at: datetime | date) -> date:
    return starts_at.date() if isinstance(starts_at, datetime) else starts_at


def check_session(row: Package, terms: Terms, session: Session) -> None:
    """R6, extended, for one unpaid session (AlreadyPaid is the caller's, checked before):
    a ValidationError when it is neither the owner's nor a sharer's, deleted, or a
    justified absence; then ServiceNotCovered; then PackageExpired. Nothing is written."""
    when = format_day_month_time(session.starts_at)
    if session.patient_id != terms.owner_id and session.patient_id not in terms.shared_ids:
        raise ValidationError(
            f"A sessão de {when} é de outro paciente ({patient_name(session.patient_id)}): o "
            f"pacote No. {row.number} é de {patient_name(terms.owner_id)} e não está "
            "compartilhado com esse paciente. Nada foi pago."
        )
    if session.deleted_at is not None:
        raise ValidationError(f"A sessão de {when} foi excluída e não pode ser paga.")
    if session.attendance == FALTA_JUSTIFICADA:
        raise ValidationError(
            f"A sessão de {when} é uma falta justificada e não pode ser paga com o pacote."
        )
    if terms.service_ids and session.service_id not in terms.service_ids:
        covered = service_names(terms.service_ids)
        raise ServiceNotCovered(
            f"A sessão de {when} é de {session.service.name}, e o pacote No. {row.number} "
            f"cobre só: {'; '.join(covered)}. Nada foi pago.",
            covered,
            session.id,
        )
    if terms.valid_until is not None and session_day(session.starts_at) > terms.valid_until:
        raise PackageExpired(
            f"O pacote No. {row.number} vale até {format_date(terms.valid_until)}; a sessão de "
            f"{when} é depois dessa data e não pode ser paga com ele. Nada foi pago.",
            terms.valid_until,
            session.id,
        )


def sharer_suffix(terms_owner_id: int, session: Session) -> str:
    """ " (Pedro Souza)" when the session is not the owner's (R17), else ""."""
    if session.patient_id == terms_owner_id:
        return ""
    return f" ({patient_name(session.patient_id)})"
