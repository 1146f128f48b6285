"""Alembic wiring: the config object for a database URL, and `upgrade` to the newest schema.

Migrations are a deploy step (`make run`, `flask tcloud db upgrade`, test session set-up),
never something create_app does.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from tcloud.config import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # ConfigParser treats % as interpolation; URLs may contain it (escaped passwords).
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)
