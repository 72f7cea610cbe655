"""Pure stream-processing logic: normalisation, triage and task fan-out for reports."""
