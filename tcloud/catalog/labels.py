"""Plain-language names of vetting statuses and decisions."""

from flask_babel import lazy_gettext as _l

from tcloud.catalog import vetting_rules as rules

STATUS_LABELS = {
    rules.SUBMITTED: _l("Submitted, waiting for review"),
    rules.UNDER_REVIEW: _l("Under review"),
    rules.CHANGES_REQUESTED: _l("Changes requested"),
    rules.APPROVED: _l("Approved"),
    rules.REJECTED: _l("Rejected"),
    rules.SUSPENDED: _l("Suspended"),
}
DECISION_LABELS = {
    rules.UNDER_REVIEW: _l("Start the review"),
    rules.CHANGES_REQUESTED: _l("Ask for changes"),
    rules.APPROVED: _l("Approve"),
    rules.REJECTED: _l("Reject"),
    rules.SUSPENDED: _l("Suspend"),
}
DECLARATIONS = {
    "declares_no_tax_arrears": _l("The company has no tax arrears."),
    "declares_no_major_breach": _l("The company has not seriously breached a government "
                                   "contract in the last three years."),
    "declares_not_prc_funded": _l("The company is not funded from the People's Republic of "
                                  "China."),
    "agrees_sla_minimums": _l("Each solution will meet the programme's minimum service terms."),
    "agrees_no_inducements": _l("We will offer no cash-back, gifts, referral fees or refunds of "
                                "the buyer's share."),
}
