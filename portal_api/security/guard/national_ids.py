"""National identity numbers beside the US SSN: UK, Spanish, Italian, Dutch, Polish, Swedish,
German, French, Portuguese, Japanese, Chinese and Brazilian ones, and (named by their words)
Turkish, Danish, Finnish, Norwegian, Belgian, Czech, Romanian, Bulgarian, Estonian, Croatian,
Slovenian, Greek, Irish, Austrian, Swiss, Korean, Indian, Mexican, Canadian, Australian and
South African ones; Germany's health insurance number, the US Medicare Beneficiary Identifier,
and passport numbers and dates of birth where their label names them.

Each kind is a shape, a check and, where the shape alone is common (nine to fifteen digits
are also order and phone numbers), the words that must name it shortly before the number.
python-stdnum checks what it knows (the DNI/NIE letter mod 23, the codice fiscale's check
letter, the BSN's eleven-test, the check digits of the PESEL, the personnummer, My Number,
the resident id and the CPF, the German IdNr's ISO 7064 check digit and digit rules, the
NIR's key mod 97); the NINO, which it does not know, is checked against HMRC's allocation
rules here. Placeholders (one digit repeated, 12345678) are no finding: "DNI 00000000T" in a
manual has a valid letter and is nobody's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from portal_api.security.guard import samples, tables


def _nino_valid(value: str) -> bool:
    """HMRC: no D, F, I, Q, U, V as a prefix letter, no O second, and seven prefixes never issued."""
    prefix = value[:2]
    return (
        prefix[0] not in "DFIQUV"
        and prefix[1] not in "DFIOQUV"
        and prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    )


def _stdnum(module: str) -> Callable[[str], bool]:
    def valid(value: str) -> bool:
        import importlib

        return bool(importlib.import_module(f"stdnum.{module}").is_valid(value))

    return valid


@dataclass(frozen=True)
class _Kind:
    label: str
    shape: re.Pattern[str]
    valid: Callable[[str], bool]
    # words within 120 characters before the number that must name it (None: the shape and
    # check are rare enough alone)
    named_by: re.Pattern[str] | None


def _snils_valid(value: str) -> bool:
    """Russia's SNILS: nine digits weighted 9 down to 1, the sum mod 101 (100 as 00) checks."""
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 11:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(9, 0, -1), strict=True)) % 101
    return total % 100 == digits[9] * 10 + digits[10]


def _kvnr_valid(value: str) -> bool:
    """Germany's health insurance number (Krankenversichertennummer): a letter (as 01-26) and
    eight digits weighted 1, 2, 1, 2..., each product's digits summed, the total mod 10 checks."""
    if len(value) != 10 or not value[0].isalpha() or not value[1:].isdigit():
        return False
    digits = [int(c) for c in f"{ord(value[0].upper()) - 64:02d}{value[1:9]}"]
    total = sum(sum(divmod(d * (1 + i % 2), 10)) for i, d in enumerate(digits))
    return total % 10 == int(value[9])


def _date_valid(value: str) -> bool:
    """A calendar date of a living person's birth: day, month and year (1900 on) that exist."""
    import datetime as dt

    numbers = [int(n) for n in re.findall(r"\d+", value)]
    month = _MONTHS.search(value)
    if month:  # "03 Jan 1987", "3. März 1987"
        numbers.insert(1, _MONTH_NUMBER[month.group().lower()[:3]])
    if len(numbers) != 3:
        return False
    year, month_, day = numbers if numbers[0] > 31 else numbers[::-1]
    if not month and numbers[0] <= 31 and numbers[1] > 12:  # "02/19/1987": US order
        month_, day = day, month_
    try:
        born = dt.date(year, month_, day)
    except ValueError:
        return False
    return born.year >= 1900 and born < dt.date.today()


_MONTH_NAMES = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    "jän", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez",
)  # fmt: skip
_MONTH_NUMBER = {m: i % 12 + 1 for i, m in enumerate(_MONTH_NAMES)}
_MONTHS = re.compile(r"(?i)\b(?:" + "|".join(_MONTH_NUMBER) + r")[a-zä]*\.?")


def _passport_valid(value: str) -> bool:
    """A passport number: six to nine letters and digits, at least five of them digits."""
    return 6 <= len(value) <= 9 and sum(c.isdigit() for c in value) >= 5


# Vietnam's province and city codes, the first three digits of a CCCD (Circular 59/2021/TT-BCA)
_VN_PROVINCES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34,
        35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68,
        70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


def _cccd_valid(value: str) -> bool:
    """A Vietnamese citizen identity number: a province's code, a century and sex digit of a
    living person (0-3: born in the 1900s or 2000s), the birth year, six digits."""
    return (
        len(value) == 12 and value.isdigit() and value[:3] in _VN_PROVINCES and value[3] in "0123"
    )


def _member_valid(value: str) -> bool:
    """A member number: 6 to 20 letters and digits, at least five of them digits (no word)."""
    return 6 <= len(value) <= 20 and sum(c.isdigit() for c in value) >= 5


def _shape_only(_value: str) -> bool:
    """A kind whose shape is its only rule (the Medicare Beneficiary Identifier: no S, L, O, I,
    B or Z among its letters), named by its words."""
    return True


_CHECKS: dict[str, Callable[[str], bool]] = {
    "nino": _nino_valid,
    "snils": _snils_valid,
    "kvnr": _kvnr_valid,
    "date": _date_valid,
    "passport": _passport_valid,
    "shape": _shape_only,
    "member": _member_valid,
    "cccd": _cccd_valid,
}


def _kinds(path: Path) -> Iterator[tuple[_Kind, tuple[str, ...] | None]]:
    """The kinds of national_ids.tsv (its header says what each column holds), with each
    kind's triggers: substrings of the lower-cased text without one of which its naming words
    cannot match."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        label, check, shape, named, triggers = line.split("\t")
        kind = _Kind(
            label,
            re.compile(shape),
            _CHECKS.get(check) or _stdnum(check),
            None if named == "-" else re.compile("(?i)" + named),
        )
        yield kind, None if triggers == "-" else tuple(triggers.split("; "))


_KINDS = tuple(_kinds(Path(__file__).with_name("national_ids.tsv")))
LABELS = frozenset(kind.label for kind, _ in _KINDS)
assert all((kind.named_by is None) == (triggers is None) for kind, triggers in _KINDS)


def _placeholder(digits: str) -> bool:
    """One digit over and over, or a run counted up or down: a form's sample, not a person."""
    return len(set(digits)) == 1 or samples.counted(digits)


# A table's column that holds identity numbers, by its header ("national_id", "ni_number",
# "SSN", "Personnummer"): an export names its values once, above them, not beside each.
_ID_COLUMN = re.compile(
    r"(?i)national[\s_-]?(?:id|identity|insurance)|\bni[\s_-]?(?:number|no)\b|\bssn\b|"
    r"social[\s_-]?security|personal[\s_-]?(?:id|number|code)|\btax[\s_-]?id|\bid[\s_-]?(?:number|no)\b|"
    r"citizen[\s_-]?id|identity[\s_-]?(?:number|no)"
)
# A table's header and its rule row below it: "| emp_no | cpr_number |\n|-----|------|".
_TABLE_ROW = re.compile(r"\|[^\n]*\|\s*\n\s*\|?\s*[-=:]{3,}[-=:+| ]*\n")


def _named(words: re.Pattern[str], text: str, start: int, tabular: bool) -> bool:
    """Whether ``words`` name the number at ``start``: within 120 characters before it (a key's
    "_" read as a space: "my_number", "cpr_number"), or as its table column's header."""
    if words.search(text[max(0, start - 120) : start].replace("_", " ")):
        return True
    if not tabular:
        return False
    header = tables.column_header(text, start).replace("_", " ")
    return bool(header and (_ID_COLUMN.search(header) or words.search(header)))


def find(text: str) -> Iterator[tuple[str, int, int]]:
    """(label, start, end) of each national identity number in the text."""
    lower = text.lower()
    tabular = _ID_COLUMN.search(text) is not None or _TABLE_ROW.search(text) is not None
    for kind, triggers in _KINDS:
        if triggers is not None and not tabular and not any(map(lower.__contains__, triggers)):
            continue
        for m in kind.shape.finditer(text):
            # the shapes start with a character class (the regex engine then skips ahead to
            # it); that the number starts a word is checked here
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
                continue
            value = m.group().replace(" ", "").replace("-", "")
            if _placeholder(re.sub(r"\D", "", value)) or not (
                kind.valid(value) or kind.valid(m.group())  # "030781-810L": a century sign
            ):
                continue
            named = kind.named_by is None or _named(kind.named_by, text, m.start(), tabular)
            if named:
                yield kind.label, m.start(), m.end()
