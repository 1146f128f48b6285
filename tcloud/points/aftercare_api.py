"""Aftercare API under /api/v1: vendors list and activate orders; buyers confirm use, report
it unused, end an order early, renew; administrators refund, send failed card refunds again,
settle and export statements.
Same services as the pages; errors are problem objects."""

from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.api import api_blueprint, json_body, operation
from tcloud.db import get_session, transaction
from tcloud.errors import NotFound
from tcloud.points import card_refunds, fulfilment, refunds, renewals, settlement
from tcloud.points.aftercare_schemas import (
    ActivateSchema,
    AftercareOrderOutSchema,
    CardRefundOutSchema,
    NoteSchema,
    PeriodSchema,
    ReasonSchema,
    RefundOutSchema,
    RefundSchema,
    RenewalOutSchema,
    VendorStatementOutSchema,
    VendorStatementQuerySchema,
)
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ORDER_STATES, Order
from tcloud.points.vendor_order_views import vendor_orders

bp = api_blueprint("aftercare", __name__)


def _user():
    return current_user._get_current_object()


# --- vendor -----------------------------------------------------------------------------------

@bp.get("/vendor/orders")
@allow(ROLE_VENDOR)
@operation(summary="The vendor's own orders, newest first (50 a page; ?status=, ?page=)",
           tag="orders", response_schema=AftercareOrderOutSchema(many=True))
def list_vendor_orders():
    status = request.args.get("status")
    orders = vendor_orders(get_session(), _user().organisation_id,
                           status=status if status in ORDER_STATES else None,
                           page=max(1, request.args.get("page", 1, type=int)))
    return jsonify(AftercareOrderOutSchema(many=True).dump(orders))


@bp.post("/vendor/orders/<int:order_id>/activate")
@allow(ROLE_VENDOR)
@operation(summary="Activate a paid order: notes for the buyer, start date", tag="orders",
           request_schema=ActivateSchema, response_schema=AftercareOrderOutSchema,
           errors=(404, 409, 415, 422))
def activate(order_id: int):
    data = validation.load(ActivateSchema(), json_body())
    with transaction() as db:
        order = fulfilment.activate(db, order_id=order_id, vendor=_user(), notes=data["notes"],
                                    starts_on=data["starts_on"])
    return jsonify(AftercareOrderOutSchema().dump(order))


# --- buyer ------------------------------------------------------------------------------------

@bp.post("/orders/<int:order_id>/confirm-use")
@allow(ROLE_BUSINESS)
@operation(summary="Confirm the service is in use (monthly releases start)", tag="orders",
           response_schema=AftercareOrderOutSchema, errors=(404, 409, 415))
def confirm_use(order_id: int):
    with transaction() as db:
        order = fulfilment.confirm_use(db, order_id=order_id, buyer=_user())
    return jsonify(AftercareOrderOutSchema().dump(order))


@bp.post("/orders/<int:order_id>/report-unused")
@allow(ROLE_BUSINESS)
@operation(summary="Report the service as not in use (administrators decide)", tag="orders",
           request_schema=NoteSchema, response_schema=AftercareOrderOutSchema,
           errors=(404, 409, 415, 422))
def report_unused(order_id: int):
    data = validation.load(NoteSchema(), json_body())
    with transaction() as db:
        order = fulfilment.report_unused(db, order_id=order_id, buyer=_user(),
                                         note=data["note"])
    return jsonify(AftercareOrderOutSchema().dump(order))


@bp.post("/orders/<int:order_id>/end")
@allow(ROLE_BUSINESS, ROLE_ADMIN)
@operation(summary="End an active order early; unreleased points go back to the buyer",
           tag="orders", request_schema=ReasonSchema, response_schema=AftercareOrderOutSchema,
           errors=(404, 409, 415, 422))
def end_order(order_id: int):
    data = validation.load(ReasonSchema(), json_body())
    cause = fulfilment.ENDED_BY_ADMIN if _user().role == ROLE_ADMIN else \
        fulfilment.ENDED_BY_BUYER
    with transaction() as db:
        order = fulfilment.terminate(db, order_id=order_id, actor=_user(),
                                     reason=data["reason"], cause=cause)
    return jsonify(AftercareOrderOutSchema().dump(order))


@bp.post("/orders/<int:order_id>/renew")
@allow(ROLE_BUSINESS)
@operation(summary="Start a renewal: a card-only quote; accept its contract to order",
           tag="orders", response_schema=RenewalOutSchema, status=201,
           errors=(404, 409, 415))
def renew(order_id: int):
    with transaction() as db:
        quote = renewals.start_renewal(db, order_id=order_id, buyer=_user(),
                                       today=taipei_today())
    return jsonify(RenewalOutSchema().dump({
        "quote_id": quote.id, "price_ntd": quote.price_ntd,
        "card_amount_ntd": quote.card_amount_ntd,
        "contract_url": url_for("aftercare.renewal_contract", order_id=order_id,
                                quote_id=quote.id)})), 201


# --- administrators ---------------------------------------------------------------------------

@bp.post("/admin/orders/<int:order_id>/refunds")
@allow(ROLE_ADMIN)
@operation(summary="Refund captured points to the buyer (a ledger reversal)", tag="orders",
           request_schema=RefundSchema, response_schema=RefundOutSchema, status=201,
           errors=(404, 409, 415, 422))
def refund(order_id: int):
    data = validation.load(RefundSchema(), json_body())
    with transaction() as db:
        made = refunds.issue_refund(db, order_id=order_id, admin=_user(), points=data["points"],
                                    reason=data["reason"], token=data["token"])
    return jsonify(RefundOutSchema().dump(made)), 201


@bp.get("/admin/orders/<int:order_id>/card-refunds")
@allow(ROLE_ADMIN)
@operation(summary="The order's card refunds (SLA compensation for card-only orders)",
           tag="orders", response_schema=CardRefundOutSchema(many=True), errors=(404,))
def list_card_refunds(order_id: int):
    db = get_session()
    if db.get(Order, order_id) is None:
        raise NotFound(_l("That order does not exist."))
    return jsonify(CardRefundOutSchema(many=True).dump(
        card_refunds.card_refunds_for_order(db, order_id)))


@bp.post("/admin/orders/<int:order_id>/card-refunds/<int:refund_id>/retry")
@allow(ROLE_ADMIN)
@operation(summary="Send a failed card refund again (queued for the refund job, same key)",
           tag="orders", response_schema=CardRefundOutSchema, errors=(404, 409, 415))
def retry_card_refund(order_id: int, refund_id: int):
    with transaction() as db:
        refund = card_refunds.retry_failed(db, order_id=order_id, refund_id=refund_id,
                                           admin=_user())
    return jsonify(CardRefundOutSchema().dump(refund))


@bp.get("/admin/statements")
@allow(ROLE_ADMIN)
@operation(summary="Vendor statements (?period=YYYY-MM)", tag="settlement",
           query_schema=VendorStatementQuerySchema,
           response_schema=VendorStatementOutSchema(many=True), errors=(422,))
def list_statements():
    query = validation.load(VendorStatementQuerySchema(), request.args.to_dict())
    rows = settlement.statements(get_session(), period=query["period"])
    return jsonify(VendorStatementOutSchema(many=True).dump([s for s, _ in rows]))


@bp.post("/admin/statements")
@allow(ROLE_ADMIN)
@operation(summary="Issue a month's statements that do not exist yet (idempotent)",
           tag="settlement", request_schema=PeriodSchema,
           response_schema=VendorStatementOutSchema(many=True), status=201, errors=(415, 422))
def generate_statements():
    data = validation.load(PeriodSchema(), json_body())
    with transaction() as db:
        created = settlement.generate(db, data["period"])
    return jsonify(VendorStatementOutSchema(many=True).dump(created)), 201


@bp.post("/admin/statements/<int:statement_id>/paid")
@allow(ROLE_ADMIN)
@operation(summary="Mark a statement paid (receivable → paid out in the ledger)",
           tag="settlement", response_schema=VendorStatementOutSchema, errors=(404, 409, 415))
def mark_paid(statement_id: int):
    with transaction() as db:
        statement = settlement.mark_paid(db, statement_id=statement_id, admin=_user())
    return jsonify(VendorStatementOutSchema().dump(statement))


@bp.get("/admin/statements.csv")
@allow(ROLE_ADMIN)
@operation(summary="All statements of a month as CSV (?period=YYYY-MM)", tag="settlement",
           query_schema=PeriodSchema, errors=(422,))
def statements_csv():
    query = validation.load(PeriodSchema(), request.args.to_dict())
    return Response(settlement.export_csv(get_session(), query["period"]),
                    mimetype="text/csv", headers={"Content-Disposition":
                                                  f'attachment; filename="tcloud-statements-'
                                                  f'{query["period"]}.csv"'})


@bp.get("/vendor/statements")
@allow(ROLE_VENDOR)
@operation(summary="The vendor's own statements", tag="settlement",
           response_schema=VendorStatementOutSchema(many=True))
def vendor_statements():
    rows = settlement.statements(get_session(), vendor_organisation_id=_user().organisation_id)
    return jsonify(VendorStatementOutSchema(many=True).dump([s for s, _ in rows]))
