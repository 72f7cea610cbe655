"""What every ocsea-hub process shares: settings, logging and metrics."""
