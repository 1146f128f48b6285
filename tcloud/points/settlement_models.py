"""Aftercare tables: compensation credits, refunds, reminders sent, and vendor statements.

Points move only through the ledger; these rows say why each aftercare movement happened
(which order, which month, who decided), so settlement can list them and a retried request
finds the row it already wrote (unique keys) instead of moving points twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

# Where a compensation credit's points came from.
FROM_RECEIVABLE = "receivable"  # the vendor's receivable covered it at once
FROM_CLEARING = "clearing"  # the programme's compensation account advanced it (recovered later)
CREDIT_SOURCES = (FROM_RECEIVABLE, FROM_CLEARING)

STATEMENT_ISSUED = "issued"
STATEMENT_PAID = "paid"
STATEMENT_STATES = (STATEMENT_ISSUED, STATEMENT_PAID)


class OrderCredit(SQLModel, table=True):
    """SLA compensation credited to the buyer's wallet for one order and one month."""

    __tablename__ = "order_credits"
    __table_args__ = (
        CheckConstraint("points > 0", name="ck_order_credits_points"),
        CheckConstraint("funded_from IN ('receivable', 'clearing')",
                        name="ck_order_credits_funded_from"),
        CheckConstraint("recovered_points >= 0 AND recovered_points <= points",
                        name="ck_order_credits_recovered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    programme_id: int = Field(foreign_key="points_programmes.id")
    period: str = Field(max_length=7, index=True)  # YYYY-MM the credit is for
    points: int
    reason: str = Field(max_length=300)
    key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    funded_from: str = Field(max_length=10)
    # For credits the clearing account advanced: how much settlement has recovered so far.
    recovered_points: int = 0
    transaction_id: int = Field(foreign_key="ledger_transactions.id")
    created_at: datetime = Field(default_factory=utcnow)


class OrderRefund(SQLModel, table=True):
    """Captured points an administrator gave back to the buyer (a ledger reversal)."""

    __tablename__ = "order_refunds"
    __table_args__ = (CheckConstraint("points > 0", name="ck_order_refunds_points"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    programme_id: int = Field(foreign_key="points_programmes.id")
    points: int
    reason: str = Field(max_length=500)
    key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    transaction_id: int = Field(foreign_key="ledger_transactions.id")
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)


class OrderReminder(SQLModel, table=True):
    """A reminder already sent for an order (e.g. renewal), so it is sent once."""

    __tablename__ = "order_reminders"
    __table_args__ = (UniqueConstraint("order_id", "kind", name="uq_order_reminders_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id")
    kind: str = Field(max_length=30)
    sent_at: datetime = Field(default_factory=utcnow)


class VendorStatement(SQLModel, table=True):
    """A vendor's monthly settlement: what reached it, what was taken back, what is payable.

    net_payable_ntd = captured − refunds − compensation − carried_in (1 point = NT$1). A
    negative month pays nothing and carries the shortfall into the next statement.
    """

    __tablename__ = "vendor_statements"
    __table_args__ = (
        UniqueConstraint("vendor_organisation_id", "period", name="uq_vendor_statements_period"),
        CheckConstraint("status IN ('issued', 'paid')", name="ck_vendor_statements_status"),
        CheckConstraint("captured_points >= 0 AND refunded_points >= 0 "
                        "AND compensation_points >= 0 AND carried_in_points >= 0 "
                        "AND payable_ntd >= 0", name="ck_vendor_statements_figures"),
    )

    id: int | None = Field(default=None, primary_key=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    period: str = Field(max_length=7, index=True)
    period_start: date
    period_end: date  # exclusive: the first day of the next month
    captured_points: int
    refunded_points: int
    compensation_points: int
    # Compensation advanced by the programme's clearing account: recovered at payment.
    clearing_points: int
    carried_in_points: int
    net_ntd: int  # may be negative
    payable_ntd: int
    # Clearing-account advances recovered from the receivable when this statement was paid.
    recovered_points: int = 0
    status: str = Field(default=STATEMENT_ISSUED, max_length=8)
    issued_at: datetime = Field(default_factory=utcnow)
    paid_at: datetime | None = None
    paid_by_id: int | None = Field(default=None, foreign_key="users.id")
    payout_transaction_id: int | None = Field(default=None, foreign_key="ledger_transactions.id")


# States of an SLA compensation refunded to a buyer's card (OrderCardRefund.status).
CARD_REFUND_PENDING = "pending"  # recorded; the job has not reached Stripe yet (or will retry)
CARD_REFUND_SENT = "sent"  # Stripe accepted the refund
CARD_REFUND_FAILED = "failed"  # retries exhausted or no card payment to refund: admins look
CARD_REFUND_STATES = (CARD_REFUND_PENDING, CARD_REFUND_SENT, CARD_REFUND_FAILED)


class OrderCardRefund(SQLModel, table=True):
    """SLA compensation owed to a buyer who paid by card only: a partial refund at Stripe.

    Recorded as pending in the same transaction as the compensation statement; a job sends it
    to Stripe afterwards (calls to the outside never happen inside that transaction) with an
    idempotency key derived from `key`. Once sent it is deducted on the vendor's settlement
    statement of the month it was sent and recovered from the vendor's receivable at payment,
    as credits the compensation account advanced are (`recovered_ntd`).
    """

    __tablename__ = "order_card_refunds"
    __table_args__ = (
        CheckConstraint("amount_ntd > 0", name="ck_order_card_refunds_amount"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')",
                        name="ck_order_card_refunds_status"),
        CheckConstraint("recovered_ntd >= 0 AND recovered_ntd <= amount_ntd",
                        name="ck_order_card_refunds_recovered"),
        CheckConstraint("attempts >= 0", name="ck_order_card_refunds_attempts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    period: str = Field(max_length=7)  # YYYY-MM the compensation is for
    amount_ntd: int
    reason: str = Field(max_length=300)
    # The compensation's own key (e.g. sla-credit:12:2026-10, sla-dispute:4): one refund each.
    key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    status: str = Field(default=CARD_REFUND_PENDING, max_length=10, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=300)
    stripe_refund_id: str | None = Field(default=None, max_length=80)
    sent_at: datetime | None = Field(default=None, index=True)
    recovered_ntd: int = 0
    created_at: datetime = Field(default_factory=utcnow)
