"""Stripe: the card co-payment, through the real `stripe` SDK (a StripeClient per call).

Keys come from the environment (TCLOUD_STRIPE_SECRET_KEY, ..._PUBLISHABLE_KEY,
..._WEBHOOK_SECRET); TCLOUD_STRIPE_API_BASE points the SDK at localstripe in development and
tests. Nothing here touches the database: callers call these after their commit (or for rows
committed earlier as pending), and record the result in a transaction of their own.

Amounts: Stripe treats TWD as a two-decimal currency in the API (NT$1 = 100 minor units; for
payouts it is zero-decimal, so whole dollars only). TCloud prices are whole NT$, so the amount
sent is always NT$ x 100. localstripe applies no currency rules and stores what it is given.

How the card is entered (decided, 2026-11-23):
- Production: Stripe.js Elements on the pay page (`stripe.confirmCardPayment(client_secret,
  {payment_method: {card}})`): card data goes from the browser to Stripe, never to us.
- localstripe's fake Stripe.js (<localstripe>/js.stripe.com/v3/) cannot do that: its
  confirmCardPayment ignores the card and only "authenticates" a PaymentIntent already in
  requires_action, and createPaymentMethod does nothing. So in test mode only (an API base is
  set, or the secret key is sk_test_...), the pay page offers Stripe's named test cards
  (pm_card_visa, pm_card_chargeCustomerFail) and the server attaches one and confirms
  (`confirm_with_test_card`). That branch refuses to run with a live key.
The webhook stays the source of truth either way; the return from the pay page fetches the
PaymentIntent and applies the same idempotent transition (checkout.apply_intent_status).
"""

from __future__ import annotations

from dataclasses import dataclass

import stripe
from flask import current_app

CURRENCY = "twd"
MINOR_UNITS_PER_NTD = 100
TEST_CARDS = ("pm_card_visa", "pm_card_chargeCustomerFail")
DEV_SECRET_KEY = "sk_test_tcloud_localstripe"  # noqa: S105 - localstripe accepts any sk_ key
DEV_PUBLISHABLE_KEY = "pk_test_tcloud_localstripe"
DEV_WEBHOOK_SECRET = "whsec_tcloud_development"  # noqa: S105 - development and tests only


class PaymentError(RuntimeError):
    """Stripe refused or could not be reached; `user_message` is safe to show."""

    def __init__(self, message: str, *, user_message: str | None = None,
                 declined: bool = False) -> None:
        super().__init__(message)
        self.user_message = user_message
        self.declined = declined


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    amount_ntd: int
    client_secret: str | None
    order_reference: str | None


def to_minor_units(amount_ntd: int) -> int:
    return amount_ntd * MINOR_UNITS_PER_NTD


def _config(name: str) -> str:
    return current_app.config.get(name, "") or ""


def secret_key() -> str:
    return _config("TCLOUD_STRIPE_SECRET_KEY") or DEV_SECRET_KEY


def publishable_key() -> str:
    return _config("TCLOUD_STRIPE_PUBLISHABLE_KEY") or DEV_PUBLISHABLE_KEY


def webhook_secret() -> str:
    return _config("TCLOUD_STRIPE_WEBHOOK_SECRET") or DEV_WEBHOOK_SECRET


def api_base() -> str:
    return _config("TCLOUD_STRIPE_API_BASE")


def test_mode() -> bool:
    """True against localstripe or with a Stripe test key: test cards may be used."""
    return bool(api_base()) or secret_key().startswith("sk_test_")


def client() -> stripe.StripeClient:
    base = api_base()
    kwargs = {"base_addresses": {"api": base}} if base else {}
    return stripe.StripeClient(secret_key(), max_network_retries=2, **kwargs)


def _intent(obj) -> Intent:
    metadata = obj["metadata"] or {}
    return Intent(id=obj["id"], status=obj["status"],
                  amount_ntd=int(obj["amount"]) // MINOR_UNITS_PER_NTD,
                  client_secret=obj["client_secret"] if "client_secret" in obj else None,
                  order_reference=metadata["order_reference"]
                  if "order_reference" in metadata else None)


def _call(what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.CardError as err:
        raise PaymentError(f"{what}: {err}", user_message=err.user_message,
                           declined=True) from err
    except stripe.StripeError as err:
        raise PaymentError(f"{what}: {err}") from err


def create_payment_intent(*, order_reference: str, amount_ntd: int) -> Intent:
    """A PaymentIntent for the card part of an order (idempotent per order at Stripe)."""
    if amount_ntd <= 0:
        raise ValueError("a PaymentIntent needs a positive amount")
    obj = _call("create PaymentIntent", client().v1.payment_intents.create, params={
        "amount": to_minor_units(amount_ntd), "currency": CURRENCY,
        "payment_method_types": ["card"],
        "metadata": {"order_reference": order_reference},
    }, options={"idempotency_key": f"pi:{order_reference}"})
    return _intent(obj)


def retrieve_intent(intent_id: str) -> Intent:
    return _intent(_call("retrieve PaymentIntent", client().v1.payment_intents.retrieve,
                         intent_id))


def confirm_with_test_card(intent_id: str, payment_method: str) -> Intent:
    """Test mode only: attach a named Stripe test card and confirm (see module docstring)."""
    if not test_mode() or payment_method not in TEST_CARDS:
        raise PaymentError("test cards are refused outside test mode")
    payment_intents = client().v1.payment_intents
    _call("attach test card", payment_intents.update, intent_id,
          params={"payment_method": payment_method})
    try:
        return _intent(_call("confirm PaymentIntent", payment_intents.confirm, intent_id))
    except PaymentError as err:
        if not err.declined:
            raise
        return retrieve_intent(intent_id)  # declined: the intent says requires_payment_method


CANCELLABLE = ("requires_payment_method", "requires_confirmation", "requires_action",
               "requires_capture", "processing")


def cancel_intent(intent_id: str) -> Intent:
    """Cancel an unpaid PaymentIntent; one already cancelled or paid is returned as it is."""
    current = retrieve_intent(intent_id)
    if current.status not in CANCELLABLE:
        return current
    return _intent(_call("cancel PaymentIntent", client().v1.payment_intents.cancel,
                         intent_id))


def refund(intent_id: str, *, order_reference: str) -> str:
    """Refund a paid PaymentIntent in full; returns the refund id (idempotent per order)."""
    obj = _call("refund", client().v1.refunds.create,
                params={"payment_intent": intent_id,
                        "metadata": {"order_reference": order_reference}},
                options={"idempotency_key": f"refund:{order_reference}"})
    return obj["id"]


def refund_part(intent_id: str, *, amount_ntd: int, idempotency_key: str,
                metadata: dict[str, str]) -> str:
    """Refund `amount_ntd` of a paid PaymentIntent (SLA compensation); returns the refund id.

    The caller's key makes a retry after a lost answer return the first refund, not a second.
    """
    if amount_ntd <= 0:
        raise ValueError("a refund needs a positive amount")
    obj = _call("partial refund", client().v1.refunds.create,
                params={"payment_intent": intent_id, "amount": to_minor_units(amount_ntd),
                        "metadata": metadata},
                options={"idempotency_key": idempotency_key})
    return obj["id"]


def construct_event(payload: bytes, signature: str | None):
    """The verified event, or stripe.SignatureVerificationError / ValueError."""
    return stripe.Webhook.construct_event(payload, signature, webhook_secret())
