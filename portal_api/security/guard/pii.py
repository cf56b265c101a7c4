"""Personal data: e-mails, phone numbers, payment cards, IBANs, US SSNs, national id numbers.

Checks come from maintained libraries rather than hand-kept tables: ``phonenumbers``
(Google's libphonenumber metadata) finds and validates phone numbers and tells toll-free and
premium lines (public hotlines) from personal ones; ``python-stdnum`` validates IBANs
(country length and ISO 7064 mod 97), card numbers (Luhn) and US SSNs (area, group and
serial rules, and the numbers published as examples). What is reserved for documentation is
no finding: e-mail addresses at RFC 2606/6761 domains (example.com, *.test, *.invalid...)
and the fictional telephone ranges (NANP 555-0100..0199, Ofcom's drama numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from portal_api.security.guard import language, national_ids, samples, tables, words
from portal_api.security.guard.samples import (
    DRAMA_NUMBERS_GB,
    EXAMPLE_IBANS,
    FICTION_NUMBERS_AU,
    FICTION_NUMBERS_FR,
    FICTION_NUMBERS_SE,
    TEST_CARDS,
)

if TYPE_CHECKING:
    import phonenumbers

# phonenumbers and python-stdnum (about 2.5 MB a process) load on the first check that needs
# them, not when the API starts: a worker that never guards a text never holds them.


# Findings that block an output even where other personal data only flags it.
SENSITIVE = frozenset({"payment-card", "iban", "us-ssn", *national_ids.LABELS})


@dataclass(frozen=True)
class PiiHit:
    label: str
    start: int
    end: int


_EMAIL = re.compile(
    r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b"
)
# What a masked address hides its local part with ("j***@", "m•••z@")
_MASKS = frozenset("*•●·…")
# A digit first (the regex engine then skips to digits), the look-behind after it.
_CARD = re.compile(r"\d(?<![\d-]\d)(?:[ -]?\d){12,18}(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_SSN = re.compile(r"\d(?<![\d-]\d)\d{2}([- ])\d{2}\1\d{4}(?![\d-])")
# Nine digits in a row are an SSN only where the words just before name one.
_SSN_RUN = re.compile(r"(?i)(?:\bSSN|social\s+security(?:\s+(?:number|no\.?|#))?)\W{0,6}(\d{9})\b")


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check of payment card numbers."""
    from stdnum import luhn

    return luhn.is_valid(digits)


def _card_brand(digits: str) -> str | None:
    n = len(digits)
    if digits[0] == "4" and n in (13, 16, 19):
        return "visa"
    two, four = int(digits[:2]), int(digits[:4])
    if (51 <= two <= 55 or 2221 <= four <= 2720) and n == 16:
        return "mastercard"
    if two in (34, 37) and n == 15:
        return "amex"
    if (digits.startswith(("6011", "65")) or 644 <= int(digits[:3]) <= 649) and n in (16, 19):
        return "discover"
    if 3528 <= four <= 3589 and 16 <= n <= 19:
        return "jcb"
    if two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305:
        return "diners" if 14 <= n <= 19 else None
    if two == 62 and 16 <= n <= 19:
        return "unionpay"
    if 2200 <= four <= 2204 and 16 <= n <= 19:
        return "mir"
    if (
        digits.startswith(("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"))
        and 12 <= n <= 19
    ):
        return "maestro"
    return None


def iban_valid(value: str) -> bool:
    """Country length and the ISO 7064 mod-97 check of an IBAN (spaces ignored)."""
    from stdnum import iban

    return bool(iban.is_valid(value))


@cache
def _public_lines() -> frozenset[int]:
    """Phone lines that are public by design: toll-free, premium, shared-cost, universal access."""
    from phonenumbers import PhoneNumberType as T

    return frozenset({T.TOLL_FREE, T.PREMIUM_RATE, T.SHARED_COST, T.UAN, T.VOICEMAIL})


# Regions tried for numbers written without a country code (international ones carry theirs).
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES")
_DIGIT_RUN = re.compile(r"\d[\d\s().\-/]{6,}\d")
_USERINFO = re.compile(r"[a-z][a-z0-9+.-]*://[^\s/@]*:$")  # "socks://me:" before "pw@host"
_REMOTE_PATH = re.compile(r":(?!\d+\b)[\w~./-]")  # after "git@github.com": the repository's path
# Inside what phonenumbers took for a number: an ISO date or a version ("[0.15.0] - 2020-10-28").
_DATE_OR_VERSION = re.compile(r"(?:19|20)\d\d-\d\d-\d\d|\d+\.\d+\.\d+")
_DECIMAL = re.compile(r"\d+\.\d+")
# Just before: bytes of a hex dump ("49 87 a2 05 c5 eb"), a month's name ("Sat Aug 05 2023").
_NOT_PHONE_BEFORE = re.compile(
    r"(?:\b[0-9a-f]{2} ){4,}$|(?i:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$)"
)
# A US ZIP+4 code after its state: "Boston, MA 02110-1301".
_ZIP4 = re.compile(r"\d{5}-\d{4}")
_STATE = re.compile(r"\b[A-Z]{2},?\s+$")
_DATE = re.compile(
    r"(?:\d{1,3}\.){3}\d{1,3}|"  # an IPv4 address (203.0.113.7) is no phone number either
    r"(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:19|20)\d\d|"
    r"(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:19|20)\d\d|"
    r"(?:19|20)\d\d[./-](?:0?[1-9]|1[0-2])[./-](?:0?[1-9]|[12]\d|3[01])"
)
# Numbers written nationally (no country code) in text of one script are read with that
# script's region: "携帯番号は 090-4827-1593" is Japanese. Only from the script, never added
# to every text (the fixed regions above read fictional UK numbers as real when added blindly).
_SCRIPT_REGIONS = (
    (re.compile(r"[\u3040-\u30ff]"), "JP"),  # kana: Japanese
    (re.compile(r"[\uac00-\ud7af]"), "KR"),  # Hangul
    (re.compile(r"[\u4e00-\u9fff]"), "CN"),  # Han without kana: Chinese
    (re.compile(r"[\u0400-\u04ff]"), "RU"),  # Cyrillic
    (re.compile(r"[\u0370-\u03ff]"), "GR"),  # Greek
    (re.compile(r"[\u0e00-\u0e7f]"), "TH"),  # Thai
)


def _script_region(window: str) -> str | None:
    if window.isascii():
        return None
    for pattern, region in _SCRIPT_REGIONS:
        if pattern.search(window):
            return region
    return None


def _service_mailbox(text: str, start: int, domain: str) -> bool:
    return not words.PERSONAL_PROVIDER.search(domain) and bool(
        words.PUBLIC_SENTENCE.search(text, max(0, start - 160), start)
    )


def _no_mailbox(text: str, end: int, domain: str) -> bool:
    """An SSH remote in scp's form ("git@github.com:org/repo.git"), or a file's name with an
    "@" ("logo@2x.png"): no address to write to."""
    return bool(_REMOTE_PATH.match(text, end) or words.FILE_EXTENSION.search(domain))


def _mailing_list(local: str, domain: str) -> bool:
    return bool(words.LIST_MAILBOX.match(local) or words.LIST_DOMAIN.match(domain))


def _sample(text: str, start: int) -> bool:
    """A card, IBAN or phone number announced as a test or example value by the words just
    before it, or by the line that leads its list."""
    if words.SAMPLE_CONTEXT.search(text, max(0, start - 160), start) is not None:
        return True
    lead = _list_lead(text, start)
    return lead is not None and words.SAMPLE_CONTEXT.search(text, *lead) is not None


_BULLET = re.compile(r"[ \t]*(?:[-*•+]|\d{1,2}[.)])\s")


def _list_lead(text: str, start: int) -> tuple[int, int] | None:
    """The last 160 characters of the line that leads the list or table holding ``start``
    (the nearest line above its items or rows: "Use these test numbers:\n- +1 500 555 0006",
    "Sample data for the demo:\n\nname;city;phone\nJan;Kraków;512 874 306"), or None when
    ``start`` is in no list item or table row. A list's items share what its lead says."""
    line = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    row = text[line : end if end >= 0 else len(text)]
    # a table's row: cells between ";", "|" or tabs, or at least two commas
    sep = next((c for c in ";|\t" if c in row), "," if row.count(",") >= 2 else "")
    cells = row.count(sep) if sep else -1

    def item(r: str) -> bool:
        return bool(_BULLET.match(r)) or (cells > 0 and r.count(sep) == cells)

    if not item(row):
        return None
    rows = 1
    for _ in range(40):  # items above, blank lines between them
        if line == 0:
            return None
        above = text.rfind("\n", 0, line - 1) + 1
        prior = text[above : line - 1]
        line = above
        if not prior.strip():
            continue
        if item(prior):
            rows += 1
            continue
        if rows < 2 and not _BULLET.match(row):
            return None  # one line with separators is a sentence, not a table
        end = above + len(prior)
        return max(above, end - 160), end
    return None


def _fictional(number: phonenumbers.PhoneNumber, raw: str) -> bool:
    national = str(number.national_number)
    if len(set(national[-6:])) == 1:
        return True  # "+34 600 000 000", "0151 1111111": the subscriber part is a placeholder
    if samples.counted(re.sub(r"\D", "", raw)):
        return True  # "1234567890", "0987 654 321": digits counted up or down fill a form
    if number.country_code == 1 and len(national) == 10:
        return national[3:6] == "555" and national[6:8] == "01"  # NANP 555-0100..0199
    # Ofcom's drama numbers: as British numbers, and written nationally in a text read with
    # another region's rules (07700 900461 is a valid German shape; no real line starts so).
    # ARCEP's ranges for fiction (01 99 00, 02 61 91, ... 06 39 98) likewise, as French ones.
    national_only = not raw.lstrip("( ").startswith("+")
    if (number.country_code == 44 or national_only) and national.startswith(DRAMA_NUMBERS_GB):
        return True
    if (number.country_code == 46 or national_only) and national.startswith(FICTION_NUMBERS_SE):
        return True
    if (number.country_code == 61 or national_only) and national.startswith(FICTION_NUMBERS_AU):
        return True
    if number.country_code == 33 or national_only:
        return national.startswith(FICTION_NUMBERS_FR)
    return False


# phonenumbers' matcher is slow on long texts (its patterns are tried at every position, once
# per region): it reads only windows around the runs of digits a phone number needs.
_PHONE_MARGIN = 24


def _phone_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for m in _DIGIT_RUN.finditer(text):
        start, end = max(0, m.start() - _PHONE_MARGIN), min(len(text), m.end() + _PHONE_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


_LIST_ITEM = re.compile(r"(?:[-*•·]|\d{1,2}[.)])\s")


def _personal_type(number: phonenumbers.PhoneNumber) -> bool:
    """A mobile, personal or pager number: somebody's own line, even on a letterhead."""
    import phonenumbers
    from phonenumbers import PhoneNumberType as T

    return phonenumbers.number_type(number) in (T.MOBILE, T.PERSONAL_NUMBER, T.PAGER)


def _not_personal_phone(
    text: str, match: phonenumbers.PhoneNumberMatch, start: int, end: int
) -> bool:
    """What its shape or the words around it say is no personal number."""
    return bool(
        _SSN.fullmatch(match.raw_string)  # an SSN's shape: the SSN check decides
        # the tail of a word, an identifier or a version ("2.8.0 — 2026-11-20")
        or (start and (text[start - 1].isalnum() or text[start - 1] in "-_/#."))
        or words.PUBLIC_CONTEXT.search(text, max(0, start - 60), start)
        or words.PUBLIC_ALTERNATIVE.search(text, max(0, start - 160), start)
        or words.NOT_PHONE_LABEL.search(text, max(0, start - 40), start)
        or words.BUSINESS_LABEL.search(text, max(0, start - 50), start)
        or words.NOT_PHONE_AFTER.match(text, end)
        or _sample(text, start)
        or words.PHONE_SAMPLE.search(text, max(0, start - 100), start)
        or words.PHONE_SAMPLE_AFTER.match(text, end)
        or _DATE.fullmatch(match.raw_string.strip("()[] "))  # "(24.11.2026)"
        or _DATE_OR_VERSION.search(match.raw_string)
        or _DECIMAL.fullmatch(match.raw_string)  # "20775.59065" in a benchmark's table
        or _NOT_PHONE_BEFORE.search(text, max(0, start - 40), start)
        or (_ZIP4.fullmatch(match.raw_string) and _STATE.search(text, max(0, start - 6), start))
        or (match.raw_string.isdigit() and not _called_phone(text, start))
    )


def _called_phone(text: str, start: int) -> bool:
    """A bare run of digits is a phone number where a word just before it, or its column's
    header, calls it one ("WhatsApp 4155550123"); in code it is a count or an id."""
    return bool(
        words.PHONE_LABEL.search(text, max(0, start - 80), start)
        or words.PHONE_LABEL.search(tables.column_header(text, start))
    )


def _phones(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The personal phone numbers, and the spans read as public or fictional lines."""
    import phonenumbers

    found: list[tuple[int, int, bool]] = []  # (start, end, a mobile or personal line)
    cleared: list[tuple[int, int]] = []  # read as a public or fictional line in some region
    windows = _phone_windows(text)
    # A window in a script that tells the country (kana: Japan...) is read as that country's
    # national numbers only: 0120-123-456 in Japanese is a Japanese toll-free line, not a
    # French number. Latin-script text is read with its language's regions (Swedish text:
    # Sweden), or, when the language is English or unclear, with each of PHONE_REGIONS.
    latin, ranked = language.regions(text, PHONE_REGIONS) if windows else (PHONE_REGIONS, False)
    entity: bool | None = None  # an imprint or letterhead around the numbers (looked up once)
    for offset, window_end in windows:
        script = _script_region(text[offset:window_end])
        read: list[tuple[int, int]] = []  # spans an earlier, ranked region already read
        for region in (script,) if script is not None else latin:
            for match in phonenumbers.PhoneNumberMatcher(
                text[offset:window_end], region, leniency=phonenumbers.Leniency.VALID
            ):
                start, end = offset + match.start, offset + match.end
                if ranked:
                    if any(s < end and start < e for s, e in read):
                        continue
                    read.append((start, end))
                if phonenumbers.number_type(match.number) in _public_lines() or _fictional(
                    match.number, match.raw_string
                ):
                    cleared.append((start, end))  # 0117 496 0321: a drama number, even if German
                    continue
                if _not_personal_phone(text, match, start, end):
                    continue
                if not _personal_type(match.number):
                    if entity is None:
                        entity = words.ENTITY_CONTEXT.search(text) is not None
                    if entity:
                        continue  # the company's line on its letterhead
                    if _under_public_heading(text, start):
                        continue  # a list of official lines
                if not any(s < end and start < e for s, e, _ in found):
                    found.append((start, end, _personal_type(match.number)))
    personal = [
        (s, e)
        for s, e, own in found
        if not any(c < e and s < d for c, d in cleared)
        and not any(_alternative(text, (s, e), line) for line in cleared)
        # a landline listed with public lines ("Helpline: 0300 200 3310\n- From outside the
        # UK: +44 161 931 9070"): the same service's; a mobile there is still somebody's
        and (own or not any(_same_contact_block(text, s, c) for c, _ in cleared))
    ]
    return personal, cleared


def _alternative(text: str, number: tuple[int, int], public: tuple[int, int]) -> bool:
    first, second = sorted((number, public))
    return first[1] <= second[0] and words.OR.match(text, first[1], second[0]) is not None


def _under_public_heading(text: str, at: int) -> bool:
    """The number is an item of a list (or a line of a block) whose heading, the first line
    above it that is no list item, names official or public lines."""
    end = text.rfind("\n", 0, at)
    own = text[end + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1].strip()
    if not _LIST_ITEM.match(own) and len(own) > 100:
        return False  # a number inside a paragraph: the paragraph tells, not a heading
    for _ in range(15):  # up the list, at most fifteen lines
        if end < 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line and not _LIST_ITEM.match(line):
            return words.PUBLIC_HEADING.search(line) is not None
        end = start - 1
    return False


def _same_contact_block(text: str, a: int, b: int) -> bool:
    """On the same line or adjacent lines: an organisation's contact block lists its role
    mailbox and its switchboard together ("E-mail: klantenservice@...\nTelefoon: 030 ...")."""
    lo, hi = min(a, b), max(a, b)
    return text.count("\n", lo, hi) <= 1 and hi - lo <= 200


def scan(text: str) -> list[PiiHit]:
    hits: list[PiiHit] = []
    taken: list[tuple[int, int]] = []
    roles: list[int] = []  # where role mailboxes start

    def add(label: str, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        hits.append(PiiHit(label, start, end))

    if "@" in text:
        for m in _EMAIL.finditer(text):
            if text.endswith("://", 0, m.start()) or _USERINFO.search(
                text, max(0, m.start() - 90), m.start()
            ):
                continue  # a URL's user part (a Sentry DSN's key) or password, not a mailbox
            local, domain = m.group().rsplit("@", 1)
            if _no_mailbox(text, m.end(), domain):
                continue
            if m.start() and text[m.start() - 1] in _MASKS:
                continue  # "m*****z@gmail.com": an address shown masked, its owner's to know
            if (
                words.ROLE_MAILBOX.match(local)
                or _mailing_list(local, domain)
                or _service_mailbox(text, m.start(), domain)
            ):
                roles.append(m.start())
            elif not (
                words.RESERVED_DOMAIN.search(domain)
                or words.PLACEHOLDER_MAILBOX.match(local)
                or words.PATTERN_MAILBOX.match(local)
            ):
                add("email", m.start(), m.end())
    for m in _IBAN.finditer(text):
        if not iban_valid(m.group()):
            continue
        if m.group().replace(" ", "") in EXAMPLE_IBANS or _sample(text, m.start()):
            taken.append((m.start(), m.end()))  # no finding, and no phone number inside it
        else:
            add("iban", m.start(), m.end())
    for label, start, end in national_ids.find(text):
        add(label, start, end)
    if not _DIGIT_RUN.search(text):
        return sorted(hits, key=lambda h: h.start)  # cards, SSNs and phones need a digit run
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if not (13 <= len(digits) <= 19 and luhn_valid(digits)):
            continue
        if not _card_brand(digits) and not (
            len(digits) >= 15
            and digits[0] in "23456"
            and words.CARD_WORD.search(text, max(0, m.start() - 60), m.start())
            and not words.DEVICE_ID.search(text, max(0, m.start() - 60), m.start())
        ):
            continue  # outside the brands' ranges: a card only where a word calls it one
        if words.PRODUCT_LABEL.search(text, max(0, m.start() - 40), m.start()):
            continue  # "cod. prodotto 4977766779487": a product's code, Luhn-valid by chance
        if digits in TEST_CARDS or _sample(text, m.start()):
            taken.append((m.start(), m.end()))
        else:
            add("payment-card", m.start(), m.end())
    phones, public_lines = _phones(text)
    for m in _SSN.finditer(text):
        from stdnum.us import ssn

        # "078-05-1120" and other published examples are invalid to stdnum, as they should be.
        # Written with spaces, the shape is also a public line's in the text's region ("800
        # 70 2222" in Polish text is a toll-free number).
        if ssn.is_valid(m.group().replace(" ", "-")) and not (
            m.group(1) == " " and any(c < m.end() and m.start() < d for c, d in public_lines)
        ):
            add("us-ssn", m.start(), m.end())
    for m in _SSN_RUN.finditer(text):
        from stdnum.us import ssn

        if ssn.is_valid(m.group(1)):
            add("us-ssn", m.start(1), m.end(1))
    for start, end in phones:
        if not any(_same_contact_block(text, start, at) for at in roles):
            add("phone", start, end)
    return sorted(hits, key=lambda h: h.start)
