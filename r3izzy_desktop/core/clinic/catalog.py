"""What the clinic offers: services (tipos de sessão), locations and professionals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .. import access
from ..errors import ValidationError
from ..store.models import Location, Professional, Service, get_row
from ..store.transactions import operation
from ..validation import clean_text, money_value, optional_text


def _clean_duration(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 600:
        raise ValidationError("Duração inválida: de 5 a 600 minutos.", "duration_min")
    return value


@operation
@access.allowed("clinic.add_service")
def add_service(name: str, price: Decimal | str = Decimal("0"), duration_min: int = 50) -> Service:
    """A kind of session (e.g. "Método Bobath") with its default price and duration."""
    return Service.create(
        name=clean_text(name, "Nome do serviço", max_length=120, field="name"),
        price=money_value(price, "Preço", allow_zero=True, field="price"),
        duration_min=_clean_duration(duration_min),
    )


@operation
@access.allowed("clinic.update_service")
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
@access.allowed("clinic.add_location")
def add_location(name: str) -> Location:
    return Location.create(name=clean_text(name, "Nome do local", max_length=120, field="name"))


@operation
@access.allowed("clinic.update_location")
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


def _clean_council(value: Any) -> str:
    """R21: the council registration as typed ("CREFITO-3 12345-F", "CRFa 2-1234"), spaces
    tidied; empty allowed."""
    text = optional_text(value, "Registro no conselho", max_length=60, field="council")
    return " ".join(text.split())


@operation
@access.allowed("clinic.add_professional")
def add_professional(name: str, color: str = "#2a9d8f", council: str = "") -> Professional:
    """A professional; `council` (R21) is their council registration, printed on receipts
    ("CREFITO-3 12345-F")."""
    return Professional.create(
        name=clean_text(name, "Nome do profissional", max_length=200, field="name"),
        color=_clean_color(color),
        council=_clean_council(council),
    )


@operation
@access.allowed("clinic.update_professional")
def update_professional(
    professional: Professional | int,
    *,
    name: str | None = None,
    color: str | None = None,
    active: bool | None = None,
    council: str | None = None,
) -> Professional:
    row = get_row(Professional, professional, "Profissional não encontrado.")
    if council is not None:
        row.council = _clean_council(council)
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
