"""Text normalisation that defeats cheap obfuscation while keeping offsets into the original.

Scanners match on a folded copy of the text: NFKC (full-width and other compatibility
forms), invisible characters removed (zero-width spaces, joiners used as separators, BOM,
soft hyphens, bidi controls), Unicode tag characters decoded to the ASCII they smuggle,
Cyrillic and Greek look-alikes mapped to Latin, and lower case. ``origin[i]`` is the index in
the original text of folded character ``i``, so every span points at what the caller sent.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import confusable_homoglyphs

# Invisible characters that change nothing a reader sees. ZWJ (U+200D) is kept when it joins
# emoji (family, profession sequences) and dropped elsewhere.
_INVISIBLE = {
    0x00AD,  # soft hyphen
    0x180E,  # Mongolian vowel separator
    0x200B,  # zero-width space
    0x200C,  # zero-width non-joiner
    0x200D,  # zero-width joiner (see above)
    0x200E,
    0x200F,  # LRM, RLM
    0x202A,
    0x202B,
    0x202C,
    0x202D,
    0x202E,  # bidi embeddings and overrides
    0x2060,
    0x2061,
    0x2062,
    0x2063,
    0x2064,  # word joiner, invisible operators
    0x2066,
    0x2067,
    0x2068,
    0x2069,  # bidi isolates
    0xFEFF,  # BOM / zero-width no-break space
}
_TAG_FIRST, _TAG_LAST = 0xE0000, 0xE007F
_BLACK_FLAG = 0x1F3F4  # subdivision flags (England, Scotland) are spelt with tag characters

# Look-alikes to Latin letters, from the Unicode confusables data (UTS #39) shipped by the
# maintained ``confusable-homoglyphs`` package: every single character whose prototype is one
# ASCII letter (Cyrillic "\u0430", Greek "\u03bf", Cherokee, mathematical alphanumerics...).
# Digits are left alone: mapping Cyrillic "\u0417" to "3" would garble Russian text.


def _confusable_table() -> dict[int, str]:
    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data: dict[str, list[dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    table: dict[int, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalpha():
                # UTS #39 folds capital I to "l"; a capital I look-alike reads as "i".
                if target == "l" and unicodedata.name(char, "").split()[-1] in ("I", "IOTA"):
                    target = "i"
                table[ord(char)] = target
                break
    # Dotless i and script l: the data maps them to pairs or symbols; attacks use them as letters.
    table.update({0x0131: "i", 0x2113: "l"})
    return table


HOMOGLYPHS = _confusable_table()

_WORD = re.compile(r"\w{3,}")
_LATIN = re.compile(r"[a-zA-Z]")
_CYRILLIC_GREEK = re.compile(r"[\u0400-\u04ff\u0370-\u03ff]")

# Latin letters that look like Cyrillic or Greek ones: in a Russian word with a Latin "o" or
# "e" slipped in (the Russian "ignore" spelt with a Latin o), the Latin letters are the
# disguise, and the word reads as the Russian one once they are put back (folding it to Latin
# made it no word at all).
_LATIN_TO_CYRILLIC = str.maketrans("aceopxyiABCEHKMOPTX", "асеорхуіАВСЕНКМОРТХ")  # noqa: RUF001
_LATIN_TO_GREEK = str.maketrans("ABEHIKMNOPTXYZaikopuvx", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖαικορυνχ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def in_own_script(word: str) -> str | None:
    """A Cyrillic or Greek word with Latin look-alike letters in it, those letters put back in
    its script; None when some Latin letter has no look-alike there."""
    native = word.translate(_LATIN_TO_CYRILLIC if _CYRILLIC.search(word) else _LATIN_TO_GREEK)
    return None if _LATIN.search(native) else native


def fold_word(match: re.Match[str]) -> str:
    """A word with look-alike letters, folded to Latin when it reads as Latin then (the
    classifier's reading, features.model_text)."""
    word = match.group()
    if word.isascii():
        return word
    folded = word.translate(HOMOGLYPHS)
    # Only words that read as Latin once folded: a Russian word stays Russian.
    return folded if folded.isascii() or _LATIN.search(word) else word


def fold_mixed_word(match: re.Match[str]) -> str:
    """A word of Cyrillic or Greek text: as it is unless it mixes in Latin letters."""
    word = match.group()
    latin = len(_LATIN.findall(word))
    if not latin:
        return word
    if len(word) - latin > latin:  # mostly the text's own script: the Latin letters go back
        native = in_own_script(word)
        if native is not None:
            return native
    return fold_word(match)


def _mixed_script_words(text: str) -> int:
    """Words that mix Latin with Cyrillic or Greek letters (linear in the text)."""
    return sum(
        1
        for m in _WORD.finditer(text)
        if _LATIN.search(m.group()) and _CYRILLIC_GREEK.search(m.group())
    )


_NEEDS_SLOW_PATH = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)


@dataclass
class Normalized:
    original: str
    text: str  # folded
    origin: list[int] | None = None  # None: the identity (same length, same positions)
    invisible: int = 0  # invisible characters removed
    smuggled: str = ""  # ASCII decoded from tag characters
    mixed_scripts: int = 0  # words mixing Latin with Cyrillic/Greek letters
    notes: list[str] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text back to the original text."""
        if self.origin is None:
            return start, end
        if not self.origin:
            return 0, 0
        first = self.origin[min(start, len(self.origin) - 1)]
        last = self.origin[min(max(end - 1, start), len(self.origin) - 1)] + 1
        return first, last


def _slow(text: str) -> Normalized:
    out: list[str] = []
    origin: list[int] = []
    invisible = 0
    smuggled: list[str] = []
    previous = ""
    for i, ch in enumerate(text):
        code = ord(ch)
        if _TAG_FIRST <= code <= _TAG_LAST:
            if previous and ord(previous) == _BLACK_FLAG:
                continue
            if 0xE0020 <= code <= 0xE007E:
                decoded = chr(code - 0xE0000)
                smuggled.append(decoded)
                # The smuggled ASCII is read as part of the text: that is how models see it.
                out.append(decoded.lower())
                origin.append(i)
            continue
        if code in _INVISIBLE:
            if code == 0x200D and previous and unicodedata.category(previous) == "So":
                out.append(ch)
                origin.append(i)
                continue
            invisible += 1
            continue
        folded = unicodedata.normalize("NFKC", ch).translate(HOMOGLYPHS).lower()
        for part in folded:
            out.append(part)
            origin.append(i)
        previous = ch
    return Normalized(
        original=text,
        text="".join(out),
        origin=origin,
        invisible=invisible,
        smuggled="".join(smuggled),
    )


def normalize(text: str) -> Normalized:
    """Fold ``text`` for matching; ASCII (the common case) takes a fast path."""
    if text.isascii():
        return Normalized(original=text, text=text.lower())
    mixed = _mixed_script_words(text)
    if _NEEDS_SLOW_PATH.search(text) is None and unicodedata.is_normalized("NFKC", text):
        folded = text.translate(HOMOGLYPHS).lower()
        if len(folded) == len(text):
            return Normalized(original=text, text=folded, mixed_scripts=mixed)
    result = _slow(text)
    result.mixed_scripts = mixed
    return result


_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
MAX_DECODED = 4
_MAX_READABLE = 64  # runs decoded per text at most (the cache holds them for every caller)


@lru_cache(maxsize=16)
def _readable_runs(text: str) -> tuple[tuple[str, int, int], ...]:
    """Every base64 run of ``text`` (up to 64) that decodes to readable text. The rule and
    classifier scanners both ask for the same text's payloads: decoded once."""
    out: list[tuple[str, int, int]] = []
    for m in _BASE64.finditer(text):
        raw = m.group()
        if raw.isalpha() and (raw.islower() or raw.isupper()):
            continue
        try:
            decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        letters = sum(c.isalpha() or c == " " for c in decoded)
        if decoded.isprintable() and letters > 0.7 * len(decoded):
            out.append((decoded, m.start(), m.end()))
            if len(out) >= _MAX_READABLE:
                break
    return tuple(out)


def base64_payloads(text: str, min_length: int = 16) -> list[tuple[str, int, int]]:
    """Readable text hidden in base64 runs of ``text``: (decoded, start, end), at most four.

    A run counts when it decodes to printable UTF-8 that is mostly letters and spaces; a long
    ordinary word (all lower or all upper case letters) is not read as an encoding.
    """
    if len(text) < min_length:
        return []
    runs = [run for run in _readable_runs(text) if run[2] - run[1] >= min_length]
    return runs[:MAX_DECODED]
