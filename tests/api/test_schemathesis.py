"""Property-based run of the OpenAPI schema (schemathesis): no 5xx, no response that breaks
the schema, on SQLite and PostgreSQL, with an admin key (the role that may call everything),
for the screen, domain, indicator and report routes.

Driven by hand (hypothesis `given` over each operation's strategy) because the pytest
`from_fixture` loader does not work with parametrised fixtures in this pytest version."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis.openapi.loaders import from_asgi
from sqlalchemy import Engine

import lurewatch
from lurewatch.api import Settings, create_app
from lurewatch.store.db import session_factory
from lurewatch.store.keys import create_key

EXAMPLES = 30
OWN = ("/api/v1/screen", "/api/v1/domains", "/api/v1/indicators", "/api/v1/reports")
"""The routes of the store and API module; operations, PSI, sharing and TAXII routes are run
through schemathesis by their own modules' tests."""


@pytest.mark.slow
def test_api_conforms_to_schema(engine: Engine) -> None:
    app = create_app(Settings(rate_per_second=10_000, rate_burst=10_000), engine=engine)
    with session_factory(engine)() as s:
        key = create_key(s, "ngo", "admin")
    headers = {"Authorization": f"Bearer {key}"}
    lurewatch.screen("warm the models up before the timed calls")
    schema = from_asgi("/openapi.json", app)
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if op.path.startswith(OWN)
    ]
    assert len(operations) == 9

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):  # type: ignore[no-untyped-def]
            case.call_and_validate(headers=headers, timeout=120)

        check()
