"""The clinic: its patients, what it offers (services, locations, professionals) and its
settings. SPEC §6 names them `clinic.<name>`; each lives in one module below."""

from ..text import cpf_is_valid, digits, fold, format_cpf, format_phone
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
from .patients import (
    PATIENT_FIELDS,
    PatientListing,
    add_patient,
    find_patients,
    get_patient,
    list_patients,
    patient_errors,
    patient_search,
    update_patient,
)
from .privacy import anonymize_patient, anonymous_name
from .settings import (
    CLINIC_KEYS,
    ClinicInfo,
    clinic_info,
    get_setting,
    operator_name,
    set_clinic_info,
    set_setting,
)

__all__ = [
    "CLINIC_KEYS",
    "PATIENT_FIELDS",
    "ClinicInfo",
    "PatientListing",
    "add_location",
    "add_patient",
    "add_professional",
    "add_service",
    "anonymize_patient",
    "anonymous_name",
    "clinic_info",
    "cpf_is_valid",
    "digits",
    "find_patients",
    "fold",
    "format_cpf",
    "format_phone",
    "get_patient",
    "get_setting",
    "list_locations",
    "list_patients",
    "list_professionals",
    "list_services",
    "operator_name",
    "patient_errors",
    "patient_search",
    "set_clinic_info",
    "set_setting",
    "update_location",
    "update_patient",
    "update_professional",
    "update_service",
]
