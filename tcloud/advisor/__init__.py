"""Advisor: needs forms, readiness diagnosis, matcher, consultant review (issue 6)."""
