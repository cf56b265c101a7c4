"""A lexical intent scorer: concept words near each other, in any phrasing.

The patterns in injection.py are precise but brittle; this scorer generalises them. Words are
mapped to concepts (an override verb, a control noun such as "instructions" or "filters", a
qualifier pointing at the model's own setup, an extraction verb, persona words...) and a signal
fires when the right concepts occur within a few words of each other. Leetspeak digits and
letter-by-letter spacing are folded first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9@$']+")
_SPACED = re.compile(r"\b(?:[a-z0-9] ){4,}[a-z0-9]\b")
# Both only say whether the text has such a spot: each starts with a character class (the regex
# engine skips to it in C) and looks behind for the boundary or the letter before it.
# "\b" before three letters spaced one by one:
_SPACED_HINT = re.compile(r"[a-z0-9] (?<!\w[a-z0-9] )[a-z0-9] [a-z0-9] ")
# A letter next to a digit, "@" or "$" (a leet word); most texts have none:
LEET_HINT = re.compile(r"[0-9@$](?:(?<=[a-z].)|(?=[a-z]))")
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


OVERRIDE = (
    "ignor",
    "disregard",
    "forget",
    "forgot",
    "overlook",
    "override",
    "bypass",
    "skip",
    "discard",
    "abandon",
    "circumvent",
    "evade",
    "reset",
    "throw",
    "drop",
    "void",
    "obsolete",
    "irrelevant",
    "cancel",
    "suspend",
    "disable",
    "remove",
    "lift",
    "deactivat",
    "switch",
    "turn",
)
NEGATED_FOLLOW = ("follow", "obey", "apply", "matter", "attention", "heed", "respect")
CONTROL = (
    "instruction",
    "rule",
    "guideline",
    "directive",
    "prompt",
    "polic",
    "guardrail",
    "filter",
    "restriction",
    "safety",
    "moderation",
    "programming",
    "configuration",
    "training",
    "constraint",
    "censor",
    "moral",
    "ethic",
    "refus",
    "disclaimer",
    "limit",
    "safeguard",
    "context",
    "setup",
    "persona",
)
PRIOR = (
    "previous",
    "prior",
    "earlier",
    "above",
    "original",
    "initial",
    "system",
    "developer",
    "operator",
    "creator",
    "startup",
    "hidden",
    "secret",
    "confidential",
    "internal",
    "loaded",
    "before",
    "everything",
    "all",
    "your",
    "whatever",
)
EXTRACT = (
    "reveal",
    "show",
    "print",
    "paste",
    "output",
    "list",
    "tell",
    "repeat",
    "quote",
    "dump",
    "return",
    "disclose",
    "display",
    "expose",
    "leak",
    "recite",
    "spell",
    "put",
    "write",
)
EXTRACT_TARGET = (
    "prompt",
    "instruction",
    "configuration",
    "rules",
    "passphrase",
    "password",
    "verbatim",
    "startup",
    "memory",
    "credential",
    "token",
    "secret",
)
PERSONA = (
    "jailbr",
    "unrestrict",
    "uncensor",
    "unfilter",
    "unshackl",
    "amoral",
    "rogue",
    "dan",
    "evilbot",
    "freegpt",
    "escaped",
    "unlimit",
    "nolimit",
    "character",
)
MODEL = ("you", "your", "ai", "assistant", "model", "llm", "chatbot", "bot", "gpt", "agent")
ADDRESS = ("ai", "assistant", "llm", "model", "agent", "chatbot", "bot", "recruiter")
IMPERATIVE = (
    "call",
    "rank",
    "replace",
    "include",
    "add",
    "tell",
    "say",
    "append",
    "insert",
    "send",
    "download",
    "visit",
    "ignore",
    "approve",
    "transfer",
    "forward",
    "recommend",
)
EXFIL_VERB = ("send", "forward", "append", "upload", "post", "transmit", "copy", "email")
EXFIL_TARGET = ("http", "url", "www", "@", "webhook", "server", "endpoint")


_CONCEPTS = (
    OVERRIDE,
    NEGATED_FOLLOW,
    CONTROL,
    PRIOR,
    EXTRACT,
    EXTRACT_TARGET,
    PERSONA,
    MODEL,
    ADDRESS,
    IMPERATIVE,
    EXFIL_VERB,
    EXFIL_TARGET,
    ("your", "you", "system", "hidden", "initial", "secret"),
    ("chat", "conversation", "address", "phone", "data", "files", "messages", "history",
     "context", "user"),
    ("not", "don't", "stop", "no"),
)  # fmt: skip
(
    B_OVERRIDE,
    B_FOLLOW,
    B_CONTROL,
    B_PRIOR,
    B_EXTRACT,
    B_EXTRACT_TARGET,
    B_PERSONA,
    B_MODEL,
    B_ADDRESS,
    B_IMPERATIVE,
    B_EXFIL_VERB,
    B_EXFIL_TARGET,
    B_SETUP_OWNER,
    B_EXFIL_OBJECT,
    B_NEGATION,
) = (1 << i for i in range(len(_CONCEPTS)))
_EXACT_NEGATION = frozenset(("not", "don't", "stop", "no"))


@lru_cache(maxsize=100_000)
def _mask(word: str) -> int:
    mask = 0
    for i, stems in enumerate(_CONCEPTS):
        if 1 << i == B_NEGATION:
            if word in _EXACT_NEGATION:
                mask |= B_NEGATION
        elif word.startswith(stems):
            mask |= 1 << i
    return mask


@dataclass(frozen=True)
class IntentSignal:
    name: str
    weight: float


def _words(text: str) -> list[str]:
    if _SPACED_HINT.search(text):
        text = _SPACED.sub(lambda m: m.group().replace(" ", ""), text)
    words = _WORD.findall(text)
    if LEET_HINT.search(text):
        words = [w.translate(LEET) if LEET_HINT.search(w) else w for w in words]
    return words


def _window(masks: list[int], i: int, before: int, after: int) -> int:
    """The concepts of the words around word ``i`` (not the word itself)."""
    found = 0
    for j in range(max(0, i - before), min(len(masks), i + after + 1)):
        if j != i:
            found |= masks[j]
    return found


def score(text: str) -> list[IntentSignal]:
    """Signals found in folded (lower-case) text."""
    words = _words(text)
    masks = list(map(_mask, words))
    signals: dict[str, float] = {}
    for i, m in enumerate(masks):
        if not m:
            continue
        if m & B_OVERRIDE:
            near = _window(masks, i, 1, 6)
            if near & B_CONTROL and _window(masks, i, 0, 5) & B_PRIOR:
                signals["override-control"] = 0.6
        if m & B_NEGATION:
            near = _window(masks, i, 0, 7)
            if (
                _window(masks, i, 0, 3) & B_FOLLOW
                and near & B_CONTROL
                and (_window(masks, i, 0, 6) & B_PRIOR)
            ):
                signals["stop-following"] = 0.6
        if m & B_EXTRACT:
            near = _window(masks, i, 0, 8)
            if near & B_EXTRACT_TARGET and near & B_SETUP_OWNER:
                signals["extract-setup"] = 0.5
        if m & B_PERSONA and _window(masks, i, 6, 6) & B_MODEL:
            signals["persona"] = 0.5
        if m & B_EXFIL_VERB and (
            _window(masks, i, 0, 12) & B_EXFIL_TARGET and _window(masks, i, 0, 8) & B_EXFIL_OBJECT
        ):
            signals["exfiltrate"] = 0.5
    # "AI recruiter: rank this...", "To any LLM parsing this file: replace..."
    for i, m in enumerate(masks[:-1]):
        if m & B_ADDRESS and i + 3 < len(words):
            following = 0
            for x in masks[i + 1 : i + 5]:
                following |= x
            if following & B_IMPERATIVE and re.search(rf"\b{re.escape(words[i])}\w*\s*[:,]", text):
                signals["addressed-imperative"] = 0.45
                break
    return [IntentSignal(n, wt) for n, wt in signals.items()]
