"""What the injection classifier reads, shared by training and serving.

``model_text`` folds obfuscation the way a model would read through it: NFKC (full-width,
mathematical letters), invisible characters dropped, Unicode tag characters decoded, words
mixing Latin with look-alike letters folded to Latin (confusables data, see normalize.py;
words wholly in Cyrillic, Greek... stay as written, so Russian reads as Russian), lower case.
Then it appends what hides behind encodings: base64 payloads decoded, leetspeak words
de-leeted, letters spaced one by one joined. ``features`` turns that text into the set of
character 4-grams, word 1-2-grams, CJK character pairs and structural cues (speaker labels,
chat markup, image links with query strings, words addressed to a model) the logistic
regression weighs.
"""

from __future__ import annotations

import re
import unicodedata

from portal_api.security.guard.intent import LEET, LEET_HINT
from portal_api.security.guard.normalize import HOMOGLYPHS, base64_payloads

_INVISIBLE_CHARS = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_DROP_INVISIBLE = {ord(c): None for c in _INVISIBLE_CHARS}
_TAGS = {code: chr(code - 0xE0000) for code in range(0xE0020, 0xE007F)}
_CLEAN = {**_DROP_INVISIBLE, **_TAGS, 0xE0001: None, 0xE007F: None}
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"[^\S\n]{2,}|[^\S \n]")  # runs, and tabs...: single spaces stay as they are
_NEWLINES = re.compile(r"\s*\n\s*")
_ASCII_LETTER = re.compile(r"[a-zA-Z]")
_LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[0-9@$])[a-z0-9@$]{3,}\b")
_SPACED = re.compile(r"\b(?:\w ){3,}\w\b")
# Whether _SPACED matches somewhere: the first letter matched, "\b" before it looked behind at.
_SPACED_HINT = re.compile(r"\w (?<!\w\w )(?:\w ){2,}\w\b")
_SENTENCE = re.compile(r"(?<=[.!?;:\n])\s+|(?<=[\u3002\uff01\uff1f\uff1b])")  # CJK full stops
# The same cuts in ASCII text (no CJK stop): starting at the whitespace lets the regex engine
# skip to whitespace in C instead of testing the look-behind at every position.
_SENTENCE_ASCII = re.compile(r"\s(?<=[.!?;:\n]\s)\s*")
# Whitespace _SPACE can change in ASCII text: two spaces, or a tab, CR, VT, FF or separator.
_ODD_SPACE = ("  ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,}")
NGRAMS = (4,)  # 3- and 5-grams as well cost twice the time and scored lower on the dev split
_ADDRESSEE = (
    r"(?:ai|assistant|model|llm|agent|bot|chatbot|copilot|summari[sz]er|reviewer|screener|"
    r"language model|sprachmodell\w*|modell|modèle|modelo|agente|ki|ia|asistente|assistent\w*|"
    r"assistente|ассистент\w*|помощник\w*|ии|нейросет\w*|модел\w*|бот\w*|"
    r"アシスタント|モデル|助手|模型|机器人|ロボット)"
)
_CUE_PATTERNS = tuple(
    (name, re.compile(pattern, re.MULTILINE))
    for name, pattern in (
        # a speaker label opening a line: "System:", "[assistant]", "### User:", "用户:" (the model text is NFKC-folded,
        # so full-width punctuation and letters arrive as ASCII)
        (
            "\x01speaker",
            r"^[\s\[<(#>*|-]*(?:system|assistant|user|human|ai|bot|developer|operator|admin|"
            r"moderator|sistema|système|systeme|utilisateur|usuario|asistente|nutzer|benutzer|"
            r"assistent|система|ассистент|пользователь|システム|アシスタント|ユーザー|系统|助手|"
            r"用户|【系统】|【用户】)[\s\]>)】]*(?:\([^)\n]{0,30}\))?\s*:",
        ),
        (
            "\x01chat-markup",
            r"<\|\w+\|>|\[/?inst\]|<</?sys>>|</?(?:system|user|assistant)>|\"role\"\s*:",
        ),
        ("\x01image-query", r"!\[[^\]\n]{0,60}\]\(\s*https?://[^)\s]{0,200}[?&]"),
        ("\x01url-query", r"https?://[^\s)\"']{0,200}[?&][\w-]{1,20}=(?:\s|$|[<{\[(]|\))"),
    )
)
# Words addressed to a model inside the text: "assistant, ...", "note to the AI: ...". Only
# whether it occurs counts, so the character before the addressee is matched, not looked
# behind at (the regex engine then skips to those characters in C); the text's start apart.
_ADDRESSED_FIRST = re.compile(rf"{_ADDRESSEE}[^.\n。]{{0,30}}?[:,]")
_ADDRESSED = re.compile(rf"[\s(\[<,.;!?:。【'\u2019]{_ADDRESSEE}[^.\n。]{{0,30}}?[:,]")
# A model told what it must do, in running text: "any AI summarising this must ...", "eine KI,
# die ... soll", "toute IA qui ... doit", "ИИ ... должен". Searched only when a modal word is
# among the text's words (a set lookup), which most texts are not.
_MODAL_WORDS = frozenset(
    [
        "must",
        "should",
        "shall",
        "has",
        "need",
        "needs",
        "soll",
        "sollen",
        "muss",
        "müssen",
        "doit",
        "doivent",
        "devra",
        "debe",
        "deben",
        "deberá",
        "tiene",
        "должен",
        "должна",
        "должны",
        "обязан",
        "обязана",
        "обязаны",
    ]
)
_IF_WORDS = frozenset(("if", "wenn", "falls", "si", "если"))
_MODAL = re.compile(
    rf"(?<!\w){_ADDRESSEE}(?!\w)[^.\n。]{{0,60}}?(?<!\w)(?:must|should|shall|has to|needs? to|"
    r"soll|sollen|muss|müssen|doit|doivent|devra|debe|deben|deberá|tiene que|"
    r"должен|должна|должны|обязан\w*)(?!\w)"
)
# A text that speaks to whoever reads it if that is a model: "if you are an AI reading this",
# "wenn du ein Sprachmodell bist", "si tu es une IA", "si eres un modelo", "если ты ИИ".
_IF_YOU_ARE = re.compile(
    rf"(?:if you(?:'re| are)|wenn du|falls du|si tu es|si vous êtes|si eres|si usted es|"
    rf"если ты|если вы)\s+(?:\w+\s+){{0,3}}?{_ADDRESSEE}(?!\w)"
)
# The same two cues for Chinese and Japanese, which put no space or boundary before "AI" or
# "助手": "给正在总结评论的AI:", "このメールを処理するAIアシスタントへ:", "总结这份纪要的AI都必须",
# "要約するAIは...こと". Only searched in texts that hold CJK characters.
_CJK_ADDRESSEE = r"(?:(?<![a-z])(?:ai|llm)(?![a-z])|助手|模型|大模型|机器人|智能体|アシスタント|モデル|エージェント|ボット|チャットボット)"
_CJK_CUES = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "\x01addressed",
            rf"(?:给|致|写给|提醒)[^。\n:]{{0,25}}?{_CJK_ADDRESSEE}[^。\n]{{0,10}}?[:,]|"
            rf"{_CJK_ADDRESSEE}[^。\n:]{{0,8}}?(?:へ|向け|各位|に告ぐ)[^。\n]{{0,10}}?[:,]",
        ),
        (
            "\x01if-you-are",
            rf"(?:如果你是|假如你是|もしあなたが|あなたが)[^。\n]{{0,12}}?{_CJK_ADDRESSEE}",
        ),
        (
            "\x01addressee-modal",
            rf"{_CJK_ADDRESSEE}[^。\n]{{0,30}}?(?:必须|务必|都要|应该|应当|要说|请|しなければ|"
            r"すること|こと。|ください|べき)",
        ),
    )
)
CHUNK = 300


def _fold_word(match: re.Match[str]) -> str:
    word = match.group()
    if word.isascii():
        return word
    folded = word.translate(HOMOGLYPHS)
    # Only words that read as Latin once folded: a Russian word stays Russian.
    return folded if folded.isascii() or _ASCII_LETTER.search(word) else word


def model_text(text: str) -> str:
    """The folded text plus decoded hidden payloads (see the module docstring)."""
    if text.isascii():
        base = text
    else:
        base = unicodedata.normalize("NFKC", text.translate(_CLEAN))
        base = _WORD.sub(_fold_word, base)
    # Most texts have nothing for these two to change: cheap substring tests skip them.
    if not base.isascii() or any(map(base.__contains__, _ODD_SPACE)):
        base_spaced = _SPACE.sub(" ", base)
    else:
        base_spaced = base
    if "\n" in base_spaced:
        base_spaced = _NEWLINES.sub("\n", base_spaced)
    folded = base_spaced.strip().lower()
    extra = (
        [_SPACE.sub(" ", d).lower() for d, _, _ in base64_payloads(base)] if len(base) >= 16 else []
    )
    extra = [_NEWLINES.sub("\n", d) for d in extra]
    # A leet word has a letter next to a digit, @ or $ (LEET_HINT): most texts have none.
    if LEET_HINT.search(folded) and _LEET_WORD.search(folded):
        deleet = _LEET_WORD.sub(lambda m: m.group().translate(LEET), folded)
        if deleet != folded:
            extra.append(deleet)
    if _SPACED_HINT.search(folded):
        extra.append(_SPACED.sub(lambda m: m.group().replace(" ", ""), folded))
    return folded if not extra else folded + "\n" + "\n".join(extra)


def chunks(folded: str) -> list[str]:
    """``folded`` cut at sentence and line ends into pieces of about ``CHUNK`` characters.

    Short texts are one piece; pieces do not overlap (each character is read once).
    """
    if len(folded) <= CHUNK:
        return [folded]
    sentences: list[str] = []
    for part in (_SENTENCE_ASCII if folded.isascii() else _SENTENCE).split(folded):
        while len(part) > CHUNK:
            cut = part.rfind(" ", CHUNK // 2, CHUNK)
            cut = cut if cut > 0 else CHUNK
            sentences.append(part[:cut])
            part = part[cut:].lstrip()
        if part:
            sentences.append(part)
    out: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in sentences:
        if current and size + len(sentence) > CHUNK:
            out.append(" ".join(current))
            current = []
            size = 0
        current.append(sentence)
        size += len(sentence) + 1
    if current:
        out.append(" ".join(current))
    return out


def features(text: str) -> set[str]:
    """The set of features of one piece of model text.

    Character 4-grams (with word-boundary spaces), word 1-2-grams (prefixed NUL), character
    pairs of Chinese and Japanese runs (prefixed 0x03: they have no spaces between words) and
    the structural cues of ``_CUE_PATTERNS`` (prefixed 0x01).
    """
    padded = f" {text} "
    # n-grams as zips of shifted copies: one C-level pass per n (no index arithmetic)
    grams: set[str] = set()
    for n in NGRAMS:
        grams.update(map("".join, zip(*(padded[k:] for k in range(n)), strict=False)))
    words = _WORD.findall(text)
    unigrams = list(map("\x00".__add__, words))
    grams.update(unigrams)
    grams.update(map(" ".join, zip(unigrams, words[1:], strict=False)))
    if not text.isascii():
        runs = _CJK.findall(text)
        for run in runs:
            grams.update("\x03" + run[i : i + 2] for i in range(len(run) - 1))
        if runs:
            grams.update(name for name, pattern in _CJK_CUES if pattern.search(text))
    grams.update(name for name, pattern in _CUE_PATTERNS if pattern.search(text))
    if _ADDRESSED.search(text) or _ADDRESSED_FIRST.match(text):
        grams.add("\x01addressed")
    if not _MODAL_WORDS.isdisjoint(words) and _MODAL.search(text):
        grams.add("\x01addressee-modal")
    if not _IF_WORDS.isdisjoint(words) and _IF_YOU_ARE.search(text):
        grams.add("\x01if-you-are")
    return grams
