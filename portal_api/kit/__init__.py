"""Small pieces shared by several domains (one home for each idea, not one per domain)."""
