"""Monthly settlement: one statement per vendor and month, paid by an administrator.

A statement for period P (YYYY-MM, Taiwan time) sums what happened to the vendor's
receivable in P: points captured (order_releases released in P), refunds (order_refunds
made in P) and SLA compensation (order_credits credited in P: each credit lands on exactly
one statement, the month it was credited, even when it is for an earlier month; and
order_card_refunds sent to a card-only buyer's card in P, 1 point = NT$1). Then

    net = captured − refunds − compensation − carried in;  payable = max(net, 0)

and a negative month carries its shortfall into the next statement. Marking a statement paid
is one ledger movement keyed `payout:{vendor}:{period}`: compensation that the programme's
clearing account advanced is recovered from the receivable, and the payable amount moves from
the receivable to the vendor's paid-out account. Card refunds the platform made for the vendor
are recovered the same way, into the programme's compensation account, where they stand for
money owed back to the platform's card account (card-only orders have no programme of their
own; they are recovered from whichever receivable the vendor holds). Statements are generated
idempotently (unique vendor + period), by the job on the 1st for last month, or from the admin
page.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tcloud.accounts.models import Organisation, User
from tcloud.audit import services as audit
from tcloud.audit.services import _csv_safe
from tcloud.clock import TAIPEI, utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tcloud.notifications import services as notifications
from tcloud.points import ledger, movements
from tcloud.points.compensation_credits import PERIOD
from tcloud.points.order_models import Order, OrderRelease
from tcloud.points.releases import add_months
from tcloud.points.settlement_models import (
    CARD_REFUND_SENT,
    FROM_CLEARING,
    STATEMENT_ISSUED,
    STATEMENT_PAID,
    OrderCardRefund,
    OrderCredit,
    OrderRefund,
    VendorStatement,
)


def period_bounds(period: str) -> tuple[date, date]:
    """First day of the month and first day of the next (Taiwan dates)."""
    if not PERIOD.match(period or ""):
        raise ValidationFailed({"period": str(_l("Give the month as YYYY-MM."))})
    start = date(int(period[:4]), int(period[5:]), 1)
    return start, add_months(start, 1)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_period(period: str) -> str:
    return period_of(add_months(period_bounds(period)[0], -1))


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TAIPEI)


def _sum_by_vendor(session: Session, column, vendor_column, *where) -> dict[int, int]:
    rows = session.execute(select(vendor_column, func.sum(column)).where(*where)
                           .group_by(vendor_column))
    return {vendor: int(total) for vendor, total in rows}


def figures(session: Session, period: str) -> dict[int, dict[str, int]]:
    """Per vendor with any activity in the period: captured, refunded, compensation, clearing."""
    start, end = period_bounds(period)
    since, until = _moment(start), _moment(end)
    parts = {
        "captured": _sum_by_vendor(session, OrderRelease.points,
                                   OrderRelease.vendor_organisation_id,
                                   OrderRelease.released_on >= start,
                                   OrderRelease.released_on < end),
        "refunded": _sum_by_vendor(session, OrderRefund.points,
                                   OrderRefund.vendor_organisation_id,
                                   OrderRefund.created_at >= since,
                                   OrderRefund.created_at < until),
        "compensation": _sum_by_vendor(session, OrderCredit.points,
                                       OrderCredit.vendor_organisation_id,
                                       OrderCredit.created_at >= since,
                                       OrderCredit.created_at < until),
        "card": _sum_by_vendor(session, OrderCardRefund.amount_ntd,
                               OrderCardRefund.vendor_organisation_id,
                               OrderCardRefund.status == CARD_REFUND_SENT,
                               OrderCardRefund.sent_at >= since,
                               OrderCardRefund.sent_at < until),
        "clearing": _sum_by_vendor(session, OrderCredit.points,
                                   OrderCredit.vendor_organisation_id,
                                   OrderCredit.created_at >= since,
                                   OrderCredit.created_at < until,
                                   OrderCredit.funded_from == FROM_CLEARING),
    }
    vendors = set().union(*parts.values())
    found = {vendor: {name: values.get(vendor, 0) for name, values in parts.items()}
             for vendor in vendors}
    for f in found.values():  # card refunds are SLA compensation too, paid another way
        f["compensation"] += f.pop("card")
    return found


def _carried_out(session: Session, period: str) -> dict[int, int]:
    """Shortfalls of the previous month's statements, by vendor."""
    rows = session.execute(select(VendorStatement.vendor_organisation_id, VendorStatement.net_ntd)
                           .where(VendorStatement.period == previous_period(period),
                                  VendorStatement.net_ntd < 0))
    return {vendor: -net for vendor, net in rows}


def generate(session: Session, period: str) -> list[VendorStatement]:
    """Issue the period's statements that do not exist yet (idempotent); the new ones."""
    start, end = period_bounds(period)
    existing = set(session.execute(select(VendorStatement.vendor_organisation_id)
                                   .where(VendorStatement.period == period)).scalars())
    carried = _carried_out(session, period)
    by_vendor = figures(session, period)
    created = []
    for vendor in sorted((set(by_vendor) | set(carried)) - existing):
        f = by_vendor.get(vendor, dict(captured=0, refunded=0, compensation=0, clearing=0))
        net = f["captured"] - f["refunded"] - f["compensation"] - carried.get(vendor, 0)
        statement = VendorStatement(
            vendor_organisation_id=vendor, period=period, period_start=start, period_end=end,
            captured_points=f["captured"], refunded_points=f["refunded"],
            compensation_points=f["compensation"], clearing_points=f["clearing"],
            carried_in_points=carried.get(vendor, 0), net_ntd=net, payable_ntd=max(net, 0))
        # A savepoint per row: a concurrent run that inserted the same vendor and period
        # first makes this one a no-op instead of failing the whole batch.
        try:
            with session.begin_nested():
                session.add(statement)
                session.flush()
        except IntegrityError:
            continue
        created.append(statement)
        notifications.notify_organisation(
            session, vendor, kind="statement.issued",
            values={"period": period, "payable": f"{statement.payable_ntd:,}"},
            link=f"/vendor/statements/{statement.id}")
    return created


def generate_last_month(session: Session, today: date) -> int:
    return len(generate(session, period_of(add_months(today.replace(day=1), -1))))


def _recovery_and_payout(session: Session, statement: VendorStatement) -> dict[int, tuple]:
    """Per programme, (points recovered for the clearing account, points paid out).

    Clearing-account advances not yet recovered (this month's and any left from earlier
    months, oldest first) are recovered first, as far as the receivable holds them; then the
    payable amount must fit in what is left, or the statement cannot be paid yet.
    """
    vendor = statement.vendor_organisation_id
    outstanding = session.execute(select(OrderCredit).where(
        OrderCredit.vendor_organisation_id == vendor, OrderCredit.funded_from == FROM_CLEARING,
        OrderCredit.recovered_points < OrderCredit.points,
        OrderCredit.created_at < _moment(statement.period_end))
        .order_by(OrderCredit.id)).scalars().all()
    programmes = {credit.programme_id for credit in outstanding} | set(session.execute(
        select(Order.programme_id).where(Order.vendor_organisation_id == vendor,
                                         Order.programme_id.is_not(None)).distinct()).scalars())
    cards = session.execute(select(OrderCardRefund).where(
        OrderCardRefund.vendor_organisation_id == vendor,
        OrderCardRefund.status == CARD_REFUND_SENT,
        OrderCardRefund.recovered_ntd < OrderCardRefund.amount_ntd,
        OrderCardRefund.sent_at < _moment(statement.period_end))
        .order_by(OrderCardRefund.id)).scalars().all()
    left = statement.payable_ntd
    amounts = {}
    for programme_id in sorted(programmes):
        account = movements.vendor_receivable(session, programme_id, vendor)
        ledger.lock_accounts(session, [account.id])
        balance = ledger.refresh_balance(session, account)
        recovered = 0
        for credit in (c for c in outstanding if c.programme_id == programme_id):
            take = min(balance - recovered, credit.points - credit.recovered_points)
            if take <= 0:
                break
            credit.recovered_points += take
            session.add(credit)
            recovered += take
        # What the payable needs stays; the rest recovers card refunds, oldest first.
        for card in cards:
            take = min(balance - recovered - left, card.amount_ntd - card.recovered_ntd)
            if take <= 0:
                break
            card.recovered_ntd += take
            session.add(card)
            recovered += take
        paid = max(0, min(left, balance - recovered))
        left -= paid
        amounts[programme_id] = (recovered, paid)
    if left > 0:
        raise Conflict(_l("The vendor's receivable does not hold the NT$%(payable)s this "
                          "statement pays; check refunds and credits made since.",
                          payable=f"{statement.payable_ntd:,}"))
    statement.recovered_points = sum(recovered for recovered, _ in amounts.values())
    return amounts


def mark_paid(session: Session, *, statement_id: int, admin: User) -> VendorStatement:
    if admin.role != "admin":
        raise PermissionDenied(_l("Only administrators can mark statements paid."))
    statement = lock_row(session, VendorStatement, statement_id)
    if statement is None:
        raise NotFound(_l("That statement does not exist."))
    if statement.status != STATEMENT_ISSUED:
        raise Conflict(_l("This statement is already paid."))
    key = f"payout:{statement.vendor_organisation_id}:{statement.period}"
    try:
        posted = movements.settle_vendor(
            session, vendor_organisation_id=statement.vendor_organisation_id,
            amounts=_recovery_and_payout(session, statement), key=key,
            description=f"{statement.period} NT${statement.payable_ntd:,}", actor_id=admin.id)
    except ledger.InsufficientPoints as err:
        raise Conflict(_l("The vendor's receivable holds only %(balance)s points, not enough "
                          "to settle this statement.", balance=f"{err.balance:,}")) from err
    statement.status = STATEMENT_PAID
    statement.paid_at = utcnow()
    statement.paid_by_id = admin.id
    statement.payout_transaction_id = posted.transaction_id if posted else None
    session.add(statement)
    session.flush()
    audit.record(session, actor=admin, action="statement.paid", subject_type="vendor_statement",
                 subject_id=statement.id, reason=statement.period,
                 before={"status": STATEMENT_ISSUED},
                 after={"status": STATEMENT_PAID, "payable_ntd": statement.payable_ntd})
    notifications.notify_organisation(
        session, statement.vendor_organisation_id, kind="statement.paid",
        values={"period": statement.period, "payable": f"{statement.payable_ntd:,}"},
        link=f"/vendor/statements/{statement.id}")
    return statement


def get_statement(session: Session, statement_id: int, *, user: User) -> VendorStatement:
    """An administrator sees any statement; a vendor only its own."""
    statement = session.get(VendorStatement, statement_id)
    if statement is None or (user.role != "admin"
                             and statement.vendor_organisation_id != user.organisation_id):
        raise NotFound(_l("That statement does not exist."))
    return statement


def statements(session: Session, *, period: str | None = None,
               vendor_organisation_id: int | None = None, limit: int = 200) -> list:
    """(statement, vendor name) rows, newest period first."""
    query = (select(VendorStatement, Organisation.name)
             .join(Organisation, Organisation.id == VendorStatement.vendor_organisation_id)
             .order_by(VendorStatement.period.desc(), Organisation.name).limit(limit))
    if period:
        query = query.where(VendorStatement.period == period)
    if vendor_organisation_id is not None:
        query = query.where(VendorStatement.vendor_organisation_id == vendor_organisation_id)
    return list(session.execute(query).all())


def lines(session: Session, statement: VendorStatement) -> list[dict]:
    """What the statement sums, one line per release, refund and credit, by date."""
    vendor = statement.vendor_organisation_id
    since, until = _moment(statement.period_start), _moment(statement.period_end)
    found = defaultdict(list)
    for row, ref in session.execute(
            select(OrderRelease, Order.reference).join(Order, Order.id == OrderRelease.order_id)
            .where(OrderRelease.vendor_organisation_id == vendor,
                   OrderRelease.released_on >= statement.period_start,
                   OrderRelease.released_on < statement.period_end)):
        found["captured"].append({"kind": "captured", "day": row.released_on, "reference": ref,
                                  "detail": f"{row.month_index}", "points": row.points})
    for model, kind in ((OrderRefund, "refunded"), (OrderCredit, "compensation")):
        for row, ref in session.execute(
                select(model, Order.reference).join(Order, Order.id == model.order_id)
                .where(model.vendor_organisation_id == vendor, model.created_at >= since,
                       model.created_at < until)):
            detail = row.reason if kind == "refunded" else f"{row.period} {row.reason}"
            found[kind].append({"kind": kind, "day": row.created_at.astimezone(TAIPEI).date(),
                                "reference": ref, "detail": detail, "points": -row.points})
    for row, ref in session.execute(
            select(OrderCardRefund, Order.reference)
            .join(Order, Order.id == OrderCardRefund.order_id)
            .where(OrderCardRefund.vendor_organisation_id == vendor,
                   OrderCardRefund.status == CARD_REFUND_SENT,
                   OrderCardRefund.sent_at >= since, OrderCardRefund.sent_at < until)):
        found["compensation"].append({"kind": "card_compensation",
                                      "day": row.sent_at.astimezone(TAIPEI).date(),
                                      "reference": ref, "detail": f"{row.period} {row.reason}",
                                      "points": -row.amount_ntd})
    every = found["captured"] + found["refunded"] + found["compensation"]
    return sorted(every, key=lambda line: (line["day"], line["reference"]))


CSV_HEADER = ("period", "vendor", "vendor_tax_id", "captured_points", "refunded_points",
              "compensation_points", "carried_in_points", "net_ntd", "payable_ntd", "status",
              "paid_at")


def export_csv(session: Session, period: str) -> str:
    """All statements of a period for the programme office (UTF-8 with BOM, formula-safe)."""
    period_bounds(period)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    rows = session.execute(select(VendorStatement, Organisation.name, Organisation.tax_id)
                           .join(Organisation,
                                 Organisation.id == VendorStatement.vendor_organisation_id)
                           .where(VendorStatement.period == period).order_by(Organisation.name))
    for s, name, tax_id in rows:
        paid_at = s.paid_at.isoformat() if s.paid_at else ""
        writer.writerow([s.period, _csv_safe(name), _csv_safe(tax_id), s.captured_points,
                         s.refunded_points, s.compensation_points, s.carried_in_points,
                         s.net_ntd, s.payable_ntd, s.status, paid_at])
    return out.getvalue()
