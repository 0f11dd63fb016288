"""Two PCs on one database: a change made by another process (another PC) shows on this
PC's screen within the polling interval, never under an open dialog, and an action taken
on the figures the screen showed before is refused with the Portuguese StaleData message,
nothing paid."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import clock, packages
from r3izzy_desktop.ui.agenda import payment_offer
from r3izzy_desktop.ui.agenda.choose_package import ChoosePackageDialog, ChosenPackage
from r3izzy_desktop.ui.packages import pay_flow
from r3izzy_desktop.ui.packages.list_page import PackageListPage
from r3izzy_desktop.ui.packages.pay_sessions import PaySessionsDialog
from r3izzy_desktop.ui.shell.live_refresh import INTERVAL_MS
from r3izzy_desktop.ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[3]


def other_pc(db, code: str) -> None:
    """Run `code` in another process on the same database: another PC."""
    script = "from r3izzy_desktop.core.database import open_database\n"
    script += f"open_database({db.database!r}, create=False)\n" + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def window(qtbot, db):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    return win


def packages_page(window, patient) -> PackageListPage:
    area = window.show_page("patients")
    area.open_patient(patient.id)
    area.open_packages(patient.id)
    return area.packages_page


def test_another_pc_paying_refreshes_the_visible_list_keeping_its_scroll(
    qtbot, db, window, patient, make_session
):
    many = [
        packages.create_package(patient, 4, Decimal("1000.00"), paid_on=date(2025, 3, day))
        for day in range(1, 13)
    ]
    oldest = many[0]  # listed last: the bottom of the list
    session = make_session(1, 10)
    page = packages_page(window, patient)
    qtbot.waitUntil(page.fully_loaded)
    bar = page.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    bottom = bar.value()
    assert page.card_for(oldest.id).sessions.text() == "4 de 4"

    other_pc(
        db,
        f"""
        from r3izzy_desktop.core import packages
        packages.pay_sessions({oldest.id}, [{session.id}], accept_price_adjustment=True)
        """,
    )
    # Within the polling interval (plus a little for the event loop), with no click here.
    qtbot.waitUntil(
        lambda: (
            page.card_for(oldest.id) is not None
            and page.card_for(oldest.id).sessions.text() == "3 de 4"
        ),
        timeout=INTERVAL_MS + 2000,
    )
    qtbot.waitUntil(lambda: bar.value() == bottom, timeout=2000)


def test_nothing_reloads_under_an_open_dialog_then_at_once(qtbot, db, window, patient):
    package = packages.create_package(patient, 4, Decimal("1000.00"))
    page = packages_page(window, patient)
    window.live_refresh.stop()  # the test drives the poll itself
    window.live_refresh.poll()
    refreshed = []
    window.live_refresh.refreshed.connect(lambda: refreshed.append(True))

    form = QDialog(window)  # someone filling in a form
    form.open()
    other_pc(
        db,
        f"""
        from r3izzy_desktop.core import packages
        packages.edit_package({package.id}, notes="mudado no outro PC")
        """,
    )
    window.live_refresh.poll()
    assert refreshed == [] and page.card_for(package.id).summary.notes == ""
    form.close()
    window.live_refresh.poll()
    assert refreshed == [True]
    assert page.card_for(package.id).summary.notes == "mudado no outro PC"


def test_my_own_changes_do_not_trigger_a_refresh(qtbot, db, window, patient):
    package = packages.create_package(patient, 4, Decimal("1000.00"))
    packages_page(window, patient)
    window.live_refresh.stop()
    window.live_refresh.poll()
    refreshed = []
    window.live_refresh.refreshed.connect(lambda: refreshed.append(True))
    packages.edit_package(package, notes="aqui mesmo")
    window.live_refresh.poll()
    assert refreshed == []


def test_paying_on_stale_figures_is_refused_and_nothing_is_paid(
    qtbot, monkeypatch, dialogs, db, patient, make_session
):
    package = packages.create_package(patient, 4, Decimal("1000.00"), paid_on=date(2025, 4, 1))
    make_session(1, 10)
    page = PackageListPage()  # a screen with no poll: it keeps showing version N
    qtbot.addWidget(page)
    page.show()
    page.show_patient(patient.id)
    shown = page.card_for(package.id).summary
    assert shown.sessions_left == 4

    other_pc(
        db,
        f"""
        from decimal import Decimal
        from r3izzy_desktop.core import packages
        packages.edit_package({package.id}, sessions=5, total=Decimal("1200.00"))
        """,
    )

    def person_pays(cls, parent, package_id, *, expected_version=None):
        dialog = cls(package_id, parent, expected_version=expected_version)
        dialog.show()
        item = next(i for i in dialog.items() if i.text().startswith("1/4 10:00"))
        item.setCheckState(Qt.CheckState.Checked)
        dialogs.answers = [True]  # "Confirmar pagamento com o pacote"
        qtbot.mouseClick(dialog.select_button, Qt.MouseButton.LeftButton)
        return dialog.paid

    monkeypatch.setattr(PaySessionsDialog, "ask", classmethod(person_pays))
    monkeypatch.setattr(
        pay_flow.PriceAdjustmentDialog, "ask", classmethod(lambda cls, parent, diffs: True)
    )
    with clock.frozen(datetime(2025, 4, 15, 9, 0)):
        qtbot.mouseClick(page.card_for(package.id).pay_button, Qt.MouseButton.LeftButton)
    assert any("alterado em outro computador" in text for _title, text in dialogs.told)
    assert packages.paid_sessions(package) == []
    assert [row.kind for row in packages.history(package)] == ["criado", "alterado manualmente"]
    # The list was reloaded: it now shows the other PC's figures.
    assert page.card_for(package.id).summary.sessions_total == 5


def test_the_package_offer_refuses_a_package_changed_after_it_was_shown(
    qtbot, monkeypatch, dialogs, db, patient, make_session
):
    package = packages.create_package(patient, 4, Decimal("1000.00"))
    session = make_session(2, 10)
    rows = payment_offer.receitas.rows_by_id([session.id])
    shown = packages.summary(package).version

    def person_chooses(cls, parent, patient_id, session_ids, *, partial=False):
        # The dialog showed version N; meanwhile another PC paid from the same package.
        other_pc(
            db,
            f"""
            from decimal import Decimal
            from r3izzy_desktop.core import packages
            packages.edit_package({package.id}, total=Decimal("800.00"))
            """,
        )
        return ChosenPackage(package.id, shown)

    monkeypatch.setattr(ChoosePackageDialog, "ask", classmethod(person_chooses))
    assert payment_offer.register_payment(None, rows[0]) is False
    assert "alterado em outro computador" in dialogs.told[-1][1]
    assert packages.paid_sessions(package) == []


def test_a_read_only_dialog_that_offers_it_reloads_even_while_open(qtbot, db, window, patient):
    package = packages.create_package(patient, 4, Decimal("1000.00"))
    window.live_refresh.stop()
    window.live_refresh.poll()

    class Figures(QDialog):
        def __init__(self):
            super().__init__(window)
            self.notes = packages.summary(package).notes

        def refresh_from_other_pc(self):
            self.notes = packages.summary(package).notes

    dialog = Figures()
    dialog.open()
    other_pc(
        db,
        f"""
        from r3izzy_desktop.core import packages
        packages.edit_package({package.id}, notes="visto no diálogo")
        """,
    )
    window.live_refresh.poll()
    assert dialog.notes == "visto no diálogo"
    dialog.close()
