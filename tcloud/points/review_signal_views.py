"""Review signals for administrators: the page and the API (read-only; nothing is blocked)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.api import api_blueprint, operation
from tcloud.db import get_session
from tcloud.points import review_signals as rs
from tcloud.validation import BaseSchema

bp = Blueprint("review_signals", __name__)
api_bp = api_blueprint("review_signals", __name__)

# Why each signal is worth a look, in plain words; %(value)s is what is shared or measured.
REASONS = {
    rs.SHARED_PHONE: _l("The vendor and the buyer give the same phone number (%(value)s)."),
    rs.SHARED_ADDRESS: _l("The vendor and the buyer give the same address (%(value)s)."),
    rs.SHARED_BANK_ACCOUNT: _l("The vendor and the buyer give the same bank account "
                               "(%(value)s)."),
    rs.SHARED_EMAIL_DOMAIN: _l("The vendor's and the buyer's accounts use the same company "
                               "e-mail domain (%(value)s)."),
    rs.SAME_IP_SIGNUPS: _l("Several buyers of this vendor registered from one IP address on "
                           "one day: %(value)s."),
    rs.QUICK_TERMINATION: _l("The order ended %(value)s day(s) after the first points reached "
                             "the vendor."),
    rs.QUICK_REFUND: _l("A refund was made %(value)s day(s) after the first points reached "
                        "the vendor."),
}


def reason_of(signal: rs.Signal) -> str:
    return str(REASONS[signal.kind] % {"value": signal.value})


class BuyerOutSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()


class ReviewSignalOutSchema(BaseSchema):
    kind = fields.String(metadata={"enum": list(rs.KINDS)})
    reason = fields.String()
    vendor_id = fields.Integer()
    vendor_name = fields.String()
    buyers = fields.List(fields.Nested(BuyerOutSchema))
    value = fields.String()
    order_references = fields.List(fields.String())


@bp.get("/admin/review-signals")
@allow(ROLE_ADMIN)
def review_signals_page():
    signals = rs.review_signals(get_session())
    return render_template("points/admin_review_signals.html", signals=signals,
                           reason_of=reason_of, quick_exit_days=rs.QUICK_EXIT_DAYS,
                           same_ip_min=rs.SAME_IP_MIN_BUYERS)


@api_bp.get("/admin/review-signals")
@allow(ROLE_ADMIN)
@operation(summary="Sales worth an administrator's look, with the reason", tag="points",
           response_schema=ReviewSignalOutSchema(many=True))
def review_signals_api():
    signals = rs.review_signals(get_session())
    return jsonify(ReviewSignalOutSchema(many=True).dump([
        {"kind": s.kind, "reason": reason_of(s), "vendor_id": s.vendor_id,
         "vendor_name": s.vendor_name, "buyers": [{"id": i, "name": n} for i, n in s.buyers],
         "value": s.value, "order_references": list(s.order_references)} for s in signals]))
