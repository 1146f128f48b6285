"""Shared vocabularies of the catalogue: the six categories and the problem taxonomy.

Data, not code paths: the advisor's needs form reuses PROBLEMS, so a business's "problems to
solve" and a solution's "problems it solves" are the same codes. Labels are translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "marketing": _l("Marketing"),
    "online_store": _l("Online store"),
    "market_analysis": _l("Market analysis"),
    "remote_work": _l("Remote work and documents"),
    "customer_service": _l("Customer service"),
    "business_management": _l("Business management"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    category: str
    label: object  # a lazy translation


PROBLEMS = tuple(Problem(code, category, label) for code, category, label in (
    ("social_media", "marketing", _l("Reach customers on social media and LINE")),
    ("loyalty", "marketing", _l("Bring customers back (points, coupons, membership)")),
    ("online_ordering", "online_store", _l("Take orders online or by QR code")),
    ("pos", "online_store", _l("Ring up sales at the counter (POS)")),
    ("web_shop", "online_store", _l("Sell products in a web shop")),
    ("e_invoice", "online_store", _l("Issue e-invoices")),
    ("sales_reports", "market_analysis", _l("See which products and hours sell best")),
    ("customer_insight", "market_analysis", _l("Understand who the customers are")),
    ("e_signature", "remote_work", _l("Sign contracts and forms electronically")),
    ("shared_documents", "remote_work", _l("Share files and work on documents together")),
    ("online_meetings", "remote_work", _l("Hold meetings online")),
    ("booking", "customer_service", _l("Let customers book appointments")),
    ("customer_chat", "customer_service", _l("Answer customers by chat")),
    ("crm", "customer_service", _l("Keep customer records and history")),
    ("payroll", "business_management", _l("Pay wages and handle labour insurance")),
    ("rostering", "business_management", _l("Plan staff shifts and rosters")),
    ("inventory", "business_management", _l("Track stock and purchasing")),
    ("accounting", "business_management", _l("Keep the books")),
    ("fleet", "business_management", _l("Manage vehicles, routes and deliveries")),
))
PROBLEMS_BY_CODE = {problem.code: problem for problem in PROBLEMS}
