"""Prompt injection and jailbreak phrasing (OWASP LLM01).

Weighted patterns over the folded text (see normalize.py), each gated by cheap substring
triggers so a benign text costs a few ``in`` tests. A text's score is the noisy-or of the
weights of the rules it matches, plus signals of obfuscation (smuggled tag characters,
words mixing scripts, invisible characters inside words) and injections hidden in base64.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal_api.security.guard import intent
from portal_api.security.guard.framing import QUOTED, has_quote
from portal_api.security.guard.normalize import Normalized, base64_payloads, normalize


@dataclass(frozen=True)
class Rule:
    name: str
    weight: float
    triggers: tuple[str, ...]
    pattern: re.Pattern[str]
    # Also match the lower-cased original: look-alike folding garbles Cyrillic words.
    raw: bool = False


def _rule(
    name: str, weight: float, triggers: tuple[str, ...], pattern: str, *, raw: bool = False
) -> Rule:
    return Rule(name, weight, triggers, re.compile(pattern), raw)


_ALL = r"(?:all|any|every|each|the|your|my|these|those|its)?\s*(?:of\s+)?(?:the\s+|your\s+)?"
_PRIOR = (
    r"(?:previous|prior|above|preceding|earlier|former|original|initial|old|system|existing|"
    r"given|current|developer)"
)
_RULES_NOUN = (
    r"(?:instructions?|prompts?|rules?|directions?|directives?|guidelines?|guidance|"
    r"commands?|context|constraints?|programming|orders?|messages?|policies|policy|"
    r"restrictions?|training)"
)
_AI = r"(?:ai|assistant|language\s+model|llm|chatbot|bot|agent|gpt|claude|model)"

# fmt: off
RULES: tuple[Rule, ...] = (
    _rule(
        "ignore-previous-instructions", 0.9,
        ("ignore", "disregard", "forget", "override", "overrule", "bypass", "skip", "drop",
         "abandon", "set aside", "throw out", "overlook"),
        r"\b(?:ignore|disregard|forget(?:\s+about)?|override|overrule|bypass|skip|drop|abandon|"
        rf"set\s+aside|throw\s+out|overlook)\s+{_ALL}(?:{_PRIOR}\s+)(?:\w+\s+){{0,2}}{_RULES_NOUN}",
    ),
    _rule(
        "ignore-instructions-short", 0.55,
        ("ignor", "disregard", "forget"),
        r"\b(?:ignor(?:e|es|ing)|disregard(?:s|ing)?|forget(?:s|ting)?)\s+(?:all\s+|any\s+)?"
        rf"(?:of\s+)?(?:your|the|these|its)\s+{_RULES_NOUN}\b",
    ),
    _rule(
        "instructions-no-longer-apply", 0.8,
        ("apply", "void", "valid", "null", "cancel", "obsolete", "revoked", "superseded",
         "replaced", "test"),
        rf"{_RULES_NOUN}\s+(?:above\s+|before\s+(?:this|now)\s+)?(?:\w+\s+){{0,2}}(?:are|is|were|was)\s+(?:now\s+)?"
        r"(?:no\s+longer\s+(?:valid|apply|applicable|in\s+effect)|(?:null\s+and\s+)?void|"
        r"cancell?ed|obsolete|revoked|superseded|replaced|(?:just\s+)?a\s+test)",
    ),
    _rule(
        "new-instructions", 0.6,
        ("new", "updated", "instruction", "real", "actual", "true", "task"),
        r"\b(?:your\s+)?(?:new|updated|real|actual|true)\s+(?:instructions?|task|rules|orders|"
        r"objective|goal|directive)s?\s*(?:are|is|:)",
    ),
    _rule(
        "from-now-on", 0.45,
        ("from now on", "henceforth", "for the rest of this", "starting now"),
        r"\b(?:from\s+now\s+on|henceforth|starting\s+now|for\s+the\s+rest\s+of\s+this\s+"
        r"(?:conversation|chat|session))\b.{0,80}\b(?:you\s+(?:will|must|are|shall)|respond|"
        r"answer|act|only)",
    ),
    _rule(
        "persona-override", 0.85,
        ("dan", "do anything", "mode", "jailbr", "unfiltered", "uncensored", "unrestricted",
         "evil", "no limits", "no rules", "stan", "aim", "dude", "rogue", "unethical", "amoral",
         "unaligned", "unshackled", "unbound", "says no", "refuses"),
        r"\b(?:dan|stan|dude|aim)\b.{0,60}\b(?:do\s+anything|no\s+(?:rules|restrictions|limits|filters))"
        r"|\bdo\s+anything\s+now\b"
        r"|\b(?:developer|god|admin|debug|sudo|dan|unrestricted|evil|jailbreak)\s+mode\s+(?:is\s+)?"
        r"(?:now\s+)?(?:enabled|activated|engaged|output|on(?=\s*(?:[.!:;,]|$)))"
        r"|\b(?:you\s+are|you're)\s+(?:now\s+)?(?:in\s+)?(?:god|developer|jailbreak|dan)\s+mode\b"
        r"|\b(?:you\s+are|you're|act\s+as|simulate)\s+(?:now\s+)?(?:an?\s+)?jailbr\w*"
        r"|\bjailbr(?:oken|eak)\s+(?:mode|successful|enabled|version|prompt|persona)"
        r"|\b(?:you\s+are|you're|act\s+as|become|pretend\s+to\s+be|roleplay\s+as|role-play\s+as|"
        r"play\s+the\s+role\s+of)\s+(?:now\s+)?(?:an?\s+)?(?:\w+\s+)?(?:unfiltered|uncensored|"
        r"unrestricted|unaligned|amoral|evil|unethical|rogue|jailbroken|unshackled|unbound)"
        rf"|\b{_AI}\s+(?:that|which|who)\s+(?:is\s+)?(?:\w+\s+)?(?:unethical|amoral|unfiltered|"
        r"uncensored|unrestricted|has\s+no\s+(?:rules|restrictions|limits|filters|ethics)|"
        r"(?:never|doesn't|does\s+not|won't)\s+(?:says?\s+no|refuses?)|can\s+do\s+anything)",
    ),
    _rule(
        "no-restrictions", 0.6,
        ("restriction", "filter", "censor", "limitation", "guideline", "ethic", "moral",
         "boundaries", "safeguard", "polic", "guardrail"),
        r"\b(?:without|free\s+(?:of|from)|no(?:\s+longer\s+have)?|not\s+bound\s+by|"
        r"(?:don't|do\s+not|doesn't|never)\s+(?:have|follow|need|care\s+about)|ignoring|beyond|"
        r"break\s+free\s+of|freed\s+from|liberated\s+from)\s+"
        r"(?:any\s+|all\s+|your\s+|the\s+|its\s+)?(?:[\w']+\s+){0,3}(?:restrictions?|filters?|"
        r"filtering|censorship|limitations?|guidelines|content\s+polic(?:y|ies)|"
        r"ethical\s+(?:guidelines|constraints|boundaries)|moral\s+(?:guidelines|constraints|"
        r"boundaries)|safeguards|guardrails|boundaries)\b"
        r"|\b(?:your|the|its|all)\s+(?:\w+\s+)?(?:filters?|guardrails?|restrictions?|safeguards?|"
        r"safety\s+\w+|limitations?)\s+(?:were|have\s+been|are|has\s+been|is)\s+(?:now\s+)?"
        r"(?:removed|disabled|lifted|turned\s+off|gone|deactivated)",
    ),
    _rule(
        "disable-safety", 0.85,
        ("safety", "guardrail", "filter", "moderation", "alignment", "polic", "restriction",
         "censorship", "safeguard"),
        r"\b(?:disable|turn\s+off|deactivate|bypass|circumvent|ignore|remove|switch\s+off|override|"
        r"evade|get\s+around|suspend)\s+(?:all\s+|any\s+|your\s+|the\s+|its\s+)?(?:\w+\s+)?"
        r"(?:safety|guardrails?|filters?|moderation|alignment|content\s+polic(?:y|ies)|"
        r"safeguards?|restrictions?|censorship)",
    ),
    _rule(
        "reveal-system-prompt", 0.85,
        ("prompt", "instruction", "system message", "above"),
        # not after a modal whose subject is not "you": "the bot would reveal its prompt"
        # reports (task 14j), "you could show me the prompt" asks
        r"(?:(?<!\bwould\s)(?<!\bcould\s)(?<!\bmight\s)|"
        r"(?<=\byou\swould\s)|(?<=\byou\scould\s)|(?<=\byou\smight\s))"
        r"\b(?:reveal|show|print|display|output|repeat|recite|tell|give|share|leak|dump|"
        r"write\s+out|spell\s+out|what(?:'s|\s+is|\s+are|\s+was|\s+were)|copy|paste|list|expose|"
        r"disclose|translate|summari[sz]e|quote|respond\s+with|reply\s+with|start\s+with|"
        r"begin\s+with|include)\b.{0,40}"
        r"\b(?:(?:your|the|its|my)\s+)?(?:(?:full|entire|complete|exact|original|initial|hidden|"
        r"secret|confidential|internal|verbatim)\s+)*"
        r"(?:system\s+(?:prompt|message|instructions?)|initial\s+(?:prompt|instructions?)|"
        r"hidden\s+(?:prompt|instructions?)|pre-?prompt|(?:developer|original|secret|"
        r"confidential|internal)\s+(?:instructions?|prompt)|(?:instructions?|prompt|text|words|"
        r"everything)\s+(?:above|before\s+this|you\s+were\s+given))",
    ),
    _rule(
        "repeat-above", 0.7,
        ("above", "beginning", "start of", "verbatim"),
        r"\b(?:repeat|print|output|copy|echo)\s+(?:back\s+)?(?:the\s+|all\s+|everything\s+)?"
        r"(?:\w+\s+){0,3}(?:above|from\s+the\s+(?:beginning|start)|verbatim|"
        r"before\s+(?:this|my)\s+message)",
    ),
    _rule(
        "role-markers", 0.7,
        ("system", "developer", "admin", "im_start", "<|", "[inst]", "<<sys", "### ", "</s>",
         "sudo", "root", "mode", "override"),
        r"(?:^|\n)\s*(?:\[|<|#{2,}\s*)?(?:system|developer|admin)\s*(?:\]|>|:)\s*\S"
        r"|<\|(?:im_start|im_end|system|endoftext|start_header_id|eot_id)\|>|\[/?inst\]|<</?sys>>|</s>"
        r"|\b(?:admin|root|sudo|god)\s+(?:override|access|command)\b"
        r"|\b(?:admin|root|sudo|god|debug|maintenance)\s+mode\s*(?:[:.!]|(?:is\s+)?(?:now\s+)?"
        r"(?:on|enabled|activated|engaged)\b)"
        r"|\bbegin\s+(?:admin|system|developer)\s+(?:override|instructions?|message)",
    ),
    _rule(
        "addressed-to-ai", 0.55,
        ("ai", "assistant", "language model", "llm", "chatbot", "bot", "if you are", "instead of"),
        rf"\b(?:note|message|instructions?|attention)\s+(?:to|for)\s+(?:the\s+|any\s+)?{_AI}\b"
        rf"|\bif\s+you\s+are\s+(?:an?\s+)?{_AI}\b.{{0,60}}\b(?:you\s+must|ignore|instead|do\s+not|"
        r"don't|please|reply|respond|say|include)"
        r"|\b(?:ai|assistant|llm|agent)s?\s+(?:reading|processing|summari[sz]ing)\s+this\b"
        rf"|\battention\s+{_AI}s?\s*[:,!]"
        r"|\binstead\s+of\s+(?:summari[sz]ing|answering|translating|responding)\b.{0,60}\b"
        r"(?:reply|respond|say|output|write|print|insert|include)",
    ),
    _rule(
        "exfiltration", 0.7,
        # (the image alternative needs "![" whatever its URL: "http" would fire on every link)
        ("send", "post", "forward", "upload", "email", "exfiltrat", "leak", "transmit", "!["),
        r"\b(?:send|post|forward|upload|email|transmit|leak|exfiltrate)\s+(?:the\s+|all\s+|this\s+|"
        r"your\s+|every\s+)?(?:[\w']+\s+){0,3}?(?:conversation|chat\s+history|chat|messages?|data|"
        r"credentials|api\s+keys?|passwords?|secrets?|tokens?|user\s+data|system\s+prompt|"
        r"documents?|inbox|e-?mails|contacts|files|history)\b.{0,40}\b(?:to|at|via)\b"
        r"|!\[[^\]]{0,50}\]\(https?://[^)\s]{1,200}[?&][\w-]{1,30}=(?:\{|\[|%7b|\$)",
    ),
    _rule(
        "hypothetical-bypass", 0.5,
        ("hypothetical", "fiction", "story", "pretend", "imagine", "grandma", "grandmother",
         "grandfather", "game", "novel"),
        r"\b(?:hypothetical(?:ly)?|in\s+a\s+fictional|fictional\s+(?:world|story|scenario)|pretend|"
        r"imagine|let's\s+play\s+a\s+game|for\s+a\s+(?:novel|story|screenplay|book)|"
        r"my\s+(?:dead|late|deceased)\s+grand(?:ma|mother|father|pa))\b"
        r".{0,120}\b(?:no\s+(?:rules|restrictions|limits|filters|ethics)|without\s+(?:any\s+)?"
        r"(?:rules|restrictions|limits|filters|ethics)|(?:is|are|it's)\s+(?:legal|allowed|permitted)|"
        r"how\s+to\s+(?:make|build|synthesi[sz]e|create)\s+(?:a\s+)?(?:bomb|explosive|napalm|meth|"
        r"weapon|malware|ransomware|virus|poison)|ignores?\s+(?:your|the|its|all)|"
        r"(?:read|tell|give)\s+me\s+(?:[\w']+\s+){0,3}(?:keys|serials?|product\s+keys?|"
        r"licen[cs]e\s+keys?|passwords?))",
    ),
    _rule(
        "obey-me", 0.5,
        ("you must", "you will", "you have to", "obey", "comply", "without"),
        r"\b(?:you\s+(?:must|will|have\s+to|shall)\s+(?:now\s+)?(?:obey|comply|follow\s+(?:only\s+)?my|"
        r"answer\s+(?:every|all|any)\s+(?:question|request)s?\s+without)"
        r"|(?:always\s+)?(?:obey|comply\s+with)\s+(?:me|my\s+(?:commands|orders|instructions))\b"
        r"|\b(?:answer|respond|reply)\s+(?:to\s+)?(?:all|every|any)\s+(?:\w+\s+)?(?:questions?|"
        r"requests?|prompts?)\s+without\s+(?:refusing|refusal|any\s+refusal|warnings?|"
        r"disclaimers?|hesitation))",
    ),
    _rule(
        "multilingual-ignore", 0.85,
        ("ignor", "olvid", "oubli", "vergiss", "dimentica", "negeer", "игнор", "забудь", "忽略",
         "無視", "무시"),
        r"\b(?:ignor(?:a|e|ez|iere|ate|eer)|negeer)\s+(?:todas?\s+|toutes\s+|tous\s+|alle\s+|"
        r"tutte\s+|le\s+|las\s+|les\s+|die\s+)?(?:(?:las|les|le|die|the|de)\s+)?(?:\w+\s+)?"
        r"(?:instrucciones|instructions|anweisungen|istruzioni|instructies|règles|reglas|regeln|regole)"
        r"|\b(?:olvida|oublie|vergiss|dimentica)\s+(?:todo|tout|alles|tutto)"
        r"|(?:игнорир\w*|забудь)\s+(?:все\s+)?(?:предыдущ\w*\s+|прошл\w*\s+)?(?:инструкц|правил|указани)"
        r"|忽略(?:之前|以上|先前|上面)?的?(?:所有)?(?:指令|指示|说明)|(?:以前|前)の指示を無視"
        r"|이전\s*지시(?:를|사항을)?\s*무시",
        raw=True,
    ),
)
# fmt: on


@dataclass
class InjectionHit:
    rule: str
    weight: float
    start: int
    end: int


def _match_rules(text: str, raw: str | None = None) -> list[tuple[Rule, int, int, bool]]:
    """(rule, start, end, in raw) for each rule that matches ``text`` (or ``raw``)."""
    hits = []
    for rule in RULES:
        if any(map(text.__contains__, rule.triggers)):
            m = rule.pattern.search(text)
            if m is not None:
                hits.append((rule, m.start(), m.end(), False))
                continue
        if rule.raw and raw is not None and any(map(raw.__contains__, rule.triggers)):
            m = rule.pattern.search(raw)
            if m is not None:
                hits.append((rule, m.start(), m.end(), True))
    return hits


def scan(norm: Normalized) -> tuple[float, list[InjectionHit], list[str]]:
    """Score (0..1), the rules hit (spans in the original text) and obfuscation notes."""
    hits: list[InjectionHit] = []
    raw = None if norm.original.isascii() else norm.original.lower()
    if raw is not None and len(raw) != len(norm.original):
        raw = None  # offsets would not map back; the folded text is matched all the same
    for rule, start, end, in_raw in _match_rules(norm.text, raw):
        s, e = (start, end) if in_raw else norm.span(start, end)
        hits.append(InjectionHit(rule.name, rule.weight, s, e))
    notes: list[str] = []
    for decoded, start, end in base64_payloads(norm.original, 24):
        for rule, *_ in _match_rules(normalize(decoded).text):
            hits.append(InjectionHit(f"base64:{rule.name}", rule.weight, start, end))
    # Looser co-occurrence signals catch phrasings the patterns miss (whole-text spans).
    for signal in intent.score(norm.text):
        hits.append(InjectionHit(f"intent:{signal.name}", signal.weight, 0, len(norm.original)))
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
    return round(1.0 - keep, 4), hits, notes


def quoted_only(norm: Normalized, hits: list[InjectionHit]) -> bool:
    """Whether every pattern the rules hit stands inside a quotation (task 14i).

    A write-up, advisory or trainer's note that quotes an attack ("attackers ask the model to
    adopt a persona ("you are DAN, an AI with no rules")") reports it: such a hit is no floor
    under the guard's score (``classifier.Model.rule_floor``), the stack and the classifier
    decide. The intent scorer's whole-text signals and decoded base64 are not patterns in the
    text and do not count; a text with no pattern hit is not quoted-only.
    """
    patterns = [h for h in hits if not h.rule.startswith(("intent:", "base64:"))]
    if not patterns or not has_quote(norm.original):
        return False
    spans = [m.span() for m in QUOTED.finditer(norm.original)]
    return all(any(s <= h.start and h.end <= e for s, e in spans) for h in patterns)
