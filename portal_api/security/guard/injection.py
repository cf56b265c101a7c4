"""Prompt injection and jailbreak phrasing (OWASP LLM01).

Weighted patterns over the folded text (see normalize.py), each gated by cheap substring
triggers so a benign text costs a few ``in`` tests. A text's score is the noisy-or of the
weights of the rules it matches, plus signals of obfuscation (smuggled tag characters,
words mixing scripts, invisible characters inside words) and injections hidden in base64.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from portal_api.security.guard.normalize import Normalized, normalize


@dataclass(frozen=True)
class Rule:
    name: str
    weight: float
    triggers: tuple[str, ...]
    pattern: re.Pattern[str]


def _rule(name: str, weight: float, triggers: tuple[str, ...], pattern: str) -> Rule:
    return Rule(name, weight, triggers, re.compile(pattern))


_ALL = r"(?:all|any|every|each|the|your|my|these|those|its)?\s*(?:of\s+)?(?:the\s+|your\s+)?"
_PRIOR = r"(?:previous|prior|above|preceding|earlier|former|original|initial|old|system|existing|given|current|developer)"
_RULES_NOUN = (
    r"(?:instructions?|prompts?|rules?|directions?|directives?|guidelines?|guidance|"
    r"commands?|context|constraints?|programming|orders?|messages?|policies|policy|restrictions?|training)"
)

RULES: tuple[Rule, ...] = (
    _rule(
        "ignore-previous-instructions",
        0.9,
        (
            "ignore",
            "disregard",
            "forget",
            "override",
            "overrule",
            "bypass",
            "skip",
            "drop",
            "abandon",
            "set aside",
            "throw out",
        ),
        rf"\b(?:ignore|disregard|forget(?:\s+about)?|override|overrule|bypass|skip|drop|abandon|set\s+aside|throw\s+out)\s+{_ALL}"
        rf"(?:{_PRIOR}\s+)(?:\w+\s+){{0,2}}{_RULES_NOUN}",
    ),
    _rule(
        "ignore-instructions-short",
        0.55,
        ("ignore", "disregard", "forget"),
        rf"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:your|the|these)\s+{_RULES_NOUN}\b",
    ),
    _rule(
        "instructions-no-longer-apply",
        0.8,
        (
            "apply",
            "void",
            "valid",
            "null",
            "cancel",
            "obsolete",
            "revoked",
            "superseded",
            "replaced",
        ),
        rf"{_RULES_NOUN}\s+(?:above\s+|before\s+)?(?:are|is|were)\s+(?:now\s+)?(?:no\s+longer\s+(?:valid|apply|applicable|in\s+effect)|"
        r"(?:null\s+and\s+)?void|cancell?ed|obsolete|revoked|superseded|replaced)",
    ),
    _rule(
        "new-instructions",
        0.6,
        ("new", "updated", "instruction", "real"),
        r"\b(?:your\s+)?(?:new|updated|real|actual|true)\s+(?:instructions?|task|rules|orders|objective|goal|directive)s?\s*(?:are|is|:)",
    ),
    _rule(
        "from-now-on",
        0.45,
        ("from now on", "henceforth", "for the rest of this", "starting now"),
        r"\b(?:from\s+now\s+on|henceforth|starting\s+now|for\s+the\s+rest\s+of\s+this\s+(?:conversation|chat|session))\b.{0,80}\b(?:you\s+(?:will|must|are|shall)|respond|answer|act|only)",
    ),
    _rule(
        "persona-override",
        0.85,
        (
            "dan",
            "do anything now",
            "developer mode",
            "jailbr",
            "unfiltered",
            "uncensored",
            "unrestricted",
            "evil",
            "no limits",
            "stan",
            "aim",
        ),
        r"\b(?:dan|stan|dude|aim)\b.{0,60}\b(?:do\s+anything|no\s+(?:rules|restrictions|limits|filters))"
        r"|\bdo\s+anything\s+now\b|\bdeveloper\s+mode\s+(?:enabled|on|activated|output)"
        r"|\bjailbr(?:oken|eak(?:ed|ing)?)\b"
        r"|\b(?:you\s+are|you're|act\s+as|become|pretend\s+to\s+be|roleplay\s+as|role-play\s+as|play\s+the\s+role\s+of)\s+(?:now\s+)?(?:an?\s+)?(?:\w+\s+)?"
        r"(?:unfiltered|uncensored|unrestricted|unaligned|amoral|evil|unethical|rogue|jailbroken|unshackled|unbound)",
    ),
    _rule(
        "no-restrictions",
        0.6,
        (
            "restriction",
            "filter",
            "censor",
            "limitation",
            "guideline",
            "rules",
            "ethic",
            "moral",
            "boundaries",
            "safeguard",
        ),
        r"\b(?:without|free\s+(?:of|from)|no(?:\s+longer\s+have)?|not\s+bound\s+by|(?:don't|do\s+not|doesn't|never)\s+(?:have|follow|need|care\s+about)|ignoring|beyond|break\s+free\s+of|freed\s+from|liberated\s+from)\s+"
        r"(?:any\s+|all\s+|your\s+|the\s+|its\s+)?(?:\w+\s+){0,2}(?:restrictions?|filters?|filtering|censorship|limitations?|content\s+polic(?:y|ies)|ethical\s+(?:guidelines|constraints|boundaries)|moral\s+(?:guidelines|constraints|boundaries)|safeguards|guardrails|boundaries)\b",
    ),
    _rule(
        "disable-safety",
        0.85,
        ("safety", "guardrail", "filter", "moderation", "alignment", "content polic"),
        r"\b(?:disable|turn\s+off|deactivate|bypass|circumvent|ignore|remove|switch\s+off|override|evade|get\s+around|suspend)\s+(?:all\s+|any\s+|your\s+|the\s+|its\s+)?(?:\w+\s+)?"
        r"(?:safety|guardrails?|filters?|moderation|alignment|content\s+polic(?:y|ies)|safeguards?|restrictions?|censorship)",
    ),
    _rule(
        "reveal-system-prompt",
        0.85,
        (
            "system prompt",
            "system message",
            "instructions",
            "initial prompt",
            "hidden prompt",
            "pre-prompt",
            "preprompt",
            "prompt above",
            "text above",
            "words above",
        ),
        r"\b(?:reveal|show|print|display|output|repeat|recite|tell|give|share|leak|dump|write\s+out|spell\s+out|what\s+(?:is|are|was|were)|copy|paste|list|expose|disclose|translate|summari[sz]e)\b.{0,40}"
        r"\b(?:(?:your|the|its|my)\s+)?(?:(?:full|entire|complete|exact|original|initial|hidden|secret|confidential|internal|verbatim)\s+)*"
        r"(?:system\s+(?:prompt|message|instructions?)|initial\s+(?:prompt|instructions?)|hidden\s+(?:prompt|instructions?)|pre-?prompt|"
        r"(?:developer|original|secret|confidential|internal)\s+(?:instructions?|prompt)|(?:instructions?|prompt|text|words|everything)\s+(?:above|before\s+this|you\s+were\s+given))",
    ),
    _rule(
        "repeat-above",
        0.7,
        ("above", "beginning", "start of", "verbatim"),
        r"\b(?:repeat|print|output|copy|echo)\s+(?:back\s+)?(?:the\s+|all\s+|everything\s+)?(?:\w+\s+){0,3}(?:above|from\s+the\s+(?:beginning|start)|verbatim|before\s+(?:this|my)\s+message)",
    ),
    _rule(
        "role-markers",
        0.7,
        (
            "system",
            "im_start",
            "<|",
            "[inst]",
            "<<sys",
            "### ",
            "</s>",
            "assistant:",
            "[admin",
            "admin override",
            "sudo",
        ),
        r"(?:^|\n)\s*(?:\[|<|#{2,}\s*)?(?:system|developer|admin)\s*(?:\]|>|:)\s*\S"
        r"|<\|(?:im_start|im_end|system|endoftext|start_header_id|eot_id)\|>|\[/?inst\]|<</?sys>>|</s>"
        r"|\b(?:admin|root|sudo|god|debug|maintenance)\s+(?:mode|override|access|command)\b"
        r"|\bbegin\s+(?:admin|system|developer)\s+(?:override|instructions?|message)",
    ),
    _rule(
        "addressed-to-ai",
        0.55,
        ("ai", "assistant", "language model", "llm", "chatbot", "bot"),
        r"\b(?:note|message|instructions?|attention)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|assistant|language\s+model|llm|chatbot|bot|agent)\b"
        r"|\bif\s+you\s+are\s+(?:an?\s+)?(?:ai|assistant|language\s+model|llm|chatbot|agent|gpt|claude)\b.{0,60}\b(?:you\s+must|ignore|instead|do\s+not|don't|please|reply|respond|say|include)"
        r"|\b(?:ai|assistant|llm|agent)s?\s+(?:reading|processing|summari[sz]ing)\s+this\b",
    ),
    _rule(
        "exfiltration",
        0.7,
        ("send", "post", "forward", "upload", "email", "exfiltrat", "http", "!["),
        r"\b(?:send|post|forward|upload|email|transmit|leak|exfiltrate)\s+(?:the\s+|all\s+|this\s+|your\s+|every\s+)?(?:\w+\s+){0,2}"
        r"(?:conversation|chat\s+history|messages|data|credentials|api\s+keys?|passwords?|secrets?|tokens?|user\s+data|system\s+prompt|documents?)\b.{0,40}\b(?:to|at|via)\b"
        r"|!\[[^\]]{0,50}\]\(https?://[^)\s]{1,200}[?&][\w-]{1,30}=(?:\{|\[|%7b|\$)",
    ),
    _rule(
        "hypothetical-bypass",
        0.5,
        (
            "hypothetical",
            "fiction",
            "story",
            "pretend",
            "imagine",
            "grandma",
            "grandmother",
            "game",
        ),
        r"\b(?:hypothetical(?:ly)?|in\s+a\s+fictional|fictional\s+(?:world|story|scenario)|pretend|imagine|let's\s+play\s+a\s+game|my\s+(?:dead|late|deceased)\s+grand(?:ma|mother|father|pa))\b"
        r".{0,120}\b(?:no\s+(?:rules|restrictions|limits|filters|ethics)|without\s+(?:any\s+)?(?:rules|restrictions|limits|filters|ethics)|(?:is|are)\s+(?:legal|allowed|permitted)|"
        r"how\s+to\s+(?:make|build|synthesi[sz]e|create)\s+(?:a\s+)?(?:bomb|explosive|napalm|meth|weapon|malware|ransomware|virus|poison)|"
        r"ignore\s+(?:your|the)|(?:read|tell)\s+me\s+(?:the\s+)?(?:windows\s+)?(?:keys|serial|product\s+keys?))",
    ),
    _rule(
        "obey-me",
        0.45,
        ("you must", "you will", "you have to", "obey", "comply"),
        r"\b(?:you\s+(?:must|will|have\s+to|shall)\s+(?:now\s+)?(?:obey|comply|follow\s+(?:only\s+)?my|answer\s+(?:every|all|any)\s+(?:question|request)s?\s+without)"
        r"|(?:always\s+)?(?:obey|comply\s+with)\s+(?:me|my\s+(?:commands|orders|instructions))\b)",
    ),
    _rule(
        "multilingual-ignore",
        0.85,
        (
            "ignor",
            "olvid",
            "oubli",
            "vergiss",
            "dimentica",
            "negeer",
            "игнор",
            "忽略",
            "無視",
            "무시",
        ),
        r"\bignor(?:a|e|ez|iere|ate|eer)\s+(?:todas?\s+|toutes\s+|tous\s+|alle\s+|tutte\s+|le\s+|las\s+|les\s+|die\s+)?(?:(?:las|les|le|die|the)\s+)?"
        r"(?:instrucciones|instructions|anweisungen|istruzioni|instructies|règles|reglas|regeln|regole)"
        r"|\b(?:olvida|oublie|vergiss|dimentica)\s+(?:todo|tout|alles|tutto)"
        r"|игнорир\w*\s+(?:все\s+)?(?:предыдущ\w*\s+)?инструкц|忽略(?:之前|以上|先前|上面)?的?(?:所有)?(?:指令|指示|说明)|(?:以前|前)の指示を無視|이전\s*지시(?:를|사항을)?\s*무시",
    ),
)

# Long runs of base64; decoded payloads are scanned once more (bounded).
_BASE64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")
_MAX_DECODED = 4


@dataclass
class InjectionHit:
    rule: str
    weight: float
    start: int
    end: int


def _match_rules(text: str) -> list[tuple[Rule, int, int]]:
    hits = []
    for rule in RULES:
        if not any(t in text for t in rule.triggers):
            continue
        m = rule.pattern.search(text)
        if m is not None:
            hits.append((rule, m.start(), m.end()))
    return hits


def _decoded_payloads(original: str) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for m in _BASE64.finditer(original):
        if len(out) >= _MAX_DECODED:
            break
        raw = m.group()
        try:
            decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded.isprintable() and sum(c.isalpha() or c == " " for c in decoded) > 0.8 * len(
            decoded
        ):
            out.append((decoded, m.start(), m.end()))
    return out


def scan(norm: Normalized) -> tuple[float, list[InjectionHit], list[str]]:
    """Score (0..1), the rules hit (spans in the original text) and obfuscation notes."""
    hits: list[InjectionHit] = []
    for rule, start, end in _match_rules(norm.text):
        s, e = norm.span(start, end)
        hits.append(InjectionHit(rule.name, rule.weight, s, e))
    notes: list[str] = []
    for decoded, start, end in _decoded_payloads(norm.original):
        for rule, _, _ in _match_rules(normalize(decoded).text):
            hits.append(InjectionHit(f"base64:{rule.name}", rule.weight, start, end))
    keep = 1.0
    for hit in hits:
        keep *= 1.0 - hit.weight
    # Obfuscation is suspicious in itself, and more so next to injection phrasing.
    if norm.smuggled:
        notes.append(f"{len(norm.smuggled)} Unicode tag characters decoded")
        keep *= 0.3
    if norm.mixed_scripts:
        notes.append(f"{norm.mixed_scripts} words mix Latin with Cyrillic/Greek look-alikes")
        keep *= 0.6 if hits else 0.85
    if norm.invisible >= 3:
        notes.append(f"{norm.invisible} invisible characters removed")
        keep *= 0.7 if hits else 0.9
    return 1.0 - keep, hits, notes
