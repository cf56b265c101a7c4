"""Secrets and API keys (OWASP LLM02): known key formats, and high-entropy strings."""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from portal_api.security.guard import code_words, public_ids, samples, tables
from portal_api.security.guard.samples import PUBLISHED_PREFIXES, PUBLISHED_SECRETS


class _Format(NamedTuple):
    label: str
    pattern: re.Pattern[str]
    any_of: tuple[str, ...]
    all_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretHit:
    label: str
    start: int
    end: int
    known: bool  # a known key format (block); otherwise a high-entropy string (flag)


# Known key formats: (label, pattern, the substrings a match cannot do without: any one of
# these, space-separated; and every one of _ALL_OF's). Most texts skip most patterns after a
# few ``in`` tests; case-insensitive patterns are tested on the lower-cased text.
_FORMAT_ROWS = (
    ("anthropic-api-key", r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{40,256}", "sk-ant-"),
    ("openai-api-key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,256}T3BlbkFJ[A-Za-z0-9_-]{20,256}", "sk-"),
    ("openai-api-key", r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,256}", "sk-"),
    ("openai-api-key", r"\bsk-[A-Za-z0-9]{40,60}\b", "sk-"),
    ("aws-access-key-id", r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b", "AKIA ASIA ABIA ACCA AGPA AIDA AROA ANPA ANVA AIPA"),
    ("aws-secret-access-key", r"(?i)aws.{0,20}?(?:secret|sk).{0,20}?['\"=:\s]([A-Za-z0-9/+]{40})\b", "aws"),
    ("github-token", r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b", "ghp_ gho_ ghu_ ghs_ ghr_ github_pat_"),
    ("github-token", r"\bgithub_pat_[A-Za-z0-9_]{60,255}\b", "ghp_ gho_ ghu_ ghs_ ghr_ github_pat_"),
    ("gitlab-token", r"\bgl(?:pat|ptt|dt|rt|soat|cbt|ft|imt|agent)-[A-Za-z0-9_-]{20,256}\b", "glpat- glptt- gldt- glrt- glsoat- glcbt- glft- glimt- glagent-"),
    ("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}\b", "AIza"),
    ("slack-token", r"\bxox[abposr]-(?:[A-Za-z0-9]+-){1,4}[A-Za-z0-9]{8,256}\b", "xox"),
    ("slack-webhook", r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,256}", "hooks.slack.com"),
    ("stripe-key", r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,256}\b", "k_live_ k_test_"),
    ("huggingface-token", r"\bhf_[A-Za-z0-9]{30,256}\b", "hf_"),
    ("jwt", r"\beyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{16,1024}", "eyJ"),
    # with key material after it: a header over "<your key here>" is a template
    ("private-key", r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----(?=(?:\s|\\n)*(?:[A-Za-z0-9+/=]{16}|Proc-Type:|Version:|Comment:))", "-----BEGIN"),
    ("azure-storage-key", r"AccountKey=[A-Za-z0-9+/]{80,256}={0,2}", "AccountKey="),
    ("azure-client-secret", r"(?<![\w~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])", "Q~"),
    ("url-credentials", r"\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@]{0,64}:([^\s@/]{3,128})@[\w.-]+", "://"),
    # ADO.NET / JDBC / ODBC / libpq keyword connection strings: Password=...; pwd=...
    ("connection-string-password", r"(?i)(?:^|[;\s\"'?&])(?:password|pwd|passwd)\s*=\s*(?!\s)([^;\s\"'&(),]{3,128})", "password pwd passwd"),
    # webhooks whose URL is the credential: anyone holding it can post
    ("zapier-webhook", r"https://hooks\.zapier\.com/hooks/catch/\d+/[A-Za-z0-9]{5,}/?", "hooks.zapier.com"),
    ("ifttt-webhook", r"https://maker\.ifttt\.com/(?:trigger/[\w-]+/with/)?key/[A-Za-z0-9_-]{16,}", "maker.ifttt.com"),
    ("make-webhook", r"https://hook\.(?:[a-z0-9]+\.)?make\.com/[a-z0-9]{20,}", "make.com"),
    ("google-chat-webhook", r"https://chat\.googleapis\.com/v1/spaces/[\w-]+/messages\?key=[\w-]+&token=[\w%-]{20,}", "chat.googleapis.com"),
    ("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b", "npm_"),
    # curl -u user:password, wget --password=...
    ("cli-credentials", r"(?:\s-u|--user)\s+['\"]?[^\s:'\"]{1,64}:([^\s'\"]{3,128})", "-u --user"),
    # a password on a command line: mysql's and mysqldump's -pSECRET (-p alone asks for it),
    # sshpass -p SECRET
    ("cli-password", r"\b(?:mysql(?:dump|admin|import|check|slap|pump)?|mariadb(?:-dump|-admin|-import)?)\s[^\n|;&]{0,200}?\s-p['\"]?([^\s'\"-][^\s'\"]{3,127})", "mysql mariadb"),
    ("cli-password", r"\bsshpass\s+-p\s*['\"]?([^\s'\"-][^\s'\"]{3,127})", "sshpass"),
    ("sendgrid-key", r"\bSG\.[A-Za-z0-9_-]{20,256}\.[A-Za-z0-9_-]{20,256}\b", "SG."),
    # Vendors' prefixed tokens, many of them lower-case hex after the prefix, which the
    # entropy check below leaves alone (a bare hex string is a hash, not a key).
    ("twilio-api-key", r"\bSK[0-9a-f]{32}\b", "SK"),
    ("telegram-bot-token", r"\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b", ":AA"),
    ("discord-webhook", r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]{60,}", "/api/webhooks/"),
    ("teams-webhook", r"https://[\w-]+\.webhook\.office\.com/webhookb2/[\w@-]+/IncomingWebhook/[0-9a-f]{32}/", "webhook.office.com"),
    ("google-oauth-secret", r"\bGOCSPX-[A-Za-z0-9_-]{28}\b", "GOCSPX-"),
    ("digitalocean-token", r"\bdo[opr]_v1_[0-9a-f]{64}\b", "_v1_"),
    ("shopify-token", r"\bshp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}\b", "shpat_ shpca_ shppa_ shpss_"),
    ("pypi-token", r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,256}", "pypi-"),
    ("databricks-token", r"\bdapi[0-9a-f]{32}(?:-\d)?\b", "dapi"),
    ("vault-token", r"\bhv[sb]\.[A-Za-z0-9_-]{24,256}", "hvs. hvb."),
    ("groq-api-key", r"\bgsk_[A-Za-z0-9]{48,56}\b", "gsk_"),
    ("xai-api-key", r"\bxai-[A-Za-z0-9]{70,90}\b", "xai-"),
    ("replicate-token", r"\br8_[A-Za-z0-9]{37}\b", "r8_"),
    ("grafana-token", r"\bgl(?:sa|c)_[A-Za-z0-9_=+/-]{32,400}", "glsa_ glc_"),
    ("atlassian-token", r"\bATATT3[A-Za-z0-9_=-]{150,256}", "ATATT3"),
    ("linear-api-key", r"\blin_api_[A-Za-z0-9]{40}\b", "lin_api_"),
    ("postman-key", r"\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}\b", "PMAK-"),
    ("newrelic-key", r"\bNRAK-[A-Z0-9]{27}\b", "NRAK-"),
    ("mailgun-key", r"\bkey-[0-9a-f]{32}\b", "key-"),
    ("mailchimp-key", r"\b[0-9a-f]{32}-us\d{1,2}\b", "-us"),
    ("doppler-token", r"\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b", "dp."),
    ("pulumi-token", r"\bpul-[0-9a-f]{40}\b", "pul-"),
    ("supabase-token", r"\bsbp_[0-9a-f]{40}\b", "sbp_"),
    ("stripe-webhook-secret", r"\bwhsec_[A-Za-z0-9]{32,64}\b", "whsec_"),
    ("square-token", r"\bsq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}\b", "sq0"),
    ("age-secret-key", r"\bAGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}\b", "AGE-SECRET-KEY-"),
)  # fmt: skip
# The credentials written in context also need their separator: user:password@, Password=...
_ALL_OF = {
    "url-credentials": ("@",),
    "connection-string-password": ("=",),
    "cli-credentials": (":",),
}
_FORMATS = tuple(
    _Format(label, re.compile(pattern), tuple(any_of.split()), _ALL_OF.get(label, ()))
    for label, pattern, any_of in _FORMAT_ROWS
)
_GATED = tuple((*f, bool(f.pattern.flags & re.IGNORECASE)) for f in _FORMATS)
# A credential assignment names one of these (tested on the lower-cased text).
# "password" as a configuration key in the other languages read (DB_WACHTWOORD=, HASLO=)
_PASSWORD_KEYS = (
    "passwort", "kennwort", "wachtwoord", "haslo", "senha", "contrasena", "salasana",
    "losenord", "passord", "adgangskode", "heslo", "sifre", "parola", "jelszo", "lozinka",
    "mot_de_passe", "mot-de-passe", "motdepasse", "contraseña", "clave", "пароль",
)  # fmt: skip
_ASSIGNMENT_WORDS = ("key", "secret", "token", "pass", "pwd", *_PASSWORD_KEYS)
# What marks a value as one to fill in or look up, not a secret (searched in the value).
_PLACEHOLDER_KINDS = {
    "masks and brackets": r"x{4,}|\*{3,}|\.{3}|…|<[^>]*>|\[[^\]]*\]",
    "templates and variables": r"\{\{|\$\{|\$\(|%\(|^\$[A-Z_]+$|^%[A-Z_]+%$",
    "yours, in the languages read": r"your[_-]?|(?:^|[_=-])(?:votre|dein[e]?|ihre?|tu|su|tuo|tua|"
    r"sua|seu|twoj|twój|jouw|din|ditt|senin|vas|váš|tvuj|tvůj|sinun|ваш\w*)[_-]",
    "fill-in words": r"example|placeholder|redacted|change[-_]?me|replace[-_]?me|dummy|secret_here"
    r"|here$|_ici$|_hier$"
    r"|_aqui$|_qui$|_tutaj$|_h[äa]r$|_her$|_sem$|_t[äa]h[äa]n$|_buraya$"
    # "여기에_API_키_입력", "ここにキーを入力", "在此填写密钥": here / enter / fill in
    r"|여기|입력|ここに|入力|此处|在此|这里|填写|填入",
    "sample values": r"^(?:some|my|auth|db|user|the)?(?:passwor[dt]|pass|passwd|pwd|kennwort|"
    r"contrase[ñn]a|senha|mot_?de_?passe|пароль)\d?$|^(?:test|sample|fake|foo|bar|none|null|empty|secret|mysecretpassword)$",
    # where the secret is kept: Terraform data/var/local, secret stores, environment lookups
    "references": r"^(?:data|var|local|module)\.\w|secretsmanager|secret_string|secretkeyref"
    r"|vault:|process\.env|os\.environ|getenv\b",
}
_PLACEHOLDER = re.compile("(?i)(?:" + "|".join(_PLACEHOLDER_KINDS.values()) + ")")
# Public material that looks random but is meant to be shared: PEM public keys and
# certificates, SSH public keys, data: URIs (base64 images), Subresource Integrity hashes,
# password hashes. Each kind is searched only when its trigger is in the text.
_PUBLIC: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (
        ("-----BEGIN",),
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE|CERTIFICATE REQUEST|X509 CRL|"
            r"PGP PUBLIC KEY BLOCK|PGP SIGNATURE|DH PARAMETERS|EC PARAMETERS)-----.{0,20000}?"
            r"-----END [A-Z0-9 ]+-----",
            re.DOTALL,
        ),
    ),
    # An OpenSSH public key line (authorized_keys, known_hosts): public whether or not its body
    # decodes as a key, so a made-up or truncated body is no secret either.
    (
        ("ssh-", "ecdsa-sha2-"),
        re.compile(
            r"\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-"
            r"nistp256)@openssh\.com)\s+[A-Za-z0-9+/]{20,}={0,3}"
        ),
    ),
    (
        ("base64,",),
        re.compile(r"\bdata:[\w.+-]+/[\w.+-]+(?:;[\w-]+=[\w-]+)*;base64,[A-Za-z0-9+/=\s]{8,}"),
    ),
    (
        ("sha256-", "sha384-", "sha512-"),
        re.compile(r"\b(?:sha256|sha384|sha512)-[A-Za-z0-9+/]{40,}={0,2}"),
    ),
    # A bare base64 public key (DER SubjectPublicKeyInfo: a DKIM record's p=, a JWKS export):
    # RSA keys of 1024 to 4096 bits, P-256 and P-384, Ed25519. A PKCS#8 private key differs
    # right where these say "public" (a BIT STRING, base64 "AO"/"A4G"/"AyEA"/"A0IA").
    (
        ("BAQEFAAO", "DQEBAQUAA4G", "MFkwEwYHKoZIzj0CAQ", "MHYwEAYHKoZIzj0CAQ", "MCowBQYDK2Vw"),
        re.compile(
            r"(?:MI[A-Za-z0-9+/]{3}jANBgkqhkiG9w0BAQEFAAO|MIGfMA0GCSqGSIb3DQEBAQUAA4G|"
            r"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE|MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE|"
            r"MCowBQYDK2VwAyEA)[A-Za-z0-9+/]{16,}={0,2}"
        ),
    ),
    # Images and audio sent as base64 without a data: URI (an API's b64_json): PNG, JPEG,
    # GIF, WebP/WAV (RIFF), by the base64 of their magic bytes.
    (
        ("iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR"),
        re.compile(r"(?:iVBORw0KGgo|/9j/[45]|R0lGOD[dl]h|UklGR)[A-Za-z0-9+/]{16,}={0,2}"),
    ),
    # Key fingerprints (OpenSSH's SHA256:<base64>, a GPG fingerprint) and Stripe's
    # publishable keys (pk_live_/pk_test_, made to sit in a web page; sk_ and rk_ stay secret)
    # and Mapbox's public tokens (pk.eyJ...).
    (
        ("SHA256:", "SHA1:", "pk_live_", "pk_test_", "pk.eyJ"),
        re.compile(
            r"\b(?:SHA(?:256|1):[A-Za-z0-9+/]{27,43}=?|pk_(?:live|test)_[A-Za-z0-9]{16,256}|"
            r"pk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{16,})"
        ),
    ),
    (("$2",), re.compile(r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}")),
    # An AWS resource name (a Secrets Manager ARN names where a secret is kept, not the secret).
    (("arn:",), re.compile(r"\barn:aws[\w-]*:[\w-]+:[\w-]*:\d{0,12}:[\w/:.+=@-]+")),
    (("$argon2",), re.compile(r"\$argon2(?:id|i|d)\$[^\s]{20,200}")),
)
_ASSIGNMENT = re.compile(
    r"(?i)(?<![a-z0-9])(?:pg|my)?(?P<key>api[_-]?key|apikey|secret(?:[_-]?key)?|access[_-]?token|"
    r"auth[_-]?token|token|password|passwd|pwd|client[_-]?secret|" + "|".join(_PASSWORD_KEYS) + ")"
    r"\s*(?P<sep>[:=]|=>|is\b)\s*['\"]?(?P<value>[^\s'\"`,;]{8,256})"
)
# A password told in prose, in the seven languages: "das Passwort lautet ...", "le mot de passe
# est ...", "la contraseña es ...", "пароль: ...", "密码是...", "パスワードは ...", and a login
# given as "user / password". The value must look like a password (see _password_like).
_PASSWORD_WORDS = (
    "password", "passwort", "kennwort", "mot de passe", "contraseña", "contrasena", "clave",
    "senha", "parola", "wachtwoord", "пароль", "密码", "口令", "パスワード", "login",
    "palavra-passe", "hasło", "haslo", "lösenord", "salasana", "adgangskode", "kodeord",
    "passord", "heslo", "şifre", "sifre", "jelszó", "lozinka", "geslo", "parolă", "codice di",
    "código de", "zugangscode", "code d'acc", "toegangscode", "access code", "kod dost",
    "credentials", "zugangsdaten", "identifiants", "credenciales", "admin",
    "κωδικ", "mật khẩu", "kata sandi", "كلمة", "पासवर्ड", "비밀번호", "zugang", "accesso", "acceso",
    "accès", "acces", "acesso", "dostęp", "dostep", "přístup", "pristup", "erişim", "erisim",
    "tilgang", "åtkomst", "atkomst", "pääsy", "paasy", "user name", "username", "benutzername",
    "utilisateur", "usuario", "utente", "gebruikersnaam", "användarnamn", "brugernavn",
    "brukernavn", "käyttäjätunnus",
)  # fmt: skip
_PROSE_PASSWORD = re.compile(
    r"(?i)(?:(?<![\w:/@])(?:password|mot\s+de\s+passe|contrase[ñn]a|clave|"
    r"senha|parola|palavra-passe|has[łl]o|пароль|парол(?:ем|я|ю)|"
    r"heslo|[şs]ifre|jelsz[óo]|lozinka|geslo|parol[ăa]|"
    # Greek "κωδικός" alone or "of access"; "κωδικός κράτησης" (booking code) names a code
    r"κωδικ(?:ός|ό|ού)(?:\s+πρόσβασης|(?!\s+(?!είναι)[\u03ac-\u03ce]))|"
    r"mật\s+khẩu|kata\s+sandi|كلمة\s+(?:المرور|السر)|पासवर्ड|비밀번호|"
    # compounds in German, Dutch and the Nordic languages: "Initialpasswort", "startwachtwoord"
    r"(?:[a-zäöüåæø]{1,12}-?)?(?:passwort|kennwort|wachtwoord|l[öo]senord|salasana|adgangskode|kodeord|"
    r"passord))"
    # plural and the Nordic definite forms: "passordet", "adgangskoden", "lösenordet"
    r"(?:s|et|en|n|si|ni|niz|n\u0131z|m)?(?!\w)|密码|口令|パスワード|"
    # an access code: "il codice di accesso è ...", "Zugangscode: ..."
    r"codice\s+di\s+accesso|c[óo]digo\s+de\s+acceso|zugangscode|code\s+d'acc[èe]s|"
    r"toegangscode|access\s+code|kod\s+dost[eę]pu)"
    r"[^.,!?。\n:\uff1a=@/]{0,60}?"
    r"(?:\s(?:is|was|lautet|ist|war|est|était|es|era|é|è|er|är|on|jest|je|είναι|\u2014|\u2013|-)|"
    r"[:\uff1a=]|是|为|為|は|、"
    # Chinese and Japanese put no space between words: "密码 EMuile@7704" names the value
    r"|(?<=密码|口令|ード)\s)"
    # the value on the same line or below it (an indented line after a blank one), after an
    # optional quote (« with its space); never a code fence
    r"[ \t]*(?:\n[ \t]*){0,2}[\"'«“„「`]?[ \t\u00a0\u202f]*(?!/|https?:|``)([^\s\"'«»“”„「」,;。、`]{6,64})"
    r"|(?:login|credentials|zugangsdaten|identifiants|credenciales|admin|zugang|accesso|acceso|"
    r"acc[èe]s|acesso|dost[ęe]p|p[řr][íi]stup|eri[şs]im|tilgang|[åa]tkomst|p[äa][äa]sy)"
    r"[^.!?。\n]{0,40}?"
    r"(?:\s(?:is|are|ist|sind|est|sont|es|son)|:)\s+[\w.@-]{2,64}\s+/\s+([^\s,;。、]{6,64})"
    # "with the username laura.m and Qm7!vR2t#Lp9": a login and, after it, a strong value
    r"|(?<![\w:/@])(?:user\s?name|benutzername|nom\s+d'utilisateur|usuario|nome\s+utente|"
    r"gebruikersnaam|användarnamn|brugernavn|brukernavn|käyttäjätunnus)\s*:?\s+[\w.@-]{2,64}"
    r"\s+(?:and|und|et|y|e|en|och|og|ja)\s+(?:the\s+password\s+)?([^\s\"'«»“”„,;]{8,64})"
    # "with the password Gr8Harbour!Payroll26": no verb, so the value must look strong
    r"|(?<![\w:/@])(?:password|passwort|kennwort|mot\s+de\s+passe|contrase[ñn]a|senha|"
    r"wachtwoord|пароль|паролем|[a-zäöü]{2,12}-?(?:passwort|wachtwoord))"
    # "das Admin-Passwort auf Winter80!TxNV zurückgesetzt", "reset the password to ..."
    r"(?:\s+(?:auf|to|на|en|à|a|op|til|till))?\s+[\"'«“„`]?([^\s\"'«»“”„,;`]{8,64})"
)
_PASSWORD_CLASSES = (str.islower, str.isupper, str.isdigit)
# A table's column of passwords, by its header cell ("Initial password", "Passwort", "pwd").
_PASSWORD_HEADER = re.compile(
    r"(?i)passw|kennwort|wachtwoord|mot\s+de\s+passe|contrase|senha|parola|has[łl]o|l[öo]senord|"
    r"salasana|adgangskode|passord|heslo|[şs]ifre|пароль|密码|パスワード|비밀번호|^\s*pwd\s*$"
)
# A whole cell of one word (what sits between separators, spaces around it)
_CELL = re.compile(r"(?m)(?:^|(?<=[|\t;,]))[ ]*([^|\t;,\s]{6,64})[ ]*(?=[|\t;,]|$)")


def _table_passwords(text: str) -> list[tuple[int, int]]:
    """The cells of a table (pipe, tab, semicolon or comma separated lines) under a password
    column's header that look like passwords: an export names its values once, above them."""
    spans: list[tuple[int, int]] = []
    for m in _CELL.finditer(text):
        if _password_like(m.group(1)) and _PASSWORD_HEADER.search(
            tables.column_header(text, m.start(1))
        ):
            spans.append((m.start(1), m.end(1)))
    return spans


def _password_like(value: str, strong: bool = False) -> bool:
    """Letters mixed with digits or symbols (a word like "stored", a path or a version is not).

    ``strong``: where no verb says a value follows, all of lower and upper case, digits and a
    symbol ("password Gr8Harbour!Payroll26", not "password SHA256-hashed").
    """
    if _PLACEHOLDER.search(value) or not any(c.isalpha() for c in value):
        return False
    kinds = {next((i for i, test in enumerate(_PASSWORD_CLASSES) if test(c)), 3) for c in value}
    symbols = kinds - {0, 1, 2} and any(not c.isalnum() and c not in "-_./" for c in value)
    if strong:
        return len(kinds) == 4 and bool(symbols)
    return len(kinds) >= 2 and bool(2 in kinds or symbols)


_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.=-")
_CANDIDATE = re.compile(r"[A-Za-z0-9+/_=-]{24,}")
# A name before its value in a candidate: an environment variable's ("AWS_REGION=us-west-2")
# or a query parameter's ("hosted_button_id=W8YFZ425KND68"); base64 has "=" only at its end.
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+=|[a-z][a-z0-9]*(?:_[a-z0-9]+)*=(?=[^=])")


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
ENTROPY_BITS = 4.0
_DIGIT = re.compile(r"\d")
# Beginnings of strings that are no key: a URL, a Subresource Integrity hash ("sha1-...",
# "sha384-...").
_NOT_KEYS = ("http", "sha1", "sha256", "sha384", "sha512")
# A certificate's DER in base64: SEQUENCE, SEQUENCE (tbsCertificate), [0] version, serial.
_DER_CERTIFICATE = re.compile(r"MII[A-Za-z0-9+/]{3}CCA[A-Za-z0-9+/]{2}gAwIBAgI")


def shannon_entropy(value: str) -> float:
    """Bits per character."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


_SECRET_WORDS = re.compile(rb"(?i)key|secret|token|pass|pwd|auth|credential|private|sig|session")


def _plain_encoded_json(token: str) -> bool:
    """Base64 of a JSON object that names no secret (a pagination cursor, a state blob), alone
    or as a parameter's value ("cursor=eyJ...")."""
    at = token.find("eyJ")
    if at < 0 or (at and token[at - 1] != "="):
        return False
    token = token[at:]
    try:
        body = token.translate(_URLSAFE)
        decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        json.loads(decoded)
    except ValueError:  # binascii.Error and JSONDecodeError are ValueErrors
        return False
    return _SECRET_WORDS.search(decoded) is None


_URLSAFE = str.maketrans("+/", "-_", "=")


def _looks_random(token: str) -> bool:
    # Lower case, upper case and a digit (tokens are ASCII: str methods, no per-character loop).
    if token == token.upper() or token == token.lower() or not _DIGIT.search(token):
        return False
    if _UUID.match(token) or token.startswith(_NOT_KEYS) or "FormBoundary" in token:
        return False  # "----WebKitFormBoundary...": a browser's multipart boundary
    if _DER_CERTIFICATE.match(token):
        return False  # an X.509 certificate in base64 without its PEM lines: public
    return shannon_entropy(token) >= ENTROPY_BITS


def _code_not_value(text: str, m: re.Match[str], value: str) -> bool:
    """The assigned value is code (a reference or a type), or a dummy naming itself."""
    key = m.group("key").lower()
    if public_ids.badge_token(text, m.start("key")):
        return True
    if not key.startswith(("pass", "pwd", *_PASSWORD_KEYS)) and (
        code_words.SELF_NAMED.search(value) or code_words.identifier(value)
    ):
        return True  # "token: 'usertoken123'", a dependency injection token "SingletonFoo"
    if text[m.start("value") - 1] in "'\"":
        return False  # a quoted literal
    after = text[m.start("value") + len(value) : m.start("value") + len(value) + 1]
    return bool(
        code_words.REFERENCE.fullmatch(value)
        or (code_words.TYPE_NAME.fullmatch(value) and after in (";", ",", ")", ">", "|", "["))
    )


def scan(text: str) -> list[SecretHit]:
    """Every secret in ``text`` (original text: key formats are case-sensitive)."""
    hits: list[SecretHit] = []
    taken: list[tuple[int, int]] = []

    def add(label: str, start: int, end: int, known: bool) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        hits.append(SecretHit(label, start, end, known))

    for triggers, pattern in _PUBLIC:
        if any(map(text.__contains__, triggers)):
            taken.extend((m.start(), m.end()) for m in pattern.finditer(text))
    # documented samples: no finding, whole or in pieces; a known beginning (PUBLISHED_PREFIXES)
    # covers the token it starts
    for sample in (*PUBLISHED_SECRETS, *PUBLISHED_PREFIXES):
        at = text.find(sample)
        while at != -1:
            end = at + len(sample)
            while end < len(text) and text[end] in _TOKEN_CHARS:
                end += 1
            taken.append((at, end))
            at = text.find(sample, at + 1)
    lower = text.lower()
    for label, pattern, any_of, all_of, folded in _GATED:
        haystack = lower if folded else text
        if not any(map(haystack.__contains__, any_of)) or not all(
            map(haystack.__contains__, all_of)
        ):
            continue
        for m in pattern.finditer(text):
            group = 1 if m.lastindex else 0
            value = m.group(group)
            if (
                _PLACEHOLDER.search(value)
                or value in PUBLISHED_SECRETS
                or code_words.filled(value, 24)
            ):
                continue
            add(label, m.start(group), m.end(group), True)
    if any(map(lower.__contains__, _ASSIGNMENT_WORDS)):
        for m in _ASSIGNMENT.finditer(text):
            value = m.group("value").rstrip(".")
            if (
                _PLACEHOLDER.search(value)
                or shannon_entropy(value) < 3.0
                or code_words.filled(value)
                or _code_not_value(text, m, value)
            ):
                continue
            # shorter than 12 characters only as a password that looks like one
            # (MYSQL_PWD='Qw3rty!Zx9'), never a short token or key
            if len(value) < 12 and not (
                m.group("key").lower().startswith(("pass", "pwd", *_PASSWORD_KEYS))
                and m.group("sep") != "is"  # prose: the password-in-prose check below
                and _password_like(value)
            ):
                continue
            add("credential-assignment", m.start("value"), m.start("value") + len(value), True)
    if any(map(lower.__contains__, _PASSWORD_WORDS)):
        for m in _PROSE_PASSWORD.finditer(text):
            group = next(g for g in (1, 2, 3, 4) if m.group(g) is not None)
            value = m.group(group).rstrip(".!?)")
            if value.startswith(("(", "[", "{", "<")):
                continue  # "Password: (leave blank)": a note on the field, not its value
            if code_words.REFERENCE.fullmatch(value) or "](" in value:
                continue  # "`setThePassword(urlRecord, value)`", "![Password prompt](...)"
            if len(value) >= 6 and _password_like(value, strong=group >= 3):
                start = m.start(group)
                add("password-in-prose", start, start + len(value), False)
    if any(map(lower.__contains__, _PASSWORD_WORDS)):
        for start, end in _table_passwords(text):
            add("password-in-table", start, end, False)
    jwk: bool | None = None  # a public JSON Web Key in the text (looked up once)
    addresses: list[tuple[int, int]] | None = None  # URLs' hosts and paths (looked up once)
    for m in _CANDIDATE.finditer(text):
        token, at = m.group(), m.start()
        name = _ENV_NAME.match(token)
        if name:  # "AWS_DEFAULT_REGION=us-west-2": the variable's value alone is judged
            token, at = token[name.end() :], at + name.end()
        if (
            not _looks_random(token)
            or _PLACEHOLDER.search(token)
            or samples.typed_in_order(token)
            or code_words.identifier(token)
            or _plain_encoded_json(token)
            or public_ids.base58_public(token)
            or public_ids.named_public(text, at)
            or public_ids.named_digest(text, at)
        ):
            continue
        if addresses is None:
            addresses = public_ids.url_addresses(text)
        if any(s <= at and m.end() <= e for s, e in addresses):
            continue
        if jwk is None:
            jwk = public_ids.public_jwk(text)
        if not jwk:
            add("high-entropy-string", at, m.end(), False)
    return sorted(hits, key=lambda h: h.start)
