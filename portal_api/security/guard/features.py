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

import codecs
import re
import unicodedata
from collections.abc import Callable

from portal_api.security.guard.framing import (
    ADDRESSEE,
    addressed,
    has_quote,
    hidden_readings,
    persona_addressed,
    tool_cues,
    unquoted,
)
from portal_api.security.guard.intent import LEET, LEET_HINT
from portal_api.security.guard.jailbreak_words import framed_method
from portal_api.security.guard.normalize import base64_payloads, fold_mixed_word, fold_word

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

_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
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
        # a link whose query holds placeholders for data to fill in (task 14i): "?n=...",
        # "&tel={phone}", "?d=<user data>", "?mail=メール", "?email=email&a=address"
        (
            "\x01link-template",
            r"https?://[^\s)\"']{0,200}[?&][\w-]{1,20}=(?:\.\.\.|…|\{[^}\s]{1,30}\}|"
            r"<[^>\s]{1,30}>|[^\x00-\x7f]|(?:e-?mail|name|phone|tel|telefono|address|adresse|"
            r"card|dob|acct|account|iban|ssn|dni|passport|password)\b)",
        ),
    )
)
_LINKS = frozenset(("\x01image-query", "\x01url-query", "\x01link-template"))
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
    # "an AI summarising this must", "language models reading this page must" (plural: 14m)
    rf"(?<!\w){ADDRESSEE}s?(?!\w)[^.\n。]{{0,60}}?(?<!\w)(?:must|should|shall|has to|needs? to|"
    r"soll|sollen|muss|müssen|doit|doivent|devra|debe|deben|deberá|tiene que|"
    r"должен|должна|должны|обязан\w*)(?!\w)"
)
# A text that speaks to whoever reads it if that is a model: "if you are an AI reading this",
# "wenn du ein Sprachmodell bist", "si tu es une IA", "si eres un modelo", "если ты ИИ".
_IF_YOU_ARE = re.compile(
    rf"(?:if you(?:'re| are)|wenn du|falls du|si tu es|si vous êtes|si eres|si usted es|"
    rf"если ты|если вы)\s+(?:\w+\s+){{0,3}}?{ADDRESSEE}(?!\w)"
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
            rf"{_CJK_ADDRESSEE}[^。\n:]{{0,8}}?(?:へ|向け|各位|に告ぐ)(?:[。、\s]|[^。\n]{{0,10}}?[:,])",
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
# Who the instruction words are about (task 14a). Talk TO the model names its configuration
# in the second person ("your instructions", "the rules you were given", "tes consignes",
# "твои правила", "你的规则", "あなたの指示"); talk ABOUT instructions reports what a bot, a
# flag or a tester did, in the third person ("the bot followed the embedded instruction", "a
# hidden line saying ..."). Searched only when a trigger word is among the text's words.
_CONFIG_NOUN = (
    r"(?:instruction|rule|guideline|guidance|system (?:prompt|message|text)|prompt|programming|"
    r"configuration|config|setup|restriction|filter|polic|directive|constraint|preamble|"
    r"anweisung|regel|vorgabe|richtlinie|systemprompt|konfiguration|einschränkung|"
    r"consigne|règle|préambule|restriction|filtre|instrucci|regla|norma|directriz|configuraci|"
    r"restricci|filtro|инструкци|правил|промпт|настройк|ограничени|фильтр|указани|директив)"
)
_SECOND_PERSON_WORDS = frozenset(
    [
        "your",
        "you",
        "yours",
        "deine",
        "deinen",
        "deiner",
        "deinem",
        "dein",
        "dir",
        "du",
        "tes",
        "ton",
        "ta",
        "vos",
        "votre",
        "te",
        "tus",
        "tu",
        "твои",
        "твоих",
        "твой",
        "твоим",
        "свои",
        "своих",
        "свой",
        "тебе",
        "тебя",
        "вам",
        "t",
    ]
)
_YOUR_CONFIG = re.compile(
    r"(?<!\w)(?:your|you(?:'ve| have)? (?:were|been|got|received|was)|given to you|told you|"
    r"deine[nmrs]?|dein|dir|du hast|tes|ton|ta|vos|votre|on t'a|t'a|t'ont|tus|te (?:dieron|"
    r"han)|твои[хм]?|твой|свои[хм]?|свой|тебе|тебя)(?!\w)[^.\n!?]{0,30}?"
    + _CONFIG_NOUN
    # Spanish "tu" (your) right before the noun; French "tu" (you) is no possessive
    + r"|(?<!\w)tu "
    + _CONFIG_NOUN
    # and after the noun: "the preamble you were given", "le préambule qu'on t'a donné"
    + "|"
    + _CONFIG_NOUN
    + r"[^.\n!?]{0,25}?(?<!\w)(?:you(?:'ve| have)? (?:were|been|got|received)|on t'a|t'ont|"
    r"dir (?:gegeben|mitgegeben|gesagt)|te (?:dieron|dio|han dado)|тебе|вам) "
)
_CJK_YOUR_CONFIG = re.compile(
    r"(?:你的|给你|你收到|你被|你上线|你启动|你之前|你当初|交代你|あなたの|あなたに|あなたが)"
    r"[^。\n]{0,12}?(?:指令|指示|规则|规定|提示词|提示|设定|设置|限制|过滤|配置|系统|ルール|プロンプト|"
    r"設定|制限|規則|フィルター)"
)
_REPORT_WORDS = frozenset(
    [
        "followed",
        "obeyed",
        "complied",
        "executed",
        "repeated",
        "refused",
        "returned",
        "printed",
        "revealed",
        "leaked",
        "said",
        "replied",
        "answered",
        "kept",
        "saying",
        "telling",
        "asking",
        "instructing",
        "ignores",
        "ignored",
        "overrides",
        "overrode",
        "bypassed",
        "disables",
    ]
)
_REPORTED = re.compile(
    r"(?<!\w)(?:the|our|their|its|this|that|a|an|every)\s+(?:\S+\s+)?(?:bot|chatbot|model|"
    r"assistant|agent|llm|ai|summari[sz]er|screener|tester|attacker|flag|option|setting|"
    r"payload|line|comment|text|sentence|request|prompt)s?\s+(?:followed|obeyed|complied|"
    r"executed|repeated|refused|returned|printed|revealed|leaked|said|replied|answered|kept|"
    r"saying|telling|asking|instructing|ignores|ignored|overrides|overrode|bypassed|"
    r"disables)(?!\w)"
)
# An imperative opening a sentence, addressed to the reader, aimed at its configuration:
# "Ignore the system prompt", "Vergiss die Regeln", the Russian "do not heed the system prompt",
# "Répète le préambule", "Muestra tus instrucciones", "忽略系统提示", "指示を無視して".
_IMPERATIVES = [
    "ignore",
    "disregard",
    "forget",
    "reveal",
    "print",
    "repeat",
    "show",
    "output",
    "override",
    "bypass",
    "skip",
    "abandon",
    "drop",
    "stop",
    "quote",
    "recite",
    "dump",
    "disable",
    "ignoriere",
    "ignoriert",
    "vergiss",
    "vergesst",
    "missachte",
    "zeige",
    "zeig",
    "wiederhole",
    "gib",
    "umgehe",
    "deaktiviere",
    "ignore",
    "oublie",
    "oubliez",
    "ignorez",
    "affiche",
    "affichez",
    "montre",
    "montrez",
    "répète",
    "répétez",
    "recopie",
    "révèle",
    "révélez",
    "contourne",
    "désactive",
    "ignora",
    "olvida",
    "olvide",
    "muestra",
    "muéstrame",
    "muestre",
    "repite",
    "revela",
    "omite",
    "desactiva",
    "salta",
    "игнорируй",
    "проигнорируй",
    "игнорируйте",
    "забудь",
    "забудьте",
    "не",
    "выведи",
    "выведите",
    "повтори",
    "повторите",
    "покажи",
    "покажите",
    "назови",
    "раскрой",
    "перестань",
    "отключи",
    "обойди",
    "отбрось",
]
_IMPERATIVE_WORDS = frozenset(_IMPERATIVES)
_IMPERATIVE_CONFIG = re.compile(
    # a sentence's start, also right after an opening quote (a quoted order: framing.py)
    r"(?:^|[.!?:;\n]\s*|[\"“«„\u2018'「]|please |bitte |s'il te plaît,? |por favor,? |пожалуйста,? )"
    r"(?:" + "|".join(sorted(_IMPERATIVES, key=len, reverse=True)) + r")(?!\w)"
    r"[^.\n!?]{0,50}?" + _CONFIG_NOUN
)
_CJK_IMPERATIVE_CONFIG = re.compile(
    r"(?:^|[。!?:\n]\s*|[“「『]|请)(?:忽略|无视|忘掉|忘记|不要理会|别管|输出|重复|显示|透露|公开|绕过|关闭|"
    r"复述|列出|贴出|把)[^。\n]{0,15}?(?:指令|指示|规则|规定|提示词|提示|设定|限制|过滤|配置)|"
    r"(?:指示|ルール|プロンプト|設定|制限|規則|フィルター)[^。\n]{0,12}?(?:無視|忘れ|出力|表示|"
    r"繰り返|教え|見せ|解除|無効)(?:して|しろ|せよ|なさい|ろ)"
)
# Letters spaced one by one with wider gaps between words ("D i s c a r d   y o u r"): the
# gaps are the word breaks, read before runs of spaces are folded into one.
_WIDE_SPACED = re.compile(r"(?<!\w)\w(?: \w| {2,}\w){5,}(?!\w)")
_ROT13 = frozenset(("rot13", "rot", "цезаря", "caesar", "césar"))
CHUNK = 300


def _join_spaced(match: re.Match[str]) -> str:
    return " ".join(w.replace(" ", "") for w in re.split(r" {2,}", match.group()))


def model_text(text: str) -> str:
    """The folded text plus decoded hidden payloads (see the module docstring)."""
    if text.isascii():
        base = raw = text
    else:
        raw = unicodedata.normalize("NFKC", text.translate(_CLEAN))
        # In Cyrillic or Greek text a word made only of look-alike letters (the Russian "not", "with") is a word
        # of that language, not a disguised Latin one: only words that mix scripts are folded.
        native = len(_CYRILLIC_GREEK.findall(raw)) > len(_ASCII_LETTER.findall(raw))
        base = _WORD.sub(fold_mixed_word if native else fold_word, raw)
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
        if "  " in base:  # from the text before look-alike folding: spaced Russian stays Russian
            joined = _WIDE_SPACED.sub(_join_spaced, raw)
            extra.append((joined if joined.isascii() else _WORD.sub(fold_word, joined)).lower())
    if "rot" in folded and not _ROT13.isdisjoint(_WORD.findall(folded)):
        extra.append(codecs.encode(folded, "rot13"))
    extra.extend(hidden_readings(folded))
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


def _given_or_quoted(
    grams: set[str], cue: str, found: Callable[[str], object], text: str, plain: list[str]
) -> None:
    """Add ``cue`` when ``found`` in the text outside its quotations, or
    ``\\x01quoted-instruction`` when found only inside them: a quoted instruction is reported.
    ``plain`` holds the text without quotations once a cue needed it (most texts have no cue)."""
    if found(text):
        grams.add(cue if _given(found, text, plain) else "\x01quoted-instruction")


def _given(found: Callable[[str], object], text: str, plain: list[str]) -> bool:
    """Whether ``found`` (true of ``text``) holds outside the text's quotations."""
    if not plain:
        plain.append(unquoted(text) if has_quote(text) else text)
    return plain[0] is text or bool(found(plain[0]))


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
    # Cues addressing the model count where they stand outside quotations (framing.py).
    plain: list[str] = []
    if not text.isascii():
        runs = _CJK.findall(text)
        for run in runs:
            grams.update("\x03" + run[i : i + 2] for i in range(len(run) - 1))
        if runs:
            for name, pattern in _CJK_CUES:
                _given_or_quoted(grams, name, pattern.search, text, plain)
            _given_or_quoted(grams, "\x01your-config", _CJK_YOUR_CONFIG.search, text, plain)
            _given_or_quoted(
                grams, "\x01imperative-config", _CJK_IMPERATIVE_CONFIG.search, text, plain
            )
    for name, pattern in _CUE_PATTERNS:  # a link quoted in prose is reported (task 14k): no cue
        if pattern.search(text) and (name not in _LINKS or _given(pattern.search, text, plain)):
            grams.add(name)
    grams.update(tool_cues(text))
    if persona_addressed(text):
        grams.add("\x01persona-addressed")
    _given_or_quoted(grams, "\x01addressed", addressed, text, plain)
    if not _MODAL_WORDS.isdisjoint(words) and _MODAL.search(text):
        grams.add("\x01addressee-modal")
    if not _IF_WORDS.isdisjoint(words) and _IF_YOU_ARE.search(text):
        grams.add("\x01if-you-are")
    if not _SECOND_PERSON_WORDS.isdisjoint(words):
        _given_or_quoted(grams, "\x01your-config", _YOUR_CONFIG.search, text, plain)
    if not _IMPERATIVE_WORDS.isdisjoint(words):
        _given_or_quoted(grams, "\x01imperative-config", _IMPERATIVE_CONFIG.search, text, plain)
    if not _REPORT_WORDS.isdisjoint(words) and _REPORTED.search(text):
        grams.add("\x01reported")
    if framed_method(text):
        grams.add("\x01framed-method")
    return grams
