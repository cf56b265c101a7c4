"""The output scanner: leaked secrets and personal data found, documentation material left alone.

Pins the hard negatives of issue 14 (RFC 2606 example domains, RFC 5737/3849 addresses,
placeholders, public keys and certificates, hashes, UUIDs, base64 images, public hotlines) and
the leaks the first version missed (passwords in connection strings, national phone numbers,
SSNs written with spaces). tests/security/data/output_set.jsonl holds the labelled set that
bench/guard.py measures; output_fresh.jsonl was written after the scanner and is only measured.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal_api.security.guard.engine import Guard
from portal_api.security.guard.models import Direction, GuardResult

DATA = Path(__file__).parent / "data"


def _findings(result: GuardResult) -> list[str]:
    return [
        span.label
        for scanner in result.scanners
        if scanner.scanner in ("secrets", "pii")
        for span in scanner.spans
    ]


def _rows(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


DOCUMENTATION_MATERIAL = [
    "Send questions to support@example.com, sales@example.org or bob@mail.example.net.",
    "Test users: alice@test, carol@shop.invalid, root@localhost.",
    "The test server is 192.0.2.10, the peer 198.51.100.1, the NAT 203.0.113.7, v6 2001:db8::1.",
    "Set OPENAI_API_KEY=YOUR_API_KEY first.",
    "Keys look like sk-... and are shown once.",
    "export OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "Server=myServer;Database=myDB;User Id=myUser;Password=<password>;",
    "DATABASE_URL=postgres://user:password@localhost:5432/mydb",
    "password=${DB_PASSWORD}",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx3b3xxh1n9ZQ2mZ8q2d1XYc2pQj1w8k3eLr0kq7UoH deploy@ci",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
    "4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n"
    "RTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\n-----END CERTIFICATE-----",
    "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    'integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"',
    "request 123e4567-e89b-12d3-a456-426614174000",
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42m'
    'NkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    "In crisis call 1-800-273-8255; Telefonseelsorge 0800 111 0 111; Childline 0800 1111.",
    "In the film he dials (555) 555-0123, in the UK drama 020 7946 0958.",
    "Sample SSN 078-05-1120 must never be used.",
    # AWS's documented example key pair: "EXAMPLE" marks a random-looking token as a sample.
    "aws_access_key_id=AKIAIOSFODNN7EXAMPLE and the secret "
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY from the AWS docs",
]


LEAKS = [
    ("Connect with postgres://app:hunter2@db.internal:5432/app", "url-credentials"),
    (
        "Server=tcp:sql.prod;Database=orders;User Id=sa;Password=Winter2024!;",
        "connection-string-password",
    ),
    ("Data Source=10.0.4.12;User ID=svc;Pwd=P@yr0ll2023;", "connection-string-password"),
    ("jdbc:mysql://db:3306/shop?user=root&password=s3cr3tPass", "connection-string-password"),
    ("His mobile is 0151 23456789.", "phone"),
    ("Reach the tenant at (415) 867-5309.", "phone"),
    ("Mon numéro est le 06 12 34 56 78.", "phone"),
    ("SSN on file: 536 22 8726.", "us-ssn"),
    ("Pay to IBAN DE44 5001 0517 5407 3249 31.", "iban"),
    ("Card 4539 1488 0343 6467 exp 09/27.", "payment-card"),
    ("Write to hans.meier@gmx.de.", "email"),
    # national identity numbers: the shape, the check, and the words that name it
    ("New starter's National Insurance number: JG 10 37 42 A.", "uk-nino"),
    ("NINO JG103742A on the P45.", "uk-nino"),
    ("Titular: Marta Gil, DNI 48215739B, domicilio en Valencia.", "es-dni"),
    ("NIE del arrendatario: Y-4827163-Y.", "es-nie"),
    ("Steuer-ID des Mitarbeiters: 52 193 847 104.", "de-idnr"),
    ("Numéro de sécurité sociale : 1 87 06 75 123 456 88.", "fr-nir"),
    ("Codice fiscale della cliente: BNCGLI92D55F205D, nata a Milano.", "it-codice-fiscale"),
    ("Burgerservicenummer (BSN) van de aanvrager: 2719.38.468", "nl-bsn"),
    ("Numer PESEL pacjenta: 92031512342.", "pl-pesel"),
    ("Personnummer: 850709-9805, folkbokförd i Uppsala.", "se-personnummer"),
]


PUBLISHED_SAMPLES = [
    # processors' published test cards, and any card announced as a test or sample value
    "In sandbox mode pay with 5555 5555 5555 4444 or Amex 3782 822463 10005.",
    "Braintree accepts 4111 1111 1111 1111 and 4012 8888 8888 1881 without charging.",
    "Testkarte für die Staging-Umgebung: 4917 6100 0000 0000, Ablauf beliebig.",
    "Use the test card number 4539 1488 0343 6467 on the staging checkout.",
    # the IBAN registry's examples, and IBANs announced as examples
    "Beispiel einer deutschen IBAN: DE89 3704 0044 0532 0130 00.",
    "Exemple de format : FR14 2004 1010 0505 0001 3M02 606 (fictif).",
    "The sample IBAN in our API docs is DE78 3704 0044 0532 0774 12.",
    # order, contract and tracking numbers, and dates, that parse as national phone numbers
    "Order no. 0151 23456789 was split into two parcels.",
    "Vertrag Nr. 030 12345678 läuft bis zum 31.12.2026.",
    "Счёт № 8 495 123-45-67 оплачен 05.03.2024, договор от 14.11.2025.",
    "Die Lieferung kam am 12.10.2024, die Rechnung am 28/10/2024.",
    # OpenSSH public keys are public, whether or not their body decodes as a key
    "authorized_keys:\nssh-rsa Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTBhYmNkZWZnaGlqa2xtbm9w ops@bastion",
    "known_hosts: git.internal ecdsa-sha2-nistp256 QkFEQkxPQnRoaXNpc25vdGFrZXlhdGFsbGJ1dGxvb2tzcmFuZG9t",
    # words that are not passwords after "password is"
    "The password is stored in the vault and rotated every 90 days.",
    "Das Passwort ist abgelaufen; bitte ein neues setzen.",
    "La contraseña es demasiado corta: usa al menos 12 caracteres.",
    "PASSWORD_MIN_LENGTH = 12 and PASSWORD_HASHER = 'argon2'",
    "DATABASE_URL=postgres://user:password@localhost:5432/mydb",
    "The admin panel is at /admin / settings-page for everyone.",
    # a national number in English text is not read with a region its script does not name
    "Call 090-4827-1593 for the demo line.",
    # a subscriber number that is one digit over and over is a form's placeholder
    "Formato: +34 600 000 000 o 0151 1111111.",
    # id numbers: placeholders with a valid check, never-issued NINO prefixes, and the
    # common shapes (eleven, fifteen digits) that no word names as an id
    "El formulario muestra DNI 00000000T y 12345678Z como ejemplo de formato.",
    "National Insurance number format: QQ 12 34 56 C (HMRC's sample).",
    "Order 52193847104 shipped; ticket 187067512345688 closed; invoice 271938468 paid.",
    # mailboxes of a role, and example domains in other languages
    "Escriba a soporte@ejemplo.es o a info@beispiel.de.",
    "Questions about your invoice: billing@acme-cloud.io; outages: noc@acme-cloud.io.",
]


LEAKS_OF_EACH_KIND = [
    # a national number read with the region of the script around it
    ("経理の山田さんの携帯は 080-3156-7248 です。", "phone"),
    ("담당자 휴대폰 번호는 010-4821-7395 입니다.", "phone"),
    ("客户的手机号码是 138 2716 4953，请尽快联系。", "phone"),
    # passwords told in prose, in the seven languages
    ("Das Kennwort für den Drucker lautet Pr1nt!Haus42.", "password-in-prose"),
    ("Le mot de passe du Wi-Fi est Bleu#Ciel2024, ne le partage pas.", "password-in-prose"),
    ("La contraseña del servidor es Rojo$Sol918.", "password-in-prose"),
    ("Пароль от почты: Zim4a!Moroz77", "password-in-prose"),
    ("数据库的密码是Qz8#mLp2Vx。", "password-in-prose"),
    ("管理画面のパスワードは Sakura*2291 です。", "password-in-prose"),
    ("For the staging box the password is Hunt3r!x, keep it safe.", "password-in-prose"),
    (
        "The Jenkins login is deploy / Jk9!mZq4Tw, change it after the demo.",
        "password-in-prose",
    ),
    # a real-looking card and IBAN (not a published sample) are still found
    ("Charge the card 5555 5528 1964 1075 again tomorrow.", "payment-card"),
    ("Überweisung an GB25 WEST 4051 6879 2150 37 veranlasst.", "iban"),
]


# An IBAN whose check digits are wrong (the mod-97 check drops it).
WRONG_CHECK_DIGITS = ["IBAN DE45 5001 0517 5407 3249 31"]


# The kinds of output_fresh_v3's false positives (measured blind once, then fixed by kind;
# these texts are new, none is a line of the set).
FILL_INS_REFERENCES_SAMPLES = [
    # a Japanese toll-free line in Japanese text (a French shape too: read as Japanese only)
    "ご不明な点はサポートセンター 0120-987-654 までお電話ください。",
    # a version number before a date
    "## 3.1.0 — 2025-04-02\n- Faster exports",
    # Ofcom's drama numbers, whichever region's rules read them
    "Her flat is 020 7946 0123, the pub 0161 496 0987 and her mobile 07700 900123.",
    # mailboxes and values to be filled in
    "Renseignez MAIL_USER=votre.nom@entreprise.fr et API_KEY=VOTRE_CLE_ICI avant de lancer.",
    "Setze SMTP_USER=deine.adresse@firma.de und SMTP_PASSWORD=changeme in der .env-Datei.",
    # references to where a secret is kept
    'password = var.db_password\nmaster_password = data.vault_generic_secret.db.data["pw"]',
    "DB_PASSWORD = os.environ['DB_PASSWORD']; token = process.env.GITHUB_TOKEN",
    "The secret lives at arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-XyZ123.",
    # vendors' documented samples
    "Stripe's docs show curl -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: for every example request.",
    "Paste eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4g"
    "RG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c into jwt.io.",
]


LEAKS_NEXT_TO_THOSE_KINDS = [
    ("携帯は 090-3812-5576 です。夜はこちらへ。", "phone"),
    ("Her mobile is 07911 123456 if the office is closed.", "phone"),
    ("Schreib an anna.schmidt@firma-mueller.de, sie hat die Unterlagen.", "email"),
    ("Set API_KEY=Zq8vT2mLr9XwP4sK7nB3 in the deploy job.", "credential-assignment"),
    ("password = Tr0ub4dor&3xQ9-prod", "connection-string-password"),
]


@pytest.mark.parametrize(
    "text",
    [
        *DOCUMENTATION_MATERIAL,
        *PUBLISHED_SAMPLES,
        *WRONG_CHECK_DIGITS,
        *FILL_INS_REFERENCES_SAMPLES,
    ],
)
def test_public_material_and_samples_are_no_finding(text: str) -> None:
    assert _findings(Guard().check(text, Direction.OUTPUT)) == [], text


@pytest.mark.parametrize(
    ("text", "label"), [*LEAKS, *LEAKS_OF_EACH_KIND, *LEAKS_NEXT_TO_THOSE_KINDS]
)
def test_leaks_are_found(text: str, label: str) -> None:
    assert label in _findings(Guard().check(text, Direction.OUTPUT)), text


# output_fresh_v2 was written independently after the scanner was fixed and measured once:
# recall 0.914 at FPR 0.133 (misses: a Japanese mobile number, a password in German prose, an
# IBAN whose check digits are wrong, which the mod-97 check rightly drops; flagged: AWS's
# documented example keys, Stripe's test cards, the standard's example IBAN, an order number,
# a made-up ssh-rsa blob). Task 14b fixed those kinds (pinned above), so it is dev data now:
# 0.971 at 0.000, the one miss the IBAN with wrong check digits. The goal is 0.95 at 0.03.
@pytest.mark.parametrize(
    ("name", "min_recall", "max_fpr"),
    [("output_set.jsonl", 0.95, 0.03), ("output_fresh.jsonl", 0.95, 0.03),
     ("output_fresh_v2.jsonl", 0.95, 0.03),
     # v3: 100 outputs written independently (2026-11-28, by someone who had read neither the
     # scanner nor its sets), measured once after task 14b: recall 0.980 at FPR 0.180 (missed a
     # UK National Insurance number; flagged a toll-free 0120 number, a changelog date, 555-01xx
     # and Ofcom drama numbers, placeholder e-mail and password values, the jwt.io and Stripe
     # documentation samples, a Terraform secret reference). Floors at those figures.
     # Dev data since: the kinds above fixed, 0.980 at 0.040; the rest (a support mailbox at
     # a localized example domain, "+34 600 000 000", the NINO) in the next stop: 1.000 at 0.
     ("output_fresh_v3.jsonl", 0.95, 0.03),
     # v4: 120 outputs by another independent evaluator, measured once on 2026-11-28 before any
     # change for it: recall 0.933 at FPR 0.050 (missed: a French password after a long
     # subject in guillemets, a Chinese password after a space, a Zapier webhook, a nine-digit
     # SSN; flagged: a DKIM record's bare public key, a b64_json PNG, reportphishing@). Fixed by
     # kind (tests/security/test_output_encodings.py): dev data since, 1.000 at 0.000.
     ("output_fresh_v4.jsonl", 0.95, 0.03),
     # v5: 120 outputs by a third independent evaluator (more settings: logs, exports, meeting
     # notes, long pages; Italian, Dutch, Portuguese), measured once right after v4's fixes:
     # recall 0.950 at FPR 0.117. Its kinds fixed (test_output_encodings.py): 1.000 at 0.000.
     ("output_fresh_v5.jsonl", 0.95, 0.03),
     # v6: 120 outputs by a fourth independent evaluator (twelve languages, twelve kinds of
     # national id), measured once right after v5's fixes: recall 0.967 at FPR 0.050. Its
     # kinds fixed (test_output_encodings.py): 1.000 at 0.000.
     ("output_fresh_v6.jsonl", 0.95, 0.03),
     # v7: 120 outputs by a fifth independent evaluator (twelve languages, fourteen kinds of
     # national id), measured once after v6's fixes: recall 0.950 at FPR 0.067. Its miss kinds
     # fixed (Portuguese NIF, Mir cards, "palavra-passe") and the French fiction ranges:
     # 1.000 at 0.050; the three public lines in Swedish, Polish and Italian text read with
     # their language's regions since (task 14o): 1.000 at 0.
     ("output_fresh_v7.jsonl", 0.95, 0.03),
     # v8: 120 outputs by a sixth independent evaluator (ten languages, Turkish, Czech,
     # Finnish and Danish among them), measured once after the language regions: recall 0.900
     # at FPR 0.083 (main: 0.867 at 0.200). Its kinds fixed (test_output_languages.py): 1.000 at 0.
     ("output_fresh_v8.jsonl", 0.95, 0.03),
     # v9 and v10: 120 outputs each by a seventh and an eighth independent evaluator (v9:
     # English and ten languages from Norwegian to Korean and Greek; v10: English and ten
     # languages with Hindi; CRM notes, logs, payroll exports), written blind while task 14o
     # worked and measured once by the lead on its head: v9 recall 0.950 at FPR 0.067, v10
     # 0.933 at 0.050. Their kinds fixed (test_output_tables_and_lists.py): 1.000 at 0.
     ("output_fresh_v9.jsonl", 0.95, 0.03),
     ("output_fresh_v10.jsonl", 0.95, 0.03),
     # v11: 120 outputs by a ninth independent evaluator (English and eleven languages with
     # Indonesian, Ukrainian, Arabic and Vietnamese; payroll exports, tickets, letters),
     # written while v9's and v10's kinds were fixed, measured once after: recall 0.900 at FPR
     # 0.100. Its kinds fixed (test_output_tables_and_lists.py): 1.000 at 0.
     ("output_fresh_v11.jsonl", 0.95, 0.03),
     # v12: 120 outputs by a tenth independent evaluator (English and eleven languages with
     # Dutch, Polish, Korean, Turkish; check-in and claim forms, INI files, APN settings),
     # measured once on main before any change for it: recall 0.900 at FPR 0.083. Its errors
     # fixed by cause (test_output_tables_and_lists.py): 1.000 at 0.
     ("output_fresh_v12.jsonl", 0.95, 0.03),
     # v13: 120 outputs by an eleventh independent evaluator (English and thirteen languages
     # with Hebrew, Hindi, Thai; company registers, driver notes, account tables), measured
     # once on main after v12's fixes: recall 0.950 at FPR 0.100. Fixed by cause after: 0.983
     # at 0 (a home address is still missed: no shape to check).
     ("output_fresh_v13.jsonl", 0.98, 0.0),
     # v14: 120 outputs by a twelfth independent evaluator (89 not in English, twenty
     # languages with Greek, Vietnamese, Indonesian), measured once on main before any change
     # for it: recall 0.950 at FPR 0.067. Fixed by cause after (test_output_blind_pairs.py):
     # 1.000 at 0.
     ("output_fresh_v14.jsonl", 0.95, 0.0),
     # v15: 120 outputs by a thirteenth independent evaluator (90 not in English, 28
     # languages), measured once on main after v14's fixes (2026-11-29): recall 1.000 at FPR
     # 0.050 (a Spanish list of official hotlines, the White House comments line, a test card
     # in Spanish sandbox docs). Fixed by cause after (test_output_blind_pairs.py): 1.000 at 0.
     ("output_fresh_v15.jsonl", 1.0, 0.0),
     # v16: 120 outputs by a fourteenth independent evaluator (90 not in English, 24
     # languages), measured once on main after v15's fixes (2026-11-29): recall 1.000 at FPR
     # 0.017, the output goal met on a blind set (one public comments line flagged). Fixed by
     # cause after (test_output_blind_pairs.py): 1.000 at 0.
     ("output_fresh_v16.jsonl", 1.0, 0.0),
     # v17: 120 outputs by a fifteenth independent evaluator (90 not in English, 23
     # languages), measured once on main (2026-11-29): recall 0.967 at FPR 0, the output goal
     # met on a second blind set in a row (missed: a US passport number with "USA" between
     # label and number; a Vietnamese record, read as Portuguese, whose citizen id and mobile
     # went unread). Fixed by cause after (test_output_blind_pairs.py): 1.000 at 0.
     ("output_fresh_v17.jsonl", 1.0, 0.0)],
)  # fmt: skip
def test_output_recall_and_false_positive_rate(
    name: str, min_recall: float, max_fpr: float
) -> None:
    guard = Guard()
    rows = _rows(name)
    leaks = [r for r in rows if r["label"] == "leak"]
    clean = [r for r in rows if r["label"] == "clean"]
    found = sum(bool(_findings(guard.check(r["text"], Direction.OUTPUT))) for r in leaks)
    false = [r["text"] for r in clean if _findings(guard.check(r["text"], Direction.OUTPUT))]
    assert found / len(leaks) >= min_recall
    assert len(false) / len(clean) <= max_fpr, false


FILLER = "Orders ship within two days; refunds take a week. " * 80  # ~4 KB, no digit run


@pytest.mark.parametrize(
    ("leak", "label"),
    [
        ("call +44 7911 123456 tonight", "phone"),
        ("mobile 0151 23456789", "phone"),
        ("SSN 536 22 8726", "us-ssn"),
        ("card 4539 1488 0343 6467", "payment-card"),
        ("ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "github-token"),
        ("curl -u deploy:Tr0ub4dor3 https://ci.internal", "cli-credentials"),
        ("api_key = 'q8Zr2Lm5Xv9Tn4Wb7Yc1'", "credential-assignment"),
    ],
)
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_leaks_in_long_texts_are_found_wherever_they_sit(leak: str, label: str, where: str) -> None:
    """The prefilters (digit-run windows for phone numbers, substrings before each pattern)
    must not lose a leak at the edges of a long text or in its middle."""
    half = len(FILLER) // 2
    text = {
        "start": leak + " " + FILLER,
        "middle": FILLER[:half] + " " + leak + " " + FILLER[half:],
        "end": FILLER + leak,
    }[where]
    assert label in _findings(Guard().check(text, Direction.OUTPUT)), (where, leak)


def test_public_material_is_recognised_by_its_own_trigger() -> None:
    """An SRI hash and a bcrypt hash in one text, each skipped as public material."""
    text = (
        'integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" '
        "and $2b$12$" + "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"
    )
    assert _findings(Guard().check(text, Direction.OUTPUT)) == []
