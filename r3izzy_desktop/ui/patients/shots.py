"""Screenshots of the patients area: the list and the patient page."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...core import clinic, packages
from ..common.shots import ShotContext, shot


def showcase_patient() -> int:
    """The demo patient with the most packages (every status shows on the list)."""
    patients = clinic.find_patients("")
    return max(patients, key=lambda p: (len(packages.list_packages(p)), -p.id)).id


@shot("patients.png")
def patients_list(ctx: ShotContext) -> QWidget:
    area = ctx.show_page("patients")
    area.go_to("list")
    area.list_page.search.clear()
    area.list_page.apply_search()
    return ctx.window


@shot("patient_page.png")
def patient_page(ctx: ShotContext) -> QWidget:
    area = ctx.show_page("patients")
    area.open_patient(showcase_patient())
    return ctx.window


@shot("patient_form.png")
def patient_form(ctx: ShotContext) -> QWidget:
    from .form import PatientFormDialog

    return ctx.dialog(PatientFormDialog(showcase_patient(), ctx.window))


@shot("patient_form_new.png")
def patient_form_new(ctx: ShotContext) -> QWidget:
    """A new patient with errors shown: the dialog grows to show them."""
    from .form import PatientFormDialog

    dialog = ctx.dialog(PatientFormDialog(None, ctx.window))
    dialog.cpf.setText("111.111.111-11")
    dialog._check_cpf()
    dialog.save()
    ctx.settle()
    return dialog
