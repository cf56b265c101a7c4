"""Vendors' prefixed tokens are known key formats (a block), even when their body is lower-case
hex that the entropy check leaves alone; bare hex of the same lengths (hashes) stays no finding.

The tokens are made here from a seeded generator, in each vendor's documented shape: no real
token is in the repository.
"""

from __future__ import annotations

import random
import string

import pytest

from portal_api.security.guard.engine import Guard
from portal_api.security.guard.models import Direction, Verdict

HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
BECH32 = "023456789ACDEFGHJKLMNPQRSTUVWXYZ"

# (label, prefix, alphabet, length of the random body, suffix)
SHAPES = [
    ("twilio-api-key", "SK", HEX, 32, ""),
    ("azure-client-secret", "a1B8Q~", URLSAFE.replace("-", "~."), 34, ""),
    ("telegram-bot-token", "7301948265:AA", URLSAFE, 33, ""),
    ("discord-webhook", "https://discord.com/api/webhooks/1187342209871234567/", URLSAFE, 68, ""),
    ("google-oauth-secret", "GOCSPX-", URLSAFE, 28, ""),
    ("digitalocean-token", "dop_v1_", HEX, 64, ""),
    ("shopify-token", "shpat_", HEX, 32, ""),
    ("pypi-token", "pypi-AgEIcHlwaS5vcmc", URLSAFE, 120, ""),
    ("databricks-token", "dapi", HEX, 32, ""),
    ("vault-token", "hvs.", URLSAFE, 90, ""),
    ("groq-api-key", "gsk_", ALNUM, 52, ""),
    ("replicate-token", "r8_", ALNUM, 37, ""),
    ("gitlab-token", "glptt-", URLSAFE, 40, ""),
    ("linear-api-key", "lin_api_", ALNUM, 40, ""),
    ("mailgun-key", "key-", HEX, 32, ""),
    ("mailchimp-key", "", HEX, 32, "-us21"),
    ("pulumi-token", "pul-", HEX, 40, ""),
    ("supabase-token", "sbp_", HEX, 40, ""),
    ("stripe-webhook-secret", "whsec_", ALNUM, 32, ""),
    ("age-secret-key", "AGE-SECRET-KEY-1", BECH32, 58, ""),
]


def _token(prefix: str, alphabet: str, length: int, suffix: str, seed: int) -> str:
    rng = random.Random(seed)
    return prefix + "".join(rng.choice(alphabet) for _ in range(length)) + suffix


@pytest.mark.parametrize(("label", "prefix", "alphabet", "length", "suffix"), SHAPES)
def test_a_vendor_token_in_an_answer_is_blocked(
    label: str, prefix: str, alphabet: str, length: int, suffix: str
) -> None:
    token = _token(prefix, alphabet, length, suffix, seed=len(label))
    result = Guard().check(f"The nightly job authenticates with {token} now.", Direction.OUTPUT)
    secrets = next(s for s in result.scanners if s.scanner == "secrets")
    assert label in [span.label for span in secrets.spans], token
    assert result.verdict == Verdict.BLOCK


@pytest.mark.parametrize("length", [32, 40, 64])
def test_bare_hex_is_a_hash_not_a_key(length: int) -> None:
    digest = _token("", HEX, length, "", seed=length)
    result = Guard().check(f"The artifact's digest is {digest}.", Direction.OUTPUT)
    assert all(not s.spans for s in result.scanners if s.scanner in ("secrets", "pii"))
