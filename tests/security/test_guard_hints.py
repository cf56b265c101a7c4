"""The guard's fast gates say exactly what the plain patterns they stand for would say.

Task 14b rewrote a few searches so the regex engine can skip ahead in C (a character class or
literal first, the word boundary looked behind at instead of tested first). Only whether they
match is used, so that is what must not change: checked here against the plain forms on the
edges where a rewrite could slip (text start, after a word character, next to a newline, other
scripts). `python -m bench.guard_identity` checks the whole classifier against main.
"""

from __future__ import annotations

import re

import pytest

from portal_api.security.guard import features, framing, intent
from portal_api.security.guard.engine import compile_deny_list
from tests.security.texts import HARD_NEGATIVES

EDGES = [
    "",
    "a",
    "h e l l o",
    "xh e l l o",
    "say: i g n o r e it",
    "é a b c d",
    "_a b c d",
    "a b c",
    "1 2 3 4 5",
    "\na b c d e",
    "pa55word",
    "p@ss and $ign",
    "2024 only digits 42",
    "a1",
    "1a",
    "@",
    "x$",
    "ünd 3x",
    "assistant, do this",
    "the assistant: do this",
    "Note to the AI: reply",
    "(ai, help",
    "xai, nope",
    "ai\n, no",
    "modelo: haz esto",
    "\u2019assistant, yes",
    "the assistant's role, tone",
    "back to the agent, which",
    "line one.\n  Line two!  Three?\tfour; five:six",
]


# The hard negatives share an attack's vocabulary, in other scripts and in code: the gates
# must agree on them too.
@pytest.mark.parametrize("text", [*EDGES, *HARD_NEGATIVES])
def test_fast_hints_agree_with_the_plain_patterns(text: str) -> None:
    plain_mixed = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
    plain_spaced_intent = re.compile(r"\b[a-z0-9] [a-z0-9] [a-z0-9] ")
    plain_addressed = re.compile(
        rf"(?:^|(?<=[\s(\[<,.;!?:。【'\u2019])){framing.ADDRESSEE}(?!['\u2019]s\b)[^.\n。]{{0,30}}?[:,]",
        re.MULTILINE,
    )
    folded = text.lower()
    assert bool(intent.LEET_HINT.search(folded)) == bool(plain_mixed.search(folded))
    assert bool(intent._SPACED_HINT.search(folded)) == bool(plain_spaced_intent.search(folded))
    assert bool(features._SPACED_HINT.search(folded)) == bool(features._SPACED.search(folded))
    addressed = bool(framing._ADDRESSED.search(folded) or framing._ADDRESSED_FIRST.match(folded))
    assert addressed == bool(plain_addressed.search(folded))
    # the stricter form (no comma after a determiner) is only tried where the gate matched
    assert not framing._ADDRESSED_STRICT.search(folded) or framing._ADDRESSED.search(folded)
    plain_sentences = re.compile(r"(?<=[.!?;:\n])\s+")
    assert features._SENTENCE_ASCII.split(text) == plain_sentences.split(text)


def test_model_text_folds_spaces_only_where_there_are_some() -> None:
    assert features.model_text("a  b\t c \n\n d") == "a b c\nd"
    assert features.model_text("plain text, one space") == "plain text, one space"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("project falcon", True),
        ("about project   falcon.", True),
        ("subproject falcon", False),
        ("project falconry", False),
        ("_project falcon", False),
        ("project\nfalcon", True),
    ],
)
def test_deny_terms_match_whole_words_only(text: str, found: bool) -> None:
    (term,) = compile_deny_list(["Project Falcon"])
    assert bool(term.pattern.search(text)) is found
