"""The clinic: its patients, what it offers (services, locations, professionals) and its
settings. SPEC §6 names them `clinic.<name>`; each lives in one module below."""

import importlib
from typing import TYPE_CHECKING, Any

from ..text import cpf_is_valid, digits, fold, format_cpf, format_phone
from .patients import (
    PATIENT_FIELDS,
    PatientListing,
    add_patient,
    count_patients,
    default_payer,
    find_patients,
    get_patient,
    has_patients,
    list_patients,
    patient_errors,
    patient_search,
    update_patient,
)

if TYPE_CHECKING:  # what a type checker and an IDE read; at run time, __getattr__
    from .catalog import (
        add_location,
        add_professional,
        add_service,
        list_locations,
        list_professionals,
        list_services,
        update_location,
        update_professional,
        update_service,
    )
    from .privacy import (
        anonymize_patient,
        anonymous_name,
    )
    from .settings import (
        CLINIC_KEYS,
        DEFAULT_MESSAGE_TEMPLATE,
        MESSAGE_FIELDS,
        PACKAGE_DEFAULT_KEYS,
        ClinicInfo,
        PackageDefaults,
        check_message_template,
        clinic_info,
        fill_message_template,
        get_setting,
        operator_name,
        package_defaults,
        package_defaults_from,
        set_clinic_info,
        set_package_defaults,
        set_setting,
    )
    from .setup import (
        CLINIC_DATA,
        FIRST_PATIENT,
        PROFESSIONALS,
        SERVICES,
        SetupStep,
        setup_done,
        setup_steps,
    )

# The names each module below offers, loaded with it when one is first asked for.
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "catalog": (
        "add_location",
        "add_professional",
        "add_service",
        "list_locations",
        "list_professionals",
        "list_services",
        "update_location",
        "update_professional",
        "update_service",
    ),
    "privacy": ("anonymize_patient", "anonymous_name"),
    "settings": (
        "CLINIC_KEYS",
        "DEFAULT_MESSAGE_TEMPLATE",
        "MESSAGE_FIELDS",
        "PACKAGE_DEFAULT_KEYS",
        "ClinicInfo",
        "PackageDefaults",
        "check_message_template",
        "clinic_info",
        "fill_message_template",
        "get_setting",
        "operator_name",
        "package_defaults",
        "package_defaults_from",
        "set_clinic_info",
        "set_package_defaults",
        "set_setting",
    ),
    "setup": (
        "CLINIC_DATA",
        "FIRST_PATIENT",
        "PROFESSIONALS",
        "SERVICES",
        "SetupStep",
        "setup_done",
        "setup_steps",
    ),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Services, settings, privacy and the first steps load when first asked for (PEP 562):
    a start of the app lists the patients and needs none of them (with their dataclasses,
    some 4 ms of each start)."""
    if name in _LAZY_MODULES:  # `clinic.settings`, as when the package imported them all
        return importlib.import_module(f"{__name__}.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CLINIC_DATA",
    "CLINIC_KEYS",
    "DEFAULT_MESSAGE_TEMPLATE",
    "FIRST_PATIENT",
    "MESSAGE_FIELDS",
    "PACKAGE_DEFAULT_KEYS",
    "PATIENT_FIELDS",
    "PROFESSIONALS",
    "SERVICES",
    "ClinicInfo",
    "PackageDefaults",
    "PatientListing",
    "SetupStep",
    "add_location",
    "add_patient",
    "add_professional",
    "add_service",
    "anonymize_patient",
    "anonymous_name",
    "check_message_template",
    "clinic_info",
    "count_patients",
    "cpf_is_valid",
    "default_payer",
    "digits",
    "fill_message_template",
    "find_patients",
    "fold",
    "format_cpf",
    "format_phone",
    "get_patient",
    "get_setting",
    "has_patients",
    "list_locations",
    "list_patients",
    "list_professionals",
    "list_services",
    "operator_name",
    "package_defaults",
    "package_defaults_from",
    "patient_errors",
    "patient_search",
    "set_clinic_info",
    "set_package_defaults",
    "set_setting",
    "setup_done",
    "setup_steps",
    "update_location",
    "update_patient",
    "update_professional",
    "update_service",
]
