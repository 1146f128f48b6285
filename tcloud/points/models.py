"""Points tables: programmes, grant applications, grants, and the double-entry ledger.

The ledger is three tables. `ledger_accounts` holds one row per pot of points (a programme's
budget, a business wallet, an order's escrow, a vendor's receivable, ...) with its balance,
kept in the same database transaction as the entries that change it. `ledger_transactions`
is one movement with a unique idempotency key; `ledger_entries` are its lines, which sum to
zero. Transactions and entries are append-only: triggers in the migration refuse UPDATE and
DELETE, and CHECK constraints keep wallets, escrow and budgets from going below zero.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, String, Text, UniqueConstraint, literal, text
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

# Account kinds. Only the funding source and the compensation clearing account may go below
# zero: funding is where a programme's appropriation comes from, and compensation is paid to
# buyers before it is recovered from the vendor's receivable at settlement.
FUNDING = "programme_funding"
BUDGET = "programme_budget"
WALLET = "business_wallet"
ESCROW = "order_escrow"
RECEIVABLE = "vendor_receivable"
PAID_OUT = "vendor_paid_out"
EXPIRED = "expired"
COMPENSATION = "compensation"
ACCOUNT_KINDS = (FUNDING, BUDGET, WALLET, ESCROW, RECEIVABLE, PAID_OUT, EXPIRED, COMPENSATION)
MAY_GO_NEGATIVE = (FUNDING, COMPENSATION)
REFUND_MOVEMENT = "refund"  # movements.REFUND, named here for the partial index below

BUDGET_SHORT_REFUSE = "refuse"
BUDGET_SHORT_WAITLIST = "waitlist"

APPLICATION_STATUSES = ("granted", "pending_review", "waitlisted", "rejected")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Programme(SQLModel, table=True):
    """A subsidy programme: how many points per grant, its budget, window and eligibility."""

    __tablename__ = "points_programmes"
    __table_args__ = (
        CheckConstraint("points_per_grant > 0", name="ck_points_programmes_points"),
        CheckConstraint("total_budget >= 0", name="ck_points_programmes_budget"),
        CheckConstraint("closes_on >= opens_on", name="ck_points_programmes_window"),
        CheckConstraint("points_expire_on >= closes_on", name="ck_points_programmes_expiry"),
        CheckConstraint("max_employees IS NULL OR max_employees >= 0",
                        name="ck_points_programmes_employees"),
        CheckConstraint(_in("when_budget_short", (BUDGET_SHORT_REFUSE, BUDGET_SHORT_WAITLIST)),
                        name="ck_points_programmes_budget_short"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    points_per_grant: int = 30_000
    total_budget: int
    opens_on: date
    closes_on: date
    points_expire_on: date
    # Comma-separated codes of tcloud.accounts.choices.ENTITY_TYPES.
    allowed_entity_types: str = Field(max_length=200)
    max_employees: int | None = None
    grant_immediately: bool = True
    when_budget_short: str = Field(default=BUDGET_SHORT_REFUSE, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def entity_types(self) -> tuple[str, ...]:
        return tuple(code for code in self.allowed_entity_types.split(",") if code)


class GrantApplication(SQLModel, table=True):
    """A business's application, with the automatic checks as they ran (JSON) and the decision."""

    __tablename__ = "points_applications"
    __table_args__ = (
        CheckConstraint(_in("status", APPLICATION_STATUSES), name="ck_points_applications_status"),
        Index("ix_points_applications_queue", "programme_id", "status", "id"),
        Index("ix_points_applications_tax_id", "programme_id", "tax_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="points_programmes.id")
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    submitted_by_id: int | None = Field(default=None, foreign_key="users.id")
    tax_id: str = Field(max_length=8)
    company_name: str = Field(max_length=200)
    entity_type: str = Field(max_length=32)
    employee_count: int
    contact_name: str = Field(max_length=100)
    proof_upload_id: int | None = Field(default=None, foreign_key="uploads.id")
    status: str = Field(max_length=20)
    # Codes of the checks that failed, comma-separated (the queue lists and filters on them).
    failed_checks: str = Field(default="", max_length=200)
    checks: str = Field(sa_column=Column(Text, nullable=False))
    decision_reason: str = Field(default="", sa_column=Column(Text, nullable=False,
                                                              server_default=""))
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = None
    submitted_at: datetime = Field(default_factory=utcnow)


class Grant(SQLModel, table=True):
    """Points granted to one tax ID in one programme: at most one, by the UNIQUE constraint."""

    __tablename__ = "points_grants"
    __table_args__ = (
        UniqueConstraint("programme_id", "tax_id", name="uq_points_grants_programme_tax_id"),
        CheckConstraint("points > 0", name="ck_points_grants_points"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="points_programmes.id")
    tax_id: str = Field(max_length=8)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    application_id: int = Field(foreign_key="points_applications.id", unique=True)
    points: int
    transaction_id: int = Field(foreign_key="ledger_transactions.id")
    granted_at: datetime = Field(default_factory=utcnow)


class LedgerAccount(SQLModel, table=True):
    """A pot of points. `code` names it uniquely (e.g. wallet:3:57, escrow:order:901)."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint(_in("kind", ACCOUNT_KINDS), name="ck_ledger_accounts_kind"),
        CheckConstraint(f"balance >= 0 OR {_in('kind', MAY_GO_NEGATIVE)}",
                        name="ck_ledger_accounts_balance"),
        # Wallets only: an order's escrow account is opened at every checkout, and no query
        # looks escrow accounts up by organisation or programme, so partial indexes spare each
        # spend two index writes. Queries must name the kind as a literal (`IS_WALLET`) for
        # the planners to use them.
        Index("ix_ledger_wallets_organisation", "organisation_id",
              sqlite_where=text(f"kind = '{WALLET}'"), postgresql_where=text(f"kind = '{WALLET}'")),
        Index("ix_ledger_wallets_programme", "programme_id", "id",
              sqlite_where=text(f"kind = '{WALLET}'"), postgresql_where=text(f"kind = '{WALLET}'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    kind: str = Field(max_length=24)
    programme_id: int | None = Field(default=None, foreign_key="points_programmes.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    reference: str | None = Field(default=None, max_length=64)
    balance: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class LedgerTransaction(SQLModel, table=True):
    """One movement of points; a retried request with the same key finds this row instead."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (
        # Refunds only (the review signals read them): every spend writes a transaction, and
        # an index on kind or programme served no query that does not read them all anyway.
        Index("ix_ledger_transactions_refunds", "id",
              sqlite_where=text(f"kind = '{REFUND_MOVEMENT}'"),
              postgresql_where=text(f"kind = '{REFUND_MOVEMENT}'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    kind: str = Field(max_length=24)
    programme_id: int | None = Field(default=None, foreign_key="points_programmes.id")
    description: str = Field(max_length=300)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class LedgerEntry(SQLModel, table=True):
    """One line of a movement; `balance_after` is the account's balance once it was applied."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="ck_ledger_entries_amount"),
        Index("ix_ledger_entries_account", "account_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    transaction_id: int = Field(foreign_key="ledger_transactions.id", index=True)
    account_id: int = Field(foreign_key="ledger_accounts.id")
    amount: int
    balance_after: int


# The partial indexes above are used only when a query names the kind as a literal: with a
# bound parameter neither planner can prove the index's condition (PostgreSQL's generic plans
# and SQLite's prepared statements do not know the value).
def is_wallet():
    return LedgerAccount.kind == literal(WALLET, literal_execute=True)


def is_refund():
    return LedgerTransaction.kind == literal(REFUND_MOVEMENT, literal_execute=True)
