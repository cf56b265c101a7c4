"""Security findings per app (Trivy Operator, posture checks, guardrail events) and the guard API."""
