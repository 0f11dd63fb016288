"""The domain's words as the code stores them: package statuses, attendances, history
kinds and payment methods (SPEC §2–§4), with the labels a person reads.

A leaf: the models store these strings, the rules compare them, the screens show their
labels; nothing here touches the database.
"""

from __future__ import annotations

# Status of a package.
ATIVO = "ativo"
INATIVO = "inativo"
FINALIZADO = "finalizado"
# R19: closed early (encerramento), final; also the kind of the line that closes it.
ENCERRADO = "encerrado"
PACKAGE_STATUSES = (ATIVO, INATIVO, FINALIZADO, ENCERRADO)

# Attendance of a session.
AGENDADA = "agendada"
REALIZADA = "realizada"
FALTA = "falta"
FALTA_JUSTIFICADA = "falta_justificada"
ATTENDANCES = (AGENDADA, REALIZADA, FALTA, FALTA_JUSTIFICADA)

# Kinds of history line (SPEC §4).
CRIADO = "criado"
DEBITADA = "sessão debitada"
CREDITADA = "sessão creditada"
ALTERADO = "alterado manualmente"
# R18: an installment received, or voided (unreceived again); neither moves the sessions
# nor the open amount.
PARCELA_RECEBIDA = "parcela recebida"
PARCELA_ESTORNADA = "parcela estornada"
EVENT_KINDS = (
    CRIADO,
    DEBITADA,
    CREDITADA,
    ALTERADO,
    PARCELA_RECEBIDA,
    PARCELA_ESTORNADA,
    ENCERRADO,
)

# Payment methods: a package debit, or a manual payment.
PACOTE = "pacote"
MANUAL_METHODS = ("dinheiro", "pix", "cartao_credito", "cartao_debito", "transferencia", "outro")

METHOD_LABELS = {
    "dinheiro": "Dinheiro",
    "pix": "Pix",
    "cartao_credito": "Cartão de crédito",
    "cartao_debito": "Cartão de débito",
    "transferencia": "Transferência",
    "outro": "Outro",
    PACOTE: "Pacote",
}


def method_label(method: str) -> str:
    """The word a person reads for a stored payment method ("cartao_credito" -> "Cartão
    de crédito"); an unknown key as it is."""
    return METHOD_LABELS.get(method, method)
