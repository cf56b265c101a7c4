"""Training data and script of the learned injection classifier (see PROVENANCE.md)."""
