"""Buying tables: quotes, contract templates, orders, Stripe events, and monthly releases.

An order keeps copies of everything the buyer agreed to (plan, price, seats, term, the exact
contract text and its SHA-256, the five SLA terms), so later edits to a listing or a template
never change what was bought. Points move only through the ledger (`movements.hold` at
checkout, `capture` month by month, `release` when an order falls through); the order row
records which step it is at, and `order_releases` which months have reached the vendor.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

# Order states.
#   awaiting_payment  points held in escrow; the card part is not paid yet
#   placed            paid in full (points held, card paid if any); the vendor must activate
#   active            the vendor activated it; the term runs; points reach the vendor monthly
#   cancelled         fell through before activation: buyer cancelled, payment failed or
#                     abandoned; held points released, card part refunded
#   terminated        ended early after activation (cancelled, found unused): unreleased
#                     points went back to the wallet
#   completed         the term ran out and every month was released
AWAITING_PAYMENT = "awaiting_payment"
PLACED = "placed"
ACTIVE = "active"
CANCELLED = "cancelled"
TERMINATED = "terminated"
COMPLETED = "completed"
ORDER_STATES = (AWAITING_PAYMENT, PLACED, ACTIVE, CANCELLED, TERMINATED, COMPLETED)
OPEN_STATES = (AWAITING_PAYMENT, PLACED, ACTIVE)
FIRST_ADOPTION_WHERE = "points_applied > 0 AND status <> 'cancelled'"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ContractTemplate(SQLModel, table=True):
    """One version of the standard-form contract. Versions are never edited, only added."""

    __tablename__ = "contract_templates"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    # Markdown with {placeholders} (parties, plan, price, term, SLA terms) filled per order.
    body_md: str = Field(sa_column=Column(Text, nullable=False))
    change_note: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class Quote(SQLModel, table=True):
    """A price offered to one business for one plan, valid until `valid_until`."""

    __tablename__ = "quotes"
    __table_args__ = (
        CheckConstraint("points_applied >= 0 AND card_amount_ntd >= 0 "
                        "AND points_applied + card_amount_ntd = price_ntd",
                        name="ck_quotes_amounts"),
        CheckConstraint("seats >= 1 AND term_months >= 1", name="ck_quotes_seats_term"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    solution_id: int = Field(foreign_key="solutions.id")
    version_id: int = Field(foreign_key="solution_versions.id")
    plan_id: int = Field(foreign_key="solution_plans.id")
    programme_id: int | None = Field(default=None, foreign_key="points_programmes.id")
    seats: int
    term_months: int
    price_ntd: int
    points_applied: int
    card_amount_ntd: int
    valid_until: datetime
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class Order(SQLModel, table=True):
    """A purchase of one plan by one business, with its contract and SLA snapshot."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(_in("status", ORDER_STATES), name="ck_orders_status"),
        CheckConstraint("points_applied >= 0 AND card_amount_ntd >= 0 "
                        "AND points_applied + card_amount_ntd = price_ntd",
                        name="ck_orders_amounts"),
        CheckConstraint("points_released >= 0 AND points_released <= points_applied",
                        name="ck_orders_released"),
        CheckConstraint("seats >= 1 AND term_months >= 1", name="ck_orders_seats_term"),
        # The subsidy pays for a first adoption: one points-paid order per business and
        # solution, unless it fell through before activation. Enforced here, not only in code.
        Index("uq_orders_first_adoption", "organisation_id", "solution_id", unique=True,
              sqlite_where=text(FIRST_ADOPTION_WHERE),
              postgresql_where=text(FIRST_ADOPTION_WHERE)),
        Index("ix_orders_vendor_status", "vendor_organisation_id", "status"),
        Index("ix_orders_buyer_status", "organisation_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Shown to people and used in ledger keys and escrow account codes (e.g. TC-000123).
    reference: str = Field(sa_column=Column(String(20), unique=True, nullable=False))
    quote_id: int | None = Field(default=None, foreign_key="quotes.id", unique=True)
    organisation_id: int = Field(foreign_key="organisations.id")
    vendor_organisation_id: int = Field(foreign_key="organisations.id")
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    version_id: int = Field(foreign_key="solution_versions.id")
    plan_id: int = Field(foreign_key="solution_plans.id")
    programme_id: int | None = Field(default=None, foreign_key="points_programmes.id")
    renewal_of_order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)

    # What was bought, copied from the listing at the time.
    solution_name: str = Field(max_length=80)
    plan_name: str = Field(max_length=60)
    billing_period: str = Field(max_length=5)
    seats: int
    term_months: int
    price_ntd: int
    points_applied: int
    card_amount_ntd: int
    sla_snapshot: dict = Field(sa_column=Column(JSON, nullable=False))

    # The contract as accepted: template version, the exact text shown, and its SHA-256.
    contract_version: int
    contract_text: str = Field(sa_column=Column(Text, nullable=False))
    contract_sha256: str = Field(max_length=64)
    accepted_by_id: int = Field(foreign_key="users.id")
    accepted_at: datetime

    status: str = Field(max_length=20)
    cancel_reason: str | None = Field(default=None, max_length=40)
    stripe_payment_intent_id: str | None = Field(
        default=None, sa_column=Column(String(80), unique=True, nullable=True))
    paid_at: datetime | None = None
    cancelled_at: datetime | None = None
    # The card part after a cancellation: closed at Stripe (PaymentIntent cancelled, or the
    # paid amount refunded). A cancelled order with a PaymentIntent and no card_closed_at is
    # still owed that Stripe call; checkout_jobs retries it (migration 0008).
    card_closed_at: datetime | None = None
    card_refunded_at: datetime | None = None
    stripe_refund_id: str | None = Field(default=None, max_length=80)

    # After the vendor activates it.
    activated_at: datetime | None = None
    activated_by_id: int | None = Field(default=None, foreign_key="users.id")
    activation_notes: str | None = Field(default=None, sa_column=Column(Text))
    starts_on: date | None = None
    ends_on: date | None = None
    use_confirm_due_on: date | None = None
    use_confirmed_at: datetime | None = None
    reported_unused_at: datetime | None = None
    reported_unused_note: str | None = Field(default=None, max_length=500)
    points_released: int = 0

    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class StripeEvent(SQLModel, table=True):
    """A webhook event already handled: a second delivery of the same id does nothing."""

    __tablename__ = "stripe_events"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    type: str = Field(max_length=80)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    received_at: datetime = Field(default_factory=utcnow)


class OrderRelease(SQLModel, table=True):
    """One month of an order's points moved from escrow to the vendor's receivable."""

    __tablename__ = "order_releases"
    __table_args__ = (
        UniqueConstraint("order_id", "month_index", name="uq_order_releases_month"),
        CheckConstraint("points > 0 AND month_index >= 1", name="ck_order_releases_points"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    month_index: int  # 1 = the first month of the term
    points: int
    released_on: date = Field(index=True)
    transaction_id: int = Field(foreign_key="ledger_transactions.id")
    created_at: datetime = Field(default_factory=utcnow)
