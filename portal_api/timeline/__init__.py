"""Change timeline: what changed in each app, and when."""
