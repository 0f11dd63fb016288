"""The clinic's data and preferences (Configurações), kept as key/value settings: the
clinic's data, the operator's name, and the package defaults of Configurações › Pacotes
(R15 default validity, R15/R22 warning days, R22 "acabando" threshold and message)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import access, audit, clock
from ..errors import ValidationError
from ..store.models import Setting
from ..store.transactions import operation
from ..validation import optional_text, tax_document, whole_number

CLINIC_KEYS = ("clinic_name", "clinic_document", "clinic_address", "clinic_phone", "clinic_city")


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    document: str  # CNPJ or CPF
    address: str
    phone: str
    city: str = ""  # R21: the "cidade, data" a receipt ends with ("São Paulo - SP")


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
        city=values.get("clinic_city", ""),
    )


@operation
@access.allowed("clinic.set_clinic_info")
def set_clinic_info(
    *, name: str = "", document: str = "", address: str = "", phone: str = "", city: str = ""
) -> ClinicInfo:
    """Store the clinic's data; the CNPJ or CPF must have valid check digits (field
    "document"), nothing is stored otherwise. `city` (R21) ends each receipt: "cidade,
    data"."""
    document = tax_document(document, "CNPJ ou CPF", field="document")
    city = optional_text(city, "Cidade", max_length=120, field="city")
    for key, value in zip(CLINIC_KEYS, (name, document, address, phone, city), strict=True):
        set_setting(key, value)
    return clinic_info()


def operator_name() -> str:
    """Who is operating: the user logged in (R23); in a database without users, the name
    set in Configurações, else the OS user."""
    return access.actor_name()


# --- package defaults (Configurações › Pacotes) -------------------------------------------

VALIDITY_KEY = "package_validity_months"  # "" = sem validade, else N months
WARNING_DAYS_KEY = "package_warning_days"
ENDING_THRESHOLD_KEY = "package_ending_threshold"
MESSAGE_TEMPLATE_KEY = "package_message_template"
PAY_BEFORE_USE_KEY = "package_pay_before_use"  # "1": a new package only uses what was paid

DEFAULT_WARNING_DAYS = 15
DEFAULT_ENDING_THRESHOLD = 2
MAX_VALIDITY_MONTHS = 120
MAX_WARNING_DAYS = 365
MAX_ENDING_THRESHOLD = 99
MAX_TEMPLATE = 1000

# What the WhatsApp message template may name, in braces: {nome} the person who reads it
# (the guardian, else the patient), {paciente}, {clinica}, {pacote} (its number), {aviso}
# (the alert in words), {sessoes} (sessions left) and {validade} (dd/MM/yyyy or "sem
# validade"). Filled by packages.alert_message.
MESSAGE_FIELDS = ("nome", "paciente", "clinica", "pacote", "aviso", "sessoes", "validade")
DEFAULT_MESSAGE_TEMPLATE = (
    "Olá, {nome}! Aqui é da {clinica}. {aviso}. Quer renovar ou agendar? "
    "É só responder esta mensagem."
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

_UNSET: Any = object()


@dataclass(frozen=True)
class PackageDefaults:
    """The clinic's package defaults. `validity_months` None: "sem validade" (a new clinic's
    default); otherwise a new package is valid for that many months from its payment date."""

    validity_months: int | None = None
    warning_days: int = DEFAULT_WARNING_DAYS
    ending_threshold: int = DEFAULT_ENDING_THRESHOLD
    message_template: str = DEFAULT_MESSAGE_TEMPLATE
    # R18: a new package may only use what was received ("Usar só o que já foi pago").
    pay_before_use: bool = False

    def valid_until(self, paid_on: date) -> date | None:
        """The validity a package paid on `paid_on` gets by default (None: no limit)."""
        if self.validity_months is None:
            return None
        return clock.months_after(paid_on, self.validity_months)


def _stored_number(values: dict[str, str], key: str, default: int | None) -> int | None:
    text = values.get(key, "").strip()
    return int(text) if text.isdigit() else default


# The settings `package_defaults` reads (a caller reading them within a statement of its
# own, Gestão Financeira, turns them into PackageDefaults with `package_defaults_from`).
PACKAGE_DEFAULT_KEYS = (
    VALIDITY_KEY,
    WARNING_DAYS_KEY,
    ENDING_THRESHOLD_KEY,
    MESSAGE_TEMPLATE_KEY,
    PAY_BEFORE_USE_KEY,
)


def package_defaults() -> PackageDefaults:
    """The package defaults as set in Configurações › Pacotes (a new clinic's otherwise)."""
    keys = PACKAGE_DEFAULT_KEYS
    values = {row.key: row.value for row in Setting.select().where(Setting.key.in_(keys))}
    return package_defaults_from(values)


def package_defaults_from(values: Mapping[str, str | None]) -> PackageDefaults:
    """The package defaults from the stored values of PACKAGE_DEFAULT_KEYS (a key missing
    or None: not set, the default)."""
    values = {key: value for key, value in values.items() if value is not None}
    months = _stored_number(values, VALIDITY_KEY, None)
    return PackageDefaults(
        validity_months=months or None,
        warning_days=_stored_number(values, WARNING_DAYS_KEY, DEFAULT_WARNING_DAYS),
        ending_threshold=_stored_number(values, ENDING_THRESHOLD_KEY, DEFAULT_ENDING_THRESHOLD),
        message_template=values.get(MESSAGE_TEMPLATE_KEY, "").strip() or DEFAULT_MESSAGE_TEMPLATE,
        pay_before_use=values.get(PAY_BEFORE_USE_KEY, "") == "1",
    )


def check_message_template(template: Any) -> str:
    """The template, cleaned; ValidationError for a name in braces the message cannot fill
    or a brace left open."""
    text = optional_text(
        template, "Modelo da mensagem", max_length=MAX_TEMPLATE, field="message_template"
    )
    if not text:
        return DEFAULT_MESSAGE_TEMPLATE
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in MESSAGE_FIELDS]
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in MESSAGE_FIELDS)
        raise ValidationError(
            f"Modelo da mensagem: “{{{unknown[0]}}}” não é um campo conhecido. Use {known}.",
            "message_template",
        )
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        raise ValidationError(
            "Modelo da mensagem: há uma chave { ou } sem par; os campos são escritos entre "
            "chaves, como {paciente}.",
            "message_template",
        )
    return text


@operation
@access.allowed("clinic.set_setting")
def set_package_defaults(
    *,
    validity_months: int | None = _UNSET,
    warning_days: int | None = None,
    ending_threshold: int | None = None,
    message_template: str | None = None,
    pay_before_use: bool | None = None,
) -> PackageDefaults:
    """Change any of the package defaults; what is not given stays. `validity_months=None`
    (or 0) is "sem validade"; 1-120 months otherwise. warning_days 0-365; ending_threshold
    0-99 (0: no "acabando" alert); the template as `check_message_template` accepts it;
    pay_before_use (R18): whether a new package only uses what was already received.
    Raises ValidationError (nothing changed) for a value out of range."""
    changes: dict[str, str] = {}
    if validity_months is not _UNSET:
        months = 0
        if validity_months not in (None, ""):
            months = whole_number(
                validity_months,
                "Validade padrão (meses)",
                low=0,
                high=MAX_VALIDITY_MONTHS,
                field="validity_months",
            )
        changes[VALIDITY_KEY] = str(months) if months else ""
    if warning_days is not None:
        changes[WARNING_DAYS_KEY] = str(
            whole_number(
                warning_days,
                "Avisar quantos dias antes do vencimento",
                low=0,
                high=MAX_WARNING_DAYS,
                field="warning_days",
            )
        )
    if ending_threshold is not None:
        changes[ENDING_THRESHOLD_KEY] = str(
            whole_number(
                ending_threshold,
                "Avisar “acabando” com quantas sessões restantes",
                low=0,
                high=MAX_ENDING_THRESHOLD,
                field="ending_threshold",
            )
        )
    if message_template is not None:
        changes[MESSAGE_TEMPLATE_KEY] = check_message_template(message_template)
    if pay_before_use is not None:
        changes[PAY_BEFORE_USE_KEY] = "1" if pay_before_use else ""
    for key, value in changes.items():
        set_setting(key, value)
    return package_defaults()


def fill_message_template(template: str, values: dict[str, str]) -> str:
    """The template with each {campo} replaced by its value (MESSAGE_FIELDS); a name the
    values lack is left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
