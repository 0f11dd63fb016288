"""Histórico (manual 2.1, SPEC §4): the columns over the core's rows, numbers right-aligned,
and the worked example's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import agenda, packages
from r3izzy_desktop.ui.common.table_model import RIGHT
from r3izzy_desktop.ui.packages.history import HistoryDialog
from r3izzy_desktop.ui.packages.list_page import PackageListPage


def test_history_table_columns_and_rows(qtbot, qtmodeltester, patient, make_session):
    pkg = packages.create_package(patient, 4, Decimal("1000.00"), paid_on=date(2025, 5, 2))
    first = make_session(1, 10)
    packages.pay_sessions(pkg, [first])
    agenda.set_attendance(first, "falta_justificada")
    packages.edit_package(pkg, status="inativo")
    dialog = HistoryDialog(pkg.id)
    qtbot.addWidget(dialog)
    model = dialog.model
    qtmodeltester.check(model)
    assert model.column_titles() == [
        "Tipo",
        "Data Pacote",
        "Data",
        "Status",
        "Observação",
        "Saldo de Sessões",
        "Saldo R$",
        "Valor Médio",
        "Operador",
    ]
    rows = [[model.index(r, c).data() for c in (0, 1, 3, 4, 5, 6, 7)] for r in range(4)]
    assert rows == [
        ["criado", "02/05/2025", "ativo", "Pacote criado", "4", "1.000,00", "250,00"],
        [
            "sessão debitada",
            "02/05/2025",
            "ativo",
            "Debitada pela sessão 01/04 10:00",
            "3",
            "750,00",
            "250,00",
        ],
        [
            "sessão creditada",
            "02/05/2025",
            "ativo",
            "Creditada pela sessão 01/04 10:00",
            "4",
            "1.000,00",
            "250,00",
        ],
        [
            "alterado manualmente",
            "02/05/2025",
            "inativo",
            "Pacote alterado: status: inativo,",
            "4",
            "1.000,00",
            "250,00",
        ],
    ]
    for column in (5, 6, 7):
        alignment = model.index(0, column).data(Qt.ItemDataRole.TextAlignmentRole)
        assert alignment == int(RIGHT)
    assert model.index(0, 8).data()  # who did it
    assert "No. " + pkg.number in dialog.windowTitle()


def test_historico_button_opens_the_packages_history(qtbot, monkeypatch, patient):
    pkg = packages.create_package(patient, 2, Decimal("500.00"))
    page = PackageListPage()
    qtbot.addWidget(page)
    page.show_patient(patient.id)
    opened = []

    def look(cls, parent, package_id):
        dialog = cls(package_id, parent)
        opened.append(dialog.model.rowCount())
        dialog.show()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.result() == QDialog.DialogCode.Rejected

    monkeypatch.setattr(HistoryDialog, "tell", classmethod(look))
    qtbot.mouseClick(page.card_for(pkg.id).history_button, Qt.MouseButton.LeftButton)
    assert opened == [1]


def test_a_dialog_that_cannot_open_is_explained(qtbot, monkeypatch, dialogs, patient):
    from r3izzy_desktop.core.errors import NotFound

    pkg = packages.create_package(patient, 2, Decimal("500.00"))
    page = PackageListPage()
    qtbot.addWidget(page)
    page.show_patient(patient.id)

    def gone(cls, parent, package_id):
        raise NotFound("Pacote não encontrado.")

    monkeypatch.setattr(HistoryDialog, "tell", classmethod(gone))
    qtbot.mouseClick(page.card_for(pkg.id).history_button, Qt.MouseButton.LeftButton)
    assert dialogs.told == [("", "Pacote não encontrado.")]
