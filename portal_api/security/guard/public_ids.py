"""Random-looking strings that are public by design, told apart from secrets by a checksum,
a structure or the name they are given: Bitcoin addresses and IPFS content ids (base58 with
a checksum or a multihash header), the members of a public JSON Web Key, values named as
public ("PublicKey = ...", "site key (public): ...") or as digests ("integrity", "checksum"),
and a URL's address (its host and path: a resource's name; credentials travel in its query,
user part or headers, and the known webhook formats are read before).
"""

from __future__ import annotations

import hashlib
import re

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {c: i for i, c in enumerate(_BASE58)}


def _base58_decode(token: str) -> bytes | None:
    number = 0
    for char in token:
        digit = _BASE58_INDEX.get(char)
        if digit is None:
            return None
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(token) - len(token.lstrip("1"))) + body


def base58_public(token: str) -> bool:
    """A Bitcoin address (version 0 or 5, double-SHA-256 checksum) or an IPFS CIDv0 (a
    SHA-256 multihash): shared to be paid or fetched, and no secret."""
    if not 26 <= len(token) <= 46 or token[0] not in "13Q":
        return False
    raw = _base58_decode(token)
    if raw is None:
        return False
    if token[0] == "Q":
        return len(raw) == 34 and raw[:2] == b"\x12\x20"
    payload, check = raw[:-4], raw[-4:]
    digest = hashlib.sha256(hashlib.sha256(payload).digest()).digest()
    return len(raw) == 25 and raw[0] in (0, 5) and digest[:4] == check


# "PublicKey = ...", "public_key:", "publishable key", "site key (public):" just before the
# value on its line; "private" or "secret" between them takes it back.
_PUBLIC_NAME = re.compile(r"(?i)(?:public|publishable|\bpub\b)(?!.*(?:private|secret))[^\n]{0,30}$")
# A JSON Web Key's private members (d, p, q, dp, dq, qi) and a symmetric key's k
_JWK_PRIVATE = re.compile(r'"(?:d|p|q|dp|dq|qi|k)"\s*:')


def named_public(text: str, start: int) -> bool:
    """The value at ``start`` is named as a public one just before it on its line."""
    return _PUBLIC_NAME.search(text, max(0, start - 40), start) is not None


def public_jwk(text: str) -> bool:
    """A JSON Web Key (or key set) with no private member: its n, e, x, y are public."""
    return '"kty"' in text and _JWK_PRIVATE.search(text) is None


# A digest named just before it: "digest: '9Khg...'", "integrity=", "checksum", "etag".
_DIGEST_NAME = re.compile(
    r"(?i)\b(?:digest|integrity|checksum|hash|etag|fingerprint|sha-?(?:1|256|384|512)|md5)\b"
    r"[\"']?\s*[:=]?\s*[\"'`]?$"
)
# A URL up to its query or fragment: scheme, host and path.
_URL_ADDRESS = re.compile(r"(?i)\b[a-z][a-z0-9+.-]{1,15}://[^\s?#<>\"'`()\[\]{}|\\^]+")


def named_digest(text: str, start: int) -> bool:
    """The value at ``start`` is named as a digest just before it."""
    return _DIGEST_NAME.search(text, max(0, start - 24), start) is not None


def url_addresses(text: str) -> list[tuple[int, int]]:
    """The spans of the URLs' scheme, host and path in ``text`` (no query, no fragment)."""
    if "://" not in text:
        return []
    return [m.span() for m in _URL_ADDRESS.finditer(text)]


# A badge's or an embedded image's own token ("codecov.io/.../badge.svg?token=..."): made to be
# published in a README, it only shows the picture.
_BADGE_TOKEN = re.compile(r"(?i)\.(?:svg|png|gif)\?(?:[^\s?#]*&)?$")


def badge_token(text: str, key_start: int) -> bool:
    """The parameter starting at ``key_start`` is a query parameter of an image's URL."""
    return _BADGE_TOKEN.search(text, max(0, key_start - 200), key_start) is not None
