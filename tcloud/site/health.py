"""Readiness: is the database reachable, and is its schema at the newest migration?"""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from tcloud.migrate import alembic_config


def readiness(engine: Engine) -> tuple[bool, dict[str, str]]:
    checks: dict[str, str] = {}
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
        checks["database"] = "ok"
    except Exception as err:  # noqa: BLE001 - any failure means "not ready"
        return False, {"database": f"unreachable: {type(err).__name__}"}
    head = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    checks["migrations"] = "current" if current == head else (
        f"at {sorted(current) or 'none'}, expected {sorted(head)}"
    )
    return checks["migrations"] == "current", checks
