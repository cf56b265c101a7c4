"""The language of Latin-script text, told by its function words and letters, and the phone
regions that language's readers dial.

A number written nationally ("0771-567 567", "800 70 2222") means something only with a
region: phonenumbers reads it as a Swedish shared-cost line in Swedish text and as a German
landline with German rules. The output scanner asks this module which regions to read a
Latin-script text's national numbers with. Short, frequent words tell European languages
apart well in a sentence or two (a language-identification model would weigh megabytes for
the same answer here); letters only one language of the set uses (ł, ř, ğ, ø, å...) add to
its score. Deterministic and cheap: one regex pass over the text's words.
"""

from __future__ import annotations

import re
from collections import defaultdict

# Words frequent in one language of the set and rare in the others (short words two
# languages share, like "de" or "en", are left out or kept only where they tell the most).
_WORDS: dict[str, str] = {
    "en": "the and is are you your with for this that of to please our from will have be here "
    "these those can which would should thanks or call email phone",
    "de": "der die das und ist nicht mit für sie ein eine auf bei wir ihre oder sich auch wird ich "
    "habe aus dem den ihr ihnen zu im vom zum sind bitte hier wenn sehr",
    "fr": "le la les et est vous pour avec une des du sur au votre pas nous sont dans aux je elle "
    "ce cette mais qui avez êtes merci bonjour selon après voici",
    "es": "el los las y es para con una del por su que usted llame sus al nuestro está tu tienes has "
    "estos estas lo este esta hay puedes gracias según aquí",
    "it": "ho hai mi il gli della di per con che è sono del al dal oppure puoi alla nel degli chiamare ecco "
    "come suo nostro questo questa ci ai dei delle alle nella anche grazie può",
    "pt": "o os e é para com uma do da não em pelo você ligue na ao seu nos está aqui segue pela "
    "dos das obrigado seus",
    "nl": "het een en van voor met niet je u bij op dan ook wordt zijn naar ons hier zoals wij uw "
    "deze dit heeft kunt graag bedankt",
    "sv": "och är att för det som på med du inte av till om eller ringer vi hos här så ska från "
    "mina dina din ett finns också efter vid tack",
    "da": "og er at for det som på med du ikke af til den eller hos vi kan jeg har mig dig vores "
    "tak venlig hilsen",
    "no": "og er å for det som på med du ikke av til eller hos vi kan jeg har meg deg vår våre "
    "takk vennlig hilsen",
    "fi": "ja on ei se että tai kun voit soita myös numeroon meille sekä ovat tämä kiitos hei",
    "pl": "i w na z się nie do jest to że lub pod dla oraz jak numer są przez może proszę",
    "cs": "a je se na v z že nebo pro jako do k jsou vás jsem jste prosím také které který",
    "tr": "ve bir bu için ile da de olarak veya çok numaral\u0131 aray\u0131n size lütfen olan gibi",
    "vi": "và của là có không được cho các với này một những người trong đã số khách hàng tên "
    "địa chỉ điện thoại xin vui lòng gọi",
}
_LANGS_OF_WORD: dict[str, list[str]] = {}
for _lang, _words in _WORDS.items():
    for _word in (w for w in _words.split() if len(w) > 1):  # "a", "i", "o": code, lists too
        _LANGS_OF_WORD.setdefault(_word, []).append(_lang)
# Letters of one language (or two) in the set: each occurrence counts as a word would.
_LETTERS = {
    "ł": ("pl",), "ą": ("pl",), "ę": ("pl",), "ś": ("pl",), "ż": ("pl",), "ź": ("pl",),
    "ń": ("pl",), "ř": ("cs",), "ě": ("cs",), "ů": ("cs",), "ğ": ("tr",), "ş": ("tr",),
    "\u0131": ("tr",), "ø": ("da", "no"), "æ": ("da", "no"), "å": ("sv", "da", "no"),
    "ã": ("pt",), "õ": ("pt",), "ñ": ("es",), "ß": ("de",), "ä": ("sv", "fi", "de"),
    "ö": ("sv", "fi", "de", "tr"), "ü": ("de", "tr"), "è": ("fr", "it"), "ò": ("it",),
    "ì": ("it",), "ù": ("it", "fr"), "ç": ("fr", "pt", "tr"), "ê": ("fr", "pt"),
}  # fmt: skip
# Vietnamese writes its tones on letters no other language of the set uses (ạ, ế, ữ: the
# Latin Extended Additional block) and has ư, ơ, đ, ă: each counts as a word would. Its ã and
# õ (đã, ngõ) alone had read Vietnamese as Portuguese.
_VIETNAMESE = re.compile("[\u1ea0-\u1ef9\u01b0\u01af\u01a1\u01a0\u0111\u0110\u0103\u0102]")
# words, not the labels of a domain or an address ("com" of example.com is no Portuguese)
_WORD = re.compile(r"(?<![.@/\w])[^\W\d_]+(?![\w.@-]*[.@]\w)")

# Regions whose numbering plan the language's readers most likely write in.
REGIONS = {
    "de": ("DE", "AT", "CH"),
    "fr": ("FR", "BE", "CH"),
    "es": ("ES",),
    "it": ("IT",),
    "pt": ("PT", "BR"),
    "nl": ("NL", "BE"),
    "sv": ("SE",),
    "da": ("DK",),
    "no": ("NO",),
    "fi": ("FI",),
    "pl": ("PL",),
    "cs": ("CZ", "SK"),
    "tr": ("TR",),
    "vi": ("VN",),
}


def _scores(text: str) -> list[tuple[str, float]]:
    """The two best-scored languages, best first."""
    scores: defaultdict[str, float] = defaultdict(float)
    for word in _WORD.findall(text.lower()):
        for lang in _LANGS_OF_WORD.get(word, ()):
            scores[lang] += 1
    for letter, langs in _LETTERS.items():
        count = text.count(letter)
        if count:
            for lang in langs:
                scores[lang] += count / len(langs)
    vietnamese = len(_VIETNAMESE.findall(text))
    if vietnamese:
        scores["vi"] += vietnamese
    return sorted(scores.items(), key=lambda item: -item[1])[:2]


def detect(text: str) -> str | None:
    """The set's language the text is written in, or None when no language leads clearly
    (1.5 points ahead of the next, and at least 2.5)."""
    ranked = _scores(text)
    if not ranked or ranked[0][1] < 2.5:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 1.5:
        return None
    return ranked[0][0]


def regions(text: str, default: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The regions to read the text's national numbers with, and whether they are ranked.

    A clear language: its regions, ranked (the first that reads a number decides: 089 is
    Munich in German text, whatever Austria's plan makes of it). English or no language:
    ``default``, unranked (any region's public or fictional reading clears a number). A
    short text whose likeliest language leads by little ("prosi o kontakt pod numerem ..."):
    that language's regions, then ``default``, ranked; two languages tied ("Hans mobil er 20
    12 34 56"): ``default`` and both languages' regions, unranked.
    """
    ranked = _scores(text)
    lang = detect(text) if ranked else None
    if lang is not None:
        return REGIONS.get(lang, default), lang in REGIONS
    if not ranked or ranked[0][0] not in REGIONS:
        return default, False
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        guess = REGIONS[ranked[0][0]]
        return (*guess, *(r for r in default if r not in guess)), True
    # two languages tie (Danish and Norwegian share "er"): both, and the default, unranked
    tied = [r for lang, _ in ranked for r in REGIONS.get(lang, ())]
    return (*default, *(r for r in tied if r not in default)), False
