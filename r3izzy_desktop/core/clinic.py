"""Patients, services, locations, professionals and the clinic's settings."""

from __future__ import annotations

import getpass
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import Expression

from . import clock
from .database import db, operation
from .errors import NotFound, ValidationError
from .models import Location, Patient, Professional, Service, Setting, refresh_instance
from .validation import clean_text, money_value, optional_text

# --- text helpers ------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: "João" -> "joao", for searching."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def cpf_is_valid(cpf: str) -> bool:
    """Check a CPF's two check digits (11 digits, not all the same)."""
    number = digits(cpf)
    if len(number) != 11 or number == number[0] * 11:
        return False
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(number[:size], range(size + 1, 1, -1), strict=True))
        check = (total * 10) % 11 % 10
        if check != int(number[size]):
            return False
    return True


def format_cpf(cpf: str) -> str:
    number = digits(cpf)
    if len(number) != 11:
        return cpf or ""
    return f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9:]}"


def format_phone(phone: str) -> str:
    number = digits(phone)
    if len(number) == 11:
        return f"({number[:2]}) {number[2:7]}-{number[7:]}"
    if len(number) == 10:
        return f"({number[:2]}) {number[2:6]}-{number[6:]}"
    return phone or ""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- patients ----------------------------------------------------------------------------

PATIENT_FIELDS = ("name", "birth_date", "phone", "email", "cpf", "guardian", "notes", "active")


def _clean_patient(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(PATIENT_FIELDS)
    if unknown:
        raise ValidationError(f"Campo desconhecido: {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    if "name" in values:
        clean["name"] = clean_text(values["name"], "Nome", max_length=200, field="name")
    if "birth_date" in values:
        birth = values["birth_date"]
        if birth in (None, ""):
            clean["birth_date"] = None
        elif not isinstance(birth, date):
            raise ValidationError("Data de nascimento inválida.", "birth_date")
        elif birth > clock.today():
            raise ValidationError("A data de nascimento não pode ser no futuro.", "birth_date")
        else:
            clean["birth_date"] = birth
    if "phone" in values:
        phone = optional_text(values["phone"], "Telefone", max_length=40, field="phone")
        number = digits(phone)
        if number.startswith("55") and len(number) in (12, 13):
            number = number[2:]
        if phone and len(number) not in (10, 11):
            raise ValidationError(
                "Telefone inválido: informe DDD e número, como (11) 98765-4321.", "phone"
            )
        clean["phone"] = format_phone(number) if phone else ""
    if "email" in values:
        email = optional_text(values["email"], "E-mail", max_length=200, field="email")
        if email and not _EMAIL.match(email):
            raise ValidationError("E-mail inválido.", "email")
        clean["email"] = email
    if "cpf" in values:
        cpf = optional_text(values["cpf"], "CPF", max_length=20, field="cpf")
        if cpf and not cpf_is_valid(cpf):
            raise ValidationError("CPF inválido: confira os dígitos.", "cpf")
        clean["cpf"] = digits(cpf)
    if "guardian" in values:
        clean["guardian"] = optional_text(
            values["guardian"], "Responsável", max_length=200, field="guardian"
        )
    if "notes" in values:
        clean["notes"] = optional_text(values["notes"], "Observações", max_length=4000)
    if "active" in values:
        clean["active"] = bool(values["active"])
    return clean


def patient_errors(**fields: Any) -> dict[str, str]:
    """Every problem with these patient fields at once: {field: Portuguese message}.

    Reads and writes nothing; a form calls it to show each message under its field
    before `add_patient` / `update_patient` (which check the same rules again).
    """
    errors: dict[str, str] = {}
    for key, value in fields.items():
        try:
            _clean_patient({key: value})
        except ValidationError as error:
            errors[error.field or key] = str(error)
    return errors


def _search_text(patient: Patient) -> str:
    return " ".join(
        part for part in (fold(patient.name), digits(patient.phone), patient.cpf) if part
    )


@operation
def add_patient(name: str, **fields: Any) -> Patient:
    """Create a patient. Keywords: birth_date, phone, email, cpf, guardian, notes, active."""
    values = _clean_patient({"name": name, **fields})
    patient = Patient(**values)
    patient.search_text = _search_text(patient)
    patient.save(force_insert=True)
    return patient


@operation
def update_patient(patient: Patient | int, **fields: Any) -> Patient:
    """Change any of a patient's fields; returns the updated patient."""
    row = get_patient(patient)
    for key, value in _clean_patient(fields).items():
        setattr(row, key, value)
    row.search_text = _search_text(row)
    row.save()
    refresh_instance(patient, row)
    return row


def get_patient(patient: Patient | int) -> Patient:
    patient_id = patient.id if isinstance(patient, Patient) else patient
    found = Patient.get_or_none(Patient.id == patient_id)
    if found is None:
        raise NotFound("Paciente não encontrado.")
    return found


def patient_search(query: str) -> Expression | None:
    """The SQL condition "the patient's name, phone or CPF contain every word of `query`",
    case- and accent-insensitive, a number's dots and dashes ignored (on Patient's
    `search_text`). None when `query` has no word: every patient matches."""
    condition = None
    for word in fold(query).split():
        term = digits(word) if word.replace(".", "").replace("-", "").isdigit() else word
        if term:
            match = Patient.search_text.contains(term)
            condition = match if condition is None else condition & match
    return condition


def find_patients(
    query: str = "", *, include_inactive: bool = False, limit: int | None = None
) -> list[Patient]:
    """Patients whose name, phone or CPF contain every word of `query`.

    Case- and accent-insensitive ("joao" finds "João"); ordered by name.
    """
    select = Patient.select()
    if not include_inactive:
        select = select.where(Patient.active == True)  # noqa: E712
    if (matches := patient_search(query)) is not None:
        select = select.where(matches)
    select = select.order_by(Patient.search_text, Patient.id)
    if limit:
        select = select.limit(limit)
    return list(select)


@dataclass(frozen=True)
class PatientListing:
    """A patient as a list shows it; `search_text` is the folded name, phone and CPF the
    search runs on, which also sorts by name."""

    id: int
    name: str
    phone: str
    cpf: str  # digits only
    birth_date: date | None
    guardian: str
    active: bool
    search_text: str


_LISTING_FIELDS = tuple(field.name for field in dataclass_fields(PatientListing))


def list_patients(query: str = "", *, include_inactive: bool = False) -> list[PatientListing]:
    """The patients `find_patients` finds, in the same order, as frozen rows read straight
    from the query (a clinic has thousands; a model per patient cost most of the time)."""
    select = Patient.select(
        Patient.id,
        Patient.name,
        Patient.phone,
        Patient.cpf,
        Patient.birth_date,
        Patient.guardian,
        Patient.active,
        Patient.search_text,
    )
    if not include_inactive:
        select = select.where(Patient.active == True)  # noqa: E712
    if (matches := patient_search(query)) is not None:
        select = select.where(matches)
    rows = []
    new, fields = object.__new__, _LISTING_FIELDS
    for pid, name, phone, cpf, birth, guardian, active, text in db.execute(
        select.order_by(Patient.search_text, Patient.id)
    ).fetchall():
        if birth is not None and not isinstance(birth, date):
            birth = date.fromisoformat(str(birth)[:10])
        row = new(PatientListing)
        # A frozen dataclass, its fields set once and together (as its __init__ would).
        row.__dict__.update(
            zip(fields, (pid, name, phone, cpf, birth, guardian, bool(active), text), strict=True)
        )
        rows.append(row)
    return rows


# --- services, locations, professionals -------------------------------------------------


def _clean_duration(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 600:
        raise ValidationError("Duração inválida: de 5 a 600 minutos.", "duration_min")
    return value


@operation
def add_service(name: str, price: Decimal | str = Decimal("0"), duration_min: int = 50) -> Service:
    """A kind of session (e.g. "Método Bobath") with its default price and duration."""
    return Service.create(
        name=clean_text(name, "Nome do serviço", max_length=120, field="name"),
        price=money_value(price, "Preço", allow_zero=True, field="price"),
        duration_min=_clean_duration(duration_min),
    )


@operation
def update_service(service: Service | int, **fields: Any) -> Service:
    """Change name, price, duration_min or active."""
    row = get_row(Service, service, "Serviço não encontrado.")
    if "name" in fields:
        row.name = clean_text(fields.pop("name"), "Nome do serviço", max_length=120, field="name")
    if "price" in fields:
        row.price = money_value(fields.pop("price"), "Preço", allow_zero=True, field="price")
    if "duration_min" in fields:
        row.duration_min = _clean_duration(fields.pop("duration_min"))
    if "active" in fields:
        row.active = bool(fields.pop("active"))
    if fields:
        raise ValidationError(f"Campo desconhecido: {', '.join(sorted(fields))}.")
    row.save()
    return row


def list_services(*, include_inactive: bool = False) -> list[Service]:
    select = Service.select().order_by(Service.name)
    if not include_inactive:
        select = select.where(Service.active == True)  # noqa: E712
    return list(select)


@operation
def add_location(name: str) -> Location:
    return Location.create(name=clean_text(name, "Nome do local", max_length=120, field="name"))


@operation
def update_location(
    location: Location | int, *, name: str | None = None, active: bool | None = None
) -> Location:
    row = get_row(Location, location, "Local não encontrado.")
    if name is not None:
        row.name = clean_text(name, "Nome do local", max_length=120, field="name")
    if active is not None:
        row.active = bool(active)
    row.save()
    return row


def list_locations(*, include_inactive: bool = False) -> list[Location]:
    select = Location.select().order_by(Location.name)
    if not include_inactive:
        select = select.where(Location.active == True)  # noqa: E712
    return list(select)


_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _clean_color(color: str) -> str:
    if not _COLOR.match(color or ""):
        raise ValidationError("Cor inválida: use o formato #RRGGBB.", "color")
    return color.lower()


@operation
def add_professional(name: str, color: str = "#2a9d8f") -> Professional:
    return Professional.create(
        name=clean_text(name, "Nome do profissional", max_length=200, field="name"),
        color=_clean_color(color),
    )


@operation
def update_professional(
    professional: Professional | int,
    *,
    name: str | None = None,
    color: str | None = None,
    active: bool | None = None,
) -> Professional:
    row = get_row(Professional, professional, "Profissional não encontrado.")
    if name is not None:
        row.name = clean_text(name, "Nome do profissional", max_length=200, field="name")
    if color is not None:
        row.color = _clean_color(color)
    if active is not None:
        row.active = bool(active)
    row.save()
    return row


def list_professionals(*, include_inactive: bool = False) -> list[Professional]:
    select = Professional.select().order_by(Professional.name)
    if not include_inactive:
        select = select.where(Professional.active == True)  # noqa: E712
    return list(select)


def get_row(model, value, message: str):
    """The `model` row given as instance or id; NotFound(`message`) when there is none."""
    row_id = value.id if isinstance(value, model) else value
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFound(message)
    return row


# --- settings ----------------------------------------------------------------------------

CLINIC_KEYS = ("clinic_name", "clinic_document", "clinic_address", "clinic_phone")


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    document: str  # CNPJ or CPF
    address: str
    phone: str


def get_setting(key: str, default: str = "") -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else default


@operation
def set_setting(key: str, value: str) -> None:
    value = optional_text(value, key, max_length=2000)
    Setting.insert(key=key, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()


def clinic_info() -> ClinicInfo:
    values = {row.key: row.value for row in Setting.select().where(Setting.key.in_(CLINIC_KEYS))}
    return ClinicInfo(
        name=values.get("clinic_name", ""),
        document=values.get("clinic_document", ""),
        address=values.get("clinic_address", ""),
        phone=values.get("clinic_phone", ""),
    )


@operation
def set_clinic_info(
    *, name: str = "", document: str = "", address: str = "", phone: str = ""
) -> ClinicInfo:
    for key, value in zip(CLINIC_KEYS, (name, document, address, phone), strict=True):
        set_setting(key, value)
    return clinic_info()


def operator_name() -> str:
    """Who is operating: the name set in Configurações, else the OS user."""
    name = get_setting("operator_name")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:
        return "operador"
