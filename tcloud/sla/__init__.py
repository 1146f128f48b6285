"""SLA: the five commitments, probes, incidents, backups, breaches, compensation (issue 5)."""
