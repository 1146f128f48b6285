"""The data layer: commit point, rollback on error, and row locks that hold under a race."""

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import Integer, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlmodel import Session, select

from tcloud.accounts.models import Organisation
from tcloud.db import WRITE_OPTION, LockingError, lock_row, make_engine, transaction
from tests.conftest import DATABASES


class RaceBase(DeclarativeBase):
    """A table of the race test's own, kept out of the application's metadata."""


class Wallet(RaceBase):
    __tablename__ = "race_wallet"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(20))
    balance: Mapped[int] = mapped_column(Integer)


def run_together(target, *args, count: int = 2) -> None:
    """Start `count` threads on `target` and wait for all of them."""
    threads = [threading.Thread(target=target, args=args) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def withdraw(engine, amount, outcomes, barrier):
    barrier.wait()
    with Session(engine, execution_options={WRITE_OPTION: True}) as session:
        with transaction(session):
            wallet = lock_row(session, Wallet, 1)
            if wallet.balance >= amount:
                wallet.balance -= amount
                outcomes.append("paid")
            else:
                outcomes.append("refused")


@contextmanager
def race_engine(url):
    """An engine on its own database with the race table, removed afterwards."""
    engine = make_engine(url)
    RaceBase.metadata.create_all(engine)
    try:
        yield engine
    finally:
        RaceBase.metadata.drop_all(engine)
        engine.dispose()


@pytest.mark.parametrize("kind", DATABASES)
def test_two_threads_cannot_spend_the_same_balance(empty_database_url, kind):
    with race_engine(empty_database_url(kind, "tcloud_race")) as engine:
        for _round in range(5):
            with Session(engine, execution_options={WRITE_OPTION: True}) as session:
                session.merge(Wallet(id=1, owner="amei", balance=100))
                session.commit()
            outcomes: list[str] = []
            run_together(withdraw, engine, 80, outcomes, threading.Barrier(2))
            with Session(engine) as session:
                balance = session.get(Wallet, 1).balance
            assert sorted(outcomes) == ["paid", "refused"]
            assert balance == 20


def test_without_the_lock_the_same_race_double_spends_on_postgres(empty_database_url):
    """Proves the race test above can fail: a plain read-then-write loses an update."""
    with race_engine(empty_database_url("postgresql", "tcloud_race")) as engine:
        with Session(engine) as session:
            session.add(Wallet(id=1, owner="amei", balance=100))
            session.commit()
        paid = []
        both_read = threading.Barrier(2)

        def careless_withdraw():
            with Session(engine) as session:
                wallet = session.get(Wallet, 1)
                both_read.wait()
                if wallet.balance >= 80:
                    session.execute(text("UPDATE race_wallet SET balance = :b WHERE id = 1"),
                                    {"b": wallet.balance - 80})
                    session.commit()
                    paid.append(True)

        run_together(careless_withdraw)
        assert len(paid) == 2  # both paid 80 out of 100: the bug the lock prevents


def test_lock_row_refuses_a_read_session_on_sqlite(empty_database_url):
    with race_engine(empty_database_url("sqlite", "tcloud_readonly")) as engine:
        with Session(engine, execution_options={WRITE_OPTION: False}) as session:
            with pytest.raises(LockingError):
                lock_row(session, Wallet, 1)


def test_transaction_commits_on_success_and_rolls_back_on_error(app, db):
    from tcloud.db import get_session

    with app.test_request_context("/", method="POST"):
        with transaction() as session:
            session.add(Organisation(kind="business", name="kept", tax_id="22099131"))
        with pytest.raises(RuntimeError):
            with transaction(get_session()) as session:
                session.add(Organisation(kind="business", name="lost", tax_id="04595257"))
                session.flush()
                raise RuntimeError("boom")
    names = db.exec(select(Organisation.name)).all()
    assert names == ["kept"]


def test_get_requests_read_and_post_requests_write(empty_database_url):
    from tcloud import create_app
    from tcloud.db import get_session

    app = create_app({"TCLOUD_ENV": "testing",
                      "TCLOUD_DATABASE_URL": empty_database_url("sqlite", "tcloud_modes")})
    for method, expected in (("GET", False), ("HEAD", False), ("POST", True), ("DELETE", True)):
        with app.test_request_context("/", method=method):
            assert get_session().connection().get_execution_options()[WRITE_OPTION] is expected
    with app.app_context():  # CLI commands and jobs write
        assert get_session().connection().get_execution_options()[WRITE_OPTION] is True
