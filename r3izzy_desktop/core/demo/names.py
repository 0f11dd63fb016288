"""Names and CPFs for demo patients, shared by the small and the large clinic."""

from __future__ import annotations

import random

FIRST_NAMES = (
    "Ana",
    "João",
    "Maria",
    "Pedro",
    "Lúcia",
    "Gabriel",
    "Beatriz",
    "Heitor",
    "Helena",
    "Théo",
    "Valentina",
    "Davi",
    "Lívia",
    "Arthur",
    "Cecília",
    "Bernardo",
    "Sofia",
    "Miguel",
    "Alice",
    "Lorenzo",
    "Manuela",
    "Enzo",
    "Isabela",
    "Samuel",
    "Laura",
    "Benício",
    "Luíza",
    "Joaquim",
    "Antônio",
    "Clara",
)
LAST_NAMES = (
    "Souza",
    "Silva",
    "Oliveira",
    "Santos",
    "Pereira",
    "Costa",
    "Rodrigues",
    "Almeida",
    "Nascimento",
    "Lima",
    "Araújo",
    "Fernandes",
    "Carvalho",
    "Gomes",
    "Martins",
    "Rocha",
    "Ribeiro",
    "Alves",
    "Monteiro",
    "Mendes",
    "Barbosa",
    "Cardoso",
    "Teixeira",
    "Correia",
)
GUARDIAN_FIRST = ("Cláudia", "Marcos", "Fernanda", "Ricardo", "Patrícia", "Eduardo", "Juliana")


def make_cpf(rng: random.Random) -> str:
    """A random CPF with valid check digits."""
    base = [rng.randint(0, 9) for _ in range(9)]
    while len(set(base)) == 1:
        base = [rng.randint(0, 9) for _ in range(9)]
    for size in (9, 10):
        total = sum(d * w for d, w in zip(base, range(size + 1, 1, -1), strict=False))
        base.append((total * 10) % 11 % 10)
    return "".join(map(str, base))


def patient_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
