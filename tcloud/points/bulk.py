"""Statements over thousands of rows (the batch grant), short whatever the row count.

Measured on a 5,000-grant batch on PostgreSQL: psycopg spent longer turning SQLAlchemy's
multi-row INSERT ... VALUES and long IN (...) lists into its own placeholders than the server
spent running them (about half of the batch's time), because a statement with tens of
thousands of placeholders is parsed afresh each time. On PostgreSQL the rows therefore travel
as one array per column (INSERT ... SELECT FROM unnest(...), and = ANY(array)); on SQLite,
where statements cost no such conversion, the usual forms serve.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Table, any_, bindparam, insert, text
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

CHUNK = 1000  # SQLite: values per IN list


def on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, column: Column, values: Sequence):
    """`column IN values` as one condition: an array parameter on PostgreSQL.

    On SQLite a long list is split by the caller (`chunks`); on PostgreSQL `chunks` gives the
    whole list at once, so callers write one loop for both.
    """
    if on_postgresql(session):
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type),
                                        unique=True))
    return column.in_(list(values))


def chunks(session: Session, values: Sequence) -> list[Sequence]:
    if on_postgresql(session):
        return [values] if values else []
    return [values[start:start + CHUNK] for start in range(0, len(values), CHUNK)]


def insert_rows(session: Session, table: Table, rows: list[dict],
                returning: Sequence[str] = ()) -> list[tuple]:
    """Insert `rows` (dicts with the same keys); the `returning` columns of each, in any order
    on PostgreSQL (return a unique column to match them up)."""
    if not rows:
        return []
    if not on_postgresql(session):
        statement = insert(table)
        if returning:  # RETURNING makes SQLAlchemy batch rows into multi-row INSERTs
            statement = statement.returning(*(table.c[name] for name in returning),
                                            sort_by_parameter_order=True)
            return [tuple(row) for row in session.execute(statement, rows)]
        session.execute(statement, rows)
        return []
    dialect = session.get_bind().dialect
    names = list(rows[0])
    arrays, casts = {}, []
    for i, name in enumerate(names):
        column_type = table.c[name].type
        process = column_type.bind_processor(dialect)
        values = [row[name] for row in rows]
        arrays[f"c{i}"] = [process(value) for value in values] if process else values
        casts.append(f"CAST(:c{i} AS {column_type.compile(dialect=dialect)}[])")
    returned = f" RETURNING {', '.join(returning)}" if returning else ""
    statement = text(f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 - names
                     f"SELECT * FROM unnest({', '.join(casts)}){returned}")  # from the table
    result = session.execute(statement, arrays)
    return [tuple(row) for row in result] if returning else []
