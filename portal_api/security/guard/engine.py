"""The guard: runs every scanner over a text and combines their verdicts."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from portal_api.errors import InvalidInputError
from portal_api.security.guard import classifier, injection, pii
from portal_api.security.guard import secrets as secret_scan
from portal_api.security.guard.models import (
    VERDICT_RANK,
    Direction,
    GuardBatchRequest,
    GuardBatchResult,
    GuardRequest,
    GuardResult,
    ScannerResult,
    Span,
    Verdict,
)
from portal_api.security.guard.normalize import Normalized, normalize
from portal_api.security.guard.remote import RemoteScanner
from portal_api.security.models import OwaspLlm

INJECTION_FLAG = classifier.FLAG_AT
INJECTION_BLOCK = classifier.BLOCK_AT
CANARY_PREFIX = "gp-canary-"
_SEPARATORS = re.compile(r"[\s\-_.·]+")


def new_canary() -> str:
    """A fresh canary token to plant in a system prompt (never appears in normal text)."""
    return CANARY_PREFIX + secrets.token_hex(8)


@lru_cache(maxsize=256)
def _folded(token: str) -> str:
    """A canary as the scanners read it (the configured ones are folded once, not per text)."""
    return normalize(token).text


@dataclass(frozen=True)
class DenyTerm:
    label: str
    pattern: re.Pattern[str]


def compile_deny_list(entries: Iterable[str]) -> list[DenyTerm]:
    """Terms match whole words, case- and look-alike-insensitively; ``re:`` entries are regexes.

    Raises:
        InvalidInputError: an entry is an invalid regular expression.
    """
    terms = []
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        if entry.startswith("re:"):
            try:
                terms.append(DenyTerm(entry, re.compile(entry[3:], re.IGNORECASE)))
            except re.error as exc:
                raise InvalidInputError(f"deny-list entry {entry!r}: {exc}") from None
        else:
            words = [re.escape(w) for w in normalize(entry).text.split()]
            # The word boundary is looked behind from the end of the first word, not before
            # it: the pattern then starts with a literal, which the regex engine finds in C.
            first = f"{words[0]}(?<!\\w{words[0]})"
            pattern = first + "".join(r"\s+" + w for w in words[1:]) + r"(?!\w)"
            terms.append(DenyTerm(entry, re.compile(pattern)))
    return terms


@dataclass
class Guard:
    deny_list: list[DenyTerm] = field(default_factory=list)
    canaries: tuple[str, ...] = ()
    block_pii_in_output: bool = False
    remote: RemoteScanner | None = None  # the optional model-backed scanner

    @classmethod
    def from_config(
        cls,
        *,
        deny_list: Sequence[str],
        canaries: Sequence[str],
        block_pii_in_output: bool = False,
        remote: RemoteScanner | None = None,
    ) -> Guard:
        return cls(
            compile_deny_list(deny_list),
            tuple(c for c in canaries if c),
            block_pii_in_output,
            remote,
        )

    # -- scanners --------------------------------------------------------------------------

    def _injection(self, norm: Normalized) -> tuple[ScannerResult, list[str]]:
        rule_score, hits, notes = injection.scan(norm)
        probability = classifier.default_model().probability(norm.original)
        obfuscated = bool(norm.smuggled or norm.mixed_scripts or norm.invisible >= 3)
        obfuscated = obfuscated or any(h.rule.startswith("base64:") for h in hits)
        quoted = injection.quoted_only(norm, hits)
        score = classifier.default_model().combine(
            rule_score, probability, veto=not obfuscated, quoted=quoted
        )
        if score >= INJECTION_FLAG and score > rule_score:
            notes.append(f"classifier: injection probability {probability:.3f}")
        verdict = (
            Verdict.BLOCK
            if score >= INJECTION_BLOCK
            else Verdict.FLAG
            if score >= INJECTION_FLAG
            else Verdict.PASS
        )
        spans = [Span(start=h.start, end=h.end, label=h.rule) for h in hits]
        if not spans and score >= INJECTION_FLAG:
            spans.append(Span(start=0, end=len(norm.original), label="classifier"))
        return ScannerResult(
            scanner="prompt_injection",
            verdict=verdict,
            score=round(score, 4),
            owasp=OwaspLlm.LLM01,
            spans=spans,
        ), notes

    def _canary(
        self, norm: Normalized, extra: Sequence[str], direction: Direction
    ) -> ScannerResult:
        spans = []
        squeezed: str | None = None
        for token in (*self.canaries, *extra):
            needle = _folded(token)
            if len(needle) < 6:
                continue  # too short to be a canary: it would match ordinary text
            at = norm.text.find(needle)
            if at >= 0:
                s, e = norm.span(at, at + len(needle))
                spans.append(Span(start=s, end=e, label="canary"))
                continue
            # Spelt out with spaces or dashes between characters: still a leak.
            if squeezed is None:
                squeezed = _SEPARATORS.sub("", norm.text)
            if _SEPARATORS.sub("", needle) in squeezed:
                spans.append(Span(start=0, end=len(norm.original), label="canary-obfuscated"))
        if not spans:
            return ScannerResult(
                scanner="canary", verdict=Verdict.PASS, score=0, owasp=OwaspLlm.LLM07
            )
        verdict = Verdict.BLOCK if direction == Direction.OUTPUT else Verdict.FLAG
        return ScannerResult(
            scanner="canary", verdict=verdict, score=1, owasp=OwaspLlm.LLM07, spans=spans
        )

    def _secrets(self, text: str, direction: Direction) -> ScannerResult:
        hits = secret_scan.scan(text)
        spans = [Span(start=h.start, end=h.end, label=h.label) for h in hits]
        if not hits:
            return ScannerResult(
                scanner="secrets", verdict=Verdict.PASS, score=0, owasp=OwaspLlm.LLM02
            )
        known = any(h.known for h in hits)
        # A key sent to a model leaks it to the provider; one in an answer leaks it to the user.
        verdict = Verdict.BLOCK if known else Verdict.FLAG
        score = 1.0 if known else 0.6
        if direction == Direction.INPUT and not known:
            score = 0.5
        return ScannerResult(
            scanner="secrets", verdict=verdict, score=score, owasp=OwaspLlm.LLM02, spans=spans
        )

    def _pii(self, text: str, direction: Direction) -> ScannerResult:
        hits = pii.scan(text)
        if not hits:
            return ScannerResult(scanner="pii", verdict=Verdict.PASS, score=0, owasp=OwaspLlm.LLM02)
        financial = any(h.label in pii.SENSITIVE for h in hits)
        block = direction == Direction.OUTPUT and (self.block_pii_in_output or financial)
        return ScannerResult(
            scanner="pii",
            verdict=Verdict.BLOCK if block else Verdict.FLAG,
            score=0.9 if financial else 0.6,
            owasp=OwaspLlm.LLM02,
            spans=[Span(start=h.start, end=h.end, label=h.label) for h in hits],
        )

    def _deny(self, norm: Normalized) -> ScannerResult:
        spans = []
        for term in self.deny_list:
            target = norm.original if term.label.startswith("re:") else norm.text
            for m in term.pattern.finditer(target):
                s, e = (
                    (m.start(), m.end())
                    if target is norm.original
                    else norm.span(m.start(), m.end())
                )
                spans.append(Span(start=s, end=e, label=term.label))
        return ScannerResult(
            scanner="deny_list",
            verdict=Verdict.BLOCK if spans else Verdict.PASS,
            score=1 if spans else 0,
            spans=spans,
        )

    # -- entry points ----------------------------------------------------------------------

    def check(self, text: str, direction: Direction, canaries: Sequence[str] = ()) -> GuardResult:
        norm = normalize(text)
        # Smuggled tag characters are invisible in the original: scan the decoded text too.
        scan_text = text if not norm.smuggled else text + "\n" + norm.smuggled
        inj, notes = self._injection(norm)
        results = [
            inj,
            self._canary(norm, canaries, direction),
            self._secrets(scan_text, direction),
            self._pii(scan_text, direction),
            self._deny(norm),
        ]
        for r in results[2:4]:
            r.spans = [s for s in r.spans if s.start < len(text)]
        if self.remote is not None:
            remote, problem = self.remote.scan(text, direction)
            if remote is not None:
                results.append(remote)
            else:
                notes.append(f"{problem}: the local scanners' verdict stands")
        verdict = max((r.verdict for r in results), key=VERDICT_RANK.__getitem__)
        return GuardResult(
            direction=direction, verdict=verdict, scanners=results, chars=len(text), notes=notes
        )

    def check_request(self, request: GuardRequest) -> GuardResult:
        return self.check(request.text, request.direction, request.canaries)

    def check_batch(self, request: GuardBatchRequest) -> GuardBatchResult:
        results = [self.check_request(item) for item in request.items]
        return GuardBatchResult(
            results=results,
            blocked=sum(r.verdict == Verdict.BLOCK for r in results),
            flagged=sum(r.verdict == Verdict.FLAG for r in results),
        )


@lru_cache(maxsize=8)
def cached_guard(
    deny_list: tuple[str, ...],
    canaries: tuple[str, ...],
    block_pii_in_output: bool,
    remote: RemoteScanner | None = None,
) -> Guard:
    """One compiled guard per configuration (settings are immutable while serving)."""
    return Guard.from_config(
        deny_list=deny_list,
        canaries=canaries,
        block_pii_in_output=block_pii_in_output,
        remote=remote,
    )
