"""Review signals: sales an administrator should look at, each with its reason. Nothing is blocked.

Subsidy marketplaces abroad lost money to vendors and buyers acting together (kickbacks, sham
purchases). Three patterns are cheap to spot and worth a human look:

- shared details: a vendor and a buyer that trade with each other share a phone number, an
  address, a payout bank account or a company e-mail domain (public mail providers such as
  gmail.com do not count: thousands of unrelated people share them);
- sign-ups from one place: several buyers of the same vendor registered from one IP address on
  one day (Taiwan time);
- quick exits: an order terminated, or refunded, within QUICK_EXIT_DAYS of the first points
  reaching the vendor.

The queries read plain columns for every order once and compare in memory: the programme has
thousands of orders, not millions, and this page is opened by a handful of administrators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tcloud.accounts.models import Organisation, User
from tcloud.clock import to_taipei
from tcloud.points.models import LedgerTransaction, is_refund
from tcloud.points.order_models import TERMINATED, Order, OrderRelease

SAME_IP_MIN_BUYERS = 3
QUICK_EXIT_DAYS = 14
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.tw", "hotmail.com", "hotmail.com.tw",
    "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "pchome.com.tw",
    "seed.net.tw", "hinet.net", "ms1.hinet.net", "kimo.com", "proton.me", "protonmail.com",
    # Reserved for examples (RFC 2606): no company owns them.
    "example.com", "example.org", "example.net",
})

SHARED_PHONE = "shared_phone"
SHARED_ADDRESS = "shared_address"
SHARED_BANK_ACCOUNT = "shared_bank_account"
SHARED_EMAIL_DOMAIN = "shared_email_domain"
SAME_IP_SIGNUPS = "same_ip_signups"
QUICK_TERMINATION = "quick_termination"
QUICK_REFUND = "quick_refund"
KINDS = (SHARED_PHONE, SHARED_ADDRESS, SHARED_BANK_ACCOUNT, SHARED_EMAIL_DOMAIN,
         SAME_IP_SIGNUPS, QUICK_TERMINATION, QUICK_REFUND)


@dataclass(frozen=True)
class Signal:
    kind: str
    vendor_id: int
    vendor_name: str
    buyers: tuple[tuple[int, str], ...]  # (organisation id, name)
    value: str  # what is shared, the IP address, or the days between capture and exit
    order_references: tuple[str, ...] = field(default=())


def _email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def _orders(session: Session) -> list:
    query = select(Order.id, Order.reference, Order.organisation_id,
                   Order.vendor_organisation_id, Order.status, Order.cancelled_at,
                   Order.reported_unused_at, Order.updated_at)
    return list(session.execute(query))


def _organisations(session: Session, ids: set[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    rows = session.execute(select(Organisation).where(Organisation.id.in_(ids))).scalars()
    return {organisation.id: organisation for organisation in rows}


def _users_by_organisation(session: Session, ids: set[int]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    if ids:
        query = select(User.organisation_id, User.email, User.registered_ip, User.created_at) \
            .where(User.organisation_id.in_(ids))
        for row in session.execute(query):
            found[row.organisation_id].append(row)
    return found


def _shared_details(orders, organisations, users) -> list[Signal]:
    pairs: dict[tuple[int, int], list[str]] = defaultdict(list)
    for order in orders:
        pairs[(order.vendor_organisation_id, order.organisation_id)].append(order.reference)
    signals = []
    for (vendor_id, buyer_id), references in sorted(pairs.items()):
        vendor, buyer = organisations[vendor_id], organisations[buyer_id]
        shared = [(SHARED_PHONE, vendor.phone, buyer.phone),
                  (SHARED_ADDRESS, vendor.address, buyer.address),
                  (SHARED_BANK_ACCOUNT, vendor.bank_account, buyer.bank_account)]
        vendor_domains = {_email_domain(u.email) for u in users[vendor_id]}
        buyer_domains = {_email_domain(u.email) for u in users[buyer_id]}
        for domain in sorted((vendor_domains & buyer_domains) - PUBLIC_MAIL_DOMAINS):
            shared.append((SHARED_EMAIL_DOMAIN, domain, domain))
        for kind, ours, theirs in shared:
            if ours and ours == theirs:
                signals.append(Signal(kind, vendor_id, vendor.name, ((buyer_id, buyer.name),),
                                      ours, tuple(sorted(set(references)))))
    return signals


def _same_ip_signups(orders, organisations, users) -> list[Signal]:
    buyers_by_vendor: dict[int, set[int]] = defaultdict(set)
    for order in orders:
        buyers_by_vendor[order.vendor_organisation_id].add(order.organisation_id)
    signals = []
    for vendor_id, buyer_ids in sorted(buyers_by_vendor.items()):
        groups: dict[tuple[str, str], set[int]] = defaultdict(set)
        for buyer_id in buyer_ids:
            for user in users[buyer_id]:
                if user.registered_ip:
                    day = to_taipei(user.created_at).date().isoformat()
                    groups[(user.registered_ip, day)].add(buyer_id)
        for (ip, day), group in sorted(groups.items()):
            if len(group) >= SAME_IP_MIN_BUYERS:
                buyers = tuple((i, organisations[i].name) for i in sorted(group))
                signals.append(Signal(SAME_IP_SIGNUPS, vendor_id,
                                      organisations[vendor_id].name, buyers, f"{ip} ({day})"))
    return signals


def _first_captures(session: Session) -> dict[int, datetime]:
    query = select(OrderRelease.order_id, func.min(OrderRelease.created_at)) \
        .group_by(OrderRelease.order_id)
    return {order_id: moment for order_id, moment in session.execute(query)}


def _refund_times(session: Session) -> dict[str, list[datetime]]:
    """Refund movements by order reference (their keys start refund:<reference>:)."""
    query = select(LedgerTransaction.idempotency_key, LedgerTransaction.created_at) \
        .where(is_refund())
    found: dict[str, list[datetime]] = defaultdict(list)
    for key, moment in session.execute(query):
        parts = key.split(":")
        if len(parts) >= 2:
            found[parts[1]].append(moment)
    return found


def _quick_exits(session: Session, orders, organisations) -> list[Signal]:
    first = _first_captures(session)
    refunds = _refund_times(session)
    limit = timedelta(days=QUICK_EXIT_DAYS)
    signals = []
    for order in orders:
        captured = first.get(order.id)
        if captured is None:
            continue
        exits = []
        if order.status == TERMINATED:
            ended = order.reported_unused_at or order.cancelled_at or order.updated_at
            exits.append((QUICK_TERMINATION, ended))
        exits.extend((QUICK_REFUND, moment) for moment in refunds.get(order.reference, []))
        for kind, moment in exits:
            if timedelta(0) <= moment - captured <= limit:
                buyer = organisations[order.organisation_id]
                days = (moment - captured).days
                signals.append(Signal(kind, order.vendor_organisation_id,
                                      organisations[order.vendor_organisation_id].name,
                                      ((buyer.id, buyer.name),), str(days), (order.reference,)))
                break
    return signals


def review_signals(session: Session) -> list[Signal]:
    """Every signal, grouped by kind in KINDS order, then by vendor."""
    orders = _orders(session)
    ids = {o.organisation_id for o in orders} | {o.vendor_organisation_id for o in orders}
    organisations = _organisations(session, ids)
    users = _users_by_organisation(session, ids)
    signals = (_shared_details(orders, organisations, users)
               + _same_ip_signups(orders, organisations, users)
               + _quick_exits(session, orders, organisations))
    return sorted(signals, key=lambda s: (KINDS.index(s.kind), s.vendor_name, s.value))
