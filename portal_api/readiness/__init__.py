"""Production readiness scorecard: checks per app from what the portal stores, and levels."""
