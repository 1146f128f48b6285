"""The data layer: one engine per app, a request-scoped Session, the commit point, row locks.

Rules this module enforces for the rest of the code:
- Services only flush; entry points (views, API, CLI, jobs) commit through `transaction()`.
- Money-moving code locks the row it changes with `lock_row()`. On PostgreSQL that is
  `SELECT ... FOR UPDATE`. SQLite ignores FOR UPDATE, so there the lock is the database write
  lock itself: write sessions begin with `BEGIN IMMEDIATE`, which serialises writers before they
  read, and `lock_row()` refuses to run in a session that did not begin that way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlmodel import Session

WRITE_OPTION = "tcloud_write"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ModelT = TypeVar("ModelT")


class LockingError(RuntimeError):
    """A row lock was asked for in a session that cannot hold one (a programming error)."""


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine configured for safe concurrent writes on SQLite or PostgreSQL."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        _make_sqlite_transactions_explicit(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _make_sqlite_transactions_explicit(engine: Engine) -> None:
    # pysqlite opens transactions lazily and never with IMMEDIATE; take that over so that a
    # write session holds the write lock from its first statement (see STACK-NOTES.md).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@dataclass
class Database:
    """What the app holds: its engine and what new sessions bind to (tests swap the bind)."""

    engine: Engine
    bind: Engine | Connection

    def session(self, *, write: bool) -> Session:
        if isinstance(self.bind, Connection):
            # Tests: join the connection's outer transaction; commits become savepoints.
            return Session(
                bind=self.bind,
                join_transaction_mode="create_savepoint",
                expire_on_commit=False,
            )
        return Session(
            bind=self.bind,
            expire_on_commit=False,
            execution_options={WRITE_OPTION: write},
        )


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["TCLOUD_DATABASE_URL"], echo=app.config["TCLOUD_DB_ECHO"])
    app.extensions["tcloud.db"] = Database(engine=engine, bind=engine)
    app.teardown_appcontext(_close_session)


def database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["tcloud.db"]


def get_session() -> Session:
    """The session of the current request or app context (created on first use).

    In a request, unsafe methods (POST, PUT, ...) get a write session; GET gets a read one,
    which on SQLite does not take the write lock. Outside a request (CLI, jobs) it writes.
    """
    if "db_session" not in g:
        write = request.method not in SAFE_METHODS if has_request_context() else True
        g.db_session = database().session(write=write)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def transaction(session: Session | None = None) -> Iterator[Session]:
    """The one commit point for entry points: commit if the block succeeds, else roll back."""
    session = session or get_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def lock_row(session: Session, model: type[ModelT], pk: Any) -> ModelT | None:
    """Load one row so that no other transaction can change it until this one ends."""
    if session.get_bind().dialect.name == "sqlite":
        connection = session.connection()
        if not connection.get_execution_options().get(WRITE_OPTION):
            raise LockingError(
                "lock_row on SQLite needs a write session (BEGIN IMMEDIATE); "
                "use it from a POST request, a CLI command or a job."
            )
        return session.get(model, pk, populate_existing=True)
    return session.get(model, pk, with_for_update=True, populate_existing=True)
