"""The schema comes from the migrations, and the migrations match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from tcloud import migrate
from tcloud.models import import_all_models
from tests.conftest import DATABASES


def test_models_and_migrations_agree(database_url):
    import_all_models()
    engine = create_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == [], "run `alembic revision --autogenerate`: " + repr(differences)


def test_there_is_a_single_head():
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


@pytest.mark.parametrize("kind", DATABASES)
def test_downgrade_to_base_and_upgrade_again(empty_database_url, kind):
    url = empty_database_url(kind, "tcloud_roundtrip")
    config = migrate.alembic_config(url)
    from alembic import command

    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
