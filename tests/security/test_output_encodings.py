"""The kinds of output_fresh_v4's to v7's errors (each measured blind once, then fixed by kind;
every text here is new, none is a line of a set): bare base64 public keys and images, JSON
sent as base64, key templates, contact blocks and labelled numbers are public; passwords after
a long subject, without a verb or in CJK prose, webhook URLs, run-together SSNs, ids named
far before them or by a JSON key are leaks.

The keys and images are built here from seeded bytes in their real DER and file layouts.
"""

from __future__ import annotations

import base64
import random

import pytest

from tests.security.outputs import findings as _findings

# DER headers of a SubjectPublicKeyInfo (RSA 2048 and 1024, P-256, Ed25519) and of a PKCS#8
# private key (RSA 2048): what follows each is the key material.
SPKI = {
    "rsa-2048": bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100"),
    "rsa-1024": bytes.fromhex("30819f300d06092a864886f70d010101050003818d0030818902818100"),
    "p-256": bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d03010703420004"),
    "ed25519": bytes.fromhex("302a300506032b6570032100"),
}
BODY = {"rsa-2048": 256, "rsa-1024": 128, "p-256": 64, "ed25519": 32}
PKCS8_RSA = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7")
IMAGES = {
    "png": bytes.fromhex("89504e470d0a1a0a0000000d49484452"),
    "jpeg": bytes.fromhex("ffd8ffe000104a464946"),
    "gif": b"GIF89a",
}


def _b64(header: bytes, size: int, seed: int) -> str:
    rng = random.Random(seed)
    return base64.b64encode(header + bytes(rng.randrange(256) for _ in range(size))).decode()


@pytest.mark.parametrize("kind", sorted(SPKI))
def test_a_bare_base64_public_key_is_public(kind: str) -> None:
    key = _b64(SPKI[kind], BODY[kind], seed=len(kind))
    assert _findings(f"Add the TXT record: v=DKIM1; k=rsa; p={key}") == []
    assert _findings(f'{{"kty": "exported", "spki": "{key}"}}') == []


def test_a_bare_base64_private_key_is_still_a_finding() -> None:
    key = _b64(PKCS8_RSA, 1185, seed=7)
    assert _findings(f"The signing key (PKCS#8, base64): {key}") != []


@pytest.mark.parametrize("kind", sorted(IMAGES))
def test_a_base64_image_without_a_data_uri_is_public(kind: str) -> None:
    image = _b64(IMAGES[kind], 300, seed=len(kind))
    assert _findings(f'{{"created": 1790000000, "data": [{{"b64_json": "{image}"}}]}}') == []


@pytest.mark.parametrize(
    "text",
    [
        "Signalez les courriels suspects à reportphishing@antiphishing.example.org ou à "
        "abuse@hebergeur-exemple.fr.",
        "Security issues: security@acme-cloud.io; privacy requests: dpo@acme-cloud.io.",
    ],
)
def test_mailboxes_of_a_role_are_no_finding(text: str) -> None:
    assert _findings(text) == []


# Leaks, by the set whose errors they stand for: (text, the label it must get).
LEAKS = [
    # v4: passwords after a long subject, in CJK prose; webhook URLs; a run-together SSN
    ("Selon la fiche, le mot de passe du routeur principal de l'agence de Nantes est « Marron74!Loire », à changer après l'audit.", "password-in-prose"),
    ("测试环境：主机 db-03，用户 admin，密码 Kq72#vLm9x，请勿外传。", "password-in-prose"),
    ("検証用アカウント：ユーザー名 ops、パスワード Hana93!tsuki", "password-in-prose"),
    ("POST to https://hooks.zapier.com/hooks/catch/9182736/b7xk2qp/ to add a row.", "zapier-webhook"),
    ("Trigger: https://maker.ifttt.com/trigger/door_open/with/key/dK3n9XqLw2PzR8vT", "ifttt-webhook"),
    ("Applicant record: SSN 536228726, score 690.", "us-ssn"),
    # v5: the leaks beside its public kinds
    ("Dana said the VPN is fine and the router still has the password Tz4!mQ9#Lake for now.", "password-in-prose"),
    ("Ihre steuerliche Identifikationsnummer steht im Schreiben des Bundeszentralamts vom März; laut der Kopie lautet sie 52193847104.", "de-idnr"),
    ('{"employee": "E-1187", "ni_number": "JG103742A", "tax_code": "1257L"}', "uk-nino"),
    ("Write to kontakt@radhaus-mueller.de.\n\nAfter the call Jana gave me her own number, +49 30 76042001, for questions.", "phone"),
    ("Card on file: 4000 1234 5678 9017, billed monthly.", "payment-card"),
    ("Cursor: " + base64.b64encode(b'{"user": "u_17", "token": "Zt81QxWm4kLp9r"}').decode(), "high-entropy-string"),
    # v6
    ("Your new Wi-Fi password is:\n\n    Maple-Harbor-42\n\nPlease change it.", "password-in-prose"),
    ("本人確認書類より：マイナンバー 4081 7293 5604", "jp-my-number"),
    ("申请人身份证号：110105199003071239，请核对。", "cn-resident-id"),
    ("CPF do titular: 318.475.692-00, conta corrente no Itaú.", "br-cpf"),
    # v7
    ("NIF do cliente: 238174654, morada no Porto.", "pt-nif"),
    ("Данные карты клиента: 2200 7040 1234 5675, срок 09/29.", "payment-card"),
    ("Acesso ao painel: utilizador loja.norte, palavra-passe: Bacalhau42!Rx", "password-in-prose"),
    ("Logga in med lösenord: Granskog#2291 och byt det sedan.", "password-in-prose"),
]  # fmt: skip

# Public texts that looked like leaks, by set.
NO_FINDING = [
    # v5: hashed-input advice, a vault lookup, a key template, a parcel number, a zone serial,
    # a test card, a JSON cursor sent as base64, a company's contact block
    "The password field rejects SHA256-hashed input; use the plain value.",
    "Keep the secret out of the repository, as in this password example:\n\n```bash\nexport DB_PASSWORD=$(vault read -field=value secret/db)\n```",
    "-----BEGIN PRIVATE KEY-----\n<paste your key here>\n-----END PRIVATE KEY-----",
    "Numero ordine 4471, spedizione con BRT, segnacollo 084123956271044.",
    "@ IN SOA ns1.example.net. hostmaster.example.net. (\n        2026112801 ; serial\n)",
    "Stripe-Testdaten für den Sandbox-Modus:\n\n- Karte: 4000 1234 5678 9017\n- CVC: 123",
    "Next page: ?cursor=" + base64.b64encode(b'{"after": "c_000918", "limit": 50, "dir": "desc"}').decode(),
    "Kundenservice:\n- E-Mail: kontakt@radhaus-mueller.de\n- Telefon: +49 30 76042001 (Mo-Fr)",
    # v6: fill-in values, a password in a local URL's sample, bank numbers, twelve bare digits
    "SESSION_SECRET=change-me-to-something-long\nCOOKIE_KEY=replace_me",
    "DATABASE_URL=postgresql://nutzer:passwort@localhost:5432/app",
    "Im Beispiel ist 10020030 die Bankleitzahl und 0441283000 die Kontonummer.",
    "Order 408172935604 shipped; the twelve digits are no My Number without the word.",
]  # fmt: skip


@pytest.mark.parametrize(("text", "label"), LEAKS)
def test_leaks_of_those_kinds_are_found(text: str, label: str) -> None:
    assert label in _findings(text), text


@pytest.mark.parametrize("text", NO_FINDING)
def test_the_public_kinds_are_no_finding(text: str) -> None:
    assert _findings(text) == [], text


def test_nine_digits_that_no_word_calls_an_ssn_are_not_one() -> None:
    assert _findings("Order 536228726 left the warehouse.") == []


def test_the_french_fiction_ranges_are_no_finding() -> None:
    text = "Dans la série, le commissaire appelle le 01 99 00 81 27 puis le 06 39 98 40 55."
    assert _findings(text) == []
