"""HTTP API: report intake for the three doors, report status, and metrics."""
