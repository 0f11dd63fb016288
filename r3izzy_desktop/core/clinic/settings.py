"""The clinic's data and preferences (Configurações), kept as key/value settings."""

from __future__ import annotations

from dataclasses import dataclass

from .. import access, audit
from ..store.models import Setting
from ..store.transactions import operation
from ..validation import optional_text

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
@access.allowed("clinic.set_setting")
def set_setting(key: str, value: str) -> None:
    """Store one setting (administrators only once the clinic has users); a change is
    written to the audit log."""
    value = optional_text(value, key, max_length=2000)
    if get_setting(key, None) != value:
        audit.record(audit.SETTINGS_CHANGE, f"{key}: {value[:200]}")
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
@access.allowed("clinic.set_clinic_info")
def set_clinic_info(
    *, name: str = "", document: str = "", address: str = "", phone: str = ""
) -> ClinicInfo:
    for key, value in zip(CLINIC_KEYS, (name, document, address, phone), strict=True):
        set_setting(key, value)
    return clinic_info()


def operator_name() -> str:
    """Who is operating: the user logged in (R23); in a database without users, the name
    set in Configurações, else the OS user."""
    return access.actor_name()
