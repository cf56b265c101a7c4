"""National identity numbers beside the US SSN: UK, Spanish, Italian, Dutch, Polish, Swedish,
German, French, Portuguese, Japanese, Chinese and Brazilian ones.

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


# (label, shape, check: python-stdnum's module or a function, the words that must name it)
_TABLE: tuple[tuple[str, str, str | Callable[[str], bool], str | None], ...] = (
    # two prefix letters, six digits (in pairs or not), a suffix A-D
    ("uk-nino", r"[A-Z]{2}(?: ?\d{2}){3} ?[A-D]\b", _nino_valid, r"national\s+insurance|\bNINO\b|\bNI\b|\bN\.I\.|\bni[_-]?(?:number|no|num)|sozialversicherungsnummer|num[ée]ro\s+d'assurance"),
    ("es-dni", r"\d{8}-?[A-Z]\b", "es.dni", None),
    ("es-nie", r"[XYZ]-?\d{7}-?[A-Z]\b", "es.nie", None),
    # surname and name letters, birth year, month letter, day (+40 for women), place, check
    # letter; digits may be swapped for letters (omocodia) when two people share a code
    ("it-codice-fiscale", r"[A-Z]{6}[\dLMNP-V]{2}[A-EHLMPR-T][\dLMNP-V]{2}[A-Z][\dLMNP-V]{3}[A-Z]\b", "it.codicefiscale", None),
    ("nl-bsn", r"\d{4}\.?\d{2}\.?\d{3}(?![\d-])", "nl.bsn", r"\bBSN\b|burgerservicenummer|sofi-?nummer|citizen\s+service\s+number"),
    ("pl-pesel", r"\d{11}(?![\d-])", "pl.pesel", r"\bPESEL\b"),
    ("se-personnummer", r"\d{6}(?:\d{2})?[-+]?\d{4}(?![\d-])", "se.personnummer", r"personnummer|person(?:al)?\s+(?:id(?:entity)?\s+)?number|\bpnr\b"),
    ("jp-my-number", r"\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d-])", "jp.in_", r"個人番号|マイナンバー|my\s*number|individual\s+number"),
    # the resident id's 18 characters hold a birth date and a check character: rare enough
    ("cn-resident-id", r"\d{17}[\dX](?![\dX])", "cn.ric", None),
    ("br-cpf", r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\d-])", "br.cpf", r"\bCPF\b|cadastro\s+de\s+pessoas"),
    ("pt-nif", r"\d{9}(?![\d-])", "pt.nif", r"\bNIF\b|contribuinte"),
    ("de-idnr", r"\d{2} ?\d{3} ?\d{3} ?\d{3}(?![\d-])", "de.idnr", r"steuer-?\s*(?:id|identifikationsnummer)|\bIdNr\b|identifikationsnummer|\btax\s+id|\bTIN\b"),
    ("fr-nir", r"[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\d-])", "fr.nir", r"s[ée]curit[ée]\s+sociale|\bNIR\b|\bINSEE\b|carte\s+vitale|\bs[ée]cu\b|social\s+security"),
)  # fmt: skip
_KINDS = tuple(
    _Kind(
        label,
        re.compile(shape),
        _stdnum(check) if isinstance(check, str) else check,
        re.compile("(?i)" + named) if named else None,
    )
    for label, shape, check, named in _TABLE
)
LABELS = frozenset(kind.label for kind in _KINDS)
_SEQUENCE = "0123456789012345678909876543210"


def _placeholder(digits: str) -> bool:
    """One digit over and over, or a run counted up or down: a form's sample, not a person."""
    return len(set(digits)) == 1 or digits in _SEQUENCE


def find(text: str) -> Iterator[tuple[str, int, int]]:
    """(label, start, end) of each national identity number in the text."""
    for kind in _KINDS:
        for m in kind.shape.finditer(text):
            # the shapes start with a character class (the regex engine then skips ahead to
            # it); that the number starts a word is checked here
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
                continue
            value = m.group().replace(" ", "").replace("-", "")
            if _placeholder(re.sub(r"\D", "", value)) or not kind.valid(value):
                continue
            named = kind.named_by is None or kind.named_by.search(
                text, max(0, m.start() - 120), m.start()
            )
            if named:
                yield kind.label, m.start(), m.end()
