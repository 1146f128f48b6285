"""Shared fixtures: the app on SQLite and on PostgreSQL, one rolled-back transaction per test.

Every database-backed test runs twice, once per database (test ids end in [sqlite] or
[postgresql]). The schema comes from the migrations, once per database per session. Each
test runs inside an outer transaction that is rolled back afterwards; the code's own commits
become savepoints inside it. PostgreSQL is skipped when it does not answer, unless
TCLOUD_REQUIRE_POSTGRES=1, which turns a missing server into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tcloud import create_app, migrate
from tcloud.db import WRITE_OPTION, database
from tests.factories import Factories

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DATABASES = ("sqlite", "postgresql")


def postgres_admin_url() -> str:
    return os.environ.get("TCLOUD_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_required() -> bool:
    return os.environ.get("TCLOUD_REQUIRE_POSTGRES", "") == "1"


def create_postgres_database(prefix: str) -> str:
    """Create an empty database beside the admin one and return its URL (skips if none)."""
    admin_url = postgres_admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as err:
        message = f"PostgreSQL does not answer at {admin_url}: {err.orig}"
        if postgres_required():
            pytest.fail(message + " (TCLOUD_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    engine = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def empty_database_url(tmp_path_factory):
    """A factory of fresh, empty databases of a kind, dropped at the end of the session."""
    created: list[str] = []

    def make(kind: str, prefix: str = "tcloud_test") -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp(prefix)}/tcloud.db"
        url = create_postgres_database(prefix)
        created.append(url)
        return url

    yield make
    for url in created:
        drop_postgres_database(url)


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, empty_database_url) -> str:
    url = empty_database_url(request.param)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def base_app(database_url, tmp_path_factory):
    app = create_app({
        "TCLOUD_ENV": "testing",
        "TCLOUD_INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")),
        "TCLOUD_DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    })
    yield app
    database(app).engine.dispose()


@pytest.fixture
def app(base_app) -> Iterator:
    """The app, its sessions joined to one outer transaction that is rolled back after the test."""
    db = database(base_app)
    connection = db.engine.connect().execution_options(**{WRITE_OPTION: True})
    outer = connection.begin()
    db.bind = connection
    try:
        yield base_app
    finally:
        db.bind = db.engine
        outer.rollback()
        connection.close()


@pytest.fixture
def db(app):
    """A session for arranging and checking data directly through services."""
    session = database(app).session(write=True)
    yield session
    session.close()


@pytest.fixture
def factories(db) -> Factories:
    return Factories(db)


@pytest.fixture
def login(client):
    """Log the test client in as a user made by the factories."""

    def do_login(user, password: str = Factories.PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return do_login


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replace pytest-flask's test-long request context.

    With one pushed for the whole test, every client request would share its app context and
    so its `g` (the request's database session, the chosen language), which production never
    does. Tests that need a context push their own.
    """
    yield
