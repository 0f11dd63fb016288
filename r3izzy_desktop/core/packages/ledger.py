"""The package ledger's arithmetic (R4, R5, R8) and the replay of a history (R9).

Pure functions over Decimal and ints: no database, no Qt. The operations in
`packages` use them to compute debits; the integrity check uses `replay` to prove a
package's history reproduces its figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..ptbr import format_date, format_money, round_money
from ..terms import ALTERADO, ATIVO, CREDITADA, CRIADO, DEBITADA, FINALIZADO, INATIVO

ZERO = Decimal("0.00")


def price_per_session(total: Decimal, sessions_total: int) -> Decimal:
    """R4: total ÷ total sessions, half-up to the centavo."""
    if sessions_total <= 0:
        return ZERO
    return round_money(total / sessions_total)


def next_debit(open_amount: Decimal, sessions_left: int) -> Decimal:
    """R5: the next debit takes round(open amount ÷ sessions left).

    So the open amount reaches exactly 0,00 when the sessions reach 0.
    """
    if sessions_left <= 0:
        raise ValueError("no sessions left to debit")
    return round_money(open_amount / sessions_left)


def debit_schedule(open_amount: Decimal, sessions_left: int, count: int) -> list[Decimal]:
    """The amounts of `count` consecutive debits (R5) from `open_amount` over
    `sessions_left` sessions: from a package's current figures when paying (R6), from a
    fresh package's total and sessions when re-pricing its debits (R8)."""
    if count > sessions_left:
        raise ValueError("more debits than sessions")
    amounts = []
    left = sessions_left
    for _ in range(count):
        amount = next_debit(open_amount, left)
        amounts.append(amount)
        open_amount -= amount
        left -= 1
    return amounts


def status_after_change(asked: str | None, current: str, sessions_left: int) -> str:
    """R8: no sessions left -> finalizado; else the status asked for, or the current one
    (a finalizado package that has sessions again becomes ativo)."""
    if sessions_left <= 0:
        return FINALIZADO
    if asked is not None:
        return asked
    return ATIVO if current == FINALIZADO else current


def change_note(
    *,
    status: tuple[str, str],
    sessions: tuple[int, int],
    total: tuple[Decimal, Decimal],
    paid_on: tuple[date, date],
    notes: tuple[str, str],
) -> str | None:
    """R8's history note for a manual change, from each field's (old, new) value:
    "Pacote alterado: " then `campo: novo valor,` for each changed field, in the order
    status, sessões, valor total, data de pagamento, observações. None when nothing changed.
    """
    fields = (
        ("status", status, str),
        ("sessões", sessions, str),
        ("valor total", total, format_money),
        ("data de pagamento", paid_on, format_date),
        ("observações", notes, str),
    )
    changes = [f"{name}: {shown(new)}," for name, (old, new), shown in fields if old != new]
    return "Pacote alterado: " + " ".join(changes) if changes else None


@dataclass(frozen=True)
class EventRecord:
    """What a replay reads from one history line."""

    kind: str
    status: str
    sessions_left: int
    open_amount: Decimal
    price_per_session: Decimal
    sessions_total: int
    total: Decimal
    amount: Decimal = ZERO
    session_id: int | None = None
    session_start: datetime | None = None
    note: str | None = None  # checked against the kind's words (SPEC §4) when given


# The words each kind of history line starts with (SPEC §4). Only the start: a debit's
# note names the session's time when it was debited, which may have been moved since.
NOTE_STARTS = {
    CRIADO: "Pacote criado",
    DEBITADA: "Debitada pela sessão ",
    CREDITADA: "Creditada pela sessão ",
    ALTERADO: "Pacote alterado: ",
}


@dataclass
class Figures:
    sessions_total: int
    total: Decimal
    sessions_used: int
    open_amount: Decimal
    status: str

    @property
    def sessions_left(self) -> int:
        return self.sessions_total - self.sessions_used

    @property
    def price_per_session(self) -> Decimal:
        return price_per_session(self.total, self.sessions_total)


@dataclass
class _Debit:
    amount: Decimal
    order: int  # position of the debit line, to break ties between equal start times
    start: datetime | None


@dataclass
class ReplayResult:
    figures: Figures | None
    debits: dict[int, Decimal] = field(default_factory=dict)  # session id -> amount
    problems: list[str] = field(default_factory=list)


def replay(events: Iterable[EventRecord]) -> ReplayResult:
    """Rebuild a package's figures from its history alone, checking every line on the way.

    Each debit must take exactly what R5 gives at that point, each credit must give back
    what its session was debited, a manual change re-prices the debits (R8), and every
    line's stored figures must equal the recomputed ones. Returns the final figures,
    the active debit of each session, and the problems found (empty when consistent).
    """
    result = ReplayResult(figures=None)
    figures: Figures | None = None
    debits: dict[int, _Debit] = {}
    for position, event in enumerate(events, start=1):
        where = f"linha {position} ({event.kind})"
        if event.kind == CRIADO:
            if figures is not None:
                result.problems.append(f"{where}: pacote criado duas vezes")
            figures = Figures(event.sessions_total, event.total, 0, event.total, ATIVO)
        elif figures is None:
            result.problems.append(f"{where}: o histórico não começa com 'criado'")
            return result
        elif event.kind == DEBITADA:
            _replay_debit(figures, debits, event, position, where, result.problems)
        elif event.kind == CREDITADA:
            _replay_credit(figures, debits, event, where, result.problems)
        elif event.kind == ALTERADO:
            _replay_change(figures, debits, event)
        else:
            result.problems.append(f"{where}: tipo desconhecido")
            continue
        if event.note is not None and not event.note.startswith(NOTE_STARTS[event.kind]):
            result.problems.append(f"{where}: observação alterada: “{event.note}”")
        _compare_line(figures, event, where, result.problems)
    result.figures = figures
    result.debits = {session: debit.amount for session, debit in debits.items()}
    return result


def _replay_debit(figures, debits, event, position, where, problems) -> None:
    if figures.status != ATIVO:
        problems.append(f"{where}: débito num pacote {figures.status}")
    if figures.sessions_left <= 0:
        problems.append(f"{where}: débito sem sessões restantes")
        return
    expected = next_debit(figures.open_amount, figures.sessions_left)
    if event.amount != expected:
        problems.append(
            f"{where}: debitou {format_money(event.amount)}, a regra dá {format_money(expected)}"
        )
    if event.session_id in debits:
        problems.append(f"{where}: sessão {event.session_id} debitada duas vezes")
    debits[event.session_id] = _Debit(event.amount, position, event.session_start)
    figures.sessions_used += 1
    figures.open_amount -= event.amount
    if figures.sessions_left == 0:
        figures.status = FINALIZADO


def _replay_credit(figures, debits, event, where, problems) -> None:
    debit = debits.pop(event.session_id, None)
    if debit is None:
        problems.append(f"{where}: crédito de uma sessão que não estava debitada")
        return
    if event.amount != debit.amount:
        problems.append(
            f"{where}: creditou {format_money(event.amount)}, "
            f"a sessão fora debitada em {format_money(debit.amount)}"
        )
    figures.sessions_used -= 1
    figures.open_amount += debit.amount
    if figures.status == FINALIZADO:
        figures.status = ATIVO


def _replay_change(figures, debits, event) -> None:
    changed = (event.sessions_total, event.total) != (figures.sessions_total, figures.total)
    figures.sessions_total = event.sessions_total
    figures.total = event.total
    if changed and figures.sessions_used <= figures.sessions_total:
        ordered = sorted(debits.values(), key=lambda d: (d.start or datetime.min, d.order))
        amounts = debit_schedule(figures.total, figures.sessions_total, len(ordered))
        for debit, amount in zip(ordered, amounts, strict=True):
            debit.amount = amount
        figures.open_amount = figures.total - sum(amounts, ZERO)
    figures.status = event.status


def _compare_line(figures: Figures, event: EventRecord, where: str, problems: list[str]) -> None:
    if figures.status != event.status:
        problems.append(f"{where}: status gravado {event.status}, recalculado {figures.status}")
    if figures.sessions_left != event.sessions_left:
        problems.append(
            f"{where}: saldo de sessões gravado {event.sessions_left}, "
            f"recalculado {figures.sessions_left}"
        )
    if figures.open_amount != event.open_amount:
        problems.append(
            f"{where}: saldo gravado {format_money(event.open_amount)}, "
            f"recalculado {format_money(figures.open_amount)}"
        )
    if figures.price_per_session != event.price_per_session:
        problems.append(
            f"{where}: valor médio gravado {format_money(event.price_per_session)}, "
            f"recalculado {format_money(figures.price_per_session)}"
        )
    if figures.status == FINALIZADO and figures.sessions_left != 0:
        problems.append(f"{where}: finalizado com sessões restantes")
    if figures.status in (ATIVO, INATIVO) and figures.sessions_left == 0:
        problems.append(f"{where}: {figures.status} sem sessões restantes")
