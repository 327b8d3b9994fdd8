"""PSI tests that read or write the store use the store's fixtures (SQLite and PostgreSQL)."""

from tests.store.conftest import (  # noqa: F401  (fixtures, found by pytest by name)
    admin,
    analyst,
    db_url,
    engine,
    orgs,
    sessions,
)
