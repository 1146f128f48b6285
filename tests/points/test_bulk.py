"""Bulk statements (tcloud.points.bulk): the same rows and answers on both databases."""

from datetime import UTC, datetime

from sqlalchemy import select

from tcloud.points import bulk
from tcloud.points import models as m

_transactions = m.LedgerTransaction.__table__


def test_rows_go_in_as_given_and_come_back_by_a_unique_column(db):
    moment = datetime(2026, 11, 23, 15, 30, 5, 123456, tzinfo=UTC)
    rows = [{"idempotency_key": f"bulk:{i}", "kind": "grant", "programme_id": None,
             "description": "含中文 'quotes', commas" if i % 2 else "", "actor_id": None,
             "created_at": moment} for i in range(2_500)]
    returned = dict(bulk.insert_rows(db, _transactions, rows,
                                     returning=("idempotency_key", "id")))
    assert len(returned) == 2_500 and len(set(returned.values())) == 2_500
    stored = {row.idempotency_key: row for row in db.execute(
        select(_transactions).where(bulk.among(db, _transactions.c.idempotency_key,
                                               list(returned))))}
    assert stored.keys() == returned.keys()
    sample = stored["bulk:7"]
    assert (sample.id, sample.description, sample.programme_id) == (
        returned["bulk:7"], "含中文 'quotes', commas", None)
    assert sample.created_at == moment  # the instant, whatever the server's time zone
    assert bulk.insert_rows(db, _transactions, []) == []


def test_among_splits_long_lists_on_sqlite_and_sends_one_array_on_postgresql(db):
    values = list(range(2_500))
    parts = bulk.chunks(db, values)
    expected = 1 if bulk.on_postgresql(db) else 3
    assert len(parts) == expected and [v for part in parts for v in part] == values
    assert bulk.chunks(db, []) == []
    found = db.execute(select(_transactions.c.id).where(
        bulk.among(db, _transactions.c.id, [-1, -2]))).all()
    assert found == []
