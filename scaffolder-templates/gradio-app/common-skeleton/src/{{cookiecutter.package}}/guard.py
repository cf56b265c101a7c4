"""Input and output guards run before and after every model call, by the GenAI Portal's guard.

Every text goes to the portal's ``POST /api/v1/guard/check`` (PORTAL_URL, with the ingest token
in PORTAL_INGEST_TOKEN): one guard for every app, with the portal's injection classifier,
secret and personal-data scanners, deny list and canaries, so a fix there protects every
service at once. Blocking verdicts raise GuardrailError; flagged secrets and personal data are
redacted at the spans the portal reports. When the portal does not answer within
GUARD_TIMEOUT_SECONDS, GUARD_FAIL_MODE decides: ``closed`` (the default) blocks the text,
``open`` lets it through; both count a ``guard_unavailable`` finding.

Each finding is counted in genai_guardrail_events_total{rule, direction, action}, which the
GenAI Portal reads as security findings of this app (OWASP LLM01 prompt injection, LLM02
sensitive information disclosure).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum, auto
from typing import Any

import httpx

from .config import Settings
from .telemetry import record_guardrail

log = logging.getLogger(__name__)


class Direction(StrEnum):
    """Values are the lower-case names (``auto()`` of a StrEnum), as the portal reads them."""

    INPUT = auto()
    OUTPUT = auto()


class Action(StrEnum):
    BLOCKED = auto()
    FLAGGED = auto()


@dataclass(frozen=True)
class Finding:
    rule: str
    action: Action
    detail: str


@dataclass(frozen=True)
class Verdict:
    text: str
    findings: tuple[Finding, ...] = ()

    @property
    def blocked(self) -> bool:
        return any(f.action is Action.BLOCKED for f in self.findings)


class GuardrailError(Exception):
    """A guard blocked the text; the message is safe to show to the user."""

    def __init__(self, direction: Direction, verdict: Verdict) -> None:
        rules = ", ".join(sorted({f.rule for f in verdict.findings if f.action is Action.BLOCKED}))
        super().__init__(f"{direction.value} blocked by guardrail: {rules}")
        self.direction = direction
        self.verdict = verdict


# The portal's scanners and the rule names this service has always counted.
_RULES = {
    "prompt_injection": "prompt_injection",
    "secrets": "secret",
    "pii": "pii",
    "deny_list": "deny_list",
    "canary": "canary",
}
_REDACTED = {"secrets": "SECRET", "pii": "PII"}


class Guard:
    """The portal's guard over HTTP, plus this service's own deny-list words (GUARD_DENY_LIST)."""

    def __init__(self, settings: Settings | None = None, *, http_client: httpx.Client | None = None) -> None:
        self.settings = settings or Settings()
        self.http = http_client or httpx.Client(timeout=self.settings.guard_timeout_seconds)

    def check(self, text: str, direction: Direction) -> Verdict:
        """Scan ``text`` and count each finding in genai_guardrail_events_total."""
        verdict = self.scan(text, direction)
        for finding in verdict.findings:
            record_guardrail(rule=finding.rule, direction=direction.value, action=finding.action.value)
        return verdict

    def scan(self, text: str, direction: Direction) -> Verdict:
        """Scan ``text`` without counting (for partial text such as a stream so far)."""
        findings: list[Finding] = []
        lowered = text.lower()
        for word in self.settings.deny_list:
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                findings.append(Finding("deny_list", Action.BLOCKED, word))
        result = self._ask_portal(text, direction)
        if result is None:
            action = Action.BLOCKED if self.settings.guard_fail_closed else Action.FLAGGED
            findings.append(Finding("guard_unavailable", action, "the portal's guard did not answer"))
            return Verdict(text=text, findings=tuple(findings))
        redact: list[tuple[int, int, str]] = []
        for scanner in result.get("scanners", []):
            if scanner.get("verdict") == "pass":
                continue
            name = scanner.get("scanner", "guard")
            action = Action.BLOCKED if scanner["verdict"] == "block" else Action.FLAGGED
            labels = sorted({span["label"] for span in scanner.get("spans", [])})
            findings.append(Finding(_RULES.get(name, name), action, ", ".join(labels)))
            if action is Action.FLAGGED and name in _REDACTED:
                redact += [(s["start"], s["end"], _REDACTED[name]) for s in scanner.get("spans", [])]
        for start, end, label in sorted(redact, reverse=True):
            text = f"{text[:start]}[REDACTED {label}]{text[end:]}"
        return Verdict(text=text, findings=tuple(findings))

    def _ask_portal(self, text: str, direction: Direction) -> dict[str, Any] | None:
        url, token = self.settings.portal_url, self.settings.portal_ingest_token
        if not url or not token:
            log.warning("PORTAL_URL or PORTAL_INGEST_TOKEN is not set: the guard cannot run")
            return None
        try:
            response = self.http.post(
                f"{url.rstrip('/')}/api/v1/guard/check",
                json={"text": text, "direction": direction.value},
                headers={"Authorization": f"Bearer {token}"},
                timeout=self.settings.guard_timeout_seconds,
            )
        except httpx.HTTPError as exc:
            log.warning("the portal's guard is unreachable: %s", type(exc).__name__)
            return None
        if response.status_code != 200:
            log.warning("the portal's guard answered %s", response.status_code)
            return None
        body: dict[str, Any] = response.json()
        return body

    def enforce(self, text: str, direction: Direction) -> str:
        """The text to pass on (flagged secrets and personal data redacted).

        Raises:
            GuardrailError: a blocking rule matched.
        """
        verdict = self.check(text, direction)
        if verdict.blocked:
            raise GuardrailError(direction, verdict)
        return verdict.text
