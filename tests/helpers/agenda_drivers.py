"""Driving the agenda's dialogs as a person would, without exec(): each `*_by_hand`
helper builds the real dialog, fills and clicks it, and returns what `ask` would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, QPoint, Qt, QTime

from r3izzy_desktop.ui.agenda import AgendaPage
from r3izzy_desktop.ui.agenda.choose_package import ChoosePackageDialog
from r3izzy_desktop.ui.agenda.manual_payment import ManualPaymentDialog
from r3izzy_desktop.ui.agenda.session_form import SessionFormDialog

LEFT = Qt.MouseButton.LeftButton


def shown_agenda(qtbot, day: date) -> AgendaPage:
    """The Agenda page on screen at 1100 x 800, on `day`'s month."""
    page = AgendaPage()
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    page.calendar.set_date(day)
    return page


def type_patient(qtbot, dialog: SessionFormDialog, text: str) -> None:
    """Type in the patient search and pick the first suggestion from the popup."""
    dialog.patient.clear()
    qtbot.keyClicks(dialog.patient, text)
    popup = dialog.patient.completer().popup()
    assert dialog.patient.suggestions(), f"no patient suggested for {text!r}"
    popup.setCurrentIndex(dialog.patient.completer().completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def own(qtbot, dialog, parent) -> None:
    """Show a dialog built in a test; qtbot closes it unless its parent owns it."""
    if parent is None:
        qtbot.addWidget(dialog)
    dialog.show()


def click_box(qtbot, box) -> None:
    """Click a check box or radio on its indicator (where a person clicks)."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def set_when(dialog: SessionFormDialog, start: datetime) -> None:
    dialog.date_edit.setDate(QDate(start.year, start.month, start.day))
    dialog.time_edit.setTime(QTime(start.hour, start.minute))


def choose_combo(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def patch_form(monkeypatch, qtbot, fill: Callable[[SessionFormDialog], None]) -> list:
    """Replace SessionFormDialog.ask: build the form, `fill` it, click Salvar. Returns the
    list of dialogs built (to inspect them afterwards)."""
    built = []

    def ask(cls, parent, **kwargs):
        dialog = cls(parent, **kwargs)
        own(qtbot, dialog, parent)
        built.append(dialog)
        fill(dialog)
        qtbot.mouseClick(dialog.save_button, LEFT)
        return dialog.saved_ids if dialog.result() == dialog.DialogCode.Accepted else None

    monkeypatch.setattr(SessionFormDialog, "ask", classmethod(ask))
    return built


def patch_choose_package(monkeypatch, qtbot, action: str, package_index: int = 0) -> list:
    """Replace ChoosePackageDialog.ask: pick the package at `package_index` and click
    "Pagar com este pacote" (`action="pay"`), or click "Pular" (`action="skip"`)."""
    seen = []

    def ask(cls, parent, patient_id, session_ids, **kwargs):
        dialog = cls(parent, patient_id, session_ids, **kwargs)
        own(qtbot, dialog, parent)
        seen.append(dialog)
        if action == "pay":
            click_box(qtbot, dialog.cards[package_index].radio)
            qtbot.mouseClick(dialog.pay_button, LEFT)
        else:
            qtbot.mouseClick(dialog.skip_button, LEFT)
        return dialog.choice

    monkeypatch.setattr(ChoosePackageDialog, "ask", classmethod(ask))
    return seen


def patch_manual_payment(monkeypatch, qtbot, method_label: str | None, day=None) -> list:
    """Replace ManualPaymentDialog.ask: click the method's chip and "Confirmar pagamento";
    `method_label=None` clicks "Deixar em aberto"."""
    seen = []

    def ask(cls, parent, sessions):
        dialog = cls(parent, sessions)
        own(qtbot, dialog, parent)
        seen.append(dialog)
        if method_label is None:
            qtbot.mouseClick(dialog.leave_open_button, LEFT)
            return None
        chip = next(b for b in dialog.method_buttons.values() if b.text() == method_label)
        qtbot.mouseClick(chip, LEFT)
        if day is not None:
            dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
        qtbot.mouseClick(dialog.confirm_button, LEFT)
        return dialog.answer() if dialog.result() == dialog.DialogCode.Accepted else None

    monkeypatch.setattr(ManualPaymentDialog, "ask", classmethod(ask))
    return seen


def refuse(monkeypatch, cls, name: str) -> None:
    """Make `cls.name` fail the test if it is called."""

    def fail(*args, **kwargs):
        raise AssertionError(f"{cls.__name__}.{name} should not have been called")

    monkeypatch.setattr(cls, name, classmethod(fail))
