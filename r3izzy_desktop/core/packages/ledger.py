"""The package ledger's arithmetic (R4, R5, R8) and the replay of a history (R9).

Pure functions over Decimal and ints: no database, no Qt. The operations in
`packages` use them to compute debits; the integrity check uses `replay` to prove a
package's history reproduces its figures and its terms (owner, validity, services,
sharing: R15-R17).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..ptbr import format_date, format_money, round_money
from ..terms import (
    ALTERADO,
    ATIVO,
    CREDITADA,
    CRIADO,
    DEBITADA,
    ENCERRADO,
    FINALIZADO,
    INATIVO,
    PARCELA_ESTORNADA,
    PARCELA_RECEBIDA,
)

ZERO = Decimal("0.00")


def sessions_left(status: str, sessions_total: int, sessions_used: int) -> int:
    """R4's sessions left; 0 once `encerrado` (R19: the sessions not used are given up,
    while `sessions_total` and `sessions_used` keep what was bought and used)."""
    if status == ENCERRADO:
        return 0
    return sessions_total - sessions_used


@dataclass(frozen=True)
class ClosingSplit:
    """R19: what closing a package does with its open amount, in three parts that add up
    to it: `refunded` (given back), `retained` (kept by the clinic) and `cancelled` (the
    part of the credit that was never received)."""

    refunded: Decimal
    retained: Decimal
    cancelled: Decimal


def refundable(received: Decimal, debited: Decimal) -> Decimal:
    """R19: what may be given back: max(0, received − debited)."""
    return max(ZERO, received - debited)


def closing_split(open_amount: Decimal, received: Decimal, debited: Decimal, refund: Decimal):
    """R19's split of the open amount before closing, for a `refund` from 0 to
    `refundable(received, debited)` (the caller checks the range): retained = refundable −
    refund, cancelled = open amount − refund − retained."""
    retained = refundable(received, debited) - refund
    return ClosingSplit(refund, retained, open_amount - refund - retained)


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


# How the R8 note shows the terms (R8, extended).
NO_VALIDITY = "sem validade"
ALL_SERVICES = "todos"
NOBODY = "ninguém"


def validity_label(valid_until: date | None) -> str:
    """ "31/12/2026", or "sem validade"."""
    return NO_VALIDITY if valid_until is None else format_date(valid_until)


def names_label(names: Sequence[str], empty: str) -> str:
    """Names joined by "; " as given (the caller orders them), or `empty`."""
    return "; ".join(names) if names else empty


# A change of one of the package's terms: (old key, new key, new value as the note shows
# it). Keys compare (ids, dates), the shown text is what the note writes.
TermChange = tuple[object, object, str]


def change_note(
    *,
    status: tuple[str, str],
    sessions: tuple[int, int],
    total: tuple[Decimal, Decimal],
    paid_on: tuple[date, date],
    notes: tuple[str, str],
    owner: TermChange | None = None,
    valid_until: tuple[date | None, date | None] | None = None,
    services: TermChange | None = None,
    shared_with: TermChange | None = None,
) -> str | None:
    """R8's history note for a manual change, from each field's (old, new) value:
    "Pacote alterado: " then `campo: novo valor,` for each changed field, in the order
    paciente, status, sessões, valor total, data de pagamento, validade, serviços,
    compartilhado com, observações (R8, extended). None when nothing changed.

    owner, services and shared_with are TermChanges: the new owner's name; the services'
    names sorted, "; " between them, or "todos"; the patients' names, or "ninguém"."""
    fields: list[tuple[str, object, object, str]] = []
    if owner is not None:
        fields.append(("paciente", *owner))
    fields += [
        ("status", *status, status[1]),
        ("sessões", *sessions, str(sessions[1])),
        ("valor total", *total, format_money(total[1])),
        ("data de pagamento", *paid_on, format_date(paid_on[1])),
    ]
    if valid_until is not None:
        fields.append(("validade", *valid_until, validity_label(valid_until[1])))
    if services is not None:
        fields.append(("serviços", *services))
    if shared_with is not None:
        fields.append(("compartilhado com", *shared_with))
    fields.append(("observações", *notes, notes[1]))
    changes = [f"{name}: {shown}," for name, old, new, shown in fields if old != new]
    return "Pacote alterado: " + " ".join(changes) if changes else None


def ids_text(ids: Iterable[int]) -> str:
    """Ids as a history line stores them: sorted, separated by commas ("" for none)."""
    return ",".join(str(i) for i in sorted(set(ids)))


def parse_ids(text: str | None) -> frozenset[int]:
    """The ids `ids_text` wrote."""
    return frozenset(int(part) for part in (text or "").split(",") if part.strip())


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
    # The terms after a `criado` / `alterado manualmente` line (R15-R17), known when
    # `owner_id` is given: the owner, the validity (None: no limit), the services (empty:
    # all) and the patients it is shared with. Ignored on the other kinds.
    owner_id: int | None = None
    valid_until: date | None = None
    services: frozenset[int] = frozenset()
    shared_with: frozenset[int] = frozenset()
    # Whose session a debit paid: it must be the owner's or a sharer's at that point (R17).
    session_patient_id: int | None = None
    # What an `encerrado` line (R19) did with the open amount before it (0 on the others).
    refunded: Decimal = ZERO
    retained: Decimal = ZERO
    cancelled: Decimal = ZERO
    # R20: the line's change of the open amount since the line before (None: not read).
    open_change: Decimal | None = None


# The words each kind of history line starts with (SPEC §4). Only the start: a debit's
# note names the session's time when it was debited, which may have been moved since.
NOTE_STARTS = {
    CRIADO: "Pacote criado",
    DEBITADA: "Debitada pela sessão ",
    CREDITADA: "Creditada pela sessão ",
    ALTERADO: "Pacote alterado: ",
    PARCELA_RECEBIDA: "Parcela ",
    PARCELA_ESTORNADA: "Parcela ",
    ENCERRADO: "Pacote encerrado: ",
}
# R18: the lines about money received, which leave the sessions, the open amount and the
# status as they were.
INSTALLMENT_KINDS = (PARCELA_RECEBIDA, PARCELA_ESTORNADA)


@dataclass
class Figures:
    sessions_total: int
    total: Decimal
    sessions_used: int
    open_amount: Decimal
    status: str
    # The terms (R15-R17); owner_id None while the history never told them.
    owner_id: int | None = None
    valid_until: date | None = None
    services: frozenset[int] = frozenset()
    shared_with: frozenset[int] = frozenset()
    # R18: received by installment lines less voided ones (without the total a package
    # without a plan received at its creation, which has no line).
    installment_lines: Decimal = ZERO

    @property
    def sessions_left(self) -> int:
        return sessions_left(self.status, self.sessions_total, self.sessions_used)

    @property
    def price_per_session(self) -> Decimal:
        return price_per_session(self.total, self.sessions_total)


@dataclass
class _Debit:
    amount: Decimal
    order: int  # position of the debit line, to break ties between equal start times
    start: datetime | None
    # The session was neither the owner's nor a sharer's when it was debited (R17).
    foreign: bool = False


@dataclass
class ReplayResult:
    figures: Figures | None
    debits: dict[int, Decimal] = field(default_factory=dict)  # session id -> amount
    problems: list[str] = field(default_factory=list)
    # Active debits of sessions that were neither the owner's nor a sharer's when debited:
    # (session id, its start). Only active ones: a session's patient may change once it
    # was credited back, never while it is paid.
    foreign_debits: list[tuple[int, datetime | None]] = field(default_factory=list)


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
            _replay_terms(figures, event)
        elif figures is None:
            result.problems.append(f"{where}: o histórico não começa com 'criado'")
            return result
        elif figures.status == ENCERRADO and not _notes_only(figures, event):
            # R19: final; only its notes may change afterwards.
            result.problems.append(f"{where}: linha depois do encerramento do pacote")
            continue
        elif event.kind == DEBITADA:
            _replay_debit(figures, debits, event, position, where, result.problems)
        elif event.kind == CREDITADA:
            _replay_credit(figures, debits, event, where, result.problems)
        elif event.kind == ALTERADO:
            _replay_change(figures, debits, event)
            _replay_terms(figures, event)
        elif event.kind in INSTALLMENT_KINDS:
            _replay_installment(figures, event, where, result.problems)
        elif event.kind == ENCERRADO:
            _replay_closing(figures, event, where, result.problems)
        else:
            result.problems.append(f"{where}: tipo desconhecido")
            continue
        if event.note is not None and not event.note.startswith(NOTE_STARTS[event.kind]):
            result.problems.append(f"{where}: observação alterada: “{event.note}”")
        _compare_line(figures, event, where, result.problems)
    result.figures = figures
    result.debits = {session: debit.amount for session, debit in debits.items()}
    result.foreign_debits = [
        (session, debit.start) for session, debit in debits.items() if debit.foreign
    ]
    return result


def _notes_only(figures: Figures, event: EventRecord) -> bool:
    """An `alterado manualmente` line of a closed package that changes only its notes."""
    same_terms = event.owner_id is None or (
        event.owner_id,
        event.valid_until,
        frozenset(event.services),
        frozenset(event.shared_with),
    ) == (figures.owner_id, figures.valid_until, figures.services, figures.shared_with)
    return (
        event.kind == ALTERADO
        and event.status == ENCERRADO
        and (event.sessions_total, event.total) == (figures.sessions_total, figures.total)
        and same_terms
    )


def _replay_closing(figures: Figures, event: EventRecord, where: str, problems) -> None:
    """R19: an `ativo` or `inativo` package with sessions left ends `encerrado`, its open
    amount split into refunded + retained + cancelled, none negative."""
    if figures.status not in (ATIVO, INATIVO) or figures.sessions_left <= 0:
        problems.append(f"{where}: encerramento de um pacote {figures.status}")
    parts = (event.refunded, event.retained, event.cancelled)
    if any(part < 0 for part in parts):
        problems.append(f"{where}: valor negativo no encerramento")
    if sum(parts, ZERO) != figures.open_amount:
        problems.append(
            f"{where}: devolvido, retido e cancelado somam {format_money(sum(parts, ZERO))}, "
            f"o saldo era {format_money(figures.open_amount)}"
        )
    figures.status = ENCERRADO
    figures.open_amount = ZERO


def _replay_terms(figures: Figures, event: EventRecord) -> None:
    if event.owner_id is None:
        return  # a line written without its terms: they stay as they were
    figures.owner_id = event.owner_id
    figures.valid_until = event.valid_until
    figures.services = frozenset(event.services)
    figures.shared_with = frozenset(event.shared_with)


def _replay_debit(figures, debits, event, position, where, problems) -> None:
    if figures.status != ATIVO:
        problems.append(f"{where}: débito num pacote {figures.status}")
    who = event.session_patient_id
    foreign = (
        who is not None
        and figures.owner_id is not None
        and who != figures.owner_id
        and who not in figures.shared_with
    )
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
    debits[event.session_id] = _Debit(event.amount, position, event.session_start, foreign)
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


def _replay_installment(figures, event, where, problems) -> None:
    """R18: money received or voided; the package's figures stay as they were (the line
    carries them, `_compare_line` checks them). What it moved is what the package still
    owes: `received` follows it (net of the lines; a package without a plan received its
    total on its payment date, with no line)."""
    if event.amount <= 0:
        problems.append(f"{where}: parcela sem valor")
    if event.total != figures.total or event.sessions_total != figures.sessions_total:
        problems.append(f"{where}: uma linha de parcela mudou o total do pacote")
    sign = 1 if event.kind == PARCELA_RECEBIDA else -1
    figures.installment_lines += sign * event.amount


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
