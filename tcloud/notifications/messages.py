"""What each kind of notification says. Values are filled in when it is shown."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    # Advisor (tcloud/advisor)
    "advisor.form_queued": _l("Needs form #%(number)s (%(employees)s staff) is waiting in "
                              "the queue."),
    "advisor.assigned": _l("Recommendation #%(number)s was assigned to you for review."),
    "advisor.recommendation_sent": _l("Your recommendation is ready: %(count)s solutions "
                                      "with the reasons and your consultant's notes."),
    "vendor_application.decided": _l("Your application to be listed is now “%(status)s”. "
                                     "Reason: %(reason)s"),
    "vendor_application.submitted": _l("%(company)s submitted an application to be listed."),
    "listing.submitted": _l("%(company)s sent “%(solution)s” for review."),
    "listing.approved": _l("“%(solution)s” is approved and live. Reason: %(reason)s"),
    "listing.rejected": _l("“%(solution)s” was not approved. Reason: %(reason)s"),
    # SLA incidents, breaches and compensation (tcloud/sla).
    "sla.incident_opened": _l("%(buyer)s reported incident #%(incident)s on “%(solution)s”. "
                              "Respond by %(due)s."),
    "sla.incident_warning": _l("Incident #%(incident)s on “%(solution)s” still has no "
                               "response. It is due by %(due)s."),
    "sla.incident_responded": _l("The vendor responded to incident #%(incident)s on "
                                 "“%(solution)s”."),
    "sla.incident_resolved": _l("Incident #%(incident)s on “%(solution)s” is resolved."),
    "sla.breach.response": _l("Incident #%(incident)s on “%(solution)s” was not answered "
                              "within the committed response time."),
    "sla.breach.support_hours": _l("Incident #%(incident)s on “%(solution)s” was raised in "
                                   "support hours and not answered before they ended."),
    "sla.breach.rpo": _l("“%(solution)s” has reported no good backup within its recovery "
                         "point objective (RPO)."),
    "sla.rpo_warning": _l("The newest good backup of “%(solution)s” has used 80%% of its "
                          "recovery point objective (RPO)."),
    "sla.compensation_credited": _l("“%(solution)s” fell short of its availability in "
                                    "%(period)s: %(points)s points were credited to you."),
    "sla.compensation_charged": _l("“%(solution)s” fell short of its availability in "
                                   "%(period)s: %(points)s points were credited to a buyer."),
    "sla.compensation_card": _l("“%(solution)s” fell short of its availability in %(period)s: "
                                "NT$%(points)s will be refunded to the card you paid with."),
    "sla.compensation_card_charged": _l("“%(solution)s” fell short of its availability in "
                                        "%(period)s: NT$%(points)s is refunded to a buyer's "
                                        "card and deducted from your settlement."),
    "sla.card_refund_sent": _l("NT$%(amount)s of SLA compensation for %(period)s (order "
                               "%(reference)s) was refunded to your card."),
    "sla.card_refund_failed": _l("The card refund of NT$%(amount)s for order %(reference)s "
                                 "(%(period)s) could not be made: %(error)s"),
    "sla.dispute_corrected_points": _l("Your dispute about the %(period)s compensation was "
                                       "upheld: %(corrected)s points instead of %(original)s, "
                                       "so %(difference)s more points are credited to you. "
                                       "%(note)s"),
    "sla.dispute_corrected_card": _l("Your dispute about the %(period)s compensation was "
                                     "upheld: NT$%(corrected)s instead of NT$%(original)s, so "
                                     "NT$%(difference)s more will be refunded to your card. "
                                     "%(note)s"),
    "sla.dispute_corrected_vendor": _l("A buyer's dispute about the %(period)s compensation "
                                       "for “%(solution)s” was upheld: %(corrected)s instead "
                                       "of %(original)s, so %(difference)s more is deducted "
                                       "from your settlement."),
    "sla.dispute_opened": _l("A buyer disputes compensation statement #%(statement)s "
                             "(%(period)s)."),
    "sla.dispute_upheld": _l("Your dispute about the %(period)s compensation was upheld: "
                             "%(note)s"),
    "sla.dispute_rejected": _l("Your dispute about the %(period)s compensation was not "
                               "upheld: %(note)s"),
    "order.to_activate": _l("New order %(reference)s for “%(solution)s” is paid: activate "
                            "it for the buyer."),
    "order.cancelled": _l("Order %(reference)s for “%(solution)s” was cancelled before "
                          "activation. Do not activate it."),
    # Aftercare (tcloud/points/fulfilment.py, releases.py, refunds.py, renewals.py, settlement.py)
    "order.activated": _l("Order %(reference)s for “%(solution)s” is active. Please confirm "
                          "by %(due)s that you are using it."),
    "order.use_confirmed": _l("The buyer confirmed that order %(reference)s for "
                              "“%(solution)s” is in use."),
    "order.reported_unused": _l("Order %(reference)s for “%(solution)s” was reported as not "
                                "in use: %(note)s"),
    "order.terminated": _l("Order %(reference)s for “%(solution)s” has ended early; "
                           "%(points)s unreleased points went back to the buyer."),
    "order.released": _l("%(points)s points of order %(reference)s reached your receivable."),
    "order.refunded": _l("%(points)s points of order %(reference)s were refunded to the "
                         "buyer. Reason: %(reason)s"),
    "order.renewal_due": _l("Order %(reference)s for “%(solution)s” ends on %(ends_on)s. "
                            "You can renew it on the order page."),
    "order.renewed": _l("Order %(reference)s for “%(solution)s” was renewed."),
    "statement.issued": _l("Your settlement statement for %(period)s is ready: NT$%(payable)s "
                           "payable."),
    "statement.paid": _l("Your settlement statement for %(period)s was paid: NT$%(payable)s."),
    "grant_application.granted": _l("Your application to “%(programme)s” was approved: "
                                    "%(points)s points are in your wallet."),
    "grant_application.rejected": _l("Your application to “%(programme)s” was not approved. "
                                     "Reason: %(reason)s"),
    "grant_application.waitlisted": _l("Your application to “%(programme)s” is on the "
                                       "waiting list: the budget cannot cover it now."),
    "sla.burn_page": _l("“%(solution)s” is burning its error budget %(rate)s times too fast "
                        "(commitment %(target)s%%): look now."),
    "sla.burn_ticket": _l("“%(solution)s” is burning its error budget %(rate)s times too fast "
                          "over 6 hours (commitment %(target)s%%)."),
    "sla.cert_expiring": _l("The TLS certificate of “%(solution)s” expires on %(date)s "
                            "(%(days)s days left)."),
}
# Status codes in values are shown with their labels (translated when shown).
STATUS_VALUES = ("status",)


def render(kind: str, values: dict) -> str:
    from tcloud.catalog.labels import STATUS_LABELS

    shown = {key: (str(STATUS_LABELS.get(value, value)) if key in STATUS_VALUES else value)
             for key, value in values.items()}
    template = MESSAGES.get(kind)
    return str(template) % shown if template is not None else kind
