"""Points: programmes, applications, grants, the ledger, orders, contracts, payments (issue 4)."""
