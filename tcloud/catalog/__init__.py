"""Catalogue: vendors, vetting, solutions, plans, search, comparison, reviews (issue 3)."""
