"""What code and documentation put where a secret would be: identifiers and module paths
made of words, references to other values (a member, a call) and type names, and values filled
in by hand to show a format. None is a secret, however random it looks to an entropy count.
"""

from __future__ import annotations

import re

from portal_api.security.guard import samples

# A code identifier or a module's path is made of words ("cookieValueStrictBase64Encoder",
# "OpenAPI3_0ResolveStrategy", "emoji-regex/es2015/RGI_Emoji"): nearly all its letters are in
# parts that read as words or acronyms, which happens to 1 random 24-character token in 400.
_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_VOWEL = re.compile(r"[aeiouy]")
_CLUSTER = re.compile(r"[^aeiouy]{5}")


def _wordy(part: str) -> bool:
    low = part.lower()
    return (part.isupper() and 2 <= len(part) <= 5) or (
        len(part) >= 3 and _VOWEL.search(low) is not None and _CLUSTER.search(low) is None
    )


def identifier(token: str) -> bool:
    letters = [p for p in _PART.findall(token) if not p.isdigit()]
    total = sum(map(len, letters))
    digits = sum(c.isdigit() for c in token)
    return (
        total >= 12
        and sum(len(p) for p in letters if _wordy(p)) >= 0.9 * total
        and digits <= 0.25 * len(token)
    )


# In code, what is assigned may be no literal: a member or a call ("token = t.nextToken()",
# "secretAccessKey: creds.secretAccessKey"), or a type ("password: URLPatternComponentResult;").
REFERENCE = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(.*)?|[A-Za-z_$][\w$.]*\(.*")
TYPE_NAME = re.compile(r"[A-Z]\w*[a-z]\w*")
# A token or secret whose value names itself ("usertoken123", "fake_user_token"): a dummy.
SELF_NAMED = re.compile(r"(?i)token|secret")


_REPEAT = re.compile(r"(.)\1{7}")  # "ghp_PersonalAccessToken01245678900000000"


def filled(value: str, typed_below: int = 1 << 16) -> bool:
    """A value filled in by hand to show a format: a character eight times in a row, or,
    shorter than ``typed_below``, typed along the keyboard ("abcdef12345124"; a key format's
    whole alphabet typed out is still read as a key)."""
    return _REPEAT.search(value) is not None or (
        len(value) < typed_below and samples.typed_in_order(value)
    )
