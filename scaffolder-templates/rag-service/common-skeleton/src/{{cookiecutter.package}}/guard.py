"""Input and output guards run before and after every model call.

Each finding is counted in genai_guardrail_events_total{rule, direction, action}, which the
GenAI Portal reads as security findings of this app (OWASP LLM01 prompt injection, LLM02
sensitive information disclosure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from {{ cookiecutter.package }}.telemetry import record_guardrail


class Direction(StrEnum):
    INPUT = "input"
    OUTPUT = "output"


class Action(StrEnum):
    BLOCKED = "blocked"
    FLAGGED = "flagged"


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


_INJECTION = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)\s+(?:instructions|prompts?|rules)",
        r"\bdisregard\s+(?:all\s+|the\s+)?(?:previous|prior|above|system)\b",
        r"\b(?:reveal|print|show|repeat)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+prompt|instructions|hidden\s+prompt)",
        r"\byou\s+are\s+now\s+(?:in\s+)?(?:developer|dan|jailbreak)\s*mode",
        r"<\s*/?\s*(?:system|im_start|im_end)\s*>",
    )
]
_SECRETS = {
    "openai_key": re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}"),
    "aws_access_key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "github_token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "private_key": re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
    "bearer_token": re.compile(r"\bBearer\s+[A-Za-z0-9._~+/-]{24,}=*", re.IGNORECASE),
}
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


@dataclass
class Guard:
    """Prompt-injection, secret, PII and deny-list checks.

    Injection and secrets block (a secret must never reach a model provider nor a user);
    PII is redacted and flagged; deny-list words block.
    """

    deny_list: tuple[str, ...] = field(default_factory=tuple)

    def check(self, text: str, direction: Direction) -> Verdict:
        """Scan ``text`` and count each finding in genai_guardrail_events_total."""
        verdict = self.scan(text, direction)
        for finding in verdict.findings:
            record_guardrail(rule=finding.rule, direction=direction.value, action=finding.action.value)
        return verdict

    def scan(self, text: str, direction: Direction) -> Verdict:
        """Scan ``text`` without counting (for partial text such as a stream so far)."""
        findings: list[Finding] = []
        if direction is Direction.INPUT:
            for pattern in _INJECTION:
                if pattern.search(text):
                    findings.append(Finding("prompt_injection", Action.BLOCKED, pattern.pattern))
                    break
        for kind, pattern in _SECRETS.items():
            if pattern.search(text):
                findings.append(Finding("secret", Action.BLOCKED, kind))
        lowered = text.lower()
        for word in self.deny_list:
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                findings.append(Finding("deny_list", Action.BLOCKED, word))
        redacted, pii = self._redact_pii(text)
        if pii:
            findings.append(Finding("pii", Action.FLAGGED, ", ".join(pii)))
        return Verdict(text=redacted, findings=tuple(findings))

    def enforce(self, text: str, direction: Direction) -> str:
        """The text to pass on (PII redacted).

        Raises:
            GuardrailError: a blocking rule matched.
        """
        verdict = self.check(text, direction)
        if verdict.blocked:
            raise GuardrailError(direction, verdict)
        return verdict.text

    @staticmethod
    def _redact_pii(text: str) -> tuple[str, list[str]]:
        kinds: list[str] = []

        def card(match: re.Match[str]) -> str:
            digits = re.sub(r"\D", "", match.group())
            if 13 <= len(digits) <= 19 and _luhn(digits):
                kinds.append("card")
                return "[REDACTED CARD]"
            return match.group()

        text, emails = _EMAIL.subn("[REDACTED EMAIL]", text)
        if emails:
            kinds.append("email")
        text = _CARD.sub(card, text)
        text, ibans = _IBAN.subn("[REDACTED IBAN]", text)
        if ibans:
            kinds.append("iban")
        return text, sorted(set(kinds))
