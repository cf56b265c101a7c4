"""The kinds of false findings that real documentation showed (README files of the npm and
Python packages installed here, scanned by `bench/guard_docs.py`): links, code identifiers
and module paths, integrity hashes, certificates in code, values that are code, filled-in
formats, badges' tokens, SSH remotes, image names with an "@", mailing lists, and numbers in
code, changelogs, hex dumps and addresses read as phone numbers. Each public text beside a
leak of the same shape; every text written here (none is a line of the scanned files).
"""

from __future__ import annotations

import pytest

from tests.security.outputs import findings as _findings

CERTIFICATE = "MIIDFzCCAf+gAwIBAgIUf+0+R11Ft7hQuZ5ehi5teP/6o/IwDQYJKoZIhvcNAQELBQAwGzEZMBcGA1UEAwwQd2lkZ2V0cy5pbnRlcm5hbDAeFw0yNjExMjgxOTU1MjRaFw0zNjExMjUxOTU1MjRaMBsxGTAXBgNVBAMMEHdpZGdldHMuaW50ZXJuYWwwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCphhql/u6TXgW8aPrgKmnYr2ErXdMmpyCZWZcDnikk+h3h+F1Gqbpw/LQH+mQVuWeTwXzerQL0Kgk24Rpw/1KJCSdXGMF0OnFxT0RGBaX+7bASsFvKcXHDAnMVxP4XaglmpNVwZkfOK2kf4m9OstfBmtMOk+hquRehFqNOGCD8x3S7hfvpICLZDeRQe9Ud5P5+8On4Qy4X49FHLgmGwVi1uNo9kgqTZO6AffA4BKOyGzON0vmOblpSlOAM/hlQlxX9ReS3Aov4CeMZs/5KgHket8SpikmCtU4uJG1pZAb1T2OrFozuLFENpnfrbT/6xB+ZgxyL3Vtj+ZGnX5M3zxMBAgMBAAGjUzBRMB0GA1UdDgQWBBRTyiJRI6A9ZihwgaHXfylfgSTWsTAfBgNVHSMEGDAWgBRTyiJRI6A9ZihwgaHXfylfgSTWsTAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQBmzYPidL/m36XqZW2E9gYhwdkKYBnzGJsEjE6NCYN3HZr1UZgjdDnvoJYGNATY2r5mFnEBt2Qozy43aI3Uisez4tOVxI+qNwBBkJbheRIv4blUtUuhG+JguI0Lj/AosxgLAVDoXQC2TmOIh7TMemb9fWsX8H2YiijsCMaVLH24+PjQGJYaEdmCFi6Ng6gi4cRejQI/+Y8SkTAIAbTfr3kwnqzYndSvi09/ljls7g47I64FTxJ+6yZgMvkNnyGKcRjPyo3bv7ff8Urv8St8E0idC7pYvsQ2w8SimheOgV5XeElp/ImhSmX2hCRdGWISWqbIWjO7PTzgMh89S/kOcn+Q"
PRIVATE_KEY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCphhql/u6TXgW8aPrgKmnYr2ErXdMmpyCZWZcDnikk+h3h+F1Gqbpw/LQH+mQVuWeTwXzerQL0Kgk24Rpw/1KJCSdXGMF0OnFxT0RGBaX+7bASsFvKcXHDAnMVxP4XaglmpNVwZkfOK2kf4m9OstfBmtMOk+hquRehFqNOGCD8x3S7hfvpICLZDeRQe9Ud5P5+8On4Qy4X49FHLgmGwVi1uNo9kgqTZO6AffA4BKOyGzON0vmOblpSlOAM/hlQlxX9ReS3Aov4CeMZs/5KgHket8SpikmCtU4uJG1pZAb1T2OrFozuLFENpnfrbT/6xB+ZgxyL3Vtj+ZGnX5M3zxMBAgMBAAEC"


# (public text, leak of the same shape, a label the leak must be found as)
CASES = [
    # a link's host and path name a resource; a key in its query is still a key
    (
        "The reference is at https://docs.cloudvendor.com/SDKReference/v3/latest/Package/"
        "-vendor-sdk-client-queue/Interface/ReceiveMessageCommandOutput/ and the code at "
        "https://github.com/acme-labs/widget-toolkit/blob/main/packages/config/README.md.",
        "This link already carries the key: https://api.weatherhub.io/v2/forecast?city=Oslo"
        "&apikey=Q7mZ2xLp9RvK4tWn8bYc3HdJ6sFg",
        "credential-assignment",
    ),
    # code identifiers and module paths are made of words; a random constant is not
    (
        "import { createKinesisStreamConsumerV2Handler } from '@acme/stream-tools/lib/handlers';\n"
        "const size = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES;",
        "import { createHandler } from '@acme/stream-tools/lib/handlers';\n"
        "const SIGNING = 'Hq7Lz2Xv9KpR4mWt8Nc3Yb6Ds1FgQ0';",
        "high-entropy-string",
    ),
    # a digest named as one, a Subresource Integrity hash
    (
        "ssri.stringify({ algorithm: 'sha384', digest: "
        "'hNVv5QPden+Is0e22obV/Ui/EHO72jqmL+XuE5CMYfyfFBHdP57DQi5H6gJ0E74q' })\n"
        "integrity: 'sha1-Zk3Q9pLm2Xv7Rt4Wn8Yb6Hc1Jd0='",
        "client_secret: 'pZ8vQ2mL5xR9tK3wN7bY4cH6jF1sD0gA'",
        "credential-assignment",
    ),
    # a certificate in code is public; a private key in code is not
    (
        f'const ca = new X509Certificate("{CERTIFICATE}");',
        f'const key = "-----BEGIN PRIVATE KEY-----\\n{PRIVATE_KEY}";',
        "private-key",
    ),
    # what code assigns may be a call, a member or a type
    (
        "const token = lexer.nextToken();\ninterface Login {\n  password: PasswordPolicyResult;\n}\n"
        "client.configure({ secretAccessKey: creds.secretAccessKey });",
        'client.configure({ secretAccessKey: "u8Kq2Lx7PzR3mT9wVb5Nc1Hd6Jf4Sg0Ya2Ee8Wq" });',
        "high-entropy-string",
    ),
    # values filled in to show a format: typed in order, a character repeated, naming themselves
    (
        'const auth = { clientId: "abcdef1234567890", clientSecret: '
        '"1234567890abcdef1234567890abcdef12345678", token: "demo_user_token" };\n'
        'createTokenAuth("ghp_PersonalToken00000000000000000000000");',
        'createTokenAuth("ghp_Vb7Kx2Qm9LpZ4Rt8Nw3Yc6Hd1Jf5Sg0aE2uW");',
        "github-token",
    ),
    (
        "proxy: 'socks://me:abcdef12345678@proxy.internal:1080'",
        "proxy: 'socks://me:Vq8Lz3Kp2Xw@proxy.internal:1080'",
        "url-credentials",
    ),
    # a badge's token only shows the picture; a token for an API is a secret
    (
        "[![coverage](https://codecov.io/gh/acme/widgets/branch/main/graph/badge.svg?"
        "token=K3xP9LqZ2w)](https://codecov.io/gh/acme/widgets)",
        "curl 'https://api.acme-billing.com/v1/export?token=K3xP9LqZ2wR7mT4vN8bY'",
        "credential-assignment",
    ),
    # a password given as code, or as a picture's caption
    (
        "Both calls are documented: [set the password](https://spec.example/#pw): "
        "`setThePassword(record, value)`.\n![Password prompt](https://cdn.example/prompt.png)",
        "The new password is Gq7!vRz2Lm#9 (change it after the first login).",
        "credential-assignment",
    ),
    # a key derivation's arguments are no table with a password column
    (
        "const k1 = await pbkdf2Async(sha256, 'password', 'salt', { c: 32 });\n"
        "const k2 = await pbkdf2Async(sha256, Uint8Array.from([1, 2, 3]), 'salt', { c: 32 });",
        "user,password\nanna,Vx7#pQ2m!Lz",
        "password-in-table",
    ),
    # a connection string with no user name still carries a password
    (
        "REDIS_URL=redis://:<password>@redis-prod.internal:6379/2",
        "REDIS_URL=redis://:v9Tq2mXr4Lp@redis-prod.internal:6379/2",
        "url-credentials",
    ),
    # SSH remotes, images at 2x, badges and mailing lists are no mailboxes
    (
        "git clone git@gitlab.com:platform/infra-modules.git\n![logo](assets/brand/logo@2x.png)\n"
        "Questions go to users@lists.widgets.org or to the dev@kafka.apache.org list.",
        "git clone https://gitlab.com/platform/infra-modules.git\n"
        "Questions go to the maintainer, jonas.weber@posteo.de.",
        "email",
    ),
    # numbers in code, changelogs, benchmark tables and hex dumps; an address's ZIP+4 code
    (
        "const ms = { day: 86400000, week: 604800000 }; // crc32 -> 2488970058\n"
        "## [2.4.1] - 2025-03-14\n| fast-equal | 20775.59065 ops/s |\n"
        "00000010: 49 87 a2 05 c5 eb 80 19 10 79 13\nSat Aug 05 2023 02:14:00\n"
        "Free Software Foundation, 51 Franklin Street, Boston, MA 02110-1301",
        "Call Jana on 6502538147 after five.",
        "phone",
    ),
]


@pytest.mark.parametrize(("public", "leak", "label"), CASES)
def test_documentation_is_no_leak_and_the_leak_beside_it_is(
    public: str, leak: str, label: str
) -> None:
    assert _findings(public) == []
    assert label in _findings(leak)


def test_a_bare_number_is_a_phone_number_where_it_is_called_one() -> None:
    assert _findings("Her number: 6502538147") == ["phone"]
    assert _findings("name,phone\nJana Novak,6502538147") == ["phone"]
    assert _findings("total_bytes = 6502538147") == []
