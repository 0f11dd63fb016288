"""Storage, at the bottom of the core: the connection, its pool and its URL, transactions
and row locks, the models, the schema's migrations, the change counter, the PostgreSQL
driver, server inspection and `migrate-to`.

Imports run one way inside it (connection -> migrations -> models -> binding) and it
imports nothing of the core above it: only the leaves (errors, clock, ptbr, terms).
"""
