"""The Serviços, Locais and Profissionais tabs of Configurações."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic
from ...core.ptbr import format_brl, format_money
from ..common.column_widths import STRETCH_SAMPLE
from ..common.fields import MoneyEdit, WholeNumberSpin
from ..common.table_model import RIGHT, Column
from ..common.widgets import FormField
from .catalog import CatalogTab

# --- Serviços ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRow:
    id: int
    name: str
    price: Decimal
    duration_min: int
    active: bool


class ServicesTab(CatalogTab):
    new_title = "Novo serviço"

    def columns(self) -> list[Column]:
        return [
            Column("Serviço", lambda r: r.name if r.active else f"{r.name} (inativo)"),
            Column("Preço", lambda r: format_brl(r.price), align=RIGHT, sort_key=lambda r: r.price),
            Column(
                "Duração",
                lambda r: f"{r.duration_min} min",
                align=RIGHT,
                sort_key=lambda r: r.duration_min,
            ),
        ]

    def load_rows(self, include_inactive: bool) -> list[ServiceRow]:
        return [
            ServiceRow(s.id, s.name, s.price, s.duration_min, s.active)
            for s in clinic.list_services(include_inactive=include_inactive)
        ]

    def build_fields(self) -> dict[str, FormField]:
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("ex.: Método Bobath"))
        self.price = MoneyEdit()
        self.duration = WholeNumberSpin(self.tr("Duração (min)"))
        self.duration.setRange(5, 600)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(self.tr(" min"))
        self.duration.setAlignment(Qt.AlignmentFlag.AlignRight)
        # Arrow keys and the mouse wheel change it; the tiny arrows only crowd the field.
        self.duration.setProperty("plain", True)
        return {
            "name": FormField(self.tr("Nome do serviço"), self.name),
            "price": FormField(self.tr("Preço da sessão"), self.price),
            "duration_min": FormField(self.tr("Duração"), self.duration),
        }

    def fill(self, row: ServiceRow | None) -> None:
        self.name.setText(row.name if row else "")
        self.price.setText(format_money(row.price) if row else "")
        self.duration.setValue(row.duration_min if row else 50)

    def write(self, item_id: int | None) -> int:
        price = self.price.value()
        values = {
            "name": self.name.text(),
            # Unparsable text goes to the core as typed, which explains what is wrong.
            "price": price if price is not None else self.price.text(),
            "duration_min": self.duration.value(),
        }
        if item_id is None:
            return clinic.add_service(**values).id
        return clinic.update_service(item_id, **values).id

    def write_active(self, item_id: int, active: bool) -> None:
        clinic.update_service(item_id, active=active)


# --- Locais -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationRow:
    id: int
    name: str
    active: bool


class LocationsTab(CatalogTab):
    new_title = "Novo local"

    def columns(self) -> list[Column]:
        return [Column("Local", lambda r: r.name if r.active else f"{r.name} (inativo)")]

    def load_rows(self, include_inactive: bool) -> list[LocationRow]:
        return [
            LocationRow(loc.id, loc.name, loc.active)
            for loc in clinic.list_locations(include_inactive=include_inactive)
        ]

    def build_fields(self) -> dict[str, FormField]:
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("ex.: Sala 1, Domicílio, Online"))
        return {"name": FormField(self.tr("Nome do local"), self.name)}

    def fill(self, row: LocationRow | None) -> None:
        self.name.setText(row.name if row else "")

    def write(self, item_id: int | None) -> int:
        if item_id is None:
            return clinic.add_location(self.name.text()).id
        return clinic.update_location(item_id, name=self.name.text()).id

    def write_active(self, item_id: int, active: bool) -> None:
        clinic.update_location(item_id, active=active)


# --- Profissionais ----------------------------------------------------------------------------

PALETTE = (
    "#2a9d8f",
    "#e76f51",
    "#264653",
    "#e9c46a",
    "#8e5cd9",
    "#2f6fdd",
    "#d64592",
    "#5b8c3a",
)


@dataclass(frozen=True)
class ProfessionalRow:
    id: int
    name: str
    color: str
    active: bool
    council: str = ""  # R21: the council registration receipts print


class ColorField(QWidget):
    """ "#RRGGBB" typed, picked from the palette, or chosen in the colour dialog."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(8)
        first = QHBoxLayout()
        first.setSpacing(8)
        self.preview = QLabel()
        self.preview.setObjectName("colorPreview")
        self.preview.setFixedSize(30, 30)
        first.addWidget(self.preview)
        self.text = QLineEdit()
        self.text.setMaxLength(7)
        self.text.setFixedWidth(110)
        self.text.setPlaceholderText("#2a9d8f")
        self.text.setAccessibleName(self.tr("Cor em #RRGGBB"))
        first.addWidget(self.text)
        self.more = QPushButton(self.tr("Outra cor…"))
        self.more.setProperty("compact", True)
        self.more.clicked.connect(self._pick)
        first.addWidget(self.more)
        first.addStretch(1)
        rows.addLayout(first)
        palette = QHBoxLayout()
        palette.setSpacing(6)
        self.swatches: list[QPushButton] = []
        for color in PALETTE:
            swatch = QPushButton()
            swatch.setObjectName("swatch")
            swatch.setFixedSize(26, 26)
            swatch.setToolTip(color)
            swatch.setAccessibleName(self.tr("Cor {0}").format(color))
            swatch.setStyleSheet(f"QPushButton#swatch {{ background: {color}; }}")
            swatch.clicked.connect(lambda _c=False, color=color: self.set_color(color))
            palette.addWidget(swatch)
            self.swatches.append(swatch)
        palette.addStretch(1)
        rows.addLayout(palette)
        self.text.textChanged.connect(self._show)
        self.text.textChanged.connect(self.changed.emit)

    def _show(self, text: str) -> None:
        color = QColor(text.strip())
        valid = len(text.strip()) == 7 and color.isValid()
        self.preview.setStyleSheet(
            f"QLabel#colorPreview {{ background: {color.name() if valid else '#ffffff'}; "
            "border: 1px solid #cbd5e1; border-radius: 6px; }"
        )

    def color(self) -> str:
        return self.text.text().strip()

    def set_color(self, color: str) -> None:
        self.text.setText(color)

    @classmethod
    def pick(cls, parent: QWidget | None, initial: str) -> str | None:
        """The system colour dialog; the chosen "#rrggbb", or None when cancelled."""
        chosen = QColorDialog.getColor(QColor(initial), parent)
        return chosen.name() if chosen.isValid() else None

    def _pick(self) -> None:
        chosen = type(self).pick(self, self.color() or PALETTE[0])
        if chosen:
            self.set_color(chosen)


class ProfessionalsTab(CatalogTab):
    new_title = "Novo profissional"
    name_sample = STRETCH_SAMPLE

    def columns(self) -> list[Column]:
        return [
            Column(
                "Profissional",
                lambda r: r.name if r.active else f"{r.name} (inativo)",
                color=lambda r: r.color,
            ),
            Column("Registro no conselho", lambda r: r.council or "—"),
            Column("Cor", lambda r: r.color, color=lambda r: r.color),
        ]

    def load_rows(self, include_inactive: bool) -> list[ProfessionalRow]:
        return [
            ProfessionalRow(p.id, p.name, p.color, p.active, p.council)
            for p in clinic.list_professionals(include_inactive=include_inactive)
        ]

    def build_fields(self) -> dict[str, FormField]:
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("ex.: Dra. Camila Ribeiro"))
        self.color = ColorField()
        self.council = QLineEdit()
        self.council.setPlaceholderText(
            self.tr("ex.: CREFITO-3 12345-F, CRFa 2-1234, CRP 06/12345")
        )
        return {
            "name": FormField(self.tr("Nome do profissional"), self.name),
            "council": FormField(
                self.tr("Registro no conselho"),
                self.council,
                hint=self.tr("Sai nos recibos das sessões deste profissional."),
            ),
            "color": FormField(self.tr("Cor na agenda"), self.color),
        }

    def fill(self, row: ProfessionalRow | None) -> None:
        self.name.setText(row.name if row else "")
        self.color.set_color(row.color if row else PALETTE[0])
        self.council.setText(row.council if row else "")

    def write(self, item_id: int | None) -> int:
        if item_id is None:
            return clinic.add_professional(
                self.name.text(), self.color.color(), council=self.council.text()
            ).id
        return clinic.update_professional(
            item_id, name=self.name.text(), color=self.color.color(), council=self.council.text()
        ).id

    def write_active(self, item_id: int, active: bool) -> None:
        clinic.update_professional(item_id, active=active)
