"""The least any app on this stack can do for its first screen, timed like the floor.

peewee (with the PostgreSQL drivers hidden, as the app does, see core/store/drivers.py) opens
the database and reads the active patients; a QTableView with a bare model shows them in a
QMainWindow; once painted and idle it prints the idle mark and quits, exactly as
floor_window.py. No stylesheet, log, settings, schema check, navigation or formatting:
it tells how much of the start-up the chosen libraries take by themselves.

    python tests/benchmarks/stack_window.py large.db
    python tests/benchmarks/stack_window.py postgresql://user@host/db

On a PostgreSQL URL it imports psycopg, as the app does for one (and only then).
"""

import sys

ON_SERVER = sys.argv[1].startswith(("postgresql://", "postgres://"))
if not ON_SERVER:
    for _driver in ("psycopg", "psycopg2", "psycopg2cffi"):
        sys.modules[_driver] = None  # type: ignore[assignment]  # as the app: SQLite only

import peewee  # noqa: E402
from floor_window import show_until_idle  # noqa: E402
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402

PATIENTS = (
    "SELECT name, phone, cpf, birth_date, guardian FROM patient "
    "WHERE active ORDER BY search_text, id"
)


class PatientsModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple]):
        super().__init__()
        self.rows = rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 5

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        value = self.rows[index.row()][index.column()]
        return "" if value is None else str(value)


def main() -> int:
    app = QApplication(sys.argv[:1])
    if ON_SERVER:
        from playhouse.db_url import connect

        database = connect(sys.argv[1])
    else:
        database = peewee.SqliteDatabase(sys.argv[1])
    rows = database.execute_sql(PATIENTS).fetchall()
    window = QMainWindow()
    view = QTableView()
    view.setModel(PatientsModel(rows))
    window.setCentralWidget(view)
    return show_until_idle(app, window)


if __name__ == "__main__":
    sys.exit(main())
